"""Redis-backed politeness and external-link cache, for many workers sharing a province.

``RedisPoliteness`` keeps the local limits of ``Politeness`` (per process) and adds, per host:

- a cross-worker semaphore: at most ``per_host`` requests in flight to one host, whichever
  worker makes them. Each holder is a member of a sorted set scored by its lease expiry, so a
  worker killed while holding a slot frees it when the lease runs out (no stuck host);
- a cross-worker start spacing: two requests to one host start at least ``delay`` seconds
  apart (Celery's rate limits are per worker, so they cannot do this).

Both are single Lua scripts run atomically by Redis with Redis's own clock (workers' clocks
may differ). ``RedisLinkCache`` keeps external-link results for ``ttl`` seconds so a link
checked by one worker is not requested again by another.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import redis
import redis.asyncio as aredis

from govinspect.engine.checks.links.cache import LinkCache, LinkResult
from govinspect.engine.fetch.politeness import Politeness
from govinspect.errors import TransientError

# KEYS[1] holders zset, KEYS[2] next-start key; ARGV: token, limit, lease ms, delay ms.
# Returns 0 when acquired, else the milliseconds to wait before trying again.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(5, math.min(200, tonumber(first[2]) - now))
end
local delay = tonumber(ARGV[4])
if delay > 0 then
  local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
  if nxt > now then return nxt - now end
  redis.call('SET', KEYS[2], now + delay, 'PX', delay + 1000)
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]) + 1000)
return 0
"""

PREFIX = "govinspect:"


class RedisPoliteness(Politeness):
    """``Politeness`` whose per-host limits also hold across processes through Redis."""

    def __init__(
        self,
        url: str,
        per_host: int = 4,
        delay: float = 0.0,
        global_limit: int = 64,
        *,
        lease: float = 120.0,
        namespace: str = "polite",
        outage_limit: float = 300.0,
    ) -> None:
        super().__init__(per_host, delay, global_limit)
        self.url = url
        self.lease_ms = int(lease * 1000)
        self.outage_limit = outage_limit
        self.namespace = PREFIX + namespace
        self._client: aredis.Redis | None = None
        self._script = None

    def _redis(self) -> aredis.Redis:
        if self._client is None:
            self._client = aredis.Redis.from_url(self.url)
            self._script = self._client.register_script(_ACQUIRE)
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def _acquire(self, host: str, delay: float) -> str:
        self._redis()
        token = secrets.token_hex(8)
        keys = [f"{self.namespace}:{host}:holders", f"{self.namespace}:{host}:next"]
        outage = 0.0
        while True:
            try:
                wait_ms = await self._script(keys=keys, args=[token, self.per_host, self.lease_ms, int(delay * 1000)])
            except (redis.ConnectionError, redis.TimeoutError) as exc:
                # Redis away: the crawl waits (no request without the shared slot) rather than
                # going on unthrottled; past ``outage_limit`` the site fails as transient.
                outage += 1.0
                if outage > self.outage_limit:
                    raise TransientError(host, f"shared politeness unavailable: {exc}") from exc
                await asyncio.sleep(1.0)
                continue
            if int(wait_ms) == 0:
                return token
            await asyncio.sleep(int(wait_ms) / 1000)

    async def _release(self, host: str, token: str) -> None:
        with contextlib.suppress(redis.ConnectionError, redis.TimeoutError):  # else the lease runs out
            await self._redis().zrem(f"{self.namespace}:{host}:holders", token)

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        host = host.lower()
        local = self._slot(host)
        local.busy += 1
        try:
            async with local.sem:
                delay = self.delay if local.delay is None else local.delay
                token = await self._acquire(host, delay)
                try:
                    async with self.global_sem:
                        yield
                finally:
                    await asyncio.shield(self._release(host, token))
        finally:
            local.busy -= 1


def _dump(result: LinkResult) -> str:
    return json.dumps(
        [result.status, result.error, result.final_url, result.redirects, result.message], ensure_ascii=False
    )


def _load(raw: bytes) -> LinkResult:
    status, error, final_url, redirects, message = json.loads(raw)
    return LinkResult(status, error, final_url, redirects, message)


class RedisLinkCache(LinkCache):
    """The run-wide external-link cache, shared by every worker through Redis (results kept
    ``ttl`` seconds); a local LRU in front of it, and one request in flight per URL per process."""

    def __init__(self, url: str, capacity: int | None = None, *, ttl: int = 86_400, namespace: str = "links") -> None:
        super().__init__(capacity)
        self.ttl = ttl
        self.namespace = PREFIX + namespace
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    def _key(self, url: str) -> str:
        return f"{self.namespace}:{url}"

    def peek(self, url: str) -> LinkResult | None:
        found = super().peek(url)
        if found is None:
            try:
                raw = self.client.get(self._key(url))
            except (redis.ConnectionError, redis.TimeoutError):
                raw = None  # Redis away: this worker's own results only
            if raw is not None:
                found = _load(raw)
                super().put(url, found)
        return found

    def put(self, url: str, result: LinkResult) -> None:
        super().put(url, result)
        with contextlib.suppress(redis.ConnectionError, redis.TimeoutError):
            self.client.set(self._key(url), _dump(result), ex=self.ttl)

    async def get(self, url, check):  # type: ignore[no-untyped-def]
        if super().peek(url) is None and url not in self._pending:
            self.peek(url)  # pulls another worker's result into the local cache
        return await super().get(url, check)
