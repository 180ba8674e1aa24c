"""Is a page a column (list) page or a content (article) page?

Government CMSs (TRS, Hanweb, self-built) render two kinds of pages that matter for the
indicators: column pages (栏目页: a list of dated links, often paginated) and content pages
(内容页: one article with a title, a publication date and a body). Page tags (W-D 页面标签)
and policy-document recognition both need to tell them apart.

The decision weighs independent signals and answers ``"unknown"`` when they disagree or
are too weak: the checks that use it skip unknown pages rather than guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from govinspect.engine.page.model import Page

PageType = Literal["home", "column", "content", "unknown"]

# 2025-01-02, 2025/1/2, 2025.01.02, 2025年1月2日, [01-02] as list items show them
DATE_RE = re.compile(
    r"(?:19|20)\d{2}\s*(?:[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}|年\s*\d{1,2}\s*月\s*\d{1,2}\s*日?)"
    r"|[\[【(（]\s*\d{1,2}-\d{1,2}\s*[\]】)）]"
)
PAGINATION_RE = re.compile(
    r"下一页|上一页|尾页|末页|首页\s*上一页|共\s*\d+\s*页|第\s*\d+\s*/\s*\d+\s*页|createPageHTML"
)
PUBLISHED_LABEL_RE = re.compile(r"(?:发布|发表|公开|更新)(?:时间|日期)\s*[:：]\s*(?:19|20)\d{2}")
LONG_TEXT = 150  # characters of prose (not links, not dates) that make an article body
MIN_PARAGRAPH = 20  # shorter blocks are labels, dates, buttons


@dataclass(frozen=True, slots=True)
class PageTypeSignals:
    dated_links: int
    pagination: bool
    prose: int
    published_labels: int  # '发布时间：2025…' lines: an article shows one (two with a metadata line)
    has_article_meta: bool
    has_pubdate_meta: bool
    has_column_meta: bool

    @property
    def published_label(self) -> bool:
        """Dated once or twice: an article; dated on every row: a list (search results)."""
        return 1 <= self.published_labels <= 2

    @property
    def content_score(self) -> int:
        score = 3 if self.has_article_meta else 1 if self.has_pubdate_meta else 0
        score += 2 if self.prose >= LONG_TEXT else 1 if self.prose >= LONG_TEXT // 2 else 0
        score += 2 if self.published_label else 0
        return score

    @property
    def list_score(self) -> int:
        score = 2 if self.dated_links >= 5 else 0
        score += 1 if self.dated_links >= 10 else 0
        score += 2 if self.pagination else 0
        score += 1 if self.has_column_meta and not self.has_article_meta else 0
        return score


def _main_blocks(page: Page) -> list[str]:
    """Text of blocks that belong to this page: the main region (even when a paragraph or a
    "发布时间" line happens to equal one seen on another page), and blocks of an unknown region
    that were not seen before (a header or footer the parser did not recognise recurs)."""
    out = []
    for block in page.text_blocks:
        if block.region in ("header", "nav", "footer") or (block.repeated and block.region != "main"):
            continue
        out.append(block.text)
    return out


def _own_text(page: Page) -> str:
    return "\n".join(b.text for b in page.text_blocks if b.region not in ("header", "nav", "footer"))


def signals(page: Page) -> PageTypeSignals:
    dated = 0
    for link in page.links:
        if link.tag != "a" or link.in_repeated_block:
            continue
        if DATE_RE.search(link.context or "") or DATE_RE.search(link.text or ""):
            dated += 1
    blocks = _main_blocks(page)
    main_text = "\n".join(blocks)
    anchors = sorted(
        {
            lk.text.strip()
            for lk in page.links
            if lk.tag == "a" and not lk.in_repeated_block and len(lk.text.strip()) >= 2
        },
        key=len,
        reverse=True,
    )[:500]
    # prose: what is left of the page's own blocks without link titles and dates
    lengths = (prose_length(b, anchors) for b in blocks)
    prose = sum(n for n in lengths if n >= MIN_PARAGRAPH)
    return PageTypeSignals(
        dated_links=dated,
        pagination=bool(PAGINATION_RE.search(main_text) or PAGINATION_RE.search(page.html[-20000:])),
        prose=prose,
        # the publication line is never chrome, even when another article had the same one
        published_labels=len(PUBLISHED_LABEL_RE.findall(_own_text(page))),
        has_article_meta=bool(page.meta_value("ArticleTitle")),
        has_pubdate_meta=bool(page.meta_value("PubDate")),
        has_column_meta=bool(page.meta_value("ColumnType") or page.meta_value("ColumnName")),
    )


def prose_length(text: str, anchors: list[str]) -> int:
    """Characters of ``text`` that are neither link anchors nor dates nor whitespace."""
    for anchor in anchors:
        if anchor in text:
            text = text.replace(anchor, "")
    return len(re.sub(r"\s+", "", DATE_RE.sub("", text)))


_ERROR_RE = re.compile(
    r"404|页面不存在|页面未找到|找不到(?:该|您)?(?:页面|网页)|已被删除|Not\s*Found|访问出错|系统错误", re.I
)


def is_error_page(page: Page) -> bool:
    """A soft 404 or error page served with status 200 (nothing to judge on it)."""
    heads = " ".join([page.title, *(b.text for b in page.text_blocks[:12] if len(b.text) <= 60)])
    return bool(_ERROR_RE.search(heads)) and signals(page).prose < LONG_TEXT


def is_homepage(page: Page, home_url: str | None = None) -> bool:
    if page.is_homepage:
        return True
    if home_url is None:
        return False
    from govinspect.findings import normalize_url

    home = normalize_url(home_url)
    return normalize_url(page.url) == home or normalize_url(page.requested_url) == home


def classify(page: Page, home_url: str | None = None) -> PageType:
    if is_homepage(page, home_url):
        return "home"
    sig = signals(page)
    content, listing = sig.content_score, sig.list_score
    if content >= 3 and content > listing:
        if not (sig.has_article_meta or sig.has_pubdate_meta or sig.published_label):
            # prose without any date or article tag: a single-page column (机构职能, 概况)
            return "column" if sig.has_column_meta else "unknown"
        return "content"
    if listing >= 3 and listing > content:
        return "column"
    if sig.has_column_meta and not (sig.has_article_meta or sig.has_pubdate_meta or sig.published_label):
        return "column"  # declares a column, shows no article: a single-page or empty column
    return "unknown"
