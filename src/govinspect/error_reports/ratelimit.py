"""Per-client rate limits on the public pages, in Django's cache.

With ``GOVINSPECT_REDIS_URL`` set the cache is Redis and the limit holds across all server
processes and machines; without it the cache is per process (locmem), so with N server
workers a client gets up to N times the limit — set Redis in production.

The client is the socket's peer address; ``X-Forwarded-For`` is believed only when the peer is
one of ``GOVINSPECT_TRUSTED_PROXIES`` (the reverse proxy in front), and then its last
untrusted hop is taken.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Limit:
        """'20/3600' → 20 requests per hour."""
        try:
            count, seconds = (int(part) for part in text.split("/"))
        except ValueError:
            raise ValueError(f"a rate limit looks like 20/3600 (requests/seconds), not {text!r}") from None
        if count < 1 or seconds < 1:
            raise ValueError(f"a rate limit needs positive numbers, not {text!r}")
        return cls(count, seconds)


def client_ip(request: HttpRequest) -> str:
    peer = request.META.get("REMOTE_ADDR", "")
    trusted = set(getattr(settings, "TRUSTED_PROXIES", []))
    if peer not in trusted:
        return peer
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop
    return peer


def allow(scope: str, ident: str, limit: Limit) -> bool:
    """Count one hit in the current fixed window; False once the window's count is exceeded."""
    window = int(time.time() // limit.seconds)
    key = f"govinspect:rl:{scope}:{ident}:{window}"
    redis_count = _redis_incr(key, limit.seconds + 1)
    if redis_count is not None:
        return redis_count <= limit.count
    if cache.add(key, 1, timeout=limit.seconds + 1):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=limit.seconds + 1)
        return True
    return count <= limit.count


def _redis_incr(key: str, ttl: int) -> int | None:
    """INCR and EXPIRE in one round trip when the cache is Django's Redis backend, else None."""
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return None
    client = backend._cache.get_client(key, write=True)
    pipe = client.pipeline(transaction=False)
    pipe.incr(backend.make_and_validate_key(key))
    pipe.expire(backend.make_and_validate_key(key), ttl, nx=True)
    return int(pipe.execute()[0])


def limit_for(name: str, default: str) -> Limit:
    return Limit.parse(getattr(settings, name, default))
