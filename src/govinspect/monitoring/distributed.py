"""A distributed inspection: one Celery task per site target, the same plain functions as the
embedded runner (claim, engine, ``persist``), state in our tables.

- ``dispatch_inspection`` queues one task per queued site target (a ``JobRun`` records each).
- ``inspect_target`` claims the target queued → running by a conditional UPDATE and writes the
  task id in its JobRun. A message redelivered after its worker died (late acknowledgement)
  carries the same task id and takes its own running target back; any other task finds the
  target taken and returns. The findings are stored only if the target is still running, under
  a row lock, so a site is stored once however many times it was attempted.
- ``complete_if_done`` inspects the account targets and closes the inspection when no site is left.
- In this mode the host politeness and the external-link cache live in Redis
  (``engine.shared.redis_backends``), so they hold across workers and machines.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from govinspect.engine.config import EngineConfig
from govinspect.errors import TransientError
from govinspect.indicators.load import active
from govinspect.inspections import services as inspections
from govinspect.inspections.models import Inspection, InspectionTarget
from govinspect.inspections.runner import PageCounter, site_target
from govinspect.monitoring.models import JobRun
from govinspect.registry.models import Site

log = logging.getLogger(__name__)

SITE_JOB = "site"


def shared_redis_url() -> str:
    url = settings.SHARED_REDIS_URL or settings.BROKER_URL
    return url if url.startswith(("redis://", "rediss://", "unix://")) else ""


def dispatch_inspection(inspection_id: int) -> int:
    """Queue a task per queued site target (accounts follow the last site). Returns how many."""
    from govinspect.monitoring.tasks import inspect_site_task

    inspection = Inspection.objects.get(pk=inspection_id)
    inspections.requeue_interrupted(inspection)
    Inspection.objects.filter(pk=inspection_id).update(
        status=Inspection.Status.RUNNING, started_at=inspection.started_at or timezone.now()
    )
    targets = InspectionTarget.objects.filter(
        inspection=inspection, site__isnull=False, state=InspectionTarget.State.QUEUED
    ).values_list("pk", flat=True)
    n = 0
    for target_id in targets:
        run = JobRun.objects.create(job=SITE_JOB, params={"inspection": inspection_id, "target": target_id})
        inspect_site_task.delay(run.pk)
        n += 1
    if n == 0:
        complete_if_done(inspection_id)
    return n


def _take(run: JobRun, task_id: str) -> InspectionTarget | None:
    """Claim the run's target for this task (or take it back after this task's worker died)."""
    target_id = run.params["target"]
    with transaction.atomic():
        if inspections.claim(target_id):
            JobRun.objects.filter(pk=run.pk).update(
                state=JobRun.State.RUNNING, task_id=task_id, started_at=timezone.now(), attempts=run.attempts + 1
            )
            return InspectionTarget.objects.get(pk=target_id)
    mine = JobRun.objects.filter(pk=run.pk, state=JobRun.State.RUNNING, task_id=task_id).exists()
    target = InspectionTarget.objects.filter(pk=target_id, state=InspectionTarget.State.RUNNING).first()
    if mine and target is not None:
        log.warning("site target %s taken back by task %s after its worker was lost", target_id, task_id)
        JobRun.objects.filter(pk=run.pk).update(attempts=run.attempts + 1)
        return target
    return None


async def _inspect(site: Site, config: EngineConfig, as_of, counter: PageCounter) -> Any:
    from govinspect.engine.checks.links.broken import SHARED_CACHE
    from govinspect.engine.fetch.transport import Fetcher
    from govinspect.engine.run import FETCHER_KEY, inspect_site

    shared: dict[str, Any] = {}
    url = shared_redis_url()
    politeness = None
    if url:
        from govinspect.engine.shared.redis_backends import RedisLinkCache, RedisPoliteness

        lim = config.limits
        politeness = RedisPoliteness(url, lim.per_host_connections, lim.per_host_delay, lim.global_connections)
        shared[SHARED_CACHE] = RedisLinkCache(url, 50_000)
    try:
        async with Fetcher(config, politeness=politeness) as fetcher:
            shared[FETCHER_KEY] = fetcher
            return await inspect_site(site_target(site), config, as_of, shared=shared, on_page=counter)
    finally:
        if politeness is not None:
            await politeness.aclose()


def inspect_target(run_id: int, task_id: str, config: EngineConfig | None = None) -> str:
    """Inspect one site target of a distributed inspection. Returns what happened."""
    run = JobRun.objects.filter(pk=run_id).first()
    if run is None:
        log.warning("job run %s has vanished", run_id)
        return "gone"
    if run.state in (JobRun.State.DONE, JobRun.State.FAILED):
        return "already done"
    target = _take(run, task_id)
    if target is None:
        stored = InspectionTarget.objects.filter(
            pk=run.params["target"], state__in=[InspectionTarget.State.DONE, InspectionTarget.State.FAILED]
        ).exists()
        if stored:  # stored before its worker died (or by another task): the run is over
            JobRun.objects.filter(pk=run.pk, state=JobRun.State.RUNNING, task_id=task_id).update(
                state=JobRun.State.DONE, finished_at=timezone.now()
            )
            complete_if_done(run.params["inspection"])
        return "taken"
    inspection = Inspection.objects.get(pk=target.inspection_id)
    site = Site.objects.select_related("organizer", "region").get(pk=target.site_id)
    counter = PageCounter(site.home_url)
    failed = False
    try:
        with active(inspections.catalogue_for(inspection)):  # the thresholds of this inspection
            result = asyncio.run(_inspect(site, config or EngineConfig(), inspection.as_of, counter))
        findings, pages = list(result.findings), int(result.pages)
        stats, errors = dict(result.stats or {}), list(result.errors)
    except TransientError:
        raise  # the task is retried and takes its own target back
    except Exception as exc:  # one site never ends the inspection
        log.exception("inspection of %s failed", site.home_url)
        findings, pages, stats, errors, failed = [], 0, {}, [f"inspection failed: {exc!r}"], True
    stats.update(counter.stats())
    stats.pop("check_errors_by_check", None)
    stored = _store(inspection, target.pk, findings, pages=pages, stats=stats, errors=errors, failed=failed)
    JobRun.objects.filter(pk=run.pk).update(
        state=JobRun.State.FAILED if failed else JobRun.State.DONE,
        finished_at=timezone.now(),
        result={"findings": len(findings), "pages": pages, "stored": stored},
    )
    complete_if_done(inspection.pk)
    return "stored" if stored else "already stored"


def _store(inspection: Inspection, target_id: int, findings: list, **kw: Any) -> bool:
    with transaction.atomic():
        target = InspectionTarget.objects.select_for_update().get(pk=target_id)
        if target.state != InspectionTarget.State.RUNNING:
            return False
        target.inspection = inspection
        inspections.persist(target, findings, **kw)
    return True


def complete_if_done(inspection_id: int) -> bool:
    """When no site target is left: inspect the accounts, then mark the inspection done."""
    inspection = Inspection.objects.get(pk=inspection_id)
    open_sites = InspectionTarget.objects.filter(
        inspection=inspection,
        site__isnull=False,
        state__in=[InspectionTarget.State.QUEUED, InspectionTarget.State.RUNNING],
    )
    if open_sites.exists():
        return False
    if InspectionTarget.objects.filter(inspection=inspection, account__isnull=False, state="queued").exists():
        from govinspect.inspections.runner import EmbeddedRunner

        runner = EmbeddedRunner(inspection)
        try:
            with active(inspections.catalogue_for(inspection)):
                runner.run_accounts()
        finally:
            runner.db.shutdown(wait=True)
    return inspections.finish(inspection).status == Inspection.Status.DONE
