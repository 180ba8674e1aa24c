"""security.hidden_link: links hidden from readers (暗链), as hacked sites carry them.

Every ``<a href>`` of the page that points off-site is tested for invisibility (see
``css.PageStyles``: inline styles, the page's ``<style>`` blocks, hidden attributes, tiny
marquees, script idioms). Links to the site itself (hidden menus, mobile navigation, "跳转到
主要内容" skip links) and to hosts listed as benign in the lexicon's ``domains.toml``
(statistics counters, filing marks, gov.cn) are never reported.

Severity, decided so that an inspector can trust a veto:
- **veto** when the hidden link carries a spam signal: its anchor text or title holds a
  prohibited term (security.sensitive's lexicon), or its host or path matches a gambling or
  adult pattern of ``domains.toml``;
- **deduct** when it has no such signal but is hidden by a *strong* technique (off-screen,
  zero size, tiny font, text coloured like the background, opacity 0), which has no use on a
  government page other than hiding a link from readers;
- when it has no signal and is only ``display:none``/``visibility:hidden``/``hidden`` (the way
  drop-down menus (友情链接) and tabs hide external links until a click), it is reported only
  if its target serves prohibited content: at the end of the site, one fetch per target host
  (at most ``max_target_fetches``, default 10; skipped when ``check_external_links`` is off),
  then veto with ``detail.signal`` "target:<word>(<category>)".

A site check: pages are scanned as they arrive (``observe`` keeps the findings and the
candidates, bounded), findings come out at ``finish``. ``check_page`` gives one page's findings
without any fetch.

One finding per (page, target): ``target`` the absolute URL, ``detail.anchor`` its text,
``detail.hidden_by`` the reason, ``detail.signal`` what marked it as spam (or absent).
Not covered: styles from external stylesheets; visible external links whose domain now serves
such content (expired domains taken over).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

from govinspect.engine.checks.base import CheckContext, SiteCheck
from govinspect.engine.checks.security.css import Hidden, PageStyles
from govinspect.engine.checks.security.sensitive import matcher_for
from govinspect.engine.page.model import Page
from govinspect.errors import FetchError
from govinspect.findings import Finding, Severity, mask

_SECOND_LEVEL = frozenset({"gov", "com", "net", "org", "edu", "ac", "mil"})
_EVIDENCE_CHARS = 240
MAX_FINDINGS = 500  # per site
MAX_UNCONFIRMED = 200  # hidden links waiting for a look at their target, per site
MAX_TARGET_FETCHES = 10  # target hosts fetched per site (option max_target_fetches)


def registered_domain(host: str) -> str:
    """example.com for www.example.com; sc.gov.cn for www.sc.gov.cn; an IP stays as it is."""
    host = host.lower().strip(".")
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) >= 3 and labels[-1] == "cn" and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


@dataclass(frozen=True, slots=True)
class HiddenCandidate:
    page_url: str
    target: str
    anchor: str
    hidden: Hidden
    signal: str | None
    evidence: str


class HiddenLink(SiteCheck):
    id = "security.hidden_link"
    indicator = "W-V1"
    severity: ClassVar[Severity] = "veto"
    description = "页面中对读者隐藏的外部链接（暗链）"

    def __init__(self, ctx: CheckContext) -> None:
        super().__init__(ctx)
        self.matcher = matcher_for(ctx, "security.sensitive")
        self.lexicon = self.matcher.lexicon
        self.site_hosts = {h.lower() for h in ctx.site.hosts}
        self.site_domains = {registered_domain(urlsplit("//" + h).hostname or h) for h in self.site_hosts}
        self.found: list[Finding] = []
        self.unconfirmed: list[HiddenCandidate] = []
        self.waiting: set[str] = set()  # targets of self.unconfirmed
        self.reported: set[str] = set()  # targets of self.found

    def observe(self, page: Page) -> None:
        if page.kind != "html":
            return
        repeated = {link.url for link in page.links if link.in_repeated_block}
        for link in self.scan(page):
            if link.target in repeated and (link.target in self.reported or link.target in self.waiting):
                continue  # a block seen on earlier pages (hacked template): reported on its first page only
            if link.signal or link.hidden.strong:
                if len(self.found) < MAX_FINDINGS:
                    self.found.append(self._finding(link, link.signal))
                    self.reported.add(link.target)
            elif len(self.unconfirmed) < MAX_UNCONFIRMED and link.target not in self.waiting:
                self.unconfirmed.append(link)
                self.waiting.add(link.target)

    async def finish(self) -> Iterable[Finding]:
        return self.found + await self._confirm_by_target()

    def check_page(self, page: Page) -> list[Finding]:
        """Findings of one page without fetching any target (tests, single-page use)."""
        return [self._finding(link, link.signal) for link in self.scan(page) if link.signal or link.hidden.strong]

    def scan(self, page: Page) -> Iterator[HiddenCandidate]:
        """Every hidden off-site link of the page, once per target."""
        if not page.html or "<a" not in page.html.lower():
            return
        styles: PageStyles | None = None
        seen: set[str] = set()
        for node in page.dom.css("a[href]"):
            target = self._external_target(page.url, node.attributes.get("href") or "")
            if target is None or target in seen:
                continue
            styles = styles or PageStyles(page.dom)
            hidden = styles.hidden(node)
            if hidden is None:
                continue
            seen.add(target)
            anchor = node.text(deep=True, separator=" ", strip=True)
            signal = self._signal(target, anchor, node.attributes.get("title") or "")
            yield HiddenCandidate(page.url, target, anchor, hidden, signal, _evidence(node))

    def _finding(self, link: HiddenCandidate, signal: str | None) -> Finding:
        detail: dict[str, Any] = {"anchor": mask(link.anchor), "hidden_by": link.hidden.reason}
        if signal:
            detail["signal"] = signal
        return self.finding(
            link.page_url, target=link.target, evidence=link.evidence, severity="veto" if signal else "deduct", **detail
        )

    async def _confirm_by_target(self) -> list[Finding]:
        """Hidden links without a signal of their own (display:none …) count when their target
        serves prohibited content: one fetch per target host, at most ``max_target_fetches``."""
        fetch = self.ctx.fetch
        if fetch is None or not self.ctx.config.check_external_links or not self.unconfirmed:
            return []
        limit = int(self.ctx.options(self.id).get("max_target_fetches", MAX_TARGET_FETCHES))
        by_host: dict[str, list[HiddenCandidate]] = {}
        for link in self.unconfirmed:
            by_host.setdefault(urlsplit(link.target).netloc.lower(), []).append(link)
        out: list[Finding] = []
        for links in list(by_host.values())[:limit]:
            try:
                target_page = await fetch(links[0].target)
            except FetchError:
                continue
            if not 200 <= target_page.status < 300 or target_page.kind != "html":
                continue
            text = "\n".join([target_page.title, target_page.meta_value("keywords") or "", target_page.text])
            hits = self.matcher.find(text)
            if hits:
                signal = f"target:{hits[0].word}({hits[0].category})"
                out.extend(self._finding(link, signal) for link in links)
        return out

    def _external_target(self, base: str, href: str) -> str | None:
        href = href.strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            return None
        try:
            target = urljoin(base, href).split("#", 1)[0]
            parts = urlsplit(target)
        except ValueError:
            return None
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return None
        if parts.netloc.lower() in self.site_hosts or parts.hostname.lower() in self.site_hosts:
            return None
        host = parts.hostname.lower()
        if registered_domain(host) in self.site_domains and not _is_ip(host):
            return None
        if self.lexicon.is_benign_host(host):
            return None
        return target

    def _signal(self, target: str, anchor: str, title: str) -> str | None:
        for text in (anchor, title):
            hits = self.matcher.find(text) if text else []
            if hits:
                return f"word:{hits[0].word}({hits[0].category})"
        parts = urlsplit(target)
        host = (parts.hostname or "").lower()
        category = self.lexicon.spam_host_category(host)
        if category:
            return f"host:{host}({category})"
        path = parts.path + ("?" + parts.query if parts.query else "")
        if any(p.search(path) for p in self.lexicon.spam_paths):
            return "path"
        return None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _evidence(node: Any) -> str:
    """The hidden container's markup (or the link's), shortened."""
    container = node
    for _ in range(3):
        parent = container.parent
        if parent is None or parent.tag in ("body", "html"):
            break
        container = parent
        if "style" in parent.attributes or "hidden" in parent.attributes:
            break
    html = container.html or ""
    return html if len(html) <= _EVIDENCE_CHARS else html[: _EVIDENCE_CHARS - 1] + "…"
