"""newmedia.unfiled from the crawl: the embedded runner reads the sandbox sites' 新媒体矩阵 pages,
keeps the listings with each site target (an interrupted run loses none) and, at the end, stores
the accounts absent from the register under the listing site — once, however often it runs."""

from __future__ import annotations

from datetime import date

import pytest

from govinspect.inspections import services
from govinspect.inspections.models import Finding, Inspection, InspectionTarget
from govinspect.inspections.runner import MATRIX_STAT, register_check_from_crawl, run_inspection
from govinspect.newmedia.checks import account_uri
from govinspect.registry.models import Account, Site
from govinspect.registry.services import load_sichuan
from govinspect.registry.sichuan import sichuan_register
from govinspect.sandbox import SandboxServer, build
from govinspect.sandbox.sites import register_sites

pytestmark = [pytest.mark.slow, pytest.mark.network]
UNFILED_ID = "https://www.douyin.com/user/MS4wLjABAAAAunfiledtest01"


def _matrix(homes: list[str]) -> list[dict[str, str]]:
    register = sichuan_register()
    wechat = next(a for a in register.accounts if a.platform == "wechat")
    weibo = next(a for a in register.accounts if a.platform == "weibo")
    a, b = homes
    return [
        {
            "site": a,
            "page": a + "xmtjz/index.html",
            "platform": "wechat",
            "name": wechat.name,
            "account_id": wechat.platform_id,
        },
        {"site": a, "page": a + "xmtjz/index.html", "platform": "weibo", "name": weibo.name, "account_id": ""},
        {
            "site": a,
            "page": a + "xmtjz/index.html",
            "platform": "douyin",
            "name": "某某融媒号",
            "account_id": UNFILED_ID,
        },
        {"site": b, "page": b + "xmtjz/index.html", "platform": "kuaishou", "name": "某某普法号", "account_id": ""},
        {
            "site": b,
            "page": b + "xmtjz/index.html",
            "platform": "wechat",
            "name": wechat.name,
            "account_id": wechat.platform_id,
        },
    ]


def test_unfiled_accounts_from_the_crawl(transactional_db, tmp_path):
    specs = register_sites()[1:4]
    register_homes = {s.site_code: s.home_url for s in sichuan_register().sites}
    listing = [s.site_code for s in specs[:2]]
    manifest = build(
        tmp_path / "sb",
        seed=5,
        sites=specs,
        pages_per_site=15,
        rates={"unreachable": 0, "hang": 0, "trap_calendar": 0, "trap_session": 0},
        matrix=_matrix([register_homes[c] for c in listing]),
    )
    load_sichuan()
    assert not Account.objects.filter(platform_id=UNFILED_ID).exists()
    with SandboxServer(tmp_path / "sb", base_port=0) as server:
        codes = [s["site_code"] for s in manifest["sites"]]
        for code in codes:
            Site.objects.filter(site_code=code).update(home_url=server.url_for(code))
        inspection = services.create_inspection(
            "2025Q4", as_of=date.fromisoformat(manifest["as_of"]), sites=codes, accounts=False
        )
        first = run_inspection(inspection, concurrency=1, stop_after=1)  # interrupted after one site
        assert first.stopped and first.register_check is None
        assert not Finding.objects.filter(check_id="newmedia.unfiled").exists()
        done = InspectionTarget.objects.filter(inspection=inspection, state="done").select_related("site")
        assert done.count() == 1
        for t in done:  # the listings are stored with the site as soon as it is stored
            assert bool((t.stats or {}).get(MATRIX_STAT)) is (t.site.site_code in listing)
        state = run_inspection(inspection, concurrency=2)  # resumed to the end
        pages = {c: server.url_for(c) + "xmtjz/index.html" for c in listing}
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.DONE
    assert state.register_check is not None and state.register_check.unfiled == 2
    rows = Finding.objects.filter(check_id="newmedia.unfiled", sightings__inspection=inspection).select_related("site")
    got = sorted((r.site.site_code, r.account_id, r.url, r.target, r.severity, r.indicator) for r in rows)
    assert got == sorted(
        [
            (listing[0], None, pages[listing[0]], account_uri("douyin", UNFILED_ID), "deduct", "NM-D1"),
            (listing[1], None, pages[listing[1]], "newmedia://kuaishou/name/某某普法号", "deduct", "NM-D1"),
        ]
    )
    again = register_check_from_crawl(inspection)  # idempotent: nothing new
    assert again.unfiled == 2 and again.new_sightings == 0
    assert Finding.objects.filter(check_id="newmedia.unfiled").count() == 2
