"""security.sensitive: prohibited content (gambling, pornography, violence, drugs, fraud).

Reads what a visitor sees and what search engines index: the title, the keywords and
description meta tags (hacked sites rewrite them first), the text blocks not already seen on
the site, and the text of visible links. Visible links to hosts of the lexicon's gambling or
adult patterns (domains.toml) count too, with the host as ``detail.word`` and the link as
``target``. Hidden links are security.hidden_link's business.

One finding per (page, term): ``detail.word`` is the lexicon term, ``detail.category`` its
category; within one sentence only the leftmost term counts (a spam passage is one problem).
Severity veto (W-V1: 发布或链接反动、暴力、色情等内容).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar
from urllib.parse import urlsplit

from govinspect.engine.checks.base import CheckContext, PageCheck
from govinspect.engine.checks.security.matcher import SensitiveMatcher
from govinspect.engine.page.model import Page
from govinspect.findings import Finding, Severity, excerpt
from govinspect.lexicons.sensitive import cached_sensitive_lexicon


def matcher_for(ctx: CheckContext, check_id: str) -> SensitiveMatcher:
    """One matcher per run and lexicon directory, shared by the checks that use it."""
    override = ctx.options(check_id).get("lexicon_dir")
    key = f"security.matcher:{override or ''}"
    if key not in ctx.shared:
        ctx.shared[key] = SensitiveMatcher(cached_sensitive_lexicon(override))
    return ctx.shared[key]


class SensitiveContent(PageCheck):
    id = "security.sensitive"
    indicator = "W-V1"
    severity: ClassVar[Severity] = "veto"
    description = "页面含赌博、色情、暴力、毒品、诈骗等违法违规内容"

    def __init__(self, ctx: CheckContext) -> None:
        super().__init__(ctx)
        self.matcher = matcher_for(ctx, self.id)

    def check_page(self, page: Page) -> Iterator[Finding]:
        seen: set[str] = set()
        for text in self._texts(page):
            for hit in self.matcher.first_per_sentence(text):
                if hit.word in seen:
                    continue
                seen.add(hit.word)
                yield self.finding(
                    page.url,
                    evidence=excerpt(text, hit.start, hit.end),
                    word=hit.word,
                    category=hit.category,
                )
        yield from self._links_to_spam_hosts(page, seen)

    def _links_to_spam_hosts(self, page: Page, seen: set[str]) -> Iterator[Finding]:
        """Visible links to known gambling or adult hosts (发布或链接…色情等内容): the word is the host."""
        lexicon = self.matcher.lexicon
        own = {h.lower() for h in self.ctx.site.hosts}
        for link in page.links:
            if link.tag != "a" or link.hidden_by or link.in_repeated_block:
                continue
            parts = urlsplit(link.url)
            host = (parts.hostname or "").lower()
            if not host or host in seen or parts.netloc.lower() in own or lexicon.is_benign_host(host):
                continue
            category = lexicon.spam_host_category(host)
            if category:
                seen.add(host)
                yield self.finding(
                    page.url, target=link.url, evidence=link.context or link.text, word=host, category=category
                )

    @staticmethod
    def _texts(page: Page) -> Iterator[str]:
        if page.title:
            yield page.title
        for name in ("keywords", "description"):
            value = page.meta_value(name)
            if value:
                yield value
        for block in page.text_blocks:
            if not block.repeated:
                yield block.text
        for link in page.links:
            if link.tag == "a" and link.text and not link.hidden_by and not link.in_repeated_block:
                yield link.text
