"""Text checks: severe expression errors (text.severe_error) and typos (text.typo)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from govinspect.engine.text.analyzer import Analysis, TextAnalyzer

if TYPE_CHECKING:
    from govinspect.engine.checks.base import CheckContext
    from govinspect.engine.page.model import Page, TextBlock

_CACHE_KEY = "text.analysis"


def analyzer_for(ctx: CheckContext, check_id: str) -> TextAnalyzer:
    """Options: ``lexicon_dir`` (a directory whose files replace the packaged lexicons) and
    ``province_code`` (whose cities and counties are protected; default "51", Sichuan)."""
    return TextAnalyzer.for_options(ctx.options(check_id))


def analyses(ctx: CheckContext, analyzer: TextAnalyzer, page: Page) -> Iterator[tuple[TextBlock, Analysis]]:
    """The analysis of each block of the page: blocks already seen on this site are skipped
    (header, footer, navigation are checked once per site) except in the page's main region,
    where an article repeating a paragraph of another still carries its typo. Both text checks
    read the same analysis; only the current page's is kept (memory stays bounded)."""
    cached = ctx.cache.get(_CACHE_KEY)
    if cached and cached[0] == (page.url, id(analyzer)):
        yield from cached[1]
        return
    blocks = [block for block in page.text_blocks if not block.repeated or block.region == "main"]
    results = list(zip(blocks, analyzer.analyze_blocks([b.text for b in blocks]), strict=True))
    ctx.cache[_CACHE_KEY] = ((page.url, id(analyzer)), results)
    yield from results
