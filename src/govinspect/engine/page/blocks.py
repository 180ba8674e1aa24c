"""Blocks repeated across a site (header, footer, navigation) are checked once per site.

``RepeatedBlocks`` remembers the hashes of the blocks seen on earlier pages of one site
and marks ``TextBlock.repeated`` and ``Link.in_repeated_block`` on later pages. Memory is
bounded: at most ``capacity`` 8-byte hashes (as ints in an insertion-ordered dict, about
100 bytes each with the dict overhead: 100,000 → ~10 MB). A hash seen again moves to
the end; when full, the oldest tenth is forgotten. Blocks that recur on every page keep
being refreshed, so what is forgotten is content seen once, long ago — at worst such a
block is checked a second time, never skipped wrongly.
"""

from __future__ import annotations

from dataclasses import replace

from govinspect.engine.page.model import Link, Page, TextBlock

DEFAULT_CAPACITY = 100_000


class RepeatedBlocks:
    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        if capacity < 10:
            raise ValueError("capacity must be at least 10")
        self.capacity = capacity
        self._seen: dict[int, None] = {}
        self.pages = 0

    def __len__(self) -> int:
        return len(self._seen)

    def __contains__(self, block_hash: str) -> bool:
        return bool(block_hash) and int(block_hash, 16) in self._seen

    def mark(self, page: Page) -> Page:
        """A copy of ``page`` with repeated blocks and links marked; remembers its blocks."""
        if page.kind != "html" or not (page.text_blocks or page.links):
            return page
        seen = self._seen
        here: set[int] = set()
        blocks = []
        changed = False
        for block in page.text_blocks:
            key = int(block.block_hash, 16) if block.block_hash else 0
            here.add(key)
            if key and key in seen:
                blocks.append(TextBlock(block.text, block.path, block.block_hash, True, block.region))
                changed = True
            else:
                blocks.append(block)
        links = []
        for link in page.links:
            key = int(link.block_hash, 16) if link.block_hash else 0
            here.add(key)
            if key and key in seen:
                links.append(
                    Link(
                        link.url,
                        link.tag,
                        link.text,
                        link.context,
                        link.raw,
                        link.attrs,
                        True,
                        link.block_hash,
                        link.hidden_by,
                    )
                )
                changed = True
            else:
                links.append(link)
        self._remember(here)
        self.pages += 1
        if not changed:
            return page
        marked = replace(page, text_blocks=tuple(blocks), links=tuple(links))
        if "dom" in page.__dict__:
            marked.__dict__["dom"] = page.__dict__["dom"]
        return marked

    def _remember(self, keys: set[int]) -> None:
        seen = self._seen
        for key in keys:
            if not key:
                continue
            if key in seen:
                del seen[key]  # refresh: move to the end
            seen[key] = None
        if len(seen) > self.capacity:
            drop = len(seen) - self.capacity + self.capacity // 10
            for key in list(_take(seen, drop)):
                del seen[key]


def _take(seen: dict[int, None], n: int):
    for i, key in enumerate(seen):
        if i >= n:
            return
        yield key
