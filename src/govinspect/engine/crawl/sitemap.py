"""sitemap.xml seeding: ``<loc>`` entries of a sitemap or a sitemap index (nested up to a
few levels), read with a regular expression — sitemaps on government sites are often not
well-formed XML, and we only need the locations."""

from __future__ import annotations

import gzip
import html
import re
import zlib
from collections.abc import Awaitable, Callable

_LOC_RE = re.compile(rb"<loc>\s*(.*?)\s*</loc>", re.I | re.S)
_INDEX_RE = re.compile(rb"<sitemapindex", re.I)
MAX_SITEMAPS = 20

# fetch_bytes(url) -> (status, body) ; raises FetchError
FetchBytes = Callable[[str], Awaitable[tuple[int, bytes]]]


def parse_sitemap(body: bytes) -> tuple[bool, list[str]]:
    """(is_index, locations)."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = gzip.decompress(body[: 20 * 1024 * 1024])
        except (OSError, EOFError, zlib.error):
            return False, []
    locs = [html.unescape(m.decode("utf-8", "replace")).strip() for m in _LOC_RE.findall(body)]
    return bool(_INDEX_RE.search(body[:2048])), [u for u in locs if u.startswith(("http://", "https://"))]


async def sitemap_urls(fetch: FetchBytes, roots: list[str], limit: int) -> list[str]:
    """Page URLs listed by the sitemaps at ``roots`` (and their nested sitemaps), at most ``limit``."""
    out: list[str] = []
    queue = list(dict.fromkeys(roots))
    done: set[str] = set()
    while queue and len(done) < MAX_SITEMAPS and len(out) < limit:
        url = queue.pop(0)
        if url in done:
            continue
        done.add(url)
        try:
            status, body = await fetch(url)
        except Exception:  # a missing or broken sitemap only means no seeds
            continue
        if not 200 <= status < 300:
            continue
        is_index, locs = parse_sitemap(body)
        if is_index:
            queue.extend(locs)
        else:
            out.extend(locs[: limit - len(out)])
    return out
