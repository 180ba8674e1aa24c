"""Numbers a database cannot hold, in paging and filters, are a client's problem, never a 500
(found by the Schemathesis run: SQLite refuses integers above 2**63-1)."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.fixture
def auth(world):  # type: ignore[no-untyped-def]
    token, _ = Token.objects.get_or_create(user=world.users["province_admin"])
    return {"HTTP_AUTHORIZATION": f"Token {token.key}"}


@pytest.mark.parametrize(
    "url",
    [f"/api/sites/?limit={HUGE}", f"/api/sites/?offset={HUGE}", f"/api/findings/?site={HUGE}", f"/api/sites/{HUGE}/"],
)
def test_huge_numbers_are_no_server_error(client, auth, url):
    assert client.get(url, **auth).status_code in (200, 404)


def test_limit_has_a_ceiling_and_filters_still_work(client, auth, world):
    body = client.get("/api/findings/?limit=100000", **auth).json()
    assert len(body["results"]) <= 500
    site = world.sites["cd"].pk
    listed = client.get(f"/api/findings/?site={site}", **auth).json()["results"]
    assert listed and all(f["site"] == site for f in listed)
    assert client.get(f"/api/findings/?site={HUGE}", **auth).json()["results"] == []
