"""The same sandbox inspection with the embedded runner and with two Celery workers on RabbitMQ
(amqp://guest:guest@127.0.0.1:5672//, real PostgreSQL): identical findings by fingerprint.

RabbitMQ carries only the tasks: the cross-worker host politeness and the external-link cache
still live in Redis (GOVINSPECT_SHARED_REDIS_URL), as they must in production with this broker."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from monitoring_cluster import Cluster, embedded_then_two_workers, make_env

pytestmark = [pytest.mark.slow, pytest.mark.network, pytest.mark.postgres]

AMQP = os.environ.get("GOVINSPECT_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")


@pytest.fixture
def amqp_url() -> str:
    from kombu import Connection
    from kombu.exceptions import ChannelError

    try:
        with Connection(AMQP, connect_timeout=3) as conn:
            conn.ensure_connection(max_retries=1)
    except Exception as exc:
        pytest.skip(f"RabbitMQ at {AMQP} is not available: {exc}")
    with Connection(AMQP, connect_timeout=3) as conn:
        try:
            conn.default_channel.queue_declare("celery", passive=True)
        except ChannelError:  # no queue yet: the workers declare it
            pass
        else:
            conn.default_channel.queue_purge("celery")  # messages of an earlier, interrupted run
    return AMQP


@pytest.fixture
def rabbit_cluster(tmp_path, private_database, broker_url, amqp_url, sandbox) -> Iterator[Cluster]:
    env = make_env(tmp_path, private_database, amqp_url)
    env["GOVINSPECT_SHARED_REDIS_URL"] = broker_url  # Redis DB 5, flushed by the fixture
    c = Cluster(env, tmp_path)
    (tmp_path / "data").mkdir()
    c.step("setup", urls=sandbox["urls"])
    try:
        yield c
    finally:
        c.stop_workers()


def test_two_celery_workers_on_rabbitmq_find_what_the_embedded_runner_finds(rabbit_cluster, sandbox, broker_url):
    embedded_then_two_workers(rabbit_cluster, sandbox, ("r1", "r2"))
    log = rabbit_cluster.worker_log()
    assert "amqp://guest:**@127.0.0.1:5672//" in log  # the workers really were on RabbitMQ
    import redis

    # politeness and the link cache went through Redis even though the broker is RabbitMQ
    assert list(redis.Redis.from_url(broker_url).scan_iter(match="govinspect:links:*"))
