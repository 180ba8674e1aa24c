"""The immutable page model every check reads.

A page is parsed once (``engine.page.parse``); checks never parse HTML again unless they
need the DOM itself (hidden-link styles), for which ``Page.dom`` gives the parsed tree.
Blocks repeated across a site (header, footer, navigation) carry ``repeated=True`` after
their first sighting, so text checks look at them once per site.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, Literal

PageKind = Literal["html", "attachment", "other"]
LinkTag = Literal["a", "img", "script", "link", "iframe", "frame", "area", "form", "embed",
                  "source", "datastore"]


@dataclass(frozen=True, slots=True)
class Link:
    url: str                 # absolute, fragment removed
    tag: LinkTag             # element it came from; "datastore" = Hanweb <record> CDATA
    text: str = ""           # anchor text, alt or title
    context: str = ""        # a little visible text around it
    raw: str = ""            # the attribute value as written
    attrs: tuple[tuple[str, str], ...] = ()  # the element's attributes (style, class, rel …)
    in_repeated_block: bool = False
    block_hash: str = ""     # the TextBlock (or enclosing block) holding the link
    hidden_by: str = ""      # why it is invisible (e.g. "display:none on div"), "" when visible


@dataclass(frozen=True, slots=True)
class TextBlock:
    text: str                # visible text, whitespace folded
    path: str                # a stable CSS-like path of the block, e.g. "body>div.footer"
    block_hash: str          # hash of the normalised text: equal blocks, equal hashes
    repeated: bool = False   # already seen on an earlier page of this site
    region: Literal["header", "nav", "main", "footer", "aside", "unknown"] = "unknown"


@dataclass(frozen=True, slots=True)
class Form:
    action: str
    method: str
    inputs: tuple[tuple[str, str], ...] = ()   # (name, type)
    text: str = ""                             # labels and button text


@dataclass(frozen=True, eq=False)
class Page:
    url: str                                   # final URL after redirects
    requested_url: str
    status: int
    headers: dict[str, str]                    # lower-case names
    kind: PageKind
    content_type: str = ""
    encoding: str | None = None
    body: bytes = b""                          # raw body (capped); attachments are read from it
    html: str = ""                             # decoded text for HTML pages
    title: str = ""
    links: tuple[Link, ...] = ()
    text_blocks: tuple[TextBlock, ...] = ()
    meta: dict[str, str] = field(default_factory=dict)   # meta name -> content, name lower-cased
    tables: tuple[tuple[tuple[str, ...], ...], ...] = ()  # tables → rows → cells (text)
    forms: tuple[Form, ...] = ()
    footer_text: str = ""
    footer_html: str = ""
    depth: int = 0
    referrer: str | None = None
    is_homepage: bool = False
    fetched_at: datetime | None = None
    redirects: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)  # parser-specific additions

    @cached_property
    def dom(self) -> Any:
        """The selectolax tree of the page (parsed on first use)."""
        from selectolax.lexbor import LexborHTMLParser

        return LexborHTMLParser(self.html)

    @property
    def text(self) -> str:
        """All visible text, blocks joined by newlines."""
        return "\n".join(b.text for b in self.text_blocks)

    @property
    def fresh_text(self) -> str:
        """Visible text of blocks not already seen on this site."""
        return "\n".join(b.text for b in self.text_blocks if not b.repeated)

    def meta_value(self, name: str) -> str | None:
        return self.meta.get(name.lower())
