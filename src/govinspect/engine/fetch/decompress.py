"""Streaming decompression with a bomb guard.

aiohttp's automatic decompression is switched off: a 2 GB gzip bomb arrives as 2 MB on
the wire. We inflate chunk by chunk, never more than ``limit`` bytes in total and never
more than 64 KB per step, and stop as soon as the output exceeds ``ratio`` times the
input once past 1 MB (ordinary HTML compresses 5–15×; 100× past a megabyte is a bomb).
"""

from __future__ import annotations

import contextlib
import zlib

from govinspect.errors import DecompressionBomb, TooLarge

_STEP = 64 * 1024
_RATIO_FLOOR = 1024 * 1024  # small responses may legitimately compress very well


class Inflater:
    """Decompress gzip/deflate (or pass identity through) under size and ratio limits."""

    def __init__(self, url: str, encoding: str, limit: int, ratio: int, truncate: bool = False) -> None:
        enc = (encoding or "identity").strip().lower()
        self.url = url
        self.limit = limit
        self.ratio = ratio
        self.truncate = truncate
        self.truncated = False
        self.compressed = 0
        self.size = 0
        if enc in ("gzip", "x-gzip"):
            self._z: zlib._Decompress | None = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif enc == "deflate":
            self._z = zlib.decompressobj(32 + zlib.MAX_WBITS)  # zlib or gzip header, auto
            self._raw_fallback = True
        elif enc in ("identity", ""):
            self._z = None
        else:
            raise DecompressionBomb(url, f"unsupported content-encoding {enc!r}")
        self.chunks: list[bytes] = []

    @property
    def done(self) -> bool:
        return self.truncated

    def feed(self, data: bytes) -> None:
        self.compressed += len(data)
        if self._z is None:
            self._append(data)
            return
        try:
            out = self._z.decompress(data, _STEP)
            self._append(out)
            while self._z.unconsumed_tail and not self.truncated:
                out = self._z.decompress(self._z.unconsumed_tail, _STEP)
                self._append(out)
        except zlib.error as exc:
            if self.compressed == len(data) and getattr(self, "_raw_fallback", False):
                # "deflate" sent as raw deflate without zlib header (old IIS)
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                self._raw_fallback = False
                self.compressed = 0
                self.feed(data)
                return
            raise DecompressionBomb(self.url, f"corrupt compressed body: {exc}") from None

    def _append(self, out: bytes) -> None:
        if not out or self.truncated:
            return
        if self.size + len(out) > self.limit:
            if not self.truncate:
                raise TooLarge(self.url, f"body larger than {self.limit} bytes")
            out = out[: self.limit - self.size]
            self.truncated = True
        self.size += len(out)
        self.chunks.append(out)
        if self._z is not None and self.size > _RATIO_FLOOR and self.size > self.ratio * max(self.compressed, 1):
            raise DecompressionBomb(
                self.url, f"expands {self.size // max(self.compressed, 1)}× ({self.compressed} → {self.size} bytes)"
            )

    def finish(self) -> bytes:
        if self._z is not None and not self.truncated:
            with contextlib.suppress(zlib.error):
                self._append(self._z.flush())
        return b"".join(self.chunks)
