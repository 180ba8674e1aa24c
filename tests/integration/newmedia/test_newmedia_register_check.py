"""register_check: the findings no account target carries, stored in an inspection — unfiled
accounts under the site whose 新媒体矩阵 lists them, closed accounts still posting under themselves."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from govinspect.cli.main import main
from govinspect.findings import Finding as FindingRecord
from govinspect.inspections import services
from govinspect.inspections.aggregates import summarise
from govinspect.inspections.models import Finding, Inspection, InspectionTarget, Sighting, Verdict
from govinspect.newmedia.checks import MatrixEntry
from govinspect.newmedia.ingest import ingest_bytes
from govinspect.newmedia.services import register_check
from govinspect.registry.models import Filing, Site

pytestmark = pytest.mark.django_db
AS_OF = date(2025, 12, 15)
HOME = "http://www.scjst.gov.cn/"
PAGE = HOME + "xmtjz/index.html"


@pytest.fixture
def inspection(accounts):
    org = accounts["wechat"].organizer
    Site.objects.create(site_code="5100000001", name="四川省某某厅网站", home_url=HOME, organizer=org)
    Site.objects.create(site_code="5100000002", name="另一网站", home_url="http://other.gov.cn/", organizer=org)
    rows = [
        {
            "platform": "douyin",
            "account_id": "https://www.douyin.com/user/old",
            "post_id": f"p{i}",
            "published_at": (AS_OF - timedelta(days=2 + 3 * i)).isoformat() + " 10:00",
            "text": "工作动态",
        }
        for i in range(3)
    ]
    data = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode()
    assert not ingest_bytes(data, "closed.jsonl").errors
    Filing.objects.create(date=AS_OF - timedelta(days=60), kind="close", account=accounts["closed"])
    ins = services.create_inspection("2025Q4", as_of=AS_OF, assess="full")
    broken = FindingRecord(HOME, "links.broken", "deduct", HOME, indicator="W-D7", target=HOME + "x.html")
    for t in InspectionTarget.objects.filter(inspection=ins).select_related("site", "account"):
        listing = t.site_id is not None and t.site.home_url == HOME
        services.persist(t, [broken] if listing else [], pages=3)  # the listing site has a score to keep
    services.finish(ins)
    return ins


def entries(*extra: MatrixEntry) -> list[MatrixEntry]:
    return [
        MatrixEntry(HOME, PAGE, "wechat", "某某厅", "gh_a"),  # registered: not a finding
        MatrixEntry(HOME, PAGE, "douyin", "某某融媒号", "dy_new"),
        MatrixEntry(HOME, PAGE, "kuaishou", "某某普法"),  # no id: by name
        *extra,
    ]


def _verdicts(ins: Inspection) -> list[tuple]:
    rows = Verdict.objects.filter(inspection=ins).order_by("id")
    return list(rows.values_list("site_id", "account_id", "passed", "score", "deductions"))


def test_unfiled_accounts_belong_to_the_listing_site_and_change_no_verdict(inspection):
    before, summary_before = _verdicts(inspection), summarise(inspection)
    seen_before = Inspection.objects.get(pk=inspection.pk).findings_seen

    done = register_check(inspection, entries())

    site = Site.objects.get(home_url=HOME)
    unfiled = Finding.objects.filter(check_id="newmedia.unfiled").order_by("target")
    assert done.unfiled == 2 and done.unplaced == [] and done.outside == 0
    assert [(f.site_id, f.account_id, f.url, f.indicator, f.severity) for f in unfiled] == [
        (site.pk, None, PAGE, "NM-D1", "deduct")
    ] * 2
    assert [f.target for f in unfiled] == ["newmedia://douyin/dy_new", "newmedia://kuaishou/name/某某普法"]
    assert all(Sighting.objects.filter(inspection=inspection, finding=f).exists() for f in unfiled)
    # NM-D1 is an account item: the site's score counts W-* items only, even after a rescore
    services.rescore(inspection)
    assert _verdicts(inspection) == before
    after = summarise(inspection)
    assert [r.cells() for r in after.rows] == [r.cells() for r in summary_before.rows]
    assert Inspection.objects.get(pk=inspection.pk).findings_seen == seen_before + done.new_sightings


def test_closed_account_still_posting_is_stored_without_a_target_or_verdict(inspection, accounts):
    closed = accounts["closed"]
    assert not InspectionTarget.objects.filter(inspection=inspection, account=closed).exists()
    done = register_check(inspection)
    assert done.closed_but_active == 1 and done.unfiled == 0
    (f,) = Finding.objects.filter(check_id="newmedia.closed_but_active")
    assert (f.account_id, f.site_id, f.detail["posts"]) == (closed.pk, None, 3)
    assert f.sightings.filter(inspection=inspection).exists()
    assert not Verdict.objects.filter(inspection=inspection, account=closed).exists()
    assert summarise(inspection).total.accounts == 4  # the open accounts only


def test_idempotent_and_what_cannot_be_placed(inspection):
    stray = MatrixEntry("http://nowhere.gov.cn/", "http://nowhere.gov.cn/xmt.html", "douyin", "无名号", "dy_z")
    outside = MatrixEntry("http://other.gov.cn/", "http://other.gov.cn/xmt.html", "douyin", "他号", "dy_o")
    InspectionTarget.objects.filter(inspection=inspection, site__home_url="http://other.gov.cn/").delete()
    first = register_check(inspection, entries(stray, outside))
    assert first.unplaced == ["http://nowhere.gov.cn/"] and first.outside == 1 and first.unfiled == 2
    count, seen = Finding.objects.count(), Inspection.objects.get(pk=inspection.pk).findings_seen
    again = register_check(inspection, entries(stray, outside))
    assert again.new_sightings == 0 and again.unfiled == 2
    assert Finding.objects.count() == count
    assert Inspection.objects.get(pk=inspection.pk).findings_seen == seen


def test_aliases_place_a_listing_whose_site_moved(inspection):
    Site.objects.filter(home_url=HOME).update(home_url="http://127.0.0.1:8101/")
    assert register_check(inspection, entries()).unplaced == [HOME, HOME]
    done = register_check(inspection, entries(), aliases={HOME: "5100000001"})
    assert done.unfiled == 2 and not done.unplaced


def test_register_check_command(inspection, tmp_path, capsys):
    matrix = tmp_path / "matrix.jsonl"
    rows = [
        {"site": e.site, "page": e.page, "platform": e.platform, "name": e.name, "account_id": e.platform_id}
        for e in entries()
    ]
    matrix.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    args = ["newmedia", "register-check", "--inspection", str(inspection.pk), "--matrix", str(matrix)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "未备案账号 2 个" in out and "关停后仍在更新的账号 1 个" in out
    assert Finding.objects.filter(check_id__in=["newmedia.unfiled", "newmedia.closed_but_active"]).count() == 3
    assert main(["newmedia", "register-check", "--inspection", "999999"]) == 2
