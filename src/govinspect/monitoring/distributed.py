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
  (``engine.shared.redis_backends``), so they hold across workers and machines. With a RabbitMQ
  broker, set ``GOVINSPECT_SHARED_REDIS_URL``: without Redis each worker keeps its own politeness
  and link cache (a host may then get ``per_host_connections`` per worker) and no site is split.
- A large site (its last inspection saw ``SPLIT_SITE_PAGES`` pages or more) is split: a parent
  JobRun and ``SPLIT_SHARDS`` shard runs, one task each. Every shard crawls the whole site and
  runs one group of check families (``engine.shared.split``); the HTTP exchanges are made once
  and shared through Redis (``engine.shared.exchanges``). A shard stores its findings in its own
  JobRun (overwritten, never appended, if it is run again); the shard that completes the set
  merges them, under a row lock on the parent run, and stores the site once.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from govinspect.engine.config import EngineConfig
from govinspect.errors import TransientError
from govinspect.indicators.load import active
from govinspect.inspections import services as inspections
from govinspect.inspections.models import Inspection, InspectionTarget
from govinspect.inspections.runner import PageCounter, site_target
from govinspect.monitoring.models import JobRun
from govinspect.registry.models import Site

if TYPE_CHECKING:
    from govinspect.engine.shared.redis_backends import RedisPoliteness

log = logging.getLogger(__name__)

SITE_JOB = "site"
SHARD_JOB = "site-shard"


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
    ).values_list("pk", "site_id")
    n = 0
    for target_id, site_id in targets:
        shards = shards_for(site_id, inspection_id)
        params = {"inspection": inspection_id, "target": target_id}
        if shards > 1:
            n += _dispatch_split(params, shards)
            continue
        run = JobRun.objects.create(job=SITE_JOB, params=params)
        inspect_site_task.delay(run.pk)
        n += 1
    if n == 0:
        complete_if_done(inspection_id)
    return n


def shards_for(site_id: int, inspection_id: int) -> int:
    """How many shards inspect this site: SPLIT_SHARDS when its last inspection saw at least
    SPLIT_SITE_PAGES pages and Redis is there to share the exchanges, else 1."""
    threshold, shards = settings.SPLIT_SITE_PAGES, settings.SPLIT_SHARDS
    if threshold <= 0 or shards < 2 or not shared_redis_url():
        return 1
    last = (
        InspectionTarget.objects.filter(site_id=site_id, state=InspectionTarget.State.DONE)
        .exclude(inspection_id=inspection_id)
        .order_by("-finished_at", "-pk")
        .values_list("pages", flat=True)
        .first()
    )
    if last is None or last < threshold:
        return 1
    from govinspect.engine.shared.split import check_groups

    return len(check_groups(EngineConfig(), shards))


def _dispatch_split(params: dict[str, Any], shards: int) -> int:
    from govinspect.monitoring.tasks import inspect_shard_task

    parent = JobRun.objects.create(job=SITE_JOB, params={**params, "shards": shards}, state=JobRun.State.RUNNING)
    runs = [
        JobRun.objects.create(job=SHARD_JOB, params={**params, "parent": parent.pk, "shard": i, "shards": shards})
        for i in range(shards)
    ]
    for run in runs:
        inspect_shard_task.delay(run.pk)
    return len(runs)


def _take(run: JobRun, task_id: str) -> InspectionTarget | None:
    """Claim the run's target for this task (or take it back after this task's worker died)."""
    target_id = run.params["target"]
    with transaction.atomic():
        if inspections.claim(target_id):
            JobRun.objects.filter(pk=run.pk).update(
                state=JobRun.State.RUNNING, task_id=task_id, started_at=timezone.now(), attempts=F("attempts") + 1
            )
            return InspectionTarget.objects.get(pk=target_id)
    mine = JobRun.objects.filter(pk=run.pk, state=JobRun.State.RUNNING, task_id=task_id).exists()
    target = InspectionTarget.objects.filter(pk=target_id, state=InspectionTarget.State.RUNNING).first()
    if mine and target is not None:
        log.warning("site target %s taken back by task %s after its worker was lost", target_id, task_id)
        JobRun.objects.filter(pk=run.pk).update(attempts=F("attempts") + 1)
        return target
    return None


def _politeness(url: str, config: EngineConfig) -> RedisPoliteness:
    from govinspect.engine.shared.redis_backends import RedisPoliteness

    lim = config.limits
    return RedisPoliteness(url, lim.per_host_connections, lim.per_host_delay, lim.global_connections)


