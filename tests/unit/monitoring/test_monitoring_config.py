"""The monitoring definitions: probe schedule density, jitter bounds, Celery settings, cache codec."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from govinspect.engine.checks.links.cache import LinkResult
from govinspect.engine.shared.redis_backends import _dump, _load
from govinspect.monitoring.jobs import DEFAULTS, MIN_PROBES_PER_DAY, probes_per_day_bounds
from govinspect.monitoring.models import Job, Schedule
from govinspect.monitoring.services import HANDLERS, next_time


def test_every_job_has_a_handler_and_a_default_schedule():
    assert set(HANDLERS) == set(Job.values)
    assert {d.job for d in DEFAULTS} == set(Job.values)


def test_default_probe_schedule_gives_at_least_20_random_probes_a_day():
    (probe,) = [d for d in DEFAULTS if d.job == Job.PROBE]
    fewest, _ = probes_per_day_bounds(probe.every_seconds, probe.jitter_seconds)
    assert fewest >= MIN_PROBES_PER_DAY
    assert probe.jitter_seconds > 0  # at random times, not on the clock


def test_next_time_stays_within_the_jitter():
    s = Schedule(name="p", job=Job.PROBE, every_seconds=2700, jitter_seconds=900)
    start = datetime(2025, 12, 1, tzinfo=UTC)
    rng = random.Random(3)
    gaps = [(next_time(s, start, rng) - start).total_seconds() for _ in range(500)]
    assert min(gaps) >= 1800 and max(gaps) <= 3600
    assert len({round(g) for g in gaps}) > 100  # randomised
    assert next_time(Schedule(every_seconds=60), start) == start + timedelta(seconds=60)


def test_celery_app_is_late_ack_json_prefetch_one():
    from govinspect.project.celery import app

    conf = app.conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_serializer == "json" and list(conf.accept_content) == ["json"]


def test_link_result_codec_round_trips():
    for r in (
        LinkResult(200),
        LinkResult(None, "timeout", None, 0, "读取超时"),
        LinkResult(404, None, "http://a/b", 2),
    ):
        assert _load(_dump(r).encode()) == r
