"""The shard rules of a split site, without a broker: which sites are split, each shard's
findings kept in its own run, the site stored once when the last shard is in, a redelivered
shard taking itself back, a shard of another task never run twice."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from govinspect.findings import Finding as FindingRecord
from govinspect.inspections import services as inspections
from govinspect.inspections.models import Finding, Inspection, InspectionTarget, Sighting
from govinspect.monitoring import distributed
from govinspect.monitoring.models import JobRun
from govinspect.registry.models import Organizer, Region, Site

pytestmark = [pytest.mark.django_db]

HOME = "http://127.0.0.1:9/"
SHARDS = 3


@dataclass
class FakeResult:
    findings: list[FindingRecord]
    pages: int = 7
    stats: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@pytest.fixture
def site():
    region = Region.objects.create(code="510000", name="四川省", level="province")
    org = Organizer.objects.create(name="单位", region=region)
    return Site.objects.create(
        site_code="5100000001", name="网站", home_url=HOME, organizer=org, category="provincial_department"
    )


@pytest.fixture
def split(site, monkeypatch, settings):
    settings.SHARED_REDIS_URL = ""
    settings.BROKER_URL = "amqp://guest:guest@127.0.0.1:9//"  # no Redis: nothing to clean up
    calls: list[int] = []

    async def fake(site, config, as_of, run, counter):
        shard = run.params["shard"]
        calls.append(shard)
        found = [FindingRecord(HOME, "crawl.error", "notice", HOME, target=HOME + "gone.html")]
        found.append(FindingRecord(HOME, "text.typo", "deduct", HOME + f"p{shard}.html", detail={"word": "观注"}))
        return FakeResult(found, stats={"check_errors": 1}), {"made": 1, "shared": 2}

    monkeypatch.setattr(distributed, "_inspect_shard", fake)
    ins = inspections.create_inspection("2025Q4", as_of=date(2025, 12, 31), sites=[site.site_code], accounts=False)
    target = InspectionTarget.objects.get(inspection=ins)
    params = {"inspection": ins.pk, "target": target.pk, "shards": SHARDS}
    parent = JobRun.objects.create(job="site", params=params, state="running")
    shards = [
        JobRun.objects.create(job="site-shard", params={**params, "parent": parent.pk, "shard": i})
        for i in range(SHARDS)
    ]
    return ins, target, parent, shards, calls


def test_site_stored_once_when_the_last_shard_is_in(split):
    ins, target, parent, shards, calls = split
    assert distributed.inspect_shard(shards[2].pk, "t2") == "shard stored"
    assert distributed.inspect_shard(shards[0].pk, "t0") == "shard stored"
    assert Sighting.objects.filter(inspection=ins).count() == 0  # nothing stored before the set is complete
    assert distributed.inspect_shard(shards[1].pk, "t1") == "stored"
    assert distributed.inspect_shard(shards[1].pk, "t1") == "already done"
    ins.refresh_from_db()
    target.refresh_from_db()
    assert ins.status == Inspection.Status.DONE and target.state == "done" and target.pages == 7
    checks = sorted(Finding.objects.filter(sightings__inspection=ins).values_list("check_id", flat=True))
    assert checks == ["crawl.error", "text.typo", "text.typo", "text.typo"]  # the crawl's notice once
    assert Sighting.objects.filter(inspection=ins).count() == 4 and ins.findings_seen == 4
    assert sorted(calls) == [0, 1, 2] and target.stats["check_errors"] == 3
    assert JobRun.objects.get(pk=parent.pk).state == "done"
    assert all(
        r.result == {"findings": 2 if i == 0 else 1, "exchanges": {"made": 1, "shared": 2}}
        for i, r in enumerate(sorted(JobRun.objects.filter(job="site-shard"), key=lambda r: r.params["shard"]))
    )


def test_redelivered_shard_takes_itself_back_and_no_other_task_runs_it(split):
    _ins, target, _parent, shards, calls = split
    assert inspections.claim(target.pk)  # task t0 claimed the site, then its worker died mid-shard
    JobRun.objects.filter(pk=shards[0].pk).update(state="running", task_id="t0")
    assert distributed.inspect_shard(shards[0].pk, "other") == "taken"
    assert calls == []
    assert distributed.inspect_shard(shards[0].pk, "t0") == "shard stored"
    assert JobRun.objects.get(pk=shards[0].pk).attempts == 1 and calls == [0]


def test_shards_of_a_stored_site_do_nothing(split):
    _ins, target, _parent, shards, calls = split
    InspectionTarget.objects.filter(pk=target.pk).update(state="done")
    assert distributed.inspect_shard(shards[1].pk, "t1") == "taken"
    assert calls == [] and JobRun.objects.get(pk=shards[1].pk).state == "done"


def _done_before(site: Site, pages: int) -> Inspection:
    old = inspections.create_inspection("2025Q3", as_of=date(2025, 9, 30), sites=[site.site_code], accounts=False)
    InspectionTarget.objects.filter(inspection=old).update(state="done", pages=pages)
    return inspections.create_inspection("2025Q4", as_of=date(2025, 12, 31), sites=[site.site_code], accounts=False)


def test_which_sites_are_split(site, settings):
    settings.SPLIT_SITE_PAGES, settings.SPLIT_SHARDS = 100, 3
    settings.SHARED_REDIS_URL = "redis://127.0.0.1:6379/5"
    new = Inspection.objects.create(period="2025Q2", as_of=date(2025, 6, 30))
    assert distributed.shards_for(site.pk, new.pk) == 1  # never inspected: size unknown
    ins = _done_before(site, 150)
    assert distributed.shards_for(site.pk, ins.pk) == 3
    settings.SPLIT_SITE_PAGES = 151
    assert distributed.shards_for(site.pk, ins.pk) == 1  # below the threshold
    settings.SPLIT_SITE_PAGES = 0
    assert distributed.shards_for(site.pk, ins.pk) == 1  # splitting off
    settings.SPLIT_SITE_PAGES, settings.SHARED_REDIS_URL = 100, ""
    settings.BROKER_URL = "amqp://guest:guest@127.0.0.1:5672//"
    assert distributed.shards_for(site.pk, ins.pk) == 1  # no Redis to share the fetches
