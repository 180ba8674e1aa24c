"""Soft 404: a "page not found" answered with 200.

Two signals:
- phrases: the title says so (页面不存在, 404, 找不到 …), or a short page (under 400
  visible characters) says so in its text;
- the host's own not-found page, learnt by requesting a random path once per host: a
  target answering 200 with the same title and about the same amount of text (or
  redirected to the same final URL) is that not-found page.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from govinspect.engine.page.model import Page

_TITLE_RE = re.compile(
    r"not\s*found|页面不存在|页面未找到|找不到(?:该|此|您要的)?页面|无法找到|页面已删除|出错了|错误页|error\s*page",
    re.I,
)
_BODY_RE = re.compile(
    r"(?<![\d第])404(?![\d号期条次届])|not\s*found|页面不存在|页面未找到|找不到(?:您|你)?(?:要|所)?访问的页面|您访问的页面不存在|该页面已(?:被)?删除|"
    r"信息不存在|文章不存在|内容不存在|链接已失效|页面已失效",
    re.I,
)
# "404" alone is weak evidence (国务院令第404号): only in a short title of a short page
_404_RE = re.compile(r"(?<![\d第])404(?![\d号期条次届])")
_ERROR_PATH_RE = re.compile(r"/(?:404|error|notfound|not_found|errorpage)[^/]*$", re.I)
SHORT_PAGE = 400


@dataclass(frozen=True, slots=True)
class NotFoundPrint:
    title: str
    length: int
    final_url: str


def probe_url(origin: str) -> str:
    return f"{origin}/govinspect-probe-{secrets.token_hex(6)}.html"


def fingerprint(page: Page) -> NotFoundPrint:
    return NotFoundPrint(page.title, len(_text_without(page, page.requested_url)), page.url)


def _text_without(page: Page, url: str) -> str:
    text = page.text
    for form in (url, url.split("://", 1)[-1], url.rsplit("/", 1)[-1]):
        if form:
            text = text.replace(form, "")
    return text


def by_phrases(page: Page) -> bool:
    if page.title and _TITLE_RE.search(page.title):
        return True
    text = page.text
    if page.title and len(page.title) <= 30 and _404_RE.search(page.title) and len(text) < 3 * SHORT_PAGE:
        return True
    if len(text) < SHORT_PAGE and _BODY_RE.search(text):
        return True
    return bool(page.redirects) and bool(_ERROR_PATH_RE.search(page.url.split("?", 1)[0]))


def matches(page: Page, known: NotFoundPrint | None) -> bool:
    if known is None:
        return False
    if _is_root(known.final_url):
        # the site sends unknown paths to its home page: only a redirect there from something
        # that is not itself a home or index page is a "not found"
        return bool(page.redirects) and page.url == known.final_url and not _is_index(page.requested_url)
    if page.redirects and page.url == known.final_url and page.url != page.requested_url:
        return True
    if page.title != known.title:
        return False
    length = len(_text_without(page, page.requested_url))
    return abs(length - known.length) <= max(40, known.length // 10)


def _is_root(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


def _is_index(url: str) -> bool:
    path = urlsplit(url).path
    name = path.rsplit("/", 1)[-1].lower()
    return path in ("", "/") or name.startswith(("index.", "default.", "main.")) or name == ""


def is_soft_404(page: Page, known: NotFoundPrint | None) -> bool:
    """A 200 HTML answer that is really "not found"."""
    if page.kind != "html" or not 200 <= page.status < 300:
        return False
    return by_phrases(page) or matches(page, known)
