"""Helpers for site-check unit tests: a fake site served from a dict through ctx.fetch,
pages parsed with the real parser, observe() then finish() as the pipeline runs them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from govinspect.engine.checks.base import CheckContext, SiteCheck
from govinspect.engine.config import EngineConfig
from govinspect.engine.page.model import Page
from govinspect.engine.page.parse import parse_page
from govinspect.engine.target import SiteTarget
from govinspect.errors import ConnectError
from govinspect.findings import Finding

HOME = "http://127.0.0.1:8101/"


class FakeSite:
    """Pages by absolute URL (str HTML or bytes); records every fetch."""

    def __init__(self, pages: dict[str, str | bytes], encoding: str = "utf-8") -> None:
        self.pages = pages
        self.encoding = encoding
        self.fetched: list[str] = []

    def page(self, url: str, depth: int = 0) -> Page:
        body = self.pages[url]
        raw = body if isinstance(body, bytes) else body.encode(self.encoding)
        ctype = f"text/html; charset={self.encoding}"
        return parse_page(url, raw, headers={"content-type": ctype}, depth=depth, is_homepage=url == HOME)

    async def fetch(self, url: str, method: str = "GET") -> Page:
        self.fetched.append(url)
        if url.split("#")[0] not in self.pages:
            base = url.split("?")[0]
            if base in self.pages and "?" in url:
                return self.page(base)
            raise ConnectError(url, "not in the fake site")
        return self.page(url)


def context(site: FakeSite, as_of: date, options: dict | None = None) -> CheckContext:
    return CheckContext(
        site=SiteTarget(home_url=HOME),
        as_of=as_of,
        config=EngineConfig(check_options=options or {}),
        fetch=site.fetch,
    )


async def run_checks(
    checks: Iterable[type[SiteCheck]],
    site: FakeSite,
    as_of: date,
    crawl: Iterable[str] | None = None,
    options: dict | None = None,
) -> list[Finding]:
    """Observe the crawled URLs (all pages by default; depth 0 for home, 1 otherwise)."""
    ctx = context(site, as_of, options)
    instances = [cls(ctx) for cls in checks]
    for url in crawl if crawl is not None else site.pages:
        page = site.page(url, depth=0 if url == HOME else 1)
        for check in instances:
            check.observe(page)
    out: list[Finding] = []
    for check in instances:
        out.extend(await check.finish())
    return out


def by_check(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in findings:
        out.setdefault(f.check, []).append(f)
    return out
