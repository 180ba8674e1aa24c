"""identity.missing: a footer mark missing from the home page (W-D 网站标识, 找错入口).

"未在全站页面底部功能区清晰列明党政机关网站标识，网站标识码、ICP备案编号、公安机关备案标识、
网站主办单位、联系方式的，每缺一项，扣0.5分"; "未在首页底部功能区规范添加（找错）入口扣1分".

One finding per missing item, located at the home URL, ``detail.item`` naming it. The
网站标识码 is also judged when shown: a value that is not 10 digits or ``bm`` + 8 digits,
or that differs from the register's code (``SiteTarget.site_code``), is a ``site_code``
finding with ``detail.found`` (and ``detail.expected``).

A footer included by a frame, an iframe, a footer script or a jQuery ``.load()`` is fetched
(``ctx.fetch``, at most three URLs) before an item is called missing.

Options (``config.check_options["identity.missing"]``):
- ``items``: the items to require (default all seven);
- ``sample_pages``: also read the footer of the first N other pages of the crawl (default 0).
  The rule asks for the marks "全站页面底部" and for the 找错 entry on other pages too
  ("其他页面缺入口每处扣0.2"): a sampled page without the 找错 entry is a finding at that
  page's URL; another item shown on the home page but missing from sampled pages is one
  finding at the home URL with ``detail.where = "pages"`` and ``detail.pages`` (up to 10).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from govinspect.engine import identity, pagetype
from govinspect.engine.checks.base import SiteCheck
from govinspect.engine.page.encoding import decode
from govinspect.engine.page.parse import parse_html
from govinspect.errors import ConfigError, EngineError
from govinspect.findings import Finding
from govinspect.indicators import catalogue

if TYPE_CHECKING:
    from govinspect.engine.page.model import Page

log = logging.getLogger(__name__)


class IdentityMissing(SiteCheck):
    id = "identity.missing"
    indicator = None  # set per instance from the catalogue (W-D 网站标识 / 找错入口) once listed there
    severity = "deduct"
    description = (
        "首页底部功能区缺少党政机关网站标识、网站标识码、ICP备案编号、公安机关备案标识、主办单位、联系方式或找错入口"
    )

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx)
        items = ctx.options(self.id).get("items", identity.ITEMS)
        unknown = [i for i in items if i not in identity.ITEMS]
        if unknown:
            raise ConfigError(
                f"{self.id}: unknown items {', '.join(map(str, unknown))}; known: {', '.join(identity.ITEMS)}"
            )
        self.items: tuple[str, ...] = tuple(items)
        # W-D 网站标识 and W-D 找错入口, once the catalogue lists this check under them
        fed = catalogue().for_check(self.id)
        self.indicator = next((i.id for i in fed if "找错" not in i.name), None)  # type: ignore[misc]
        self.entry_indicator = next((i.id for i in fed if "找错" in i.name), self.indicator)
        self.sample_pages = int(ctx.options(self.id).get("sample_pages", 0))
        self.marks: identity.Marks | None = None
        self.includes: list[str] = []
        self.sampled = 0
        self.missing_on_pages: dict[str, list[str]] = {}

    def observe(self, page: Page) -> None:
        if page.kind != "html" or page.status >= 400:
            return
        if pagetype.is_homepage(page, self.ctx.site.home_url):
            if self.marks is None:
                marks = identity.find_marks(page)
                marks.footer = marks.footer[-300:]  # keep the summary small
                self.marks = marks
                self.includes = identity.footer_includes(page)
        elif self.sampled < self.sample_pages:
            self._sample(page)

    def _sample(self, page: Page) -> None:
        if pagetype.is_error_page(page) or identity.footer_includes(page):
            return  # nothing to judge, or a footer we would have to fetch
        self.sampled += 1
        for item in identity.find_marks(page).missing():
            urls = self.missing_on_pages.setdefault(item, [])
            if len(urls) < 10 or item == "error_report_entry":
                urls.append(page.url)

    async def finish(self) -> Iterable[Finding]:
        marks = self.marks
        if marks is None:  # the home page was never fetched: availability says why
            return []
        if marks.missing() and self.includes:
            await self._read_includes(marks)
        home = self.ctx.site.home_url
        evidence = marks.footer or None
        findings = [
            self.finding(home, evidence=evidence, item=item, name=identity.ITEM_NAMES[item])
            for item in marks.missing()
            if item in self.items
        ]
        findings.extend(self._sampled_findings(marks))
        if "site_code" in self.items and marks.site_code is not None:
            wrong = self._site_code_problem(marks.site_code)
            if wrong:
                findings.append(
                    self.finding(
                        home,
                        evidence=marks.found.get("site_code"),
                        item="site_code",
                        name=identity.ITEM_NAMES["site_code"],
                        found=marks.site_code,
                        **wrong,
                    )
                )
        return findings

    def finding(self, url: str, **kw: Any) -> Finding:  # type: ignore[override]
        found = super().finding(url, **kw)
        if kw.get("item") == "error_report_entry" and self.entry_indicator != self.indicator:
            found = replace(found, indicator=self.entry_indicator)
        return found

    def _sampled_findings(self, marks: identity.Marks) -> list[Finding]:
        out = []
        home_missing = set(marks.missing())
        for item, urls in self.missing_on_pages.items():
            if item not in self.items:
                continue
            name = identity.ITEM_NAMES[item]
            if item == "error_report_entry":
                out.extend(self.finding(url, item=item, name=name, where="page") for url in urls)
            elif item not in home_missing:
                home = self.ctx.site.home_url
                out.append(self.finding(home, item=item, name=name, where="pages", pages=urls[:10]))
        return out

    async def _read_includes(self, marks: identity.Marks) -> None:
        """A footer pulled in by a frame, an iframe or a script is part of the home page as a
        reader sees it: fetch it (through the crawl's fetcher) before calling anything missing."""
        if self.ctx.fetch is None:
            return
        for url in self.includes:
            try:
                page = await self.ctx.fetch(url)
            except EngineError as exc:
                log.info("identity.missing: footer include %s not read: %s", url, exc)
                continue
            if page.status >= 400:
                continue
            if page.kind != "html":
                text = decode(page.body, page.content_type).text
                page = parse_html(url, identity.script_markup(text))
            marks.merge(identity.find_marks(page))

    def _site_code_problem(self, found: str) -> dict[str, str] | None:
        if not identity.valid_site_code(found):
            return {"reason": "invalid_format"}
        expected = (self.ctx.site.site_code or "").strip()
        if expected and found.lower() != expected.lower():
            return {"reason": "register_mismatch", "expected": expected}
        return None
