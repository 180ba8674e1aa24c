"""Large sites split into shards (real PostgreSQL, Redis broker, Celery workers): with every site
counted as large, each is inspected by 3 shard tasks and the findings are still exactly the
embedded runner's, stored once — also when a worker is killed in the middle of a shard."""

from __future__ import annotations

import os
import signal
import time

import pytest
from monitoring_cluster import Cluster, children

pytestmark = [pytest.mark.slow, pytest.mark.network, pytest.mark.postgres]

SHARDS = 3


def _split_everything(cluster: Cluster) -> None:
    cluster.env["GOVINSPECT_SPLIT_SITE_PAGES"] = "1"  # every site seen before counts as large
    cluster.env["GOVINSPECT_SPLIT_SHARDS"] = str(SHARDS)


def _running_shards(db_url: str) -> int:
    import psycopg

    with psycopg.connect(db_url, connect_timeout=2) as conn:
        row = conn.execute("SELECT count(*) FROM monitoring_jobrun WHERE job='site-shard' AND state='running'")
        return row.fetchone()[0]


def _run_split(cluster: Cluster, sandbox: dict, period: str, fault=None) -> tuple[dict, dict, dict]:
    common = {"codes": sandbox["codes"], "as_of": sandbox["as_of"]}
    reference = cluster.step("result", inspection=cluster.step("embedded", period="2025Q1", **common)["inspection"])
    assert reference["fingerprints"], "the sandbox has seeded defects"
    _split_everything(cluster)
    cluster.start_worker("w1")
    if fault is None:
        cluster.start_worker("w2")
    dispatched = cluster.step("dispatch", period=period, **common)
    assert dispatched["tasks"] == SHARDS * len(sandbox["codes"])
    if fault is not None:
        fault(cluster)  # while w1 is the only worker: the shard running is w1's
        cluster.start_worker("w2")
    waited = cluster.step("wait", inspection=dispatched["inspection"], seconds=180, timeout=240)
    assert waited["status"] == "done", cluster.worker_log()
    result = cluster.step("result", inspection=dispatched["inspection"])
    shards = cluster.step("shards", inspection=dispatched["inspection"])
    return reference, result, shards


def _assert_identical(reference: dict, result: dict, shards: dict, n_sites: int) -> None:
    assert set(result["fingerprints"]) == set(reference["fingerprints"])
    assert result["findings_seen"] == result["sightings"] == len(result["fingerprints"])  # nothing twice
    assert result["sites_done"] == n_sites and result["failed"] == 0
    assert len(shards["shards"]) == SHARDS * n_sites
    assert all(s["state"] == "done" for s in shards["shards"])
    assert [p["state"] for p in shards["parents"]] == ["done"] * n_sites
    assert all(p["shards"] == SHARDS for p in shards["parents"])


def test_split_sites_find_what_the_embedded_runner_finds(cluster, sandbox, broker_url):
    reference, result, shards = _run_split(cluster, sandbox, "2025Q2")
    _assert_identical(reference, result, shards, len(sandbox["codes"]))
    made = sum(s["result"]["exchanges"]["made"] for s in shards["shards"])
    shared = sum(s["result"]["exchanges"]["shared"] for s in shards["shards"])
    # each exchange made once for the three shards: the others took it from Redis
    assert shared >= made > 0
    import redis

    assert not list(redis.Redis.from_url(broker_url).scan_iter(match="govinspect:xchg:*"))  # cleaned up


def test_worker_killed_mid_shard_is_retried_without_duplicates(cluster, sandbox, private_database):
    def kill(c: Cluster) -> None:
        # a shard of these small sites lasts about a second: kill w1's pool process three times
        # while a shard runs, so that at least one kill lands in the middle of a shard
        deadline = time.monotonic() + 120
        for _ in range(3):
            while _running_shards(private_database) < 1:
                assert time.monotonic() < deadline, "no shard started"
                time.sleep(0.02)
            victims = children(c.workers[0].pid)
            assert victims, "the worker has no pool process"
            os.kill(victims[0], signal.SIGKILL)
            time.sleep(1.0)  # the pool process is replaced, the shard's message delivered again

    reference, result, shards = _run_split(cluster, sandbox, "2025Q3", fault=kill)
    _assert_identical(reference, result, shards, len(sandbox["codes"]))
    assert max(s["attempts"] for s in shards["shards"]) >= 2  # the killed shard was taken back
