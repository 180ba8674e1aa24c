"""The same sandbox inspection (3 sites, fixed seed) with the embedded runner and with two Celery
workers on Redis (real PostgreSQL, real broker): identical findings by fingerprint."""

from __future__ import annotations

import pytest
from monitoring_cluster import embedded_then_two_workers

pytestmark = [pytest.mark.slow, pytest.mark.network, pytest.mark.postgres]


def test_two_celery_workers_find_what_the_embedded_runner_finds(cluster, sandbox):
    embedded_then_two_workers(cluster, sandbox, ("w1", "w2"))
