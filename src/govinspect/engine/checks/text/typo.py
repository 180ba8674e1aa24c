"""text.typo: 错别字 (notice; no national indicator scores typos one by one).

Commonly misused words, near-misses of official phrasings, and characters that a
same-reading or similar-shape replacement turns into a much likelier frequent word. Tuned for
precision: a typo the detector is unsure of is not reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

from govinspect.engine.checks.base import PageCheck
from govinspect.engine.checks.text import analyses, analyzer_for
from govinspect.findings import Finding, Severity, excerpt

if TYPE_CHECKING:
    from govinspect.engine.page.model import Page


class TypoCheck(PageCheck):
    id = "text.typo"
    indicator = None
    severity: ClassVar[Severity] = "notice"
    description = "错别字：常见错别字、规范表述的错误写法、音近形近的错字"

    def check_page(self, page: Page) -> Iterator[Finding]:
        analyzer = analyzer_for(self.ctx, self.id)
        seen: set[str] = set()
        for block, analysis in analyses(self.ctx, analyzer, page):
            for flag in analysis.typos:
                if flag.wrong in seen:
                    continue
                seen.add(flag.wrong)
                yield self.finding(
                    page.url,
                    evidence=excerpt(block.text, flag.start, flag.end),
                    wrong=flag.wrong,
                    suggestion=flag.suggestion,
                    kind=flag.kind,
                )
