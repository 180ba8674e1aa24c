"""The same sandbox inspection (3 sites, fixed seed) with the embedded runner and with two Celery
workers on Redis (real PostgreSQL, real broker): identical findings by fingerprint."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.network, pytest.mark.postgres]


def test_two_celery_workers_find_what_the_embedded_runner_finds(cluster, sandbox):
    common = {"codes": sandbox["codes"], "as_of": sandbox["as_of"]}
    embedded = cluster.step("embedded", period="2025Q3", **common)
    cluster.start_worker("w1")
    cluster.start_worker("w2")
    dispatched = cluster.step("dispatch", period="2025Q4", **common)
    assert dispatched["tasks"] == 3
    waited = cluster.step("wait", inspection=dispatched["inspection"], seconds=120)
    assert waited["status"] == "done", cluster.worker_log()
    a = cluster.step("result", inspection=embedded["inspection"])
    b = cluster.step("result", inspection=dispatched["inspection"])
    assert a["fingerprints"], "the sandbox has seeded defects"
    assert set(b["fingerprints"]) == set(a["fingerprints"])
    assert b["sites_done"] == 3 and b["failed"] == 0
    assert b["findings_seen"] == b["sightings"] == len(b["fingerprints"])  # nothing counted twice
    assert "w1@govinspect-test" in cluster.worker_log() and "w2@govinspect-test" in cluster.worker_log()
