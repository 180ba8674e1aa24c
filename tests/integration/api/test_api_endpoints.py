"""The REST API: token authentication, scope, review and rectification through it, the schema."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from govinspect.inspections.models import Finding, Verdict
from govinspect.rectification.models import Task
from web_world import PASSWORD

pytestmark = pytest.mark.django_db


def token_client(username: str) -> Client:
    anonymous = Client()
    response = anonymous.post(reverse("api:token"), {"username": username, "password": PASSWORD})
    assert response.status_code == 200
    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {response.json()['token']}"
    return client


def test_wrong_password_gets_no_token(world):
    response = Client().post(reverse("api:token"), {"username": "cd_admin", "password": "wrong"})
    assert response.status_code == 400


def test_city_admin_lists_only_its_sites(world):
    client = token_client("cd_admin")
    body = client.get(reverse("api:site-list")).json()
    assert [s["site_code"] for s in body["results"]] == ["5101000001"]
    assert client.get(reverse("api:site-list"), {"region": "510300"}).json()["count"] == 0


def test_review_through_the_api_rescores(world):
    client = token_client("cd_inspector")
    site = world.sites["cd"]
    before = Verdict.objects.get(site=site, inspection=world.inspection).final
    for f in Finding.objects.filter(site=site, check_id="links.broken"):
        response = client.post(
            reverse("api:finding-review", args=[f.pk]),
            {"status": "dismissed", "reason": "误报"},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "dismissed"
    assert Verdict.objects.get(site=site, inspection=world.inspection).final != before


def test_dismiss_without_reason_is_a_400(world):
    client = token_client("cd_inspector")
    f = world.findings["cd:links.broken"]
    response = client.post(
        reverse("api:finding-review", args=[f.pk]),
        {"status": "dismissed", "reason": ""},
        content_type="application/json",
    )
    assert response.status_code == 400
    f.refresh_from_db()
    assert f.status == "new"


def test_organizer_reports_a_fix_through_the_api(world):
    inspector = token_client("cd_inspector")
    f = world.findings["cd:links.broken"]
    inspector.post(reverse("api:finding-review", args=[f.pk]), {"status": "confirmed"}, content_type="application/json")
    task = Task.objects.get(finding=f)
    organizer = token_client("cd_org")
    listed = organizer.get(reverse("api:task-list")).json()
    assert [t["id"] for t in listed["results"]] == [task.pk]
    response = organizer.post(
        reverse("api:task-fixed", args=[task.pk]), {"note": "已修复"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "fixed_claimed"
    again = organizer.post(reverse("api:task-fixed", args=[task.pk]), {"note": "再次"}, content_type="application/json")
    assert again.status_code == 400


def test_session_api_post_needs_csrf(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["inspector"])
    f = world.findings["cd:links.broken"]
    response = client.post(
        reverse("api:finding-review", args=[f.pk]), {"status": "confirmed"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_schema_covers_every_resource(world):
    schema = Client().get(reverse("api:schema"), {"format": "json"}).json()
    paths = set(schema["paths"])
    for prefix in ("sites", "accounts", "inspections", "findings", "rectification", "reports"):
        assert any(p.startswith(f"/api/{prefix}/") for p in paths), prefix
    assert "tokenAuth" in schema["components"]["securitySchemes"]
