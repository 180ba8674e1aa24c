"""Link results, cached so each URL is requested once, with one request in flight per URL.

Two levels: internal targets live in the site's cache (``ctx.cache``, gone with the site);
external targets in one run-wide cache (``ctx.shared``) because hundreds of sites link to
the same external pages. The run-wide cache is bounded (least recently used results are
forgotten past ``capacity``; an in-flight request is never dropped).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LinkResult:
    status: int | None  # final HTTP status, None when no answer
    error: str | None = None  # error code (timeout, dns, connect …, soft_404), None when fine
    final_url: str | None = None
    redirects: int = 0
    message: str = ""

    @property
    def broken(self) -> bool:
        return self.error is not None or (self.status is not None and self.status >= 400)


class LinkCache:
    def __init__(self, capacity: int | None = None) -> None:
        self.capacity = capacity
        self._done: OrderedDict[str, LinkResult] = OrderedDict()
        self._pending: dict[str, asyncio.Future[LinkResult]] = {}
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._done)

    def peek(self, url: str) -> LinkResult | None:
        return self._done.get(url)

    def put(self, url: str, result: LinkResult) -> None:
        self._done[url] = result
        self._done.move_to_end(url)
        if self.capacity is not None:
            while len(self._done) > self.capacity:
                self._done.popitem(last=False)

    async def get(self, url: str, check: Callable[[], Awaitable[LinkResult]]) -> LinkResult:
        while True:
            done = self._done.get(url)
            if done is not None:
                self.hits += 1
                if self.capacity is not None:
                    self._done.move_to_end(url)
                return done
            pending = self._pending.get(url)
            if pending is None:
                break
            self.hits += 1
            try:
                return await asyncio.shield(pending)
            except asyncio.CancelledError:
                if not pending.cancelled():
                    raise  # we were cancelled ourselves
                # the task doing the request was cancelled: try again (maybe doing it ourselves)
        self.misses += 1
        future: asyncio.Future[LinkResult] = asyncio.get_running_loop().create_future()
        self._pending[url] = future
        try:
            result = await check()
        except asyncio.CancelledError:
            future.cancel()
            raise
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: waiters re-raise it themselves
            raise
        finally:
            self._pending.pop(url, None)
        future.set_result(result)
        self.put(url, result)
        return result
