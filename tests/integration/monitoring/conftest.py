"""Real services for the distributed tests: a private PostgreSQL database on 127.0.0.1:5432
(created and dropped per test module), Redis DB 5 on 127.0.0.1:6379 as the broker, a served
sandbox, Celery workers as subprocesses. Skips when a service is missing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DRIVER = Path(__file__).with_name("monitoring_driver.py")
PG = "postgresql://postgres@127.0.0.1:5432/"
BROKER_DB = 5


def _pg_ok() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG + "postgres", connect_timeout=3):
            return True
    except Exception:
        return False


def _redis(url: str):
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    client.ping()
    return client


@dataclass
class Cluster:
    """The environment of one test's processes (driver steps and workers)."""

    env: dict[str, str]
    tmp: Path
    workers: list[subprocess.Popen] = field(default_factory=list)

    def step(self, name: str, timeout: float = 240, **arg) -> dict:
        done = subprocess.run(
            [sys.executable, str(DRIVER), name, json.dumps(arg)],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.tmp,
        )
        if done.returncode != 0:
            raise AssertionError(f"driver step {name} failed:\n{done.stderr[-4000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def start_worker(self, name: str) -> subprocess.Popen:
        log = open(self.tmp / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "govinspect.cli.main",
                "worker",
                "--concurrency",
                "1",
                "--hostname",
                f"{name}@govinspect-test",
                "--loglevel",
                "INFO",
            ],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.tmp,
            start_new_session=True,
        )
        proc.log = log  # type: ignore[attr-defined]
        self.workers.append(proc)
        return proc

    def stop_workers(self) -> None:
        for proc in self.workers:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.workers:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
            proc.log.close()  # type: ignore[attr-defined]
        self.workers.clear()

    def worker_log(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in self.tmp.glob("*.log"))


def make_env(tmp: Path, db_url: str, broker: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GOVINSPECT_", "DJANGO_"))}
    env.update(
        GOVINSPECT_DATABASE_URL=db_url,
        GOVINSPECT_BROKER_URL=broker,
        GOVINSPECT_RUNNER="celery",
        GOVINSPECT_DATA_DIR=str(tmp / "data"),
        DJANGO_SETTINGS_MODULE="govinspect.project.settings",
        PYTHONPATH=str(ROOT / "src"),
    )
    return env


@pytest.fixture
def private_database() -> Iterator[str]:
    if not _pg_ok():
        pytest.skip("PostgreSQL on 127.0.0.1:5432 is not available")
    import psycopg

    name = f"govinspect_mon_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG + "postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG + name
    finally:
        with psycopg.connect(PG + "postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def broker_url() -> str:
    url = f"redis://127.0.0.1:6379/{BROKER_DB}"
    try:
        client = _redis(url)
    except Exception:
        pytest.skip("Redis on 127.0.0.1:6379 is not available")
    client.flushdb()  # DB 5 is this area's: queues, politeness and link cache of a previous run
    return url


@pytest.fixture
def sandbox(tmp_path):
    from govinspect.sandbox import SandboxServer, build

    manifest = build(
        tmp_path / "sb", seed=11, sites=3, pages_per_site=20, rates={"unreachable": 0, "hang": 0, "trap_calendar": 0}
    )
    with SandboxServer(tmp_path / "sb", base_port=0) as server:
        codes = [s["site_code"] for s in manifest["sites"]]
        yield {"codes": codes, "urls": {c: server.url_for(c) for c in codes}, "as_of": manifest["as_of"]}


@pytest.fixture
def cluster(tmp_path, private_database, broker_url, sandbox) -> Iterator[Cluster]:
    c = Cluster(make_env(tmp_path, private_database, broker_url), tmp_path)
    (tmp_path / "data").mkdir()
    c.step("setup", urls=sandbox["urls"])
    try:
        yield c
    finally:
        c.stop_workers()
