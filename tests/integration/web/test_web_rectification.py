"""The closed loop on a served sandbox: confirmed findings become tasks, the organizer fixes one
defect and reports it, the re-inspection closes that task and reopens the one not fixed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from govinspect.accounts.models import AuditEntry
from govinspect.errors import ConfigError
from govinspect.inspections.models import Finding
from govinspect.rectification.models import Task
from govinspect.rectification.report import region_rows
from govinspect.rectification.services import default_deadline
from web_sandbox import served_sandbox
from web_world import PASSWORD, build_world

pytestmark = [pytest.mark.django_db, pytest.mark.network]


@pytest.fixture
def loop(tmp_path, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DATA_DIR = tmp_path / "data"
    settings.RECTIFICATION_DEADLINE = (timezone.localdate() + timedelta(days=30)).isoformat()
    with served_sandbox(tmp_path) as sandbox:
        assert len(sandbox.fixable) >= 2, "the seeded sandbox should have two same-host 404 links"
        world = build_world(sandbox.homes, sandbox.records)
        yield sandbox, world


def test_fixed_defect_closes_and_unfixed_reopens(client, loop):
    sandbox, _world = loop
    fixed_record, unfixed_record = sandbox.fixable[:2]
    fixed = Finding.objects.get(fingerprint=fixed_record.fingerprint)
    unfixed = Finding.objects.get(fingerprint=unfixed_record.fingerprint)

    assert client.login(username="cd_inspector", password=PASSWORD)
    client.post(reverse("web:review_action"), {"ids": [fixed.pk, unfixed.pk], "status": "confirmed", "reason": ""})
    tasks = {t.finding_id: t for t in Task.objects.all()}
    assert set(tasks) == {fixed.pk, unfixed.pk}
    assert all(t.deadline == timezone.localdate() + timedelta(days=30) for t in tasks.values())
    client.logout()

    assert client.login(username="cd_org", password=PASSWORD)
    sandbox.fix(fixed_record)
    for finding_id in (fixed.pk, unfixed.pk):
        task = tasks[finding_id]
        client.post(reverse("web:task_fixed", args=[task.pk]), {"note": "已补充发布页面"})
        client.post(reverse("web:task_recheck", args=[task.pk]))
        task.refresh_from_db()
        tasks[finding_id] = task
    assert tasks[fixed.pk].status == Task.Status.VERIFIED_CLOSED
    assert tasks[fixed.pk].recheck["present"] is False
    assert tasks[unfixed.pk].status == Task.Status.REOPENED
    assert tasks[unfixed.pk].recheck["present"] is True
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"rectification.create", "rectification.fixed", "rectification.closed", "rectification.reopened"} <= actions

    assert region_rows(Task.objects.all()) == [["510100", "成都市", 2, 1, 1, 1, 0, "50.0%"]]
    later = timezone.localdate() + timedelta(days=31)  # the reopened task is overdue then
    assert region_rows(Task.objects.all(), today=later) == [["510100", "成都市", 2, 1, 1, 1, 1, "50.0%"]]


def test_deadline_from_settings(settings):
    settings.RECTIFICATION_DEADLINE = "2026-01-30"
    assert default_deadline() == date(2026, 1, 30)
    settings.RECTIFICATION_DEADLINE = ""
    settings.RECTIFICATION_DAYS = 10
    assert default_deadline(date(2025, 12, 31)) == date(2026, 1, 10)
    settings.RECTIFICATION_DEADLINE = "30 January"
    with pytest.raises(ConfigError):
        default_deadline()


def test_other_organizer_cannot_touch_the_task(client, loop):
    sandbox, _world = loop
    finding = Finding.objects.get(fingerprint=sandbox.fixable[0].fingerprint)
    finding.status = Finding.Review.CONFIRMED
    finding.save()
    from govinspect.rectification.services import create_tasks

    (task,) = create_tasks([finding])
    assert client.login(username="zg_org", password=PASSWORD)
    assert client.post(reverse("web:task_fixed", args=[task.pk]), {"note": "x"}).status_code == 404
    assert client.post(reverse("web:task_recheck", args=[task.pk])).status_code == 404
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN


def test_recheck_of_an_unreachable_site_changes_nothing(client, settings, db):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_world()  # its sites live on a closed loopback port
    finding = world.findings["cd:links.broken"]
    finding.status = Finding.Review.CONFIRMED
    finding.save()
    from govinspect.rectification.services import RecheckFailed, create_tasks, recheck

    (task,) = create_tasks([finding])
    with pytest.raises(RecheckFailed):
        recheck(task)
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN and task.recheck == {}
    assert client.login(username="cd_org", password=PASSWORD)
    response = client.post(reverse("web:task_recheck", args=[task.pk]), follow=True)
    assert "复核未能访问网站" in response.content.decode()
