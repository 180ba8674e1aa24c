"""The Celery app (distributed runner). Wiring only; the tasks are in ``monitoring/tasks.py``.

JSON only (ids and ISO dates travel, never pickled objects); late acknowledgement with
reject-on-worker-lost, so a site whose worker dies is delivered again; one message prefetched
per worker process, so a long site never holds others hostage. The broker comes from
``GOVINSPECT_BROKER_URL`` (redis:// or amqp://), read by settings.py.

On RabbitMQ: the host politeness, the link cache and the exchanges of split sites still need
Redis (``GOVINSPECT_SHARED_REDIS_URL``). RabbitMQ closes a channel whose delivery stays
unacknowledged longer than its ``consumer_timeout`` (30 min by default); with late
acknowledgement a site may take up to the site deadline (30 min) plus its checks' finishing, so
raise it in rabbitmq.conf (``consumer_timeout = 7200000``), else a long site is delivered twice
(stored once all the same, see ``monitoring.distributed``, but inspected twice).
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govinspect.project.settings")

app = Celery("govinspect")


def configure(app: Celery) -> None:
    from django.conf import settings

    app.conf.update(
        broker_url=settings.BROKER_URL,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        result_backend=None,
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,  # a broker outage: wait for it, do not exit
        # an unacknowledged message of a worker that vanished entirely comes back after this
        broker_transport_options={"visibility_timeout": 3600},
        worker_hijack_root_logger=False,
        timezone=settings.TIME_ZONE,
        beat_schedule={"tick": {"task": "govinspect.tick", "schedule": 60.0}},
    )


def warm_up(**_: object) -> None:
    """Build the process-wide check state before the pool forks (Celery's ``worker_init``): the
    text analyzer (lexicons, jieba; ~2.7 s of CPU, about half a small benchmark's worker CPU) and
    the check registry, paid once per worker instead of once per pool process, and shared by
    the forked processes' memory."""
    from govinspect.engine.checks.registry import all_checks
    from govinspect.engine.text.analyzer import TextAnalyzer

    all_checks()
    TextAnalyzer.default()


def setup() -> Celery:
    """Start Django (which configures the app, see monitoring.apps) and find the tasks."""
    import django
    from celery.signals import worker_init

    django.setup()
    worker_init.connect(warm_up, weak=False)
    app.autodiscover_tasks(["govinspect.monitoring"])
    return app
