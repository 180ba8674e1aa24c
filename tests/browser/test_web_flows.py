"""The web application in a real browser (Playwright driving Debian's Chromium, headless):
scope for a city administrator, a dismissal that changes a score, the closed rectification loop
on a served sandbox, the notice download. Skipped cleanly when Chromium or Playwright is absent.

GOVINSPECT_SCREENSHOTS=DIR also saves screenshots of the main pages there (docs/screenshots)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.network, pytest.mark.slow]

@pytest.fixture
def fast_passwords(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DATA_DIR = tmp_path  # downloads (the notice) are written under it


def login(browser, base: str, username: str):  # type: ignore[no-untyped-def]
    from web_world import PASSWORD

    page = browser.new_context(viewport={"width": 1366, "height": 800}, accept_downloads=True).new_page()
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def test_city_admin_sees_only_its_region(chromium, live_server, transactional_db, fast_passwords):
    from web_world import build_world

    world = build_world()
    page = login(chromium, live_server.url, "cd_admin")
    page.goto(f"{live_server.url}/sites/")
    text = page.inner_text("main")
    assert "成都市人民政府" in text and "自贡市人民政府" not in text
    response = page.goto(f"{live_server.url}/sites/{world.sites['zg'].pk}/")
    assert response is not None and response.status == 404
    page.goto(f"{live_server.url}/findings/{world.findings['cd:text.typo'].pk}/")
    assert page.title() != "pwned"  # the stored <script> in the excerpt did not run
    assert "<script>" in page.inner_text("#excerpt")


def test_inspector_dismisses_a_false_positive_and_the_score_changes(
    chromium, live_server, transactional_db, fast_passwords
):
    from web_world import build_world

    world = build_world()
    site = world.sites["cd"]
    page = login(chromium, live_server.url, "cd_inspector")
    page.goto(f"{live_server.url}/sites/{site.pk}/")
    before = page.inner_text("#site-score")
    page.goto(f"{live_server.url}/review/?check=links.broken")
    for box in page.query_selector_all("input[name=ids]"):
        box.check()
    page.fill("#reason", "链接可以正常打开，误报")
    page.click("button[value=dismissed]")
    assert "已核减" in page.inner_text(".messages")
    page.goto(f"{live_server.url}/sites/{site.pk}/")
    after = page.inner_text("#site-score")
    assert before != after


def test_organizer_fix_closes_and_unfixed_reopens(chromium, live_server, transactional_db, fast_passwords, tmp_path):
    from govinspect.inspections.models import Finding
    from web_sandbox import served_sandbox
    from web_world import build_world

    with served_sandbox(tmp_path) as sandbox:
        build_world(sandbox.homes, sandbox.records)
        fixed_record, unfixed_record = sandbox.fixable[:2]
        ids = [Finding.objects.get(fingerprint=r.fingerprint).pk for r in (fixed_record, unfixed_record)]
        inspector = login(chromium, live_server.url, "cd_inspector")
        for pk in ids:
            inspector.goto(f"{live_server.url}/findings/{pk}/")
            inspector.click("button[value=confirmed]")
        organizer = login(chromium, live_server.url, "cd_org")
        sandbox.fix(fixed_record)
        results = {}
        for pk in ids:
            organizer.goto(f"{live_server.url}/findings/{pk}/")
            organizer.click("section.card ul a")  # the task link
            organizer.fill("#note", "已重新发布缺失页面")
            organizer.click("#mark-fixed")
            organizer.click("#recheck")
            results[pk] = organizer.inner_text("#task-status")
        assert results[ids[0]] == "复核通过已销号"
        assert results[ids[1]] == "复核未通过"


def test_province_admin_downloads_the_notice(chromium, live_server, transactional_db, fast_passwords):
    from web_world import build_world

    build_world()
    page = login(chromium, live_server.url, "prov")
    page.goto(f"{live_server.url}/reports/")
    with page.expect_download() as info:
        page.click("a.notice-docx")
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    path = download.path()
    assert path is not None and Path(path).read_bytes()[:2] == b"PK"


def test_main_pages_render_and_screenshots(chromium, live_server, transactional_db, fast_passwords):
    from govinspect.web import assets
    from web_world import build_world

    world = build_world()
    out = os.environ.get("GOVINSPECT_SCREENSHOTS")
    page = login(chromium, live_server.url, "prov")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    external: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(live_server.url) else external.append(r.url))
    pages = {
        "dashboard": "/",
        "sites": "/sites/",
        "site": f"/sites/{world.sites['cd'].pk}/",
        "review": "/review/",
        "finding": f"/findings/{world.findings['cd:text.typo'].pk}/",
        "rectification": "/rectification/",
        "inspection": f"/inspections/{world.inspection.pk}/",
        "thresholds": "/settings/thresholds/",
    }
    for name, path in pages.items():
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        assert re.search(r"政府网站与政务新媒体检查平台", page.title())
        if out:
            Path(out).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(out) / f"{name}.png"), full_page=False)
    assert not errors, errors
    assert not external, external  # every asset is served by the application
    if not assets.missing():  # ECharts vendored (npm ci --prefix frontend; manage vendor_assets)
        page.goto(f"{live_server.url}/")
        assert page.evaluate("typeof echarts") == "object"
        assert page.query_selector("#chart-city canvas") is not None
