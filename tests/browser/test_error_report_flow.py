"""In a real browser: a citizen files a report, the organizer answers, the citizen reads the answer.

Drives Debian's Chromium through the Playwright Python package (never ``playwright install``);
skipped cleanly when either is absent.
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.network, pytest.mark.slow]

@pytest.fixture
def province(transactional_db, settings, tmp_path):
    from django.contrib.auth.models import User

    from govinspect.accounts.models import Profile, Role
    from govinspect.registry.models import Organizer, Region, Site

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    top = Region.objects.create(code="510000", name="四川省", level="province")
    city = Region.objects.create(code="510100", name="成都市", level="city", parent=top)
    organizer = Organizer.objects.create(name="成都市人民政府办公厅", region=city)
    Site.objects.create(
        site_code="5101000001",
        name="成都市人民政府",
        home_url="http://cd.example.gov.cn/",
        organizer=organizer,
        category="city_portal",
    )
    user = User.objects.create_user("cd-office", password="answer-pass-1")
    Profile.objects.create(user=user, role=Role.ORGANIZER, organizer=organizer)


def test_report_answer_and_lookup(chromium, province, live_server) -> None:
    base = live_server.url
    citizen = chromium.new_page()
    citizen.goto(f"{base}/jiucuo/?site_code=5101000001&url=http://cd.example.gov.cn/zwgk/1.html")
    assert "成都市人民政府" in citizen.content()
    citizen.select_option("#id_category", label="错别字")
    citizen.fill("#id_description", "第二段“成都市”误写为“成都是”。<b>请核实</b>")
    citizen.fill("#id_contact", "citizen@example.com")
    citizen.click("button[type=submit]")
    ticket = citizen.inner_text("#ticket").strip()
    code = citizen.inner_text("#code").strip()
    assert ticket.startswith("JC") and len(code) == 8

    office = chromium.new_context().new_page()
    office.goto(f"{base}/jiucuo/manage/")
    office.fill("#id_username", "cd-office")
    office.fill("#id_password", "answer-pass-1")
    office.click("button[type=submit]")
    assert ticket in office.content() and "c***@example.com" in office.content()
    office.click(f"text={ticket}")
    assert "<b>请核实</b>" in office.inner_text("#description")  # shown as text, not markup
    office.fill("#id_answer", "已更正，感谢您的监督。")
    office.click("#submit-answer")
    assert office.inner_text("#state").strip() == "已答复"

    citizen.goto(f"{base}/jiucuo/lookup/?ticket={ticket}")
    citizen.fill("#id_code", code)
    citizen.click("button[type=submit]")
    assert citizen.inner_text("#answer").strip() == "已更正，感谢您的监督。"
    assert "已答复" in citizen.inner_text("#lookup-result")
