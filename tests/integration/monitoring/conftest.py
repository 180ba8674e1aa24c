"""Real services for the distributed tests: a private PostgreSQL database on 127.0.0.1:5432
(created and dropped per test module), Redis DB 5 on 127.0.0.1:6379 as the broker, a served
sandbox, Celery workers as subprocesses. Skips when a service is missing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from monitoring_cluster import Cluster, make_env

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
