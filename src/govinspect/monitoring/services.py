"""Monitoring as plain functions: the embedded scheduler and the Celery tasks call these.

- ``ensure_schedules`` creates the default ``Schedule`` rows once (``jobs.DEFAULTS``).
- ``due_runs`` turns due schedules into ``JobRun`` rows; a schedule is taken by a conditional
  UPDATE on its ``next_run_at``, so two schedulers never start the same run twice.
- ``run_job`` claims a run (queued → running), calls the job's function and records the outcome.
- Probes are stored in ``Probe``; ``availability_of`` gives the W-V2 figures from them.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from govinspect.engine.probe import Availability, ProbeRecord, availability, probe_rounds
from govinspect.indicators.load import active, province_catalogue
from govinspect.monitoring.jobs import DEFAULTS
from govinspect.monitoring.models import Job, JobRun, Probe, Schedule
from govinspect.registry.models import Site, Status

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any], datetime], dict[str, Any]]


# --- schedules and runs ----------------------------------------------------------------------


def ensure_schedules(now: datetime | None = None) -> int:
    """Create the default schedules that do not exist yet (existing rows are the operator's)."""
    now = now or timezone.now()
    created = 0
    for d in DEFAULTS:
        _, new = Schedule.objects.get_or_create(
            name=d.name,
            defaults={
                "job": d.job,
                "every_seconds": d.every_seconds,
                "jitter_seconds": d.jitter_seconds,
                "params": d.params,
                "next_run_at": now + timedelta(seconds=_first_delay(d.every_seconds)),
            },
        )
        created += new
    return created


def _first_delay(every_seconds: int) -> float:
    """Frequent jobs (probes, alerts) start within minutes of the first start; the heavy ones
    (daily, weekly) wait one period, so installing does not launch a full inspection at once."""
    return random.uniform(0, min(every_seconds, 600)) if every_seconds <= 3_600 else float(every_seconds)


def next_time(schedule: Schedule, after: datetime, rng: random.Random | None = None) -> datetime:
    rng = rng or random.Random()
    jitter = rng.uniform(-schedule.jitter_seconds, schedule.jitter_seconds) if schedule.jitter_seconds else 0.0
    return after + timedelta(seconds=max(1.0, schedule.every_seconds + jitter))


def due_runs(now: datetime | None = None, rng: random.Random | None = None) -> list[JobRun]:
    """Queue a run for each enabled schedule whose time has come."""
    now = now or timezone.now()
    runs: list[JobRun] = []
    due = Schedule.objects.filter(enabled=True).filter(Q(next_run_at__lte=now) | Q(next_run_at__isnull=True))
    for schedule in due:
        nxt = next_time(schedule, now, rng)
        taken = Schedule.objects.filter(pk=schedule.pk, next_run_at=schedule.next_run_at).update(
            next_run_at=nxt, last_run_at=now
        )
        if taken != 1:
            continue  # another scheduler took it
        runs.append(JobRun.objects.create(schedule=schedule, job=schedule.job, params=schedule.params))
    return runs


def claim_run(run_id: int, task_id: str = "") -> JobRun | None:
    """queued → running. A run left running by this same task id (a redelivered message whose
    first worker died) is taken again; any other running run belongs to someone else."""
    now = timezone.now()
    changed = JobRun.objects.filter(pk=run_id, state=JobRun.State.QUEUED).update(
        state=JobRun.State.RUNNING, attempts=F("attempts") + 1, started_at=now, task_id=task_id
    )
    if not changed and task_id:
        changed = JobRun.objects.filter(pk=run_id, state=JobRun.State.RUNNING, task_id=task_id).update(
            attempts=F("attempts") + 1, started_at=now
        )
    return JobRun.objects.filter(pk=run_id).first() if changed else None


def finish_run(run: JobRun, result: dict[str, Any] | None = None, error: str = "") -> None:
    run.state = JobRun.State.FAILED if error else JobRun.State.DONE
    run.result, run.error, run.finished_at = result or {}, error[:10_000], timezone.now()
    run.save(update_fields=["state", "result", "error", "finished_at"])


def run_job(run_id: int, task_id: str = "", now: datetime | None = None) -> JobRun | None:
    """Claim and execute one run. Returns None when the run is gone or someone else has it."""
    run = claim_run(run_id, task_id)
    if run is None:
        log.info("job run %s is gone or taken", run_id)
        return None
    handler = HANDLERS.get(run.job)
    if handler is None:
        finish_run(run, error=f"unknown job {run.job!r}")
        return run
    try:
        # probes, freshness crawls and alerts read the province's thresholds in force now (an
        # inspection job's runner makes the catalogue of its own inspection active inside)
        with active(province_catalogue(settings.PROVINCE_CODE)):
            result = handler(dict(run.params), now or timezone.now())
    except Exception as exc:
        if _transient(exc):
            raise  # the caller retries (the run stays running under this task id)
        log.exception("job run %s (%s) failed", run.pk, run.job)
        finish_run(run, error=repr(exc))
        return run
    finish_run(run, result)
    return run


def _transient(exc: BaseException) -> bool:
    from django.db import InterfaceError, OperationalError

    from govinspect.errors import TransientError

    return isinstance(exc, TransientError | OperationalError | InterfaceError)


# --- availability probes --------------------------------------------------------------------


def open_sites() -> list[Site]:
    return list(Site.objects.filter(status=Status.OPEN).order_by("id"))


def store_probes(records: Iterable[ProbeRecord], site_for_url: dict[str, int]) -> int:
    rows = [
        Probe(site_id=site_for_url[r.url], time=r.time, status=r.status, latency=r.latency, error=r.error[:64])
        for r in records
        if r.url in site_for_url
    ]
    Probe.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


async def _probe(urls: Sequence[str], concurrency: int, timeout: float | None) -> list[ProbeRecord]:
    return [r async for r in probe_rounds(urls, concurrency=concurrency, timeout=timeout)]


def probe_job(params: dict[str, Any], now: datetime) -> dict[str, Any]:
    """One probe of every open site's home page (the schedule repeats it at random intervals)."""
    sites = open_sites()
    if params.get("sites"):
        sites = [s for s in sites if s.site_code in set(params["sites"])]
    by_url = {s.home_url: s.pk for s in sites}
    records = asyncio.run(_probe(list(by_url), int(params.get("concurrency", 200)), params.get("timeout")))
    stored = store_probes(records, by_url)
    return {"probes": stored, "failures": sum(1 for r in records if not r.ok)}


def import_probe_file(path: str | Path) -> int:
    """Store the records of a ``govinspect probe --out`` JSONL file (H6's store) as ``Probe`` rows;
    records of URLs not in the register are skipped. Returns how many were stored."""
    from govinspect.engine.probe import JsonlProbeStore
    from govinspect.findings import normalize_url

    by_url = {normalize_url(u): pk for u, pk in Site.objects.values_list("home_url", "pk")}
    known = {}
    records = []
    for r in JsonlProbeStore(path).read():
        pk = by_url.get(normalize_url(r.url))
        if pk is not None:
            known[r.url] = pk
            records.append(r)
    return store_probes(records, known)


def stored_records(site: Site, since: datetime) -> list[ProbeRecord]:
    rows = Probe.objects.filter(site=site, time__gte=since).order_by("time")
    return [ProbeRecord(p.time, site.home_url, p.status, p.latency, p.error) for p in rows]


def availability_of(site: Site, as_of: date) -> Availability:
    """The W-V2 figures (trailing window ending ``as_of``) from the stored probes."""
    since = timezone.make_aware(datetime.combine(as_of - timedelta(days=9), datetime.min.time()))
    return availability(stored_records(site, since), site.home_url, as_of)


# --- the other jobs -------------------------------------------------------------------------

FRESHNESS_CHECKS = frozenset({"update.homepage_stale", "update.column_stale", "update.column_blank"})


def freshness_job(params: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Home page and key columns only (a shallow crawl): their findings per site, for the alerts."""
    from govinspect.engine.config import EngineConfig
    from govinspect.engine.run import inspect_sites
    from govinspect.inspections.runner import site_target

    sites = Site.objects.filter(status=Status.OPEN).select_related("organizer", "region")
    if params.get("sites"):
        sites = sites.filter(site_code__in=params["sites"])
    targets = [site_target(s) for s in sites]
    config = EngineConfig(enabled_checks=FRESHNESS_CHECKS).with_limits(max_pages=int(params.get("max_pages", 60)))
    as_of = timezone.localdate(now)
    found: dict[str, list[dict[str, Any]]] = {t.home_url: [] for t in targets}

    async def run() -> None:
        async for result in inspect_sites(targets, config, as_of, concurrency=int(params.get("concurrency", 8))):
            found[result.target.home_url] = [f.to_dict() for f in result.findings]

    asyncio.run(run())
    return {"as_of": as_of.isoformat(), "findings": found}


def current_quarter(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def inspection_job(params: dict[str, Any], now: datetime) -> dict[str, Any]:
    """A full inspection of the register as of today, by the configured runner."""
    from govinspect.inspections import services as inspections

    as_of = timezone.localdate(now)
    inspection = inspections.create_inspection(
        params.get("period") or current_quarter(as_of),
        as_of=as_of,
        sites=params.get("sites", ()),
        accounts=bool(params.get("accounts", True)),
        province=settings.PROVINCE_CODE,
    )
    if settings.RUNNER == "celery":
        from govinspect.monitoring.distributed import dispatch_inspection

        return {"inspection": inspection.pk, "dispatched": dispatch_inspection(inspection.pk)}
    from govinspect.inspections.runner import run_inspection

    state = run_inspection(inspection, concurrency=int(params.get("concurrency", 4)))
    return {"inspection": inspection.pk, "sites": state.sites_done, "findings": state.findings}


def newmedia_job(params: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Poll the configured feeds (URLs or files) into the posts store."""
    from govinspect.newmedia.ingest import ingest_many

    sources = list(params.get("sources") or [])
    summaries = list(ingest_many(sources)) if sources else []
    return {"sources": len(sources), "rows": sum(getattr(s, "stored", 0) for s in summaries)}


def report_job(params: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The notice of the latest finished inspection, written under DATA_DIR/reports."""
    from govinspect.inspections.models import Inspection
    from govinspect.reports.notice import write_notice

    inspection = Inspection.objects.filter(status=Inspection.Status.DONE).order_by("-finished_at").first()
    if inspection is None:
        return {"written": []}
    files = write_notice(inspection, Path(settings.DATA_DIR) / "reports", today=timezone.localdate(now))
    return {"inspection": inspection.pk, "written": [str(files.xlsx), str(files.docx)]}


def alerts_job(params: dict[str, Any], now: datetime) -> dict[str, Any]:
    from govinspect.monitoring import alerts

    return alerts.evaluate_and_notify(now)


def digest_job(params: dict[str, Any], now: datetime) -> dict[str, Any]:
    from govinspect.monitoring import alerts

    return {"sent": alerts.send_digest(now)}


HANDLERS: dict[str, Handler] = {
    Job.PROBE: probe_job,
    Job.FRESHNESS: freshness_job,
    Job.INSPECTION: inspection_job,
    Job.NEWMEDIA: newmedia_job,
    Job.REPORT: report_job,
    Job.ALERTS: alerts_job,
    Job.DIGEST: digest_job,
}


@transaction.atomic
def requeue_stale_runs(older_than: timedelta, now: datetime | None = None) -> int:
    """Runs left running longer than ``older_than`` (their process died) go back to the queue."""
    limit = (now or timezone.now()) - older_than
    return JobRun.objects.filter(state=JobRun.State.RUNNING, started_at__lt=limit).update(
        state=JobRun.State.QUEUED, task_id=""
    )
