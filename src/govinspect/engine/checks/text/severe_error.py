"""text.severe_error: 严重表述错误 (W-V1, veto).

Near-misses of protected terms (national leaders' names, fixed political formulations, state
organs, the country, provinces and the province's cities and counties): one character replaced
by a same-reading or similar-shape one, missing or extra; a post next to a leader's name that
the leader does not hold; expressions wrong as such. The correct forms are never flagged.

A site check, because local leaders' names are learnt from the site itself (its 领导信息 page
and repeated mentions, see ``engine.text.names``): a misspelt name can only be told once the
whole site has been read. Page findings are kept until then (a handful per site).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from govinspect.engine.checks.base import CheckContext, SiteCheck
from govinspect.engine.checks.text import analyses, analyzer_for
from govinspect.engine.text.names import NameBook
from govinspect.findings import Finding, Severity, excerpt

if TYPE_CHECKING:
    from govinspect.engine.page.model import Page

_MAX_KEPT = 10_000


class SevereErrorCheck(SiteCheck):
    id = "text.severe_error"
    indicator = "W-V1"
    severity: ClassVar[Severity] = "veto"
    description = "严重表述错误：领导人姓名职务、固定政治表述、国家机关和行政区划名称的错误写法"

    def __init__(self, ctx: CheckContext) -> None:
        super().__init__(ctx)
        self.analyzer = analyzer_for(ctx, self.id)
        self.names = NameBook()
        self.kept: list[Finding] = []
        self.seen: set[tuple[str, str]] = set()

    def observe(self, page: Page) -> None:
        for block, analysis in analyses(self.ctx, self.analyzer, page):
            self.names.observe(page.url, block.text)
            for flag in analysis.severe:
                self._keep(page.url, flag.wrong, flag.suggestion, flag.kind, excerpt(block.text, flag.start, flag.end))

    def _keep(self, url: str, wrong: str, suggestion: str, kind: str, evidence: str) -> None:
        if (url, wrong) in self.seen or len(self.kept) >= _MAX_KEPT:
            return
        self.seen.add((url, wrong))
        self.kept.append(self.finding(url, evidence=evidence, wrong=wrong, suggestion=suggestion, kind=kind))

    async def finish(self) -> Iterable[Finding]:
        for mention, right in self.names.near_misses():
            self._keep(mention.url, mention.name, right, "leader_name", mention.evidence)
        return self.kept
