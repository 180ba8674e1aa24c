"""The public pages and the handling pages through Django's test client."""

from __future__ import annotations

import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from govinspect.accounts.models import AuditEntry
from govinspect.error_reports import services
from govinspect.error_reports.models import ErrorReport, State

PNG = b"\x89PNG\r\n\x1a\n" + bytes(100)
XSS = '<script>alert("x")</script>'


def post_report(client: Client, **overrides):
    data = {
        "site_code": "5101040001",
        "page_url": "http://jj.example.gov.cn/xxgk/1.html",
        "category": "typo",
        "description": "“锦江区”写成了“锦江去”。",
        "contact": "13812345678",
        "token": str(uuid.uuid4()),
        "homepage": "",
    }
    data.update(overrides)
    return client.post("/jiucuo/", data, REMOTE_ADDR=overrides.pop("ip", "192.0.2.1"))


def receipt(response) -> tuple[str, str]:
    html = response.content.decode()
    return re.search(r'id="ticket">([^<]+)<', html)[1], re.search(r'id="code">([^<]+)<', html)[1]


def test_entry_link_preselects_the_site_and_page(world, client) -> None:
    response = client.get("/jiucuo/?site_code=5101040001&url=http://jj.example.gov.cn/a.html")
    html = response.content.decode()
    assert response.status_code == 200 and "锦江区人民政府" in html
    assert 'value="5101040001"' in html and 'value="http://jj.example.gov.cn/a.html"' in html
    assert 'name="csrfmiddlewaretoken"' in html and 'name="homepage"' in html


def test_report_lookup_and_answer_round_trip(world) -> None:
    public = Client(enforce_csrf_checks=False)
    response = post_report(public)
    assert response.status_code == 200
    ticket, code = receipt(response)
    report = ErrorReport.objects.get(ticket=ticket)
    assert report.state == State.RECEIVED and report.site == world.site_jj and report.contact == "13812345678"

    staff = Client()
    staff.force_login(world.chengdu_admin)
    listing = staff.get("/jiucuo/manage/").content.decode()
    assert ticket in listing and "138****5678" in listing and "13812345678" not in listing
    assert staff.post(f"/jiucuo/manage/{ticket}/forward/").status_code == 302

    organizer = Client()
    organizer.force_login(world.organizer_jj)
    assert organizer.post(f"/jiucuo/manage/{ticket}/forward/").status_code == 403  # organizers do not forward
    assert organizer.post(f"/jiucuo/manage/{ticket}/answer/", {"answer": "已改正，感谢指出。"}).status_code == 302
    assert staff.post(f"/jiucuo/manage/{ticket}/close/", {"reason": ""}).status_code == 302

    report.refresh_from_db()
    assert report.state == State.CLOSED and report.answered_at and report.completed_at == report.answered_at
    actions = list(
        AuditEntry.objects.filter(object_id=str(report.pk)).order_by("at", "id").values_list("action", "username")
    )
    assert actions == [  # receipt is on the row itself (received_at); each change after it is audited
        ("error_report.forwarded", "cd"),
        ("error_report.answered", "org-jj"),
        ("error_report.closed", "cd"),
    ]

    found = public.post("/jiucuo/lookup/", {"ticket": ticket.lower(), "code": code})
    assert found.status_code == 200 and "已改正，感谢指出。" in found.content.decode()
    assert "13812345678" not in found.content.decode()
    wrong = public.post("/jiucuo/lookup/", {"ticket": ticket, "code": "WRONG123"})
    assert wrong.status_code == 404 and "已改正" not in wrong.content.decode()


def test_stored_script_is_escaped_everywhere(world) -> None:
    public = Client()
    ticket, code = receipt(post_report(public, description=XSS, contact=XSS[:100]))
    services.answer(ErrorReport.objects.get(ticket=ticket), None, XSS)
    staff = Client()
    staff.force_login(world.province_admin)
    pages = [
        public.post("/jiucuo/lookup/", {"ticket": ticket, "code": code}),
        staff.get("/jiucuo/manage/"),
        staff.get(f"/jiucuo/manage/{ticket}/"),
    ]
    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in pages[0].content.decode()


def test_the_same_form_submitted_twice_is_one_report(world, client) -> None:
    token = str(uuid.uuid4())
    first, second = post_report(client, token=token), post_report(client, token=token)
    assert receipt(first) == receipt(second)
    assert ErrorReport.objects.count() == 1


def test_honeypot_unknown_site_and_bad_url_store_nothing(world, client) -> None:
    assert post_report(client, homepage="http://spam.example/").status_code == 400
    response = post_report(client, site_code="9999999999")
    assert response.status_code == 400 and "未找到该网站标识码" in response.content.decode()
    assert post_report(client, page_url="javascript:alert(1)").status_code == 400
    assert post_report(client, category="spam").status_code == 400
    assert ErrorReport.objects.count() == 0


