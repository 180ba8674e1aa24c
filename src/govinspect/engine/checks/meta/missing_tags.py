"""meta.missing_tags: page tags (网页设计规范 页面标签) missing, indicators.md §2.3.

Every page carries the site tags SiteName, SiteDomain, SiteIDCode; a column page also
ColumnName, ColumnDescription, ColumnKeywords, ColumnType; a content page also
ArticleTitle, PubDate, ContentSource and the column it belongs to, ColumnName and
ColumnType (as TRS and Hanweb templates render them on every article). W-D 页面标签: "抽查5个内容页无站点标签或内容标签
每个扣0.1；抽查5个栏目页无站点标签或栏目标签每个扣0.1" (cap 1).

One finding per page, ``detail.missing`` listing the absent (or empty) tags. Pages whose
type cannot be decided (``pagetype.classify`` says unknown) are judged on the site tags
only; error pages (also soft 404s served with 200), redirect stubs, framesets and
attachments are skipped.

Options (``config.check_options["meta.missing_tags"]``):
- ``home_tags``: what the home page needs, ``"site"`` (default) or ``"column"`` (site and
  column tags: some provinces treat the home page as the 首页 column);
- ``unknown_pages``: ``"site"`` (default: site tags) or ``"skip"``;
- ``content_column_tags``: require ColumnName and ColumnType on content pages (default true).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from govinspect.engine import pagetype
from govinspect.engine.checks.base import PageCheck
from govinspect.errors import ConfigError
from govinspect.findings import Finding
from govinspect.indicators import catalogue

if TYPE_CHECKING:
    from govinspect.engine.page.model import Page

SITE_TAGS: tuple[str, ...] = ("SiteName", "SiteDomain", "SiteIDCode")
COLUMN_TAGS: tuple[str, ...] = ("ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType")
CONTENT_TAGS: tuple[str, ...] = ("ArticleTitle", "PubDate", "ContentSource")
CONTENT_COLUMN_TAGS: tuple[str, ...] = ("ColumnName", "ColumnType")


def missing_tags(meta: dict[str, str], required: Iterable[str]) -> list[str]:
    """Tags of ``required`` absent from ``meta`` (names lower-cased there) or empty."""
    return [tag for tag in required if not (meta.get(tag.lower()) or "").strip()]


def _is_stub(page: Page) -> bool:
    """A redirect stub (meta refresh) or a frameset: the reader lands on another page."""
    if "refresh" in page.meta and not page.fresh_text.strip():
        return True
    return any(link.tag == "frame" for link in page.links)


class MissingTags(PageCheck):
    id = "meta.missing_tags"
    indicator = None  # set per instance from the catalogue (W-D 页面标签) once listed there
    severity = "deduct"
    description = "页面缺少站点标签、栏目标签或内容标签"

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx)
        # the catalogue item this check feeds, once the catalogue lists it (None until then)
        self.indicator = next((i.id for i in catalogue().for_check(self.id)), None)  # type: ignore[misc]
        opts = ctx.options(self.id)
        self.home_tags = opts.get("home_tags", "site")
        self.unknown_pages = opts.get("unknown_pages", "site")
        self.content_column_tags = bool(opts.get("content_column_tags", True))
        if self.home_tags not in ("site", "column") or self.unknown_pages not in ("site", "skip"):
            raise ConfigError(f"{self.id}: home_tags must be site|column, unknown_pages site|skip")

    def applies_to(self, page: Page) -> bool:
        return page.kind == "html" and page.status < 400 and bool(page.html.strip())

    def required(self, kind: pagetype.PageType) -> tuple[str, ...] | None:
        if kind == "home":
            return SITE_TAGS + (COLUMN_TAGS if self.home_tags == "column" else ())
        if kind == "column":
            return SITE_TAGS + COLUMN_TAGS
        if kind == "content":
            return SITE_TAGS + (CONTENT_COLUMN_TAGS if self.content_column_tags else ()) + CONTENT_TAGS
        return SITE_TAGS if self.unknown_pages == "site" else None

    def check_page(self, page: Page) -> Iterable[Finding]:
        if pagetype.is_error_page(page) or _is_stub(page):
            return
        kind = pagetype.classify(page, self.ctx.site.home_url)
        required = self.required(kind)
        if not required:
            return
        missing = missing_tags(page.meta, required)
        if missing:
            present = [t for t in required if t not in missing]
            yield self.finding(
                page.url,
                evidence=f"{page.title[:60]}：缺少 {', '.join(missing)}"
                + (f"（已有 {', '.join(present)}）" if present else ""),
                missing=missing,
                page_type=kind,
            )
