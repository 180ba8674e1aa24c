"""Celery tasks: ids in, a plain function called (the one the embedded runner calls too).

Late acknowledgement and reject-on-worker-lost are set on the app (``project/celery.py``):
a task whose worker dies is delivered again, and ``distributed.inspect_target`` lets the
redelivered message take its own site back. Only transient failures are retried (a lost
database connection counts: PostgreSQL restarting), with exponential backoff and jitter.
"""

from __future__ import annotations

import logging

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError, close_old_connections

from govinspect.errors import TransientError
from govinspect.monitoring import distributed, services

log = logging.getLogger(__name__)

RETRY = {
    "autoretry_for": (TransientError, OperationalError, InterfaceError),
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 20,
}


@shared_task(bind=True, name="govinspect.tick", ignore_result=True, **RETRY)
def tick(self) -> int:
    """Beat calls this every minute: due schedules become runs, each run a task."""
    close_old_connections()
    runs = services.due_runs()
    for run in runs:
        run_job_task.delay(run.pk)
    return len(runs)


@shared_task(bind=True, name="govinspect.run_job", ignore_result=True, **RETRY)
def run_job_task(self, run_id: int) -> str:
    close_old_connections()
    run = services.run_job(run_id, self.request.id or "")
    return run.state if run else "taken"


class SiteTask(Task):
    """A site or shard task whose last attempt failed gives its site up as failed: otherwise the
    site stays "running" and its inspection never completes."""

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:  # type: ignore[no-untyped-def]
        run_id = args[0] if args else kwargs.get("run_id")
        try:
            close_old_connections()
            distributed.give_up(run_id, repr(exc))
        except Exception:  # the database may be what failed: the run stays for an operator
            log.exception("could not give up job run %s after its last failure", run_id)


@shared_task(bind=True, base=SiteTask, name="govinspect.inspect_site", ignore_result=True, **RETRY)
def inspect_site_task(self, run_id: int) -> str:
    close_old_connections()
    return distributed.inspect_target(run_id, self.request.id or "")


@shared_task(bind=True, name="govinspect.dispatch_inspection", ignore_result=True, **RETRY)
def dispatch_inspection_task(self, inspection_id: int) -> int:
    close_old_connections()
    return distributed.dispatch_inspection(inspection_id)


@shared_task(bind=True, base=SiteTask, name="govinspect.inspect_shard", ignore_result=True, **RETRY)
def inspect_shard_task(self, run_id: int) -> str:
    """One shard of a large site (``distributed.inspect_shard``)."""
    close_old_connections()
    return distributed.inspect_shard(run_id, self.request.id or "")
