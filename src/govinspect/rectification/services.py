"""Rectification as plain functions (views, the API and commands call these).

- ``create_tasks``: confirmed findings without a live task become tasks for their organizer.
- ``mark_fixed``: the organizer says it is fixed, with a note.
- ``recheck``: the engine fetches the URLs the finding is about and runs the finding's check on
  them (``engine.recheck``: the page, a broken link's target, the column page …; the bounded site
  crawl only for checks that judge across the site, ``recheck["scope"]`` says which); the task is
  closed when the finding's fingerprint is no longer seen, reopened with the new evidence otherwise.
Every state change goes to the audit log.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from govinspect.accounts import audit
from govinspect.engine.config import EngineConfig
from govinspect.errors import ConfigError, GovinspectError
from govinspect.findings import Finding as FindingRecord
from govinspect.inspections.models import Finding
from govinspect.rectification.models import ACTIVE, Task

TRACKED = ["status", "note", "deadline", "recheck"]


class RecheckFailed(GovinspectError):
    """The re-inspection could not look at the site (nothing fetched): the task keeps its state."""


def default_deadline(today: date | None = None) -> date:
    """settings.RECTIFICATION_DEADLINE (a fixed date) if set, else today + RECTIFICATION_DAYS."""
    fixed = getattr(settings, "RECTIFICATION_DEADLINE", "")
    if fixed:
        try:
            return date.fromisoformat(fixed)
        except ValueError as exc:
            raise ConfigError(f"整改期限应写作 2026-01-30 这样的日期，而不是 {fixed!r}") from exc
    return (today or timezone.localdate()) + timedelta(days=settings.RECTIFICATION_DAYS)


def _owner(finding: Finding) -> tuple[int, int]:
    holder = finding.site if finding.site_id else finding.account
    return holder.organizer_id, holder.region_id


def create_tasks(findings: Iterable[Finding], user: Any = None, deadline: date | None = None) -> list[Task]:
    """A task for each confirmed finding that has no live task yet."""
    deadline = deadline or default_deadline()
    created = []
    with transaction.atomic():
        for finding in findings:
            if finding.status != Finding.Review.CONFIRMED:
                continue
            if Task.objects.filter(finding=finding, status__in=ACTIVE).exists():
                continue
            organizer_id, region_id = _owner(finding)
            task = Task.objects.create(
                finding=finding, organizer_id=organizer_id, region_id=region_id, deadline=deadline, created_by=user
            )
            audit.record(user, "rectification.create", task, None, audit.snapshot(task, TRACKED))
            created.append(task)
    return created


def mark_fixed(task: Task, user: Any, note: str) -> Task:
    if task.status not in (Task.Status.OPEN, Task.Status.REOPENED):
        raise ConfigError(f"任务状态为“{task.get_status_display()}”，不能再报告整改")
    if not note.strip():
        raise ConfigError("请说明整改情况")
    before = audit.snapshot(task, TRACKED)
    task.status = Task.Status.FIXED_CLAIMED
    task.note = note.strip()
    task.fixed_at = timezone.now()
    task.save(update_fields=["status", "note", "fixed_at"])
    audit.record(user, "rectification.fixed", task, before, audit.snapshot(task, TRACKED))
    return task


# an inspector returns the check's findings, or an engine RecheckResult (findings, scope, URLs …)
Inspector = Callable[[Finding, EngineConfig], Any]
ANSWERLESS_OK = ("availability.unreachable", "crawl.error")  # no page fetched is their finding
MAX_SHOWN_URLS = 50


def engine_recheck(finding: Finding, config: EngineConfig) -> Any:
    """Recheck the finding's URLs with the finding's check only (the engine, no database)."""
    from govinspect.indicators.load import active
    from govinspect.inspections.services import catalogue_for

    if finding.site_id is None or finding.check_id.startswith("newmedia."):
        # the site engine does not judge accounts or the register: it would "close" them unseen
        raise ConfigError("政务新媒体的问题需在下次账号检查时复核")
    # the thresholds the finding was judged by (a later override does not close it by itself)
    with active(catalogue_for(finding.last_seen)):
        result = _run_recheck(finding, config)
    if result.pages == 0 and finding.check_id not in ANSWERLESS_OK:
        raise RecheckFailed(f"复核未能访问网站 {finding.site.home_url}，任务状态不变，请稍后再试")
    return result


def _run_recheck(finding: Finding, config: EngineConfig) -> Any:
    from govinspect.engine.recheck import recheck_finding
    from govinspect.inspections.runner import site_target

    return asyncio.run(
        recheck_finding(
            site_target(finding.site),
            finding.check_id,
            finding.url,
            config,
            timezone.localdate(),
            target=finding.target or None,
            detail=dict(finding.detail or {}),
            evidence=finding.evidence,
            fingerprint=finding.fingerprint,
        )
    )


def _scope_of(outcome: Any) -> dict[str, Any]:
    """What the recheck looked at, for the task page (empty for an inspector returning a list)."""
    if isinstance(outcome, list):
        return {}
    return {
        "scope": outcome.scope,
        "scope_reason": outcome.reason,
        "urls": outcome.visited[:MAX_SHOWN_URLS],
        "requests": outcome.requests,
        "fetched": outcome.fetched[:MAX_SHOWN_URLS],
        "pages": outcome.pages,
        "elapsed": outcome.elapsed,
    }


def recheck(
    task: Task, user: Any = None, config: EngineConfig | None = None, inspector: Inspector | None = None
) -> Task:
    """Re-inspect and close the task (finding gone) or reopen it with the new evidence."""
    if task.status not in (Task.Status.FIXED_CLAIMED, Task.Status.REOPENED, Task.Status.OPEN):
        raise ConfigError("该任务已销号")
    outcome = (inspector or engine_recheck)(task.finding, config or EngineConfig())
    records: list[FindingRecord] = list(outcome if isinstance(outcome, list) else outcome.findings)
    same = [r for r in records if r.fingerprint == task.finding.fingerprint]
    before = audit.snapshot(task, TRACKED)
    task.recheck = {
        "at": timezone.now().isoformat(timespec="seconds"),
        "present": bool(same),
        "evidence": same[0].evidence if same else "",
        "url": same[0].url if same else task.finding.url,
        "seen_by_check": len(records),
        **_scope_of(outcome),
    }
    if same:
        task.status = Task.Status.REOPENED
        task.closed_at = None
    else:
        task.status = Task.Status.VERIFIED_CLOSED
        task.closed_at = timezone.now()
    task.save(update_fields=["status", "recheck", "closed_at"])
    action = "rectification.reopened" if same else "rectification.closed"
    audit.record(user, action, task, before, audit.snapshot(task, TRACKED))
    return task


def cancel_for(finding: Finding, user: Any, reason: str) -> int:
    """A finding dismissed after it was confirmed: its live task is withdrawn (audited)."""
    cancelled = 0
    for task in Task.objects.filter(finding=finding, status__in=ACTIVE):
        before = audit.snapshot(task, TRACKED)
        task.status = Task.Status.CANCELLED
        task.note = (task.note + "\n" if task.note else "") + f"问题已核减：{reason}"
        task.closed_at = timezone.now()
        task.save(update_fields=["status", "note", "closed_at"])
        audit.record(user, "rectification.cancelled", task, before, audit.snapshot(task, TRACKED))
        cancelled += 1
    return cancelled


def overdue(tasks, today: date | None = None):  # type: ignore[no-untyped-def]
    return tasks.filter(status__in=ACTIVE, deadline__lt=today or timezone.localdate())
