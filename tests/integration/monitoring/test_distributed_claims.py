"""inspect_target's claim rules, without a broker: a site is stored once, a redelivered message
(same task id) takes its own target back, another task never steals a running target."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from govinspect.findings import Finding as FindingRecord
from govinspect.inspections import services as inspections
from govinspect.inspections.models import Inspection, InspectionTarget, Sighting
from govinspect.monitoring import distributed
from govinspect.monitoring.models import JobRun
from govinspect.registry.models import Organizer, Region, Site

pytestmark = [pytest.mark.django_db]


@dataclass
class FakeResult:
    findings: list[FindingRecord]
    pages: int = 5
    stats: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def setup(monkeypatch):
    region = Region.objects.create(code="510000", name="四川省", level="province")
    org = Organizer.objects.create(name="单位", region=region)
    site = Site.objects.create(
        site_code="5100000001",
        name="网站",
        home_url="http://127.0.0.1:9/",
        organizer=org,
        category="provincial_department",
    )
    calls = []

    async def fake(site, config, as_of, counter):
        calls.append(site.pk)
        return FakeResult(
            [
                FindingRecord(
                    site.home_url,
                    "links.broken",
                    "deduct",
                    site.home_url + "a.html",
                    target=site.home_url + "missing.html",
                    detail={"status": 404},
                )
            ]
        )

    monkeypatch.setattr(distributed, "_inspect", fake)
    ins = inspections.create_inspection("2025Q4", as_of=date(2025, 12, 31), sites=[site.site_code], accounts=False)
    target = InspectionTarget.objects.get(inspection=ins)
    run = JobRun.objects.create(job="site", params={"inspection": ins.pk, "target": target.pk})
    return ins, target, run, calls


def test_stored_once_and_inspection_done(setup):
    ins, target, run, calls = setup
    assert distributed.inspect_target(run.pk, "task-1") == "stored"
    assert distributed.inspect_target(run.pk, "task-1") == "already done"
    ins.refresh_from_db()
    assert ins.status == Inspection.Status.DONE and ins.sites_done == 1 and ins.findings_seen == 1
    assert Sighting.objects.filter(inspection=ins).count() == 1 and calls == [target.site_id]


def test_redelivery_takes_its_own_target_back_but_no_one_else_does(setup):
    _ins, target, run, calls = setup
    assert inspections.claim(target.pk)  # task-1 claimed it, then its worker died
    JobRun.objects.filter(pk=run.pk).update(state="running", task_id="task-1")
    assert distributed.inspect_target(run.pk, "task-2") == "taken"
    assert calls == []
    assert distributed.inspect_target(run.pk, "task-1") == "stored"
    assert JobRun.objects.get(pk=run.pk).state == "done"


def test_vanished_run_is_logged_and_skipped(setup):
    assert distributed.inspect_target(987654, "task-x") == "gone"
