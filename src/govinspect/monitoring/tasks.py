"""Celery tasks: ids in, a plain function called (the one the embedded runner calls too).

Late acknowledgement and reject-on-worker-lost are set on the app (``project/celery.py``):
a task whose worker dies is delivered again, and ``distributed.inspect_target`` lets the
redelivered message take its own site back. Only transient failures are retried (a lost
database connection counts: PostgreSQL restarting), with exponential backoff and jitter.
"""

from __future__ import annotations

import logging

from celery import shared_task
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


@shared_task(bind=True, name="govinspect.inspect_site", ignore_result=True, **RETRY)
def inspect_site_task(self, run_id: int) -> str:
    close_old_connections()
    return distributed.inspect_target(run_id, self.request.id or "")


@shared_task(bind=True, name="govinspect.dispatch_inspection", ignore_result=True, **RETRY)
def dispatch_inspection_task(self, inspection_id: int) -> int:
    close_old_connections()
    return distributed.dispatch_inspection(inspection_id)


@shared_task(bind=True, name="govinspect.inspect_shard", ignore_result=True, **RETRY)
def inspect_shard_task(self, run_id: int) -> str:
    """One shard of a large site (``distributed.inspect_shard``)."""
    close_old_connections()
    return distributed.inspect_shard(run_id, self.request.id or "")
