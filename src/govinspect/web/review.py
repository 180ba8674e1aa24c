"""Reviewing findings: confirm or dismiss (核减) with a reason, audited, verdicts rescored for
exactly the sites and accounts concerned, confirmed findings turned into rectification tasks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from govinspect.accounts import audit
from govinspect.inspections.models import Finding, InspectionTarget, Sighting
from govinspect.inspections.services import review, score_targets
from govinspect.rectification.services import cancel_for, create_tasks

REVIEW_FIELDS = ["status", "reason", "reviewer", "reviewed_at"]


def rescore_for(findings: Iterable[Finding]) -> int:
    """Recompute the verdicts of every (inspection, site/account) that sighted these findings."""
    ids = [f.pk for f in findings]
    pairs: dict[int, set[tuple[int | None, int | None]]] = defaultdict(set)
    for inspection_id, site_id, account_id in Sighting.objects.filter(finding_id__in=ids).values_list(
        "inspection_id", "finding__site_id", "finding__account_id"
    ):
        pairs[inspection_id].add((site_id, account_id))
    done = 0
    for inspection_id, owners in pairs.items():
        site_ids = [s for s, _ in owners if s]
        account_ids = [a for _, a in owners if a]
        targets = list(
            InspectionTarget.objects.filter(inspection_id=inspection_id, state=InspectionTarget.State.DONE).filter(
                site_id__in=site_ids
            )
        ) + list(
            InspectionTarget.objects.filter(
                inspection_id=inspection_id, state=InspectionTarget.State.DONE, account_id__in=account_ids
            )
        )
        if targets:
            score_targets(targets[0].inspection, targets)
            done += len(targets)
    return done


def review_findings(findings: list[Finding], status: str, reason: str, user: Any) -> int:
    """Review these (already scope-checked) findings in one transaction; returns how many changed."""
    with transaction.atomic():
        for finding in findings:
            before = audit.snapshot(finding, REVIEW_FIELDS)
            review(finding, status, reason, user)
            audit.record(user, f"finding.{status}", finding, before, audit.snapshot(finding, REVIEW_FIELDS))
        if status == Finding.Review.CONFIRMED:
            create_tasks(findings, user)
        else:
            for finding in findings:
                cancel_for(finding, user, reason)
        rescore_for(findings)
    return len(findings)
