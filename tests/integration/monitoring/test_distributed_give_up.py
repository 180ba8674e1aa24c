"""A site or shard task whose retries are spent gives its site up as failed, so the inspection
completes instead of waiting for ever (without a broker: the task's failure hook is called)."""

from __future__ import annotations

from datetime import date

import pytest

from govinspect.errors import TransientError
from govinspect.inspections import services as inspections
from govinspect.inspections.models import Inspection, InspectionTarget
from govinspect.monitoring import distributed, tasks
from govinspect.monitoring.models import JobRun
from govinspect.monitoring.tasks import inspect_shard_task, inspect_site_task
from govinspect.registry.models import Organizer, Region, Site

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def inspection(settings, monkeypatch):
    settings.SHARED_REDIS_URL = ""
    # a worker closes stale connections first; here that would close the test's own transaction
    monkeypatch.setattr(tasks, "close_old_connections", lambda: None)
    region = Region.objects.create(code="510000", name="四川省", level="province")
    org = Organizer.objects.create(name="单位", region=region)
    Site.objects.create(site_code="5100000001", name="网站", home_url="http://127.0.0.1:9/", organizer=org,
                        category="provincial_department")
    ins = inspections.create_inspection("2025Q4", as_of=date(2025, 12, 31), sites=["5100000001"], accounts=False)
    target = InspectionTarget.objects.get(inspection=ins)
    return ins, target, {"inspection": ins.pk, "target": target.pk}


@pytest.mark.parametrize("taken", [False, True])  # failed before or after the task took its site
def test_a_site_task_out_of_retries_fails_its_site_and_the_inspection_completes(inspection, taken):
    ins, target, params = inspection
    run = JobRun.objects.create(job="site", params=params, state="running" if taken else "queued")
    if taken:
        assert inspections.claim(target.pk)
    inspect_site_task.on_failure(TransientError("database gone"), "t1", (run.pk,), {}, None)
    target.refresh_from_db()
    run.refresh_from_db()
    ins.refresh_from_db()
    assert target.state == InspectionTarget.State.FAILED and "database gone" in target.error
    assert run.state == JobRun.State.FAILED
    assert ins.status == Inspection.Status.DONE
    assert distributed.give_up(run.pk, "again") == "nothing to do"  # a second failure changes nothing


def test_a_shard_out_of_retries_fails_the_site_once_the_others_are_in(inspection, monkeypatch):
    ins, target, params = inspection
    parent = JobRun.objects.create(job="site", params={**params, "shards": 2}, state="running")
    shards = [
        JobRun.objects.create(job="site-shard", params={**params, "shards": 2, "parent": parent.pk, "shard": i})
        for i in range(2)
    ]
    assert inspections.claim(target.pk)
    part = {"findings": [], "pages": 3, "stats": {}, "errors": [], "failed": False, "exchanges": {}}
    JobRun.objects.filter(pk=shards[0].pk).update(state="done", result=part)
    inspect_shard_task.on_failure(TransientError("host gone"), "t2", (shards[1].pk,), {}, None)
    target.refresh_from_db()
    parent.refresh_from_db()
    ins.refresh_from_db()
    assert target.state == InspectionTarget.State.FAILED and parent.state == JobRun.State.FAILED
    assert ins.status == Inspection.Status.DONE
