"""HTTP exchanges shared through Redis by the shards of one large site.

A large site is inspected by several shards at once, each running the whole crawl but only its
own group of checks (see ``monitoring.distributed``). So that the site's host still receives each
request once, the shards share the raw exchanges: ``SharingFetcher._one`` (one HTTP exchange, one
redirect hop of one attempt) looks the exchange up in Redis; the first shard to ask takes a lease
on it, makes the request under the shared politeness and stores the answer — status, headers,
body, or the fetch error — for the others, which wait for it. A holder that dies leaves its lease
to run out; the next shard to ask then makes the request.

Exchanges are keyed by (method, URL, byte cap, attempt): a shard retrying attempt 2 gets the
answer of the first shard's attempt 2, so every shard sees the same failures and retries. Within
one split site a URL is requested once even where the unsplit crawl would have asked twice (a
link check and the crawl, say): on a site that answers the same both times, nothing changes.

Redis away: the shard waits up to ``outage_limit`` seconds, then marks the fetcher ``broken`` and
raises ``TransientError``; the caller must then discard the shard's result and retry it (a crawl
that lost pages to the store would report wrong findings).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import secrets
import zlib
from typing import Any

import redis
import redis.asyncio as aredis

from govinspect import errors
from govinspect.engine.config import EngineConfig
from govinspect.engine.fetch.politeness import Politeness
from govinspect.engine.fetch.transport import Fetcher
from govinspect.engine.shared.redis_backends import PREFIX

POLL = 0.02  # seconds between looks at an exchange another shard is making
_SEP = b"\n\x00\n"


def encode(value: tuple[int, dict[str, str], bytes, bool] | errors.FetchError) -> bytes:
    if isinstance(value, errors.FetchError):
        head: dict[str, Any] = {"error": type(value).__name__, "url": value.url, "attempt": value.attempt}
        head["message"] = str(value)
        body = b""
    else:
        status, headers, body, truncated = value
        head = {"status": status, "headers": headers, "truncated": truncated}
    return zlib.compress(json.dumps(head, ensure_ascii=False).encode() + _SEP + body, 1)


def decode(raw: bytes) -> tuple[int, dict[str, str], bytes, bool] | errors.FetchError:
    head_raw, _, body = zlib.decompress(raw).partition(_SEP)
    head = json.loads(head_raw)
    if "error" in head:
        cls = getattr(errors, head["error"], None)
        if not (isinstance(cls, type) and issubclass(cls, errors.FetchError)):
            cls = errors.PermanentError
        exc = cls(head["url"], "", head["attempt"])
        exc.args = (head["message"],)
        return exc
    return head["status"], head["headers"], body, head["truncated"]


class SharingFetcher(Fetcher):
    """A ``Fetcher`` whose single exchanges are shared with the other shards of a split site."""

    def __init__(
        self,
        config: EngineConfig,
        redis_url: str,
        namespace: str,
        *,
        politeness: Politeness | None = None,
        ttl: int = 6 * 3600,
        outage_limit: float = 120.0,
    ) -> None:
        super().__init__(config, politeness=politeness)
        self.redis_url = redis_url
        self.namespace = namespace
        self.ttl = ttl
        self.outage_limit = outage_limit
        # a lease outlives the slowest exchange (queueing for a politeness slot included)
        self.lease_ms = int((config.timeouts.total * 4 + 60) * 1000)
        self.broken = False
        self.shared_hits = 0
        self.made = 0
        self._client: aredis.Redis | None = None

    def _redis(self) -> aredis.Redis:
        if self._client is None:
            self._client = aredis.Redis.from_url(self.redis_url, socket_timeout=10, socket_connect_timeout=5)
        return self._client

    async def close(self) -> None:
        await super().close()
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _keys(self, url: str, method: str, max_bytes: int | None, attempt: int) -> tuple[str, str]:
        digest = hashlib.sha1(f"{method} {max_bytes} {attempt} {url}".encode()).hexdigest()
        base = f"{exchanges_prefix(self.namespace)}{digest}"
        return base, base + ":lease"

    async def _one(
        self, url: str, method: str, max_bytes: int | None, attempt: int
    ) -> tuple[int, dict[str, str], bytes, bool]:
        key, lease = self._keys(url, method, max_bytes, attempt)
        token = secrets.token_hex(8)
        outage = 0.0
        while True:
            try:
                raw = await self._redis().get(key)
                if raw is None and await self._redis().set(lease, token, nx=True, px=self.lease_ms):
                    return await self._make(url, method, max_bytes, attempt, key, lease, token)
            except (redis.ConnectionError, redis.TimeoutError) as exc:
                outage += 1.0
                if outage > self.outage_limit:
                    self.broken = True
                    raise errors.TransientError(url, f"shared exchange store unavailable: {exc}", attempt) from exc
                await asyncio.sleep(1.0)
                continue
            if raw is not None:
                self.shared_hits += 1
                value = decode(raw)
                if isinstance(value, errors.FetchError):
                    raise value
                return value
            await asyncio.sleep(POLL)

    async def _make(
        self, url: str, method: str, max_bytes: int | None, attempt: int, key: str, lease: str, token: str
    ) -> tuple[int, dict[str, str], bytes, bool]:
        client = self._redis()
        try:
            value = await super()._one(url, method, max_bytes, attempt)
        except errors.FetchError as exc:
            await self._store(key, lease, encode(exc))
            raise
        except BaseException:  # cancelled, or a bug: leave the exchange to the next shard that asks
            with contextlib.suppress(Exception):
                if await client.get(lease) == token.encode():
                    await client.delete(lease)
            raise
        self.made += 1
        await self._store(key, lease, encode(value))
        return value

    async def _store(self, key: str, lease: str, blob: bytes) -> None:
        try:
            await self._redis().pipeline(transaction=True).set(key, blob, ex=self.ttl).delete(lease).execute()
        except (redis.ConnectionError, redis.TimeoutError):
            self.broken = True  # the other shards would wait for the lease: discard and retry
            raise


def exchanges_prefix(namespace: str) -> str:
    return f"{PREFIX}xchg:{namespace}:"


def forget(redis_url: str, namespace: str) -> int:
    """Delete a split site's stored exchanges (after its findings are stored). Returns how many keys."""
    client = redis.Redis.from_url(redis_url, socket_timeout=10)
    n = 0
    try:
        batch: list[bytes] = []
        for key in client.scan_iter(match=exchanges_prefix(namespace) + "*", count=1000):
            batch.append(key)
            if len(batch) >= 1000:
                n += client.delete(*batch)
                batch = []
        if batch:
            n += client.delete(*batch)
    finally:
        client.close()
    return n