def test_screenshot_type_is_sniffed_and_size_capped(world, client, settings) -> None:
    ok = post_report(client, screenshot=SimpleUploadedFile("a.gif", PNG, content_type="image/gif"))
    ticket, _ = receipt(ok)
    report = ErrorReport.objects.get(ticket=ticket)
    assert report.screenshot_type == "image/png" and report.screenshot.name.endswith(".png")
    disguised = SimpleUploadedFile("x.png", b"<svg onload=alert(1)>", content_type="image/png")
    assert post_report(client, screenshot=disguised).status_code == 400
    settings.ERROR_REPORT_MAX_SCREENSHOT_BYTES = 1000
    big = SimpleUploadedFile("big.png", PNG + bytes(2000), content_type="image/png")
    assert post_report(client, screenshot=big).status_code == 400
    huge = SimpleUploadedFile("huge.png", PNG + bytes(200_000), content_type="image/png")
    assert post_report(client, screenshot=huge).status_code == 413
    assert ErrorReport.objects.count() == 1

    staff = Client()
    staff.force_login(world.organizer_jj)
    image = staff.get(f"/jiucuo/manage/{ticket}/screenshot/")
    assert image["Content-Type"] == "image/png" and image["X-Content-Type-Options"] == "nosniff"
    outsider = Client()
    outsider.force_login(world.organizer_zg)
    assert outsider.get(f"/jiucuo/manage/{ticket}/screenshot/").status_code == 404


def test_rate_limit_per_client(world, client, settings) -> None:
    settings.ERROR_REPORT_SUBMIT_RATE = "3/600"
    codes = [post_report(client, ip="192.0.2.7").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert post_report(client, ip="192.0.2.8").status_code == 200  # another client is not affected
    assert ErrorReport.objects.count() == 4


def test_csrf_is_enforced(world) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert post_report(strict).status_code == 403
    page = strict.get("/jiucuo/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    assert post_report(strict, csrfmiddlewaretoken=token).status_code == 200


def test_scope_outsiders_get_404_and_users_without_a_role_see_nothing(world) -> None:
    receipt_jj = services.submit(services.Submission(site=world.site_jj, category="other", description="a"))
    ticket = receipt_jj.report.ticket
    for user, status in [
        (world.zigong_admin, 404),
        (world.organizer_zg, 404),
        (world.nobody, 404),
        (world.chengdu_admin, 200),
        (world.organizer_jj, 200),
        (world.province_admin, 200),
    ]:
        c = Client()
        c.force_login(user)
        assert c.get(f"/jiucuo/manage/{ticket}/").status_code == status, user
        assert (ticket in c.get("/jiucuo/manage/").content.decode()) == (status == 200)
    other = Client()
    other.force_login(world.organizer_zg)
    assert other.post(f"/jiucuo/manage/{ticket}/answer/", {"answer": "x"}).status_code == 404
    assert Client().get("/jiucuo/manage/").status_code == 302  # login required


def test_overdue_is_highlighted_and_invalid_transitions_refused(world) -> None:
    import datetime as dt
    from zoneinfo import ZoneInfo

    old = services.submit(
        services.Submission(site=world.site_jj, category="other", description="旧留言"),
        dt.datetime(2025, 10, 9, 9, tzinfo=ZoneInfo("Asia/Shanghai")),
    ).report
    staff = Client()
    staff.force_login(world.chengdu_admin)
    overdue_page = staff.get("/jiucuo/manage/?state=overdue").content.decode()
    assert old.ticket in overdue_page and "er-overdue" in overdue_page
    assert staff.post(f"/jiucuo/manage/{old.ticket}/close/", {"reason": ""}).status_code == 409  # needs a reason
    assert staff.post(f"/jiucuo/manage/{old.ticket}/close/", {"reason": "无效留言"}).status_code == 302
    assert staff.post(f"/jiucuo/manage/{old.ticket}/forward/").status_code == 409
    with pytest.raises(services.TransitionError):
        services.answer(ErrorReport.objects.get(pk=old.pk), world.chengdu_admin, "太晚了")


@pytest.mark.network
def test_rate_limit_shared_through_redis(world, client, settings) -> None:
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/14", socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    from django.core.cache import caches

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/14"}
    }
    settings.ERROR_REPORT_SUBMIT_RATE = "2/600"
    ip = f"2001:db8::{uuid.uuid4().hex[:4]}"
    codes = [post_report(client, ip=ip).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert caches["default"].__class__.__name__ == "RedisCache"


def test_lookup_is_rate_limited_and_a_javascript_url_is_never_a_link(world, client, settings) -> None:
    settings.ERROR_REPORT_LOOKUP_RATE = "2/600"
    codes = [
        client.post("/jiucuo/lookup/", {"ticket": "JC1", "code": "X"}, REMOTE_ADDR="192.0.2.9").status_code
        for _ in range(3)
    ]
    assert codes == [404, 404, 429]
    report = services.submit(services.Submission(site=world.site_jj, category="other", description="x")).report
    ErrorReport.objects.filter(pk=report.pk).update(page_url="javascript:alert(1)")  # as an old import could hold
    staff = Client()
    staff.force_login(world.province_admin)
    html = staff.get(f"/jiucuo/manage/{report.ticket}/").content.decode()
    assert 'href="javascript:' not in html and "javascript:alert(1)" in html
