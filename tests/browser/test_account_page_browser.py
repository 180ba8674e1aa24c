"""The account page in a real browser: reached from the accounts list, the weekly chart drawn by
the locally served ECharts, a post's stored <script> shown as text and never run, out of scope 404."""

from __future__ import annotations

import json
import os
from datetime import date, timedelta
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.network, pytest.mark.slow]


@pytest.fixture
def fast_passwords(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DATA_DIR = tmp_path


def test_account_page_from_the_list(chromium, live_server, transactional_db, fast_passwords):
    from govinspect.newmedia.ingest import ingest_bytes
    from govinspect.registry.models import Account
    from web_world import PASSWORD, XSS, build_world

    build_world()
    as_of = date(2025, 12, 15)
    rows = [
        {
            "platform": "wechat",
            "account_id": "cdfb",
            "post_id": f"p{i}",
            "published_at": (as_of - timedelta(days=3 * i)).isoformat() + " 10:00",
            "title": f"工作动态{i}",
            "text": XSS if i == 0 else "近日召开专题会议。",
        }
        for i in range(20)
    ]
    assert not ingest_bytes("\n".join(json.dumps(r) for r in rows).encode(), "cd.jsonl").errors
    zg = Account.objects.get(name="自贡发布")

    page = chromium.new_context(viewport={"width": 1366, "height": 900}).new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "cd_admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/accounts/")
    page.click("text=成都发布")
    page.wait_for_selector("#chart-weekly canvas")  # ECharts drew the weekly chart
    if out := os.environ.get("GOVINSPECT_SCREENSHOTS"):  # docs/screenshots, as test_web_flows does
        Path(out).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(out) / "account.png"), full_page=False)
    assert page.title() != "pwned"  # the post's <script> did not run
    assert "<script>" in page.inner_text("#account-posts")
    assert page.inner_text("#account-posts tbody tr:first-child").startswith("2025-12-15 10:00")
    response = page.goto(f"{live_server.url}/accounts/{zg.pk}/")
    assert response is not None and response.status == 404
