"""The recheck of a rectification task fetches only the finding's URLs (counted by the served
sandbox), records that scope, and the task page lists the URLs rechecked; a check that needs
the site says so on the page."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from govinspect.engine.recheck import RecheckResult
from govinspect.inspections.models import Finding
from govinspect.rectification.models import Task
from govinspect.rectification.services import create_tasks, recheck
from web_sandbox import served_sandbox
from web_world import PASSWORD, build_world

pytestmark = [pytest.mark.django_db, pytest.mark.network]


class NoCache:
    def get(self, key):  # type: ignore[no-untyped-def]
        return None

    def put(self, key, value) -> None:  # type: ignore[no-untyped-def]
        pass


@pytest.fixture
def counted(tmp_path, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DATA_DIR = tmp_path / "data"
    settings.RECTIFICATION_DEADLINE = (timezone.localdate() + timedelta(days=30)).isoformat()
    with served_sandbox(tmp_path) as sandbox:
        app = sandbox.server.app
        app.cache, app.responses = NoCache(), NoCache()
        log: list[str] = []
        handle = app.handle

        def counting(index: int, target: str):  # type: ignore[no-untyped-def]
            log.append(urlsplit(target).path)
            return handle(index, target)

        app.handle = counting
        world = build_world(sandbox.homes, sandbox.records)
        yield sandbox, world, log


def confirmed_task(fingerprint: str) -> Task:
    finding = Finding.objects.get(fingerprint=fingerprint)
    finding.status = Finding.Review.CONFIRMED
    finding.save()
    (task,) = create_tasks([finding])
    return task


def test_recheck_fetches_the_page_and_the_link_target_only(client, counted):
    sandbox, _world, log = counted
    fixed_record, unfixed_record = sandbox.fixable[:2]
    fixed, unfixed = confirmed_task(fixed_record.fingerprint), confirmed_task(unfixed_record.fingerprint)
    sandbox.fix(fixed_record)
    assert client.login(username="cd_org", password=PASSWORD)
    for task, record in ((fixed, fixed_record), (unfixed, unfixed_record)):
        log.clear()
        client.post(reverse("web:task_fixed", args=[task.pk]), {"note": "已处理"})
        client.post(reverse("web:task_recheck", args=[task.pk]))
        task.refresh_from_db()
        assert task.recheck["scope"] == "urls"
        assert task.recheck["urls"] == [record.url]
        assert task.recheck["requests"] == len(log) <= 5
        wanted = {urlsplit(record.url).path, urlsplit(record.target or "").path, "/robots.txt"}
        assert {p for p in log if not p.startswith("/govinspect-probe-")} <= wanted
        assert urlsplit(record.target or "").path in log
    assert fixed.status == Task.Status.VERIFIED_CLOSED
    assert unfixed.status == Task.Status.REOPENED

    page = client.get(reverse("web:task", args=[unfixed.pk])).content.decode()
    assert 'data-scope="urls"' in page and "只访问与该问题有关的页面" in page
    assert f'<li class="url">{unfixed_record.url}</li>' in page


def test_a_site_wide_recheck_is_labelled_on_the_task_page(client, counted):
    sandbox, _world, _log = counted
    task = confirmed_task(sandbox.fixable[0].fingerprint)

    def whole_site(finding, config):  # type: ignore[no-untyped-def]
        return RecheckResult(
            finding.check_id, "site", [], pages=37, requests=41, fetched=[], visited=[finding.site.home_url],
            reason="该检查项需要全站信息",
        )

    recheck(task, inspector=whole_site)
    task.refresh_from_db()
    assert task.recheck["scope"] == "site" and task.recheck["pages"] == 37
    assert client.login(username="cd_org", password=PASSWORD)
    page = client.get(reverse("web:task", args=[task.pk])).content.decode()
    assert 'data-scope="site"' in page and "重新检查全站" in page and "该检查项需要全站信息" in page


def test_an_inspector_returning_a_list_still_works(counted):
    sandbox, _world, _log = counted
    task = confirmed_task(sandbox.fixable[0].fingerprint)
    recheck(task, inspector=lambda finding, config: [])
    task.refresh_from_db()
    assert task.status == Task.Status.VERIFIED_CLOSED and "scope" not in task.recheck
