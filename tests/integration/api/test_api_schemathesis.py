"""Schemathesis against the OpenAPI schema (a bounded run): no request may cause a server error."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EXAMPLES = 6  # per operation; the run stays bounded (a few seconds)


def test_no_server_errors(world):
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
