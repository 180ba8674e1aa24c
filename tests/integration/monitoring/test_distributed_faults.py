"""Fault tolerance of the distributed runner, on private services so nothing shared is disturbed:
a PostgreSQL cluster of our own on port 55432 (pg_createcluster, restarted by the test) and a
redis-server of our own (stopped and started by the test). A 3-site sandbox inspection is run
once with the embedded runner as the reference; each fault run must find exactly the same."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from monitoring_cluster import Cluster, children, make_env

pytestmark = [pytest.mark.slow, pytest.mark.network, pytest.mark.postgres]

PG_VERSION, PG_CLUSTER, PG_PORT = "15", "govinspect_fault", 55432
PG_URL = f"postgresql://postgres@127.0.0.1:{PG_PORT}/"


def _sh(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=check)


def _pg_up(timeout: float = 30) -> None:
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        try:
            with psycopg.connect(PG_URL + "postgres", connect_timeout=2):
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@pytest.fixture(scope="module")
def pg_cluster():
    """Our own cluster (created once, idempotent), started for this module and stopped after it."""
    if os.geteuid() != 0 or not shutil.which("pg_createcluster"):
        pytest.skip("needs root and pg_createcluster for a private PostgreSQL cluster")
    if PG_CLUSTER not in _sh("pg_lsclusters", "-h").stdout:
        _sh("pg_createcluster", PG_VERSION, PG_CLUSTER, "--port", str(PG_PORT), "--", "--auth=trust")
    _sh("pg_ctlcluster", PG_VERSION, PG_CLUSTER, "start", check=False)  # already running is fine
    _pg_up()
    import psycopg

    name = f"govinspect_fault_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_URL + "postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_URL + name
    finally:
        _pg_up()
        with psycopg.connect(PG_URL + "postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _sh("pg_ctlcluster", PG_VERSION, PG_CLUSTER, "stop", check=False)


class PrivateRedis:
    def __init__(self, directory: Path) -> None:
        if not shutil.which("redis-server"):
            pytest.skip("redis-server not installed")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.dir = directory
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: the append-only file is flushed, the queues survive
            self.proc.wait(timeout=20)
        self.proc = None


@pytest.fixture(scope="module")
def world(tmp_path_factory, pg_cluster):
    from govinspect.sandbox import SandboxServer, build

    tmp = tmp_path_factory.mktemp("faults")
    manifest = build(
        tmp / "sb", seed=12, sites=3, pages_per_site=40, rates={"unreachable": 0, "hang": 0, "trap_calendar": 0}
    )
    (tmp / "redis").mkdir()
    broker = PrivateRedis(tmp / "redis")
    broker.start()
    try:
        with SandboxServer(tmp / "sb", base_port=0) as server:
            codes = [s["site_code"] for s in manifest["sites"]]
            (tmp / "data").mkdir()
            c = Cluster(make_env(tmp, pg_cluster, broker.url), tmp)
            c.step("setup", urls={code: server.url_for(code) for code in codes})
            common = {"codes": codes, "as_of": manifest["as_of"]}
            reference = c.step("result", inspection=c.step("embedded", period="2025Q1", **common)["inspection"])
            assert reference["fingerprints"]
            yield {
                "cluster": c,
                "common": common,
                "reference": set(reference["fingerprints"]),
                "broker": broker,
                "db": pg_cluster,
            }
    finally:
        broker.stop()


def _running_sites(db_url: str) -> int:
    import psycopg

    try:
        with psycopg.connect(db_url, connect_timeout=2) as conn:
            row = conn.execute("SELECT count(*) FROM monitoring_jobrun WHERE job='site' AND state='running'")
            return row.fetchone()[0]
    except psycopg.OperationalError:
        return 0


def _wait_running(db_url: str, at_least: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while _running_sites(db_url) < at_least:
        assert time.monotonic() < deadline, "no site started"
        time.sleep(0.1)


def _finish(world, period: str, fault) -> dict:
    c: Cluster = world["cluster"]
    c.start_worker(f"{period}a")
    c.start_worker(f"{period}b")
    try:
        dispatched = c.step("dispatch", period=period, **world["common"])
        fault(c)
        waited = c.step("wait", inspection=dispatched["inspection"], seconds=150, timeout=200)
        assert waited["status"] == "done", c.worker_log()
        result = c.step("result", inspection=dispatched["inspection"])
    finally:
        c.stop_workers()
    assert set(result["fingerprints"]) == world["reference"]  # nothing lost
    assert result["findings_seen"] == result["sightings"] == len(result["fingerprints"])  # nothing twice
    assert result["sites_done"] == 3 and result["failed"] == 0
    return result


def test_worker_killed_mid_site_is_retried(world):
    def kill(c: Cluster) -> None:
        _wait_running(world["db"], 2)
        victims = children(c.workers[0].pid)
        assert victims, "the worker has no pool process"
        os.kill(victims[0], signal.SIGKILL)  # the process inspecting a site, with no warning

    result = _finish(world, "2025Q2", kill)
    assert max(result["runs"]) >= 2  # the killed site's message was delivered again and taken back


def test_postgresql_restart_during_run(world):
    def restart(c: Cluster) -> None:
        _wait_running(world["db"], 1)
        _sh("pg_ctlcluster", PG_VERSION, PG_CLUSTER, "restart")

    _finish(world, "2025Q3", restart)


def test_broker_outage_jobs_resume(world):
    def outage(c: Cluster) -> None:
        _wait_running(world["db"], 1)
        world["broker"].stop()
        time.sleep(4)
        world["broker"].start()

    _finish(world, "2025Q4", outage)
