"""Inspections as plain functions (the embedded runner, a Celery task and the CLI call these).

- ``create_inspection`` fixes the scope (and the sample) as InspectionTarget rows.
- ``claim`` moves one target queued → running by a conditional UPDATE (0 rows: someone else has it).
- ``persist`` stores one target's findings in one transaction: upsert by fingerprint (first/last
  seen), a sighting per finding, the target done, the counters, the verdict. A target
  interrupted before ``persist`` has stored nothing and is simply inspected again on resume.
- ``score_target`` / ``rescore`` compute verdicts from the sighted, not dismissed findings.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from govinspect.errors import ConfigError
from govinspect.findings import Finding as FindingRecord
from govinspect.indicators.load import Catalogue, province_catalogue
from govinspect.indicators.scoring import Subject, score
from govinspect.inspections.models import Finding, Inspection, InspectionTarget, ManualEntry, Sighting, Verdict
from govinspect.registry.models import Account, Region, Site, Status

BATCH = 500
PERIOD_RE = re.compile(r"^(\d{4})Q([1-4])$")
PORTALS = (Site.Category.PROVINCIAL_PORTAL, Site.Category.CITY_PORTAL, Site.Category.COUNTY_PORTAL)


def period_end(period: str) -> date:
    """2025Q4 → 2025-12-31 (the default reference time of a quarter's inspection)."""
    m = PERIOD_RE.match(period)
    if not m:
        raise ConfigError(f"检查期应写作 2025Q4 这样的形式，而不是 {period!r}")
    year, quarter = int(m[1]), int(m[2])
    month = quarter * 3
    return date(year, 12, 31) if month == 12 else date(year, month + 1, 1) - timedelta(days=1)


def period_start(period: str) -> date:
    """2025Q4 → 2025-10-01: the first day of the quarter a period names."""
    end = period_end(period)
    return date(end.year, end.month - 2, 1)


def regions_with_descendants(codes: Iterable[str]) -> set[int]:
    wanted = set(codes)
    rows = list(Region.objects.values_list("pk", "code", "parent_id"))
    unknown = wanted - {code for _, code, _ in rows}
    if unknown:
        raise ConfigError(f"未知的行政区划代码：{', '.join(sorted(unknown))}")
    ids = {pk for pk, code, _ in rows if code in wanted}
    grew = True
    while grew:
        more = {pk for pk, _, parent in rows if parent in ids and pk not in ids}
        ids |= more
        grew = bool(more)
    return ids


def create_inspection(
    period: str,
    *,
    kind: str = Inspection.Kind.FULL,
    as_of: date | None = None,
    assess: str | None = None,
    sample: int | None = None,
    seed: int | None = None,
    regions: Sequence[str] = (),
    categories: Sequence[str] = (),
    sites: Sequence[str] = (),
    accounts: bool = True,
    province: str = "51",
) -> Inspection:
    """An inspection and its targets. ``sites``: site codes (an explicit list); ``regions``
    include their descendants; ``sample``: that many sites (and accounts) drawn with ``seed``."""
    period_end(period)
    if kind == Inspection.Kind.SAMPLE and not sample:
        raise ConfigError("抽查须给出抽查数量（--sample N）")
    bad = set(categories) - set(Site.Category.values)
    if bad:
        raise ConfigError(f"未知的网站类别：{', '.join(sorted(bad))}；可选：{', '.join(Site.Category.values)}")
    site_qs = Site.objects.filter(status=Status.OPEN)
    account_qs = Account.objects.filter(status=Status.OPEN)
    if regions:
        ids = regions_with_descendants(regions)
        site_qs, account_qs = site_qs.filter(region_id__in=ids), account_qs.filter(region_id__in=ids)
    if categories:
        site_qs = site_qs.filter(category__in=categories)
    if sites:
        site_qs = site_qs.filter(site_code__in=sites)
        accounts = False
    site_ids = sorted(site_qs.values_list("pk", flat=True))
    account_ids = sorted(account_qs.values_list("pk", flat=True)) if accounts else []
    rule = ""
    if kind == Inspection.Kind.SAMPLE:
        seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
        rng = random.Random(seed)
        site_ids = sorted(rng.sample(site_ids, min(sample or 0, len(site_ids))))
        account_ids = sorted(rng.sample(account_ids, min(sample or 0, len(account_ids))))
        rule = "uniform"
    scope = {"regions": list(regions), "categories": list(categories), "sites": list(sites), "accounts": accounts}
    with transaction.atomic():
        inspection = Inspection.objects.create(
            period=period,
            kind=kind,
            assess=assess or (Inspection.Assess.VETO if kind == Inspection.Kind.FULL else Inspection.Assess.FULL),
            sample_size=sample,
            sample_rule=rule,
            seed=seed,
            scope=scope,
            as_of=as_of or period_end(period),
            province=str(province)[:2],
            sites_total=len(site_ids),
            accounts_total=len(account_ids),
        )
        InspectionTarget.objects.bulk_create(
            [InspectionTarget(inspection=inspection, site_id=pk) for pk in site_ids]
            + [InspectionTarget(inspection=inspection, account_id=pk) for pk in account_ids],
            batch_size=BATCH,
        )
    return inspection


def requeue_interrupted(inspection: Inspection) -> int:
    """Targets left running by an interrupted run go back to the queue (nothing of them was stored)."""
    return InspectionTarget.objects.filter(inspection=inspection, state=InspectionTarget.State.RUNNING).update(
        state=InspectionTarget.State.QUEUED
    )


def claim(target_id: int) -> bool:
    """queued → running; False when another worker took it first."""
    return (
        InspectionTarget.objects.filter(pk=target_id, state=InspectionTarget.State.QUEUED).update(
            state=InspectionTarget.State.RUNNING, attempts=F("attempts") + 1, started_at=timezone.now()
        )
        == 1
    )


def claim_next(inspection: Inspection, accounts: bool = False) -> InspectionTarget | None:
    """Claim the next queued site (or account) target of the inspection."""
    kind = Q(account__isnull=False) if accounts else Q(site__isnull=False)
    while True:
        pk = (
            InspectionTarget.objects.filter(kind, inspection=inspection, state=InspectionTarget.State.QUEUED)
            .order_by("id")
            .values_list("pk", flat=True)
            .first()
        )
        if pk is None:
            return None
        if claim(pk):
            return InspectionTarget.objects.select_related("site", "account").get(pk=pk)


def finding_row(f: FindingRecord, inspection: Inspection, site_id: int | None, account_id: int | None) -> Finding:
    """The database row of an engine finding seen by ``inspection`` (not saved: see upsert_findings)."""
    return Finding(
        fingerprint=f.fingerprint,
        site_id=site_id,
        account_id=account_id,
        check_id=f.check,
        severity=f.severity,
        indicator=f.indicator or "",
        url=f.url[:2000],
        target=(f.target or "")[:2000],
        evidence=f.evidence or "",
        detail=dict(f.detail),
        evidence_ref=f.evidence_ref,
        first_seen=inspection,
        last_seen=inspection,
    )


def _rows(target: InspectionTarget, inspection: Inspection, findings: Iterable[FindingRecord]) -> list[Finding]:
    by_fp = {f.fingerprint: finding_row(f, inspection, target.site_id, target.account_id) for f in findings}
    return list(by_fp.values())


def upsert_findings(inspection: Inspection, rows: list[Finding]) -> int:
    """Insert new findings, refresh known ones (last seen, evidence …; first seen and the review
    are kept), record a sighting each. Returns the number of new sightings."""
    new = 0
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        Finding.objects.bulk_create(
            batch,
            update_conflicts=True,
            unique_fields=["fingerprint"],
            update_fields=["severity", "indicator", "url", "target", "evidence", "detail", "evidence_ref", "last_seen"],
        )
        ids = list(Finding.objects.filter(fingerprint__in=[r.fingerprint for r in batch]).values_list("pk", flat=True))
        seen = set(
            Sighting.objects.filter(inspection=inspection, finding_id__in=ids).values_list("finding_id", flat=True)
        )
        fresh = [Sighting(inspection=inspection, finding_id=i) for i in ids if i not in seen]
        Sighting.objects.bulk_create(fresh, ignore_conflicts=True)
        new += len(fresh)
    return new


@dataclass
class Outcome:
    """What inspecting one target gave."""

    target: InspectionTarget
    findings: list[FindingRecord] = field(default_factory=list)
    pages: int = 0
    stats: dict[str, Any] = field(default_factory=dict)
    errors: Sequence[str] = ()
    failed: bool = False


def persist(target: InspectionTarget, findings: Iterable[FindingRecord], **kw: Any) -> None:
    """Store one inspected target atomically and score it (see ``persist_batch``)."""
    persist_batch(target.inspection, [Outcome(target, list(findings), **kw)])


def persist_batch(inspection: Inspection, outcomes: Sequence[Outcome]) -> None:
    """Store inspected targets in one transaction: findings upserted by fingerprint, a sighting
    each, the targets done (or failed), the counters, the verdicts."""
    if not outcomes:
        return
    now = timezone.now()
    rows = [row for o in outcomes for row in _rows(o.target, inspection, o.findings)]
    with transaction.atomic():
        new = upsert_findings(inspection, rows)
        # one UPDATE per distinct outcome (bulk_update's CASE WHEN is slow on thousands of rows)
        groups: dict[str, tuple[dict[str, Any], list[int]]] = {}
        for o in outcomes:
            t = o.target
            t.state = InspectionTarget.State.FAILED if o.failed else InspectionTarget.State.DONE
            t.finished_at, t.pages, t.stats = now, o.pages, o.stats or {}
            t.error = "\n".join(o.errors)[:10000]
            values = {"state": t.state, "finished_at": now, "pages": t.pages, "stats": t.stats, "error": t.error}
            key = json.dumps([t.state, t.pages, t.stats, t.error], sort_keys=True, default=str)
            groups.setdefault(key, (values, []))[1].append(t.pk)
        for values, ids in groups.values():
            for start in range(0, len(ids), BATCH):
                InspectionTarget.objects.filter(pk__in=ids[start : start + BATCH]).update(**values)
        sites = sum(1 for o in outcomes if o.target.site_id)
        Inspection.objects.filter(pk=inspection.pk).update(
            sites_done=F("sites_done") + sites,
            accounts_done=F("accounts_done") + len(outcomes) - sites,
            findings_seen=F("findings_seen") + new,
        )
        score_targets(inspection, [o.target for o in outcomes if not o.failed])


# --- verdicts -----------------------------------------------------------------------------------


def catalogue_for(inspection: Inspection) -> Catalogue:
    """National → province file → the overrides in force when the inspection was created (a later
    edit changes later inspections, not the scores of this one)."""
    return province_catalogue(inspection.province, at=inspection.created_at)


def _record(r: Finding, site_url: str) -> FindingRecord:
    return FindingRecord(
        site=site_url or "account",
        check=r.check_id,
        severity=r.severity,  # type: ignore[arg-type]
        url=r.url,
        target=r.target or None,
        detail=r.detail,
    )


def counted_findings(inspection: Inspection):
    """The findings verdicts count: sighted by this inspection, not dismissed (核减)."""
    return Finding.objects.filter(sightings__inspection=inspection).exclude(status=Finding.Review.DISMISSED)


def score_targets(inspection: Inspection, targets: Sequence[InspectionTarget]) -> list[Verdict]:
    """Compute and store the verdicts of these (done) targets of the inspection."""
    cat = catalogue_for(inspection)
    site_ids = [t.site_id for t in targets if t.site_id]
    account_ids = [t.account_id for t in targets if t.account_id]
    found: dict[tuple[str, int], list[Finding]] = {}
    manual: dict[tuple[str, int], dict[str, float]] = {}
    for ids, name in ((site_ids, "site"), (account_ids, "account")):
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            for r in counted_findings(inspection).filter(**{f"{name}_id__in": chunk}):
                found.setdefault((name, getattr(r, f"{name}_id")), []).append(r)
            entries = ManualEntry.objects.filter(inspection=inspection, **{f"{name}_id__in": chunk})
            for m in entries:
                manual.setdefault((name, getattr(m, f"{name}_id")), {})[m.item] = m.value
    sites = Site.objects.in_bulk(site_ids) if site_ids else {}
    verdicts = []
    for t in targets:
        key = ("site", t.site_id) if t.site_id else ("account", t.account_id)
        site = sites.get(t.site_id) if t.site_id else None
        if site is not None:
            subject = Subject(
                home_url=site.home_url,
                offers_services=site.offers_services,
                portal=site.category in PORTALS,
                guides=(t.stats or {}).get("guides"),
            )
        else:
            subject = Subject(account=True)
        records = [_record(r, site.home_url if site else "") for r in found.get(key, [])]  # type: ignore[arg-type]
        result = score(records, subject, inspection.as_of, cat, manual=manual.get(key, {}), assess=inspection.assess)  # type: ignore[arg-type]
        verdicts.append(
            Verdict(
                inspection=inspection,
                site_id=t.site_id,
                account_id=t.account_id,
                passed=result.passed,
                vetoes=[{"item": v.item, "name": v.name, "reason": v.reason} for v in result.vetoes],
                score=result.score,
                deductions=result.deductions,
                bonus=result.bonus,
                final=result.final,
                reasons=result.reasons,
            )
        )
    fields = ["passed", "vetoes", "score", "deductions", "bonus", "final", "reasons", "computed_at"]
    for unique, part in ((["inspection", "site"], "site"), (["inspection", "account"], "account")):
        batch = [v for v in verdicts if getattr(v, f"{part}_id")]
        if batch:
            for v in batch:
                v.computed_at = timezone.now()
            Verdict.objects.bulk_create(
                batch, update_conflicts=True, unique_fields=unique, update_fields=fields, batch_size=BATCH
            )
    return verdicts


def rescore(inspection: Inspection) -> int:
    """Recompute every verdict of the inspection (after a review or a manual entry)."""
    targets = list(InspectionTarget.objects.filter(inspection=inspection, state=InspectionTarget.State.DONE))
    for start in range(0, len(targets), BATCH):
        score_targets(inspection, targets[start : start + BATCH])
    return len(targets)


def review(finding: Finding, status: str, reason: str, user: Any = None) -> None:
    """Confirm or dismiss (核减) a finding with a reason; verdicts are recomputed with rescore()."""
    if status not in (Finding.Review.CONFIRMED, Finding.Review.DISMISSED):
        raise ConfigError(f"审核结论应为 confirmed 或 dismissed，而不是 {status!r}")
    if status == Finding.Review.DISMISSED and not reason.strip():
        raise ConfigError("核减须说明理由")
    finding.status = status
    finding.reason = reason
    finding.reviewer = user
    finding.reviewed_at = timezone.now()
    finding.save(update_fields=["status", "reason", "reviewer", "reviewed_at"])


def finish(inspection: Inspection) -> Inspection:
    """Mark the inspection done when no target is left queued or running."""
    open_targets = InspectionTarget.objects.filter(
        inspection=inspection, state__in=[InspectionTarget.State.QUEUED, InspectionTarget.State.RUNNING]
    )
    inspection.refresh_from_db()
    if not open_targets.exists():
        inspection.status = Inspection.Status.DONE
        inspection.finished_at = timezone.now()
        inspection.save(update_fields=["status", "finished_at"])
    return inspection
