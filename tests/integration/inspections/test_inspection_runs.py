"""Inspection runs: claims, interruption and resume without lost or duplicated findings,
fingerprint upsert across inspections, review (核减) and re-scoring, sampling."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date

import pytest

from govinspect.findings import Finding as FindingRecord
from govinspect.inspections import services
from govinspect.inspections.models import Finding, Inspection, InspectionTarget, ManualEntry, Sighting, Verdict
from govinspect.inspections.runner import run_inspection
from govinspect.registry.models import Organizer, Region, Site

AS_OF = date(2025, 12, 15)
N_SITES = 9


@pytest.fixture
def small_register(transactional_db):
    province = Region.objects.create(code="510000", name="四川省", level="province")
    city = Region.objects.create(code="510100", name="成都市", level="city", parent=province)
    for i in range(N_SITES):
        region = province if i < 3 else city
        org = Organizer.objects.create(name=f"单位{i}", region=region)
        Site.objects.create(
            site_code=f"{region.code}{i:04d}",
            name=f"网站{i}",
            home_url=f"http://127.0.0.1:{9100 + i}/",
            organizer=org,
            category="provincial_department" if i < 3 else "city_department",
            offers_services=True,
        )
    return Site.objects.order_by("site_code")


@dataclass
class FakeResult:
    findings: list[FindingRecord]
    pages: int = 10
    stats: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


async def fake_inspect(target, config, as_of, shared, on_page):  # type: ignore[no-untyped-def]
    """Deterministic findings: site i has i broken links; every third site has no channel (veto)."""
    i = int(target.site_code[-4:])
    await asyncio.sleep(0.005 * (i % 3))
    home = target.home_url
    out = [
        FindingRecord(
            home, "links.broken", "deduct", home + f"p{k}.html", target=home + f"x{k}", detail={"where": "page"}
        )
        for k in range(i)
    ]
    if i % 3 == 0:
        out.append(FindingRecord(home, "interaction.no_channel", "veto", home))
    return FakeResult(out)


def sighted(inspection: Inspection) -> set[str]:
    return set(Finding.objects.filter(sightings__inspection=inspection).values_list("fingerprint", flat=True))


def test_claim_is_exclusive(small_register):
    inspection = services.create_inspection("2025Q4", as_of=AS_OF, accounts=False)
    target = InspectionTarget.objects.filter(inspection=inspection).first()
    assert services.claim(target.pk) is True
    assert services.claim(target.pk) is False


def test_interrupted_run_resumes_without_losing_or_duplicating(small_register):
    full = services.create_inspection("2025Q3", as_of=AS_OF, accounts=False)
    state = run_inspection(full, inspector=fake_inspect, concurrency=3, count_pages=False)
    assert state.sites_done == N_SITES and not state.stopped
    expected = sighted(full)
    assert len(expected) == sum(range(N_SITES)) + 3  # 0+1+…+8 links, 3 no-channel vetoes

    interrupted = services.create_inspection("2025Q4", as_of=AS_OF, accounts=False)
    state = run_inspection(interrupted, inspector=fake_inspect, concurrency=3, stop_after=4, count_pages=False)
    interrupted.refresh_from_db()
    assert state.stopped and interrupted.status == Inspection.Status.INTERRUPTED
    # workers already past their check may store their site too: never more than concurrency − 1
    assert 4 <= interrupted.sites_done <= 6
    done = InspectionTarget.objects.filter(inspection=interrupted, state="done").count()
    assert done == interrupted.sites_done and len(sighted(interrupted)) < len(expected)

    run_inspection(interrupted, inspector=fake_inspect, concurrency=3, count_pages=False)
    interrupted.refresh_from_db()
    assert interrupted.status == Inspection.Status.DONE and interrupted.sites_done == N_SITES
    assert sighted(interrupted) == expected
    assert Finding.objects.count() == len(expected)  # one record per problem across both inspections
    assert Sighting.objects.filter(inspection=interrupted).count() == len(expected)
    assert interrupted.findings_seen == len(expected)
    assert set(Finding.objects.values_list("first_seen", "last_seen").distinct()) == {(full.pk, interrupted.pk)}
    assert Verdict.objects.filter(inspection=interrupted, passed=False).count() == 3


def test_dismissed_findings_do_not_count_and_manual_entries_do(small_register):
    inspection = services.create_inspection("2025Q4", as_of=AS_OF, accounts=False, assess="full")
    run_inspection(inspection, inspector=fake_inspect, concurrency=2, count_pages=False)
    site = Site.objects.get(site_code="5101000003")
    verdict = Verdict.objects.get(inspection=inspection, site=site)
    assert not verdict.passed and verdict.vetoes[0]["item"] == "W-V5"
    veto = Finding.objects.get(site=site, check_id="interaction.no_channel")
    with pytest.raises(Exception, match="理由"):
        services.review(veto, "dismissed", " ")
    services.review(veto, "dismissed", "互动交流栏目在二级域名下，渠道有效")
    ManualEntry.objects.create(inspection=inspection, site=site, item="W-D28", value=7, note="模拟提交失败")
    services.rescore(inspection)
    verdict.refresh_from_db()
    assert verdict.passed and verdict.vetoes == []
    assert verdict.deductions == {"W-D7": 0.3, "W-D28": 7.0} and verdict.score == 92.7


def test_scope_and_seeded_sample(small_register):
    city_only = services.create_inspection("2025Q4", as_of=AS_OF, regions=["510100"], accounts=False)
    assert city_only.sites_total == N_SITES - 3
    a = services.create_inspection("2025Q4", kind="sample", sample=4, seed=7, accounts=False)
    b = services.create_inspection("2025Q4", kind="sample", sample=4, seed=7, accounts=False)
    picked = [set(InspectionTarget.objects.filter(inspection=x).values_list("site_id", flat=True)) for x in (a, b)]
    assert picked[0] == picked[1] and len(picked[0]) == 4
    assert a.assess == "full" and city_only.assess == "veto"
    listed = services.create_inspection("2025Q4", sites=["5100000001", "5101000004"])
    assert listed.sites_total == 2 and listed.accounts_total == 0
    with pytest.raises(Exception, match="2025Q4"):
        services.create_inspection("2025-4")