async def _inspect(site: Site, config: EngineConfig, as_of, counter: PageCounter) -> Any:
    from govinspect.engine.checks.links.broken import SHARED_CACHE
    from govinspect.engine.fetch.transport import Fetcher
    from govinspect.engine.run import FETCHER_KEY, inspect_site

    shared: dict[str, Any] = {}
    url = shared_redis_url()
    politeness = None
    if url:
        from govinspect.engine.shared.redis_backends import RedisLinkCache

        politeness = _politeness(url, config)
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


def give_up(run_id: int, reason: str) -> str:
    """A site or shard task that Celery will not run again (its retries are spent): the site is
    stored as failed, so the inspection still completes instead of waiting for it for ever."""
    run = JobRun.objects.filter(pk=run_id).first()
    if run is None or run.state in (JobRun.State.DONE, JobRun.State.FAILED):
        return "nothing to do"
    errors = [f"inspection failed after its retries: {reason}"]
    if "parent" in run.params:  # a shard: its part fails, and with it the merged site
        part = {"findings": [], "pages": 0, "stats": {}, "errors": errors, "failed": True}
        JobRun.objects.filter(pk=run.pk).exclude(state__in=[JobRun.State.DONE, JobRun.State.FAILED]).update(
            state=JobRun.State.DONE, finished_at=timezone.now(), result=part
        )
        reduce_split(run.params["parent"])
        return "shard given up"
    inspection = Inspection.objects.get(pk=run.params["inspection"])
    inspections.claim(run.params["target"])  # queued (never taken) → running, so it can be stored
    stored = _store(inspection, run.params["target"], [], pages=0, stats={}, errors=errors, failed=True)
    JobRun.objects.filter(pk=run.pk).update(
        state=JobRun.State.FAILED, finished_at=timezone.now(), result={"findings": 0, "pages": 0, "stored": stored}
    )
    complete_if_done(inspection.pk)
    return "given up"


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
    from govinspect.inspections.runner import register_check_from_crawl

    with active(inspections.catalogue_for(inspection)):  # as the embedded runner does, after the accounts:
        register_check_from_crawl(inspection)  # the sites' 新媒体矩阵 listings (stored with their targets)
    return inspections.finish(inspection).status == Inspection.Status.DONE


# --- large sites: shards ---------------------------------------------------------------


async def _inspect_shard(site: Site, config: EngineConfig, as_of, run: JobRun, counter: PageCounter) -> Any:
    from govinspect.engine.checks.links.broken import SHARED_CACHE
    from govinspect.engine.run import FETCHER_KEY, inspect_site
    from govinspect.engine.shared.exchanges import SharingFetcher
    from govinspect.engine.shared.redis_backends import RedisLinkCache

    url = shared_redis_url()
    if not url:
        raise TransientError(site.home_url, "a split site needs the shared Redis (GOVINSPECT_SHARED_REDIS_URL)")
    politeness = _politeness(url, config)
    fetcher = SharingFetcher(config, url, str(run.params["parent"]), politeness=politeness)
    shared: dict[str, Any] = {SHARED_CACHE: RedisLinkCache(url, 50_000), FETCHER_KEY: fetcher}
    on_page = counter if run.params["shard"] == 0 else None
    try:
        result = await inspect_site(site_target(site), config, as_of, shared=shared, on_page=on_page)
    finally:
        await fetcher.close()
        await politeness.aclose()
    if fetcher.broken:  # an exchange was lost to a Redis outage: this shard's crawl is not the site's
        raise TransientError(site.home_url, "the shared exchange store failed during the crawl")
    return result, {"made": fetcher.made, "shared": fetcher.shared_hits}


def _take_shard(run: JobRun, task_id: str) -> bool:
    now = timezone.now()
    if JobRun.objects.filter(pk=run.pk, state=JobRun.State.QUEUED).update(
        state=JobRun.State.RUNNING, task_id=task_id, started_at=now, attempts=F("attempts") + 1
    ):
        return True
    if JobRun.objects.filter(pk=run.pk, state=JobRun.State.RUNNING, task_id=task_id).update(attempts=F("attempts") + 1):
        log.warning("shard run %s taken back by task %s after its worker was lost", run.pk, task_id)
        return True
    return False


