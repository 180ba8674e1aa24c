"""The account page: register data, verdict per inspection, findings with links, the posts
timeline (newest first, paginated, escaped), the weekly chart's data and the ingestion status."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.urls import reverse

from govinspect.inspections import services
from govinspect.inspections.models import Finding, InspectionTarget, Verdict
from govinspect.newmedia.ingest import ingest_bytes
from govinspect.newmedia.services import inspect_accounts
from govinspect.registry.models import Account, Filing
from govinspect.web.views.accounts import weekly_posts
from govinspect.web.views.common import PAGE_SIZE
from web_world import PASSWORD, XSS

pytestmark = pytest.mark.django_db
AS_OF = date(2025, 12, 15)


def _rows(n: int, **extra) -> list[dict]:  # type: ignore[no-untyped-def]
    """n posts of 成都发布, one every two days back from as_of; the newest carries a script."""
    rows = [
        {
            "platform": "wechat",
            "account_id": "cdfb",
            "post_id": f"p{i:03d}",
            "published_at": (AS_OF - timedelta(days=2 * i)).isoformat() + " 09:30",
            "title": f"第{i:03d}期工作动态",
            "text": "近日召开专题会议，研究部署重点工作。",
            "url": f"https://mp.weixin.qq.com/s/p{i:03d}",
            "comment_count": i % 4,
            "reply_count": 1 if i % 4 else 0,
            **extra,
        }
        for i in range(n)
    ]
    rows[0]["text"] = f"正文里有一段{XSS}脚本。"
    rows[0]["title"] = "<b>标题</b>"
    rows[1]["text"] = "要大力弘扬社会主意核心价值观。"  # a severe error: the account fails NM-V3
    return rows


@pytest.fixture
def account(world):  # type: ignore[no-untyped-def]
    account = Account.objects.get(name="成都发布")
    data = "\n".join(json.dumps(r, ensure_ascii=False) for r in _rows(PAGE_SIZE + 7)).encode()
    data += b"\n{not json\n"  # a row error for the ingestion status
    summary = ingest_bytes(data, "cd-posts.jsonl")
    assert summary.created == PAGE_SIZE + 7 and len(summary.errors) == 1
    Filing.objects.create(date=date(2019, 5, 1), kind="open", account=account, note="首次备案")
    inspection = services.create_inspection("2025Q4", as_of=AS_OF, accounts=True, sites=[])
    InspectionTarget.objects.filter(inspection=inspection, site__isnull=False).delete()
    targets = {
        t.account_id: t for t in InspectionTarget.objects.filter(inspection=inspection).select_related("account")
    }
    for acc, found in inspect_accounts([t.account for t in targets.values()], AS_OF):
        services.persist(targets[acc.pk], found)
    services.finish(inspection)
    return account


def _get(client, world, role, account, **params):  # type: ignore[no-untyped-def]
    assert client.login(username=world.users[role].username, password=PASSWORD)
    response = client.get(reverse("web:account", args=[account.pk]), params)
    return response, response.content.decode()


def test_register_data_verdict_and_findings(client, world, account):
    response, body = _get(client, world, "city_admin", account)
    assert response.status_code == 200
    for text in ("成都发布", "微信", "cdfb", "成都市人民政府办公厅", "成都市", "2019-05-01 开设", "首次备案"):
        assert text in body, text
    verdict = Verdict.objects.get(account=account)
    assert verdict.passed is False and "NM-V3" in body
    finding = Finding.objects.get(account=account, check_id="text.severe_error")
    assert reverse("web:finding", args=[finding.pk]) in body
    assert reverse("web:inspection", args=[verdict.inspection_id]) in body
    # the finding page links back to the account
    finding_page = client.get(reverse("web:finding", args=[finding.pk])).content.decode()
    assert reverse("web:account", args=[account.pk]) in finding_page
    # the list links to the page
    listing = client.get(reverse("web:accounts")).content.decode()
    assert reverse("web:account", args=[account.pk]) in listing


def test_posts_newest_first_paginated_and_escaped(client, world, account):
    _response, body = _get(client, world, "organizer", account)
    first = body.index("第001期工作动态")
    assert body.index("&lt;b&gt;标题&lt;/b&gt;") < first < body.index("第002期工作动态")
    assert XSS not in body and "&lt;script&gt;" in body
    assert "<b>标题</b>" not in body
    assert f"第 1 / 2 页，共 {PAGE_SIZE + 7} 条" in body
    assert "2025-12-15 09:30" in body  # Beijing time as published
    _response, page2 = _get(client, world, "organizer", account, page=2)
    assert f"第{PAGE_SIZE + 6:03d}期工作动态" in page2 and "第001期工作动态" not in page2
    assert "&lt;b&gt;标题" not in page2


def test_weekly_chart_data_and_local_chart_library(client, world, account):
    weeks = weekly_posts(account)  # 57 posts, one every two days: 2025-08-25 (a Monday) … 2025-12-15
    assert [w["week"] for w in weeks[:2]] == ["2025-08-25", "2025-09-01"]
    assert len(weeks) == 17 and weeks[-1]["week"] == "2025-12-15"  # the newest post's week
    assert weeks[-1]["posts"] == 1 and sum(w["posts"] for w in weeks) == PAGE_SIZE + 7
    assert all(w["posts"] <= 4 for w in weeks)
    assert [w["week"] for w in weekly_posts(account, weeks=3)] == ["2025-12-01", "2025-12-08", "2025-12-15"]
    _response, body = _get(client, world, "province_admin", account)
    assert "/static/web/vendor/echarts.min.js" in body and "/static/web/account.js" in body
    assert "http://" not in body.split("<main>")[0]  # no external asset in the head
    assert '"week": "2025-12-15"' in body  # the chart's data, in a json_script block


def test_ingestion_status_shows_source_and_row_errors(client, world, account):
    _response, body = _get(client, world, "province_admin", account)
    assert "cd-posts.jsonl" in body
    assert "从未采集" not in body
    errors = body[body.index('id="ingest-errors"') :].split("</table>")[0]
    assert f"<td>{PAGE_SIZE + 8}</td>" in errors  # the broken line's number
    assert "无错误" not in errors


def test_account_never_ingested(client, world):
    other = Account.objects.get(name="自贡发布")
    _response, body = _get(client, world, "province_admin", other)
    assert "从未采集" in body and "尚无发布信息" in body and "尚未检查" in body
    assert weekly_posts(other) == []


def test_out_of_scope_account_is_404(client, world, account):
    other = Account.objects.get(name="自贡发布")
    response, _ = _get(client, world, "city_admin", other)
    assert response.status_code == 404
    response, _ = _get(client, world, "other_organizer", account)
    assert response.status_code == 404
