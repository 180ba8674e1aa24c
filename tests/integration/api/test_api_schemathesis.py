"""Schemathesis against the OpenAPI schema (a bounded run): no request may cause a server error."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EXAMPLES = 6  # per operation; the run stays bounded (a few seconds)


@pytest.fixture
def keep_test_connection():
    """Calling the WSGI application directly fires request_finished, which closes the test's
    connection (inside its transaction) on PostgreSQL; Django's test client unhooks it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_no_server_errors(world, keep_test_connection):
    from govinspect.project.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    token, _ = Token.objects.get_or_create(user=world.users["province_admin"])
    headers = {"Authorization": f"Token {token.key}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    statuses: list[int] = []

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):  # type: ignore[no-untyped-def]
            response = case.call(headers=headers)
            statuses.append(response.status_code)
            case.validate_response(response, checks=[not_a_server_error])

        run()
    assert len(statuses) >= len(operations)
    assert 200 in statuses  # the token worked: not everything was refused