def inspect_shard(run_id: int, task_id: str, config: EngineConfig | None = None) -> str:
    """Inspect one shard of a split site; the shard completing the set stores the site."""
    from govinspect.engine.shared.split import check_groups, shard_config, shard_findings

    run = JobRun.objects.filter(pk=run_id).first()
    if run is None:
        log.warning("job run %s has vanished", run_id)
        return "gone"
    if run.state in (JobRun.State.DONE, JobRun.State.FAILED):
        reduce_split(run.params["parent"])  # its worker may have died between the two steps
        return "already done"
    params = run.params
    inspections.claim(params["target"])  # the first shard takes the site queued → running
    target = InspectionTarget.objects.filter(pk=params["target"]).first()
    if target is None or target.state != InspectionTarget.State.RUNNING:
        JobRun.objects.filter(pk=run.pk, state=JobRun.State.QUEUED).update(
            state=JobRun.State.DONE, finished_at=timezone.now()
        )
        return "taken"
    if not _take_shard(run, task_id):
        return "taken"
    config = config or EngineConfig()
    groups = check_groups(config, params["shards"])
    shard = params["shard"]
    inspection = Inspection.objects.get(pk=target.inspection_id)
    site = Site.objects.select_related("organizer", "region").get(pk=target.site_id)
    counter = PageCounter(site.home_url)
    try:
        with active(inspections.catalogue_for(inspection)):  # the thresholds of this inspection
            result, exchanges = asyncio.run(
                _inspect_shard(site, shard_config(config, groups[shard]), inspection.as_of, run, counter)
            )
        part: dict[str, Any] = {
            "findings": [f.to_dict() for f in shard_findings(result.findings, shard)],
            "pages": int(result.pages),
            "stats": dict(result.stats or {}),
            "errors": list(result.errors),
            "failed": False,
            "exchanges": exchanges,
        }
    except TransientError:
        raise  # the task is retried and takes its own shard back
    except Exception as exc:  # one site never ends the inspection
        log.exception("shard %s of %s failed", shard, site.home_url)
        part = {"findings": [], "pages": 0, "stats": {}, "errors": [f"inspection failed: {exc!r}"], "failed": True}
    part["stats"].pop("check_errors_by_check", None)
    if shard == 0:
        part["stats"].update(counter.stats())
    saved = JobRun.objects.filter(pk=run.pk, state=JobRun.State.RUNNING, task_id=task_id).update(
        state=JobRun.State.DONE, finished_at=timezone.now(), result=part
    )
    stored = reduce_split(params["parent"])
    return "stored" if stored else ("shard stored" if saved else "shard already stored")


def reduce_split(parent_id: int) -> bool:
    """When every shard of the split site is done: merge their findings and store the site (once:
    the parent run is locked, and the target is stored only while it is running)."""
    from govinspect.engine.shared.split import merge

    with transaction.atomic():
        parent = JobRun.objects.select_for_update().filter(pk=parent_id).first()
        if parent is None or parent.state in (JobRun.State.DONE, JobRun.State.FAILED):
            return False
        shards = sorted(JobRun.objects.filter(job=SHARD_JOB, params__parent=parent_id), key=lambda r: r.params["shard"])
        if len(shards) < parent.params["shards"] or any(r.state != JobRun.State.DONE for r in shards):
            return False
        merged = merge([r.result for r in shards])
        inspection = Inspection.objects.get(pk=parent.params["inspection"])
        stored = _store(
            inspection,
            parent.params["target"],
            merged["findings"],
            pages=merged["pages"],
            stats=merged["stats"],
            errors=merged["errors"],
            failed=merged["failed"],
        )
        parent.state = JobRun.State.FAILED if merged["failed"] else JobRun.State.DONE
        parent.finished_at = timezone.now()
        parent.result = {"findings": len(merged["findings"]), "pages": merged["pages"], "stored": stored}
        parent.save(update_fields=["state", "finished_at", "result"])
        for r in shards:  # the findings are stored now: keep only their count
            kept = {"findings": len(r.result.get("findings", [])), "exchanges": r.result.get("exchanges", {})}
            JobRun.objects.filter(pk=r.pk).update(result=kept)
    url = shared_redis_url()
    if url:
        from govinspect.engine.shared.exchanges import forget

        try:
            forget(url, str(parent_id))
        except Exception:  # the keys expire anyway
            log.warning("could not delete the shared exchanges of split run %s", parent_id, exc_info=True)
    complete_if_done(parent.params["inspection"])
    return stored
