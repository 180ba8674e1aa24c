"""Pages render for every role, within scope; out-of-scope objects are 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from govinspect.accounts.models import AuditEntry
from govinspect.inspections.models import Finding, Verdict
from govinspect.rectification.models import Task
from web_world import PASSWORD, XSS

pytestmark = pytest.mark.django_db


def login(client, world, role):  # type: ignore[no-untyped-def]
    assert client.login(username=world.users[role].username, password=PASSWORD)
    return client


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("web:sites"))
    assert response.status_code == 302
    assert reverse("web:login") in response["Location"]


def test_city_admin_sees_only_its_region(client, world):
    login(client, world, "city_admin")
    body = client.get(reverse("web:sites")).content.decode()
    assert "成都市人民政府" in body and "自贡市人民政府" not in body
    assert client.get(reverse("web:site", args=[world.sites["zg"].pk])).status_code == 404
    assert client.get(reverse("web:site", args=[world.sites["cd"].pk])).status_code == 200


def test_site_filters_and_search(client, world):
    login(client, world, "province_admin")
    assert "自贡市人民政府" not in client.get(reverse("web:sites"), {"region": "510100"}).content.decode()
    assert "成都市人民政府" not in client.get(reverse("web:sites"), {"q": "5103"}).content.decode()
    failed = client.get(reverse("web:sites"), {"verdict": "failed"}).content.decode()
    passed = client.get(reverse("web:sites"), {"verdict": "passed"}).content.decode()
    assert ("成都市人民政府" in failed) != ("成都市人民政府" in passed)
    assert "成都市人民政府" in client.get(reverse("web:sites"), {"check": "text.typo"}).content.decode()


def test_dashboard_renders_with_local_chart_library(client, world):
    login(client, world, "province_admin")
    body = client.get(reverse("web:dashboard")).content.decode()
    assert "/static/web/vendor/echarts.min.js" in body
    assert "http://" not in body.split("<main>")[0]  # no external asset in the head
    assert "chart-data" in body


def test_stored_script_is_escaped_everywhere(client, world):
    login(client, world, "province_admin")
    finding = world.findings["cd:text.typo"]
    for url in (
        reverse("web:finding", args=[finding.pk]),
        reverse("web:review"),
        reverse("web:site", args=[finding.site_id]),
    ):
        body = client.get(url).content.decode()
        assert XSS not in body, url
        assert "&lt;script&gt;" in body, url


def test_dismiss_changes_the_score_and_is_audited(client, world):
    login(client, world, "inspector")
    site = world.sites["cd"]
    before = Verdict.objects.get(site=site, inspection=world.inspection).final
    ids = list(Finding.objects.filter(site=site, check_id="links.broken").values_list("pk", flat=True))
    response = client.post(
        reverse("web:review_action"), {"ids": ids, "status": "dismissed", "reason": "链接有效，误报"}
    )
    assert response.status_code == 302
    after = Verdict.objects.get(site=site, inspection=world.inspection).final
    assert after != before
    assert Finding.objects.filter(pk__in=ids, status="dismissed").count() == 3
    assert AuditEntry.objects.filter(action="finding.dismissed").count() == 3


def test_dismiss_without_reason_is_refused(client, world):
    login(client, world, "inspector")
    f = world.findings["cd:links.broken"]
    client.post(reverse("web:review_action"), {"ids": [f.pk], "status": "dismissed", "reason": " "})
    f.refresh_from_db()
    assert f.status == "new"


def test_review_outside_scope_changes_nothing(client, world):
    login(client, world, "inspector")
    f = world.findings["zg:links.broken"]
    client.post(reverse("web:review_action"), {"ids": [f.pk], "status": "confirmed", "reason": ""})
    f.refresh_from_db()
    assert f.status == "new"


def test_organizer_cannot_review(client, world):
    login(client, world, "organizer")
    f = world.findings["cd:links.broken"]
    assert client.post(reverse("web:review_action"), {"ids": [f.pk], "status": "confirmed"}).status_code == 403


def test_confirm_creates_a_task_for_the_organizer(client, world):
    login(client, world, "inspector")
    f = world.findings["cd:links.broken"]
    client.post(reverse("web:review_action"), {"ids": [f.pk], "status": "confirmed", "reason": ""})
    task = Task.objects.get(finding=f)
    assert task.organizer == world.organizers["cd"]
    client.logout()
    login(client, world, "organizer")
    assert client.get(reverse("web:task", args=[task.pk])).status_code == 200
    client.logout()
    login(client, world, "other_organizer")
    assert client.get(reverse("web:task", args=[task.pk])).status_code == 404


def test_csrf_is_enforced(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    login(client, world, "inspector")
    f = world.findings["cd:links.broken"]
    response = client.post(reverse("web:review_action"), {"ids": [f.pk], "status": "confirmed"})
    assert response.status_code == 403
    f.refresh_from_db()
    assert f.status == "new"


def test_dismissing_a_confirmed_finding_withdraws_its_task(client, world):
    login(client, world, "inspector")
    f = world.findings["cd:links.broken"]
    client.post(reverse("web:review_action"), {"ids": [f.pk], "status": "confirmed", "reason": ""})
    client.post(reverse("web:review_action"), {"ids": [f.pk], "status": "dismissed", "reason": "复查为误报"})
    task = Task.objects.get(finding=f)
    assert task.status == Task.Status.CANCELLED
    assert "复查为误报" in task.note
    assert AuditEntry.objects.filter(action="rectification.cancelled").count() == 1


def test_province_admin_starts_an_inspection(client, world):
    login(client, world, "province_admin")
    response = client.post(
        reverse("web:inspection_start"), {"period": "2026Q1", "kind": "full", "regions": ["510100"], "accounts": "1"}
    )
    from govinspect.inspections.models import Inspection

    inspection = Inspection.objects.get(period="2026Q1")
    assert response["Location"] == reverse("web:inspection", args=[inspection.pk])
    assert inspection.sites_total == 1 and inspection.accounts_total == 1
    progress = client.get(reverse("web:inspection_progress", args=[inspection.pk])).json()
    assert progress["total"] == 2 and progress["done"] == 0
    bad = client.post(reverse("web:inspection_start"), {"period": "2026-1", "kind": "full"}, follow=True)
    assert "2025Q4" in bad.content.decode()  # the period format error is shown
    assert AuditEntry.objects.filter(action="inspection.create").count() == 1


def test_accounts_are_scoped_and_logout_is_a_post(client, world):
    login(client, world, "organizer")
    body = client.get(reverse("web:accounts")).content.decode()
    assert "成都发布" in body and "自贡发布" not in body
    assert client.get(reverse("web:logout")).status_code == 405
    assert client.post(reverse("web:logout")).status_code == 302
    assert client.get(reverse("web:accounts")).status_code == 302


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/"])
def test_review_never_redirects_off_site(client, world, target):
    login(client, world, "inspector")
    f = world.findings["cd:links.broken"]
    response = client.post(reverse("web:review_action"), {"ids": [f.pk], "status": "confirmed", "next": target})
    assert response["Location"] == reverse("web:review")
