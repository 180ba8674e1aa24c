"""inspect_accounts on the database: the contract the inspections app calls."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from govinspect.newmedia.checks import MatrixEntry
from govinspect.newmedia.ingest import ingest_bytes
from govinspect.newmedia.services import inspect_accounts, unfiled_findings
from govinspect.registry.models import Account, Filing

pytestmark = pytest.mark.django_db
AS_OF = date(2025, 12, 15)


def _posts(platform: str, account: str, ages: list[int], **kw) -> list[dict]:
    return [
        {
            "platform": platform,
            "account_id": account,
            "post_id": f"{account}-{i}",
            "published_at": (AS_OF - timedelta(days=age)).isoformat() + " 10:00",
            "title": "工作动态",
            "text": "近日召开专题会议，研究部署重点工作。",
            **kw,
        }
        for i, age in enumerate(ages)
    ]


def _ingest(rows):
    data = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode()
    assert not ingest_bytes(data, "t.jsonl").errors


def test_inspect_accounts_yields_each_account_with_its_findings(accounts):
    fresh = [1, 4, 7, 10, 13, 16]
    _ingest(_posts("weibo", "https://weibo.com/u/1", [30, 40, 50]))  # stale
    _ingest(_posts("wechat", "gh_a", fresh, comment_count=2))  # comments never answered
    _ingest(_posts("wechat", "gh_b", fresh))
    _ingest(_posts("douyin", "https://www.douyin.com/user/old", [2, 5]))  # closed, still posting
    Filing.objects.create(date=AS_OF - timedelta(days=60), kind="close", account=accounts["closed"])
    # the app account: never ingested -> not judged
    result = {a.platform_id: fs for a, fs in inspect_accounts(Account.objects.order_by("id"), AS_OF)}
    assert len(result) == 5
    checks = {pid: sorted(f.check for f in fs) for pid, fs in result.items()}
    assert checks == {
        "https://weibo.com/u/1": ["newmedia.stale"],
        "gh_a": ["newmedia.no_interaction"],
        "gh_b": ["newmedia.duplicate_account"],
        "cn.gov.app": [],
        "https://www.douyin.com/user/old": ["newmedia.closed_but_active"],
    }
    stale = result["https://weibo.com/u/1"][0]
    assert stale.site == stale.url == "https://weibo.com/u/1"
    assert stale.detail["latest"] == (AS_OF - timedelta(days=30)).isoformat() and stale.severity == "veto"
    dup = result["gh_b"][0]
    assert dup.site == "newmedia://wechat/gh_b" and dup.target == "newmedia://wechat/gh_a"


def test_partial_input_still_sees_the_organizer_other_accounts(accounts):
    _ingest(_posts("wechat", "gh_b", [1, 4, 7, 10, 13]))
    [(_account, findings)] = list(inspect_accounts([accounts["wechat2"]], AS_OF))
    assert [f.check for f in findings] == ["newmedia.duplicate_account"]


def test_content_findings_point_at_the_post(accounts):
    rows = _posts("wechat", "gh_a", [1, 4, 7, 10, 13])
    rows[0]["text"] = "要大力弘扬社会主意核心价值观，推进诚信建设。"
    rows[0]["url"] = "https://mp.weixin.qq.com/s/abc"
    rows[1]["text"] = "最新六合彩开奖结果，免费资料大全。"  # no url: made from the account URI
    _ingest(rows)
    [(_, findings)] = list(inspect_accounts([accounts["wechat"]], AS_OF))
    urls = {f.check: f.url for f in findings}
    assert urls["text.severe_error"] == "https://mp.weixin.qq.com/s/abc"
    assert urls["security.sensitive"] == "newmedia://wechat/gh_a/posts/gh_a-1"
    assert all(f.site == "newmedia://wechat/gh_a" for f in findings)


def test_unfiled_against_the_register(accounts):
    site, page = "http://www.sc.gov.cn/", "http://www.sc.gov.cn/xmt.html"
    entries = [MatrixEntry(site, page, "wechat", "某某厅", "gh_a"), MatrixEntry(site, page, "douyin", "新号", "dy_x")]
    [f] = unfiled_findings(entries)
    assert (f.check, f.site, f.url, f.target) == ("newmedia.unfiled", site, page, "newmedia://douyin/dy_x")
