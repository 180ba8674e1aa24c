"""policy.interpretation_unlinked: a 解读 and its policy document not linked both ways.

W-D 解读关联: "未与被解读的政策文件相关联的，每发现一处，扣0.5分；该政策文件未与被抽查解读稿
相关联的，每发现一处，扣0.5分". One finding per missing direction, located on the
interpretation page:
- ``interpretation_to_document``: the interpretation does not link to its document;
- ``document_to_interpretation``: the document does not link to the interpretation.

The document of an interpretation is the policy document it links to, else the crawled
document whose title matches the 《…》 named in the interpretation's title (关于《X》的解读,
图解《X》). An interpretation whose document was not crawled is not judged: the crawl may
simply not have reached it.

Memory: per interpretation its URL, title, quoted titles and in-site links; per document
its URL, title and the in-site links of its own (non-repeated) blocks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from govinspect.engine import pagetype, policydoc
from govinspect.engine.checks.base import SiteCheck
from govinspect.findings import Finding, normalize_url
from govinspect.indicators import catalogue

if TYPE_CHECKING:
    from govinspect.engine.page.model import Page

TO_DOCUMENT = "interpretation_to_document"
TO_INTERPRETATION = "document_to_interpretation"


@dataclass(frozen=True, slots=True)
class _Interpretation:
    url: str
    title: str
    quoted: tuple[str, ...]  # normalised titles named in 《》
    links: frozenset[str]  # link keys of its own links
    aliases: frozenset[str]  # link keys it is known by (final, requested, redirected URLs)


@dataclass(frozen=True, slots=True)
class _Document:
    url: str
    title: str
    names: tuple[str, ...]  # normalised: its title and the 《》 names inside it
    links: frozenset[str]
    aliases: frozenset[str]


def link_key(url: str) -> str:
    """A URL as a link target: normalised, and http/https alike (sites link both forms)."""
    key = normalize_url(url)
    return key.split("://", 1)[1] if "://" in key else key


def _aliases(page: Page) -> frozenset[str]:
    return frozenset(link_key(u) for u in (page.url, page.requested_url, *page.redirects) if u)


def _own_links(page: Page) -> frozenset[str]:
    """Targets of the page's own visible links (not hidden, not in blocks repeated on every page)."""
    return frozenset(
        link_key(link.url)
        for link in page.links
        if link.tag in ("a", "area", "datastore") and not link.in_repeated_block and not getattr(link, "hidden_by", "")
    )


_INTERPRETATION_WORDS = re.compile(
    r"^关于|的?(?:政策)?解读(?:材料|稿)?$|^(?:图解|一图(?:读|看)懂)[:：]?|[:：]?(?:图解|一图(?:读|看)懂)$|答记者问$"
)


def _core_name(title: str) -> str:
    """'一图读懂xx实施方案' -> 'xx实施方案' (normalised), for titles without 《》."""
    previous = None
    core = re.sub(r"[【\[［(（]\s*(?:政策)?(?:图解|解读|一图(?:读|看)懂)\s*[】\]］)）]", "", title).strip()
    while previous != core:
        previous = core
        core = _INTERPRETATION_WORDS.sub("", core).strip()
    return policydoc.normalize_title(core)


def is_interpretation(page: Page, home_url: str | None) -> str | None:
    """The interpretation's title when the page is an interpretation, else None."""
    if page.kind != "html" or page.status >= 400:
        return None
    title = policydoc.page_title(page)
    if not policydoc.is_interpretation_title(title):
        return None
    if pagetype.is_homepage(page, home_url) or pagetype.signals(page).list_score >= 3:
        return None  # the 政策解读 column's list, not one interpretation
    # a document about interpretation work (关于印发《政策解读工作办法》的通知) is not one
    if policydoc.is_document_title(title) and "印发" in title:
        return None
    return title


class InterpretationUnlinked(SiteCheck):
    id = "policy.interpretation_unlinked"
    indicator = None
    severity = "deduct"
    description = "政策解读与被解读的政策文件未双向关联"

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx)
        # the catalogue item this check feeds, once the catalogue lists it (None until then)
        self.indicator = next((i.id for i in catalogue().for_check(self.id)), None)  # type: ignore[misc]
        self.interpretations: dict[str, _Interpretation] = {}
        self.documents: dict[str, _Document] = {}

    def observe(self, page: Page) -> None:
        home = self.ctx.site.home_url
        title = is_interpretation(page, home)
        url = normalize_url(page.url)
        if title is not None:
            quoted = tuple(policydoc.normalize_title(q) for q in policydoc.quoted_titles(title))
            self.interpretations[url] = _Interpretation(page.url, title, quoted, _own_links(page), _aliases(page))
            return
        doc = policydoc.recognise_once(page, home)
        if doc is None:
            return
        names = {policydoc.normalize_title(doc.title)}
        names.update(policydoc.normalize_title(q) for q in policydoc.quoted_titles(doc.title))
        self.documents[url] = _Document(
            page.url, doc.title, tuple(n for n in names if n), _own_links(page), _aliases(page)
        )

    def _document_of(self, interp: _Interpretation) -> _Document | None:
        """The document named in the title (a 解读 often links to related documents too); when
        several crawled documents bear that name, the one linked with this interpretation in
        either direction; then the one document linked; then a unique near match of the name."""
        docs = list(self.documents.values())
        linked = [d for d in docs if d.aliases & interp.links or d.links & interp.aliases]
        for quoted in interp.quoted:
            exact = [d for d in docs if quoted in d.names]
            if len(exact) > 1:
                exact = [d for d in exact if d in linked]
            if len(exact) == 1:
                return exact[0]
        if len(linked) == 1:
            return linked[0]
        names = [q for q in interp.quoted if len(q) >= 6]
        core = _core_name(interp.title)
        if len(core) >= 8:
            names.append(core)
        for name in names:
            near = [d for d in (linked or docs) if any(name in n for n in d.names)]
            if len(near) == 1:
                return near[0]
        return None

    async def finish(self) -> Iterable[Finding]:
        findings: list[Finding] = []
        for _, interp in sorted(self.interpretations.items()):
            doc = self._document_of(interp)
            if doc is None:
                continue
            if not doc.aliases & interp.links:
                findings.append(self._finding(interp, doc, TO_DOCUMENT, "解读未链接到被解读的政策文件"))
            if not interp.aliases & doc.links:
                findings.append(self._finding(interp, doc, TO_INTERPRETATION, "政策文件未链接到其解读"))
        return findings

    def _finding(self, interp: _Interpretation, doc: _Document, direction: str, why: str) -> Finding:
        return self.finding(
            interp.url,
            evidence=f"{why}：《{doc.title}》 ↔ {interp.title}"[:200],
            document=doc.url,
            interpretation=interp.url,
            direction=direction,
            document_title=doc.title,
            interpretation_title=interp.title,
        )
