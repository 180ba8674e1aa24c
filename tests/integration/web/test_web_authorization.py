"""Every page and API route, as every role and anonymously, against the allowed/denied matrix.
Out-of-scope objects answer 404; a missing right answers 403; anonymous users are sent to the
login page (web) or get 401 (API). A route without a row here fails the completeness test."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import get_resolver, reverse
from rest_framework.authtoken.models import Token

from govinspect.inspections.models import Finding
from govinspect.rectification.models import Task
from govinspect.rectification.services import create_tasks
from govinspect.registry.models import Account
from govinspect.web.models import LexiconVersion, ThresholdOverrideVersion

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "no_role", "province_admin", "city_admin", "inspector", "organizer", "other_organizer"]
ALL = {r: 200 for r in ROLES[1:]}
PROFILED = {**ALL, "no_role": 404}
CD = {
    "province_admin": 200,
    "city_admin": 200,
    "inspector": 200,
    "organizer": 200,
    "other_organizer": 404,
    "no_role": 404,
}
ZG = {
    "province_admin": 200,
    "city_admin": 404,
    "inspector": 404,
    "organizer": 404,
    "other_organizer": 200,
    "no_role": 404,
}
PROVINCE_ONLY = {**{r: 403 for r in ROLES[1:]}, "province_admin": 200}
SUPERVISORS = {**{r: 403 for r in ROLES[1:]}, "province_admin": 200, "city_admin": 200, "inspector": 200}


def _ids(world):  # type: ignore[no-untyped-def]
    cd_finding = world.findings["cd:links.broken"]
    cd_finding.status = Finding.Review.CONFIRMED
    cd_finding.save()
    (task,) = create_tasks([cd_finding])
    version = LexiconVersion.objects.create(name="allowlist.txt", content="既使\n", note="t", author=None)
    thresholds = ThresholdOverrideVersion.objects.create(province="51", content="", note="t", author=None)
    return {
        "lexicon_version": version.pk,
        "threshold_version": thresholds.pk,
        "cd": world.sites["cd"].pk,
        "zg": world.sites["zg"].pk,
        "cd_finding": cd_finding.pk,
        "zg_finding": world.findings["zg:links.broken"].pk,
        "task": task.pk,
        "cd_account": Account.objects.get(name="成都发布").pk,
        "zg_account": Account.objects.get(name="自贡发布").pk,
        "inspection": world.inspection.pk,
        "year": world.inspection.as_of.year,
    }


# (url name, args (keys of _ids or literals), expected status per role) — GET requests.
WEB_GET = [
    ("web:dashboard", [], ALL),
    ("web:sites", [], ALL),
    ("web:accounts", [], ALL),
    ("web:review", [], ALL),
    ("web:tasks", [], ALL),
    ("web:inspections", [], ALL),
    ("web:reports", [], ALL),
    ("web:site", ["cd"], CD),
    ("web:site", ["zg"], ZG),
    ("web:account", ["cd_account"], CD),
    ("web:account", ["zg_account"], ZG),
    ("web:finding", ["cd_finding"], CD),
    ("web:finding", ["zg_finding"], ZG),
    # no WARC in this world: in scope answers 404 "未存档" too; out of scope must never be 200
    ("web:finding_archive", ["zg_finding"], {**{r: 404 for r in ROLES[1:]}}),
    ("web:finding_screenshot", ["zg_finding"], {**{r: 404 for r in ROLES[1:]}}),  # none taken; never 200
    ("web:task", ["task"], CD),
    ("web:task_report", [], SUPERVISORS),
    ("web:inspection", ["inspection"], PROFILED),
    ("web:inspection_progress", ["inspection"], PROFILED),
    ("web:notice", ["inspection", "=docx"], PROVINCE_ONLY),
    ("web:notice", ["inspection", "=xlsx"], PROVINCE_ONLY),
    ("web:annual", ["year", "=0"], PROVINCE_ONLY),
    ("web:settings", [], PROVINCE_ONLY),
    ("web:lexicon", ["=allowlist.txt"], PROVINCE_ONLY),
    ("web:lexicon_version", ["lexicon_version"], PROVINCE_ONLY),
    ("web:thresholds", [], PROVINCE_ONLY),
    ("web:threshold_history", [], PROVINCE_ONLY),
    ("web:threshold_version", ["threshold_version"], PROVINCE_ONLY),
]
# POST requests that must be refused (allowed POSTs are exercised by the behaviour tests).
WEB_POST_DENIED = [
    ("web:review_action", [], {"organizer": 403, "other_organizer": 403, "no_role": 403}),
    ("web:finding_screenshot_take", ["cd_finding"], {"organizer": 403, "other_organizer": 404, "no_role": 404}),
    ("web:task_fixed", ["task"], {"other_organizer": 404, "no_role": 404, "inspector": 403}),
    ("web:task_recheck", ["task"], {"other_organizer": 404, "no_role": 404, "city_admin": 200}),
    ("web:inspection_start", [], {r: 403 for r in ROLES[1:] if r != "province_admin"}),
    ("web:lexicon", ["=allowlist.txt"], {r: 403 for r in ROLES[1:] if r != "province_admin"}),
    ("web:thresholds", [], {r: 403 for r in ROLES[1:] if r != "province_admin"}),
]
API_GET = [
    ("api:site-list", [], ALL),
    ("api:account-list", [], ALL),
    ("api:inspection-list", [], ALL),
    ("api:finding-list", [], ALL),
    ("api:task-list", [], ALL),
    ("api:api-root", [], ALL),
    ("api:site-detail", ["cd"], CD),
    ("api:account-detail", ["cd_account"], CD),
    ("api:account-detail", ["zg_account"], ZG),
    ("api:site-detail", ["zg"], ZG),
    ("api:finding-detail", ["cd_finding"], CD),
    ("api:finding-detail", ["zg_finding"], ZG),
    ("api:task-detail", ["task"], CD),
    ("api:inspection-detail", ["inspection"], PROFILED),
    ("api:inspection-verdicts", ["inspection"], PROFILED),
    ("api:report-notice", ["inspection"], PROVINCE_ONLY),
    ("api:report-rectification", [], SUPERVISORS),
]
API_POST_DENIED = [
    ("api:finding-review", ["zg_finding"], {"city_admin": 404, "inspector": 404, "organizer": 404}),
    ("api:finding-review", ["cd_finding"], {"organizer": 403, "other_organizer": 404, "no_role": 404}),
    ("api:task-fixed", ["task"], {"other_organizer": 404, "no_role": 404, "inspector": 403}),
    ("api:task-recheck", ["task"], {"other_organizer": 404, "no_role": 404}),
]
PUBLIC = {"api:schema", "api:token", "web:login", "web:logout"}


def _url(name: str, args: list[str], ids: dict) -> str:  # type: ignore[type-arg]
    return reverse(name, args=[a[1:] if a.startswith("=") else ids[a] for a in args])


def _client(world, role: str, api: bool = False) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    if role == "anonymous":
        return client
    user = world.users[role]
    if api:
        token, _ = Token.objects.get_or_create(user=user)
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    else:
        client.force_login(user)
    return client


@pytest.fixture
def setup(world):  # type: ignore[no-untyped-def]
    return world, _ids(world)


@pytest.mark.parametrize("role", ROLES)
def test_web_matrix(setup, role):
    world, ids = setup
    client = _client(world, role)
    wrong = []
    for name, args, expected in WEB_GET:
        url = _url(name, args, ids)
        status = client.get(url).status_code
        want = 302 if role == "anonymous" else expected[role]
        if status != want:
            wrong.append((url, status, want))
    for name, args, expected in WEB_POST_DENIED:
        url = _url(name, args, ids)
        want = 302 if role == "anonymous" else expected.get(role)
        if want is None:
            continue
        status = client.post(url, {"note": "x", "status": "confirmed", "ids": [ids["cd_finding"]]}).status_code
        if want == 200:  # allowed: a redirect back to the page
            want = 302
        if status != want:
            wrong.append(("POST " + url, status, want))
    assert not wrong


@pytest.mark.parametrize("role", ROLES)
def test_api_matrix(setup, role):
    world, ids = setup
    client = _client(world, role, api=True)
    wrong = []
    for name, args, expected in API_GET:
        url = _url(name, args, ids)
        status = client.get(url).status_code
        want = 401 if role == "anonymous" else expected[role]
        if status != want:
            wrong.append((url, status, want))
    for name, args, expected in API_POST_DENIED:
        url = _url(name, args, ids)
        want = 401 if role == "anonymous" else expected.get(role)
        if want is None:
            continue
        status = client.post(url, {"status": "confirmed", "reason": "", "note": "x"}, content_type="application/json")
        if status.status_code != want:
            wrong.append(("POST " + url, status.status_code, want))
    assert not wrong
    # the out-of-scope finding never leaks through a list either
    if role not in ("anonymous", "province_admin", "other_organizer"):
        listed = {f["id"] for f in client.get(reverse("api:finding-list"), {"limit": 500}).json()["results"]}
        assert ids["zg_finding"] not in listed


def _route_names(namespace: str) -> set[str]:
    resolver = get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if getattr(pattern, "namespace", None) == namespace:
            for sub in pattern.url_patterns:
                if getattr(sub, "name", None):
                    names.add(f"{namespace}:{sub.name}")
                for inner in getattr(sub, "url_patterns", []):  # the router's include
                    if getattr(inner, "name", None):
                        names.add(f"{namespace}:{inner.name}")
    return names


def test_every_route_is_in_the_matrix():
    covered = {row[0] for row in WEB_GET + WEB_POST_DENIED + API_GET + API_POST_DENIED} | PUBLIC
    missing = (_route_names("web") | _route_names("api")) - covered
    assert not missing, f"routes without an authorisation row: {sorted(missing)}"


def test_task_model_scope_is_restricted(setup):
    world, _ids_unused = setup
    from govinspect.accounts import scope

    assert not scope.restrict(Task.objects.all(), world.users["other_organizer"]).exists()
    assert scope.restrict(Task.objects.all(), world.users["organizer"]).count() == 1
