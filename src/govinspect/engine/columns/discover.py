"""Candidate columns (栏目) of a site: the short-named links of navigation bars, home-page
block titles and "更多" links, and the sub-column menus of column pages.

A candidate becomes a column only when its page turns out to be a list page (see
``listpage.ListPage.is_list``); this module only proposes (name, url) pairs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from govinspect.engine.columns.classify import Rules, rules
from govinspect.engine.page.dates import iter_dates, normalize

MIN_NAME, MAX_NAME = 2, 12
# URLs of articles (content pages), never columns
_ARTICLE_URL = re.compile(
    r"/t(?:19|20)\d{6}_|/art/(?:19|20)\d{2}/|/art_\d+_\d+|/content_\d+|/(?:19|20)\d{2}-?\d{2}/\d{2}/|"
    r"/(?:19|20)\d{6}/|\.(?:pdf|docx?|xlsx?|zip|rar|jpe?g|png|gif)$",
    re.I,
)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "strong", "b", "span", "div", "em")


@dataclass(frozen=True, slots=True)
class Candidate:
    name: str  # the link text as shown ("" when only a 更多 link leads there)
    url: str
    source: str  # "link" or "more"


def _same_site(url: str, hosts: frozenset[str]) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and parts.netloc.lower() in hosts


def _block_title(anchor: LexborNode, rule_set: Rules) -> str:
    """The title of the block a 更多 link closes: a short text sibling before it."""
    node = anchor.parent
    for _ in range(3):
        if node is None:
            break
        for child in node.iter():
            if child is anchor or child.mem_id == anchor.mem_id:
                break
            text = " ".join(normalize(child.text(separator=" ")).split())
            if MIN_NAME <= len(text) <= MAX_NAME and text not in rule_set.more_names and child.tag in _HEADINGS:
                return text
        node = node.parent
    return ""


def candidates(
    tree: LexborHTMLParser,
    base_url: str,
    hosts: frozenset[str],
    rule_set: Rules | None = None,
) -> list[Candidate]:
    rule_set = rule_set or rules()
    out: list[Candidate] = []
    seen: set[str] = set()
    for anchor in tree.css("a[href]"):
        href = (anchor.attributes.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "#", "mailto:", "tel:")):
            continue
        url = urljoin(base_url, href).split("#", 1)[0]
        if not _same_site(url, hosts) or _ARTICLE_URL.search(urlsplit(url).path):
            continue
        name = " ".join(normalize(anchor.text(separator=" ")).split())
        if name in rule_set.more_names or name.rstrip("+>》 ") in {"更多", "more", "MORE", "More"}:
            key = url + "\x00more"
            if key not in seen:
                seen.add(key)
                out.append(Candidate(_block_title(anchor, rule_set), url, "more"))
            continue
        if not (MIN_NAME <= len(name) <= MAX_NAME) or name in rule_set.ignore_names:
            continue
        if next(iter_dates(name), None) is not None:
            continue
        if url in seen:
            continue
        seen.add(url)
        out.append(Candidate(name, url, "link"))
    return out
