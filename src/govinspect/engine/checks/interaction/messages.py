"""Reading message boards (留言/咨询/信箱) and the survey shared by the interaction checks.

A message is read from its detail page (labelled fields in a table or in text:
留言时间, 答复时间, 答复单位, 答复内容 …) or, when the site has no detail pages, from a
row of a message list (title, asked date, status). The detail page wins when both exist.
The vocabulary is data (labels.toml).
"""

from __future__ import annotations

import asyncio
import logging
import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from govinspect.engine.columns.listpage import listing_of
from govinspect.engine.page.dates import iter_dates, normalize
from govinspect.errors import FetchError
from govinspect.findings import normalize_url

if TYPE_CHECKING:
    from govinspect.engine.checks.base import CheckContext
    from govinspect.engine.page.model import Page

log = logging.getLogger(__name__)
CACHE_KEY = "interaction.survey"
MAX_MESSAGES = 5000
_CJK = re.compile(r"[\u4e00-\u9fff]")
_PUNCT = re.compile(r"[\s，。！？、；：,.!?;:“”\"'（）()【】\[\]…—\-]+")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    labels: dict[str, tuple[str, ...]]
    unanswered: tuple[str, ...]
    answered: tuple[str, ...]
    invalid: tuple[str, ...]
    channel_include: tuple[str, ...]
    channel_exclude: tuple[str, ...]
    column_words: tuple[str, ...]
    formulas: tuple[str, ...]
    deflection: tuple[str, ...]
    min_substance_chars: int
    too_short_chars: int


LABELS_PATH = Path(__file__).with_name("labels.toml")


@cache
def vocabulary(path: Path = LABELS_PATH) -> Vocabulary:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    labels = {k: tuple(v) for k, v in data["labels"].items()}
    per = data["perfunctory"]
    return Vocabulary(
        labels=labels,
        unanswered=tuple(data["status"]["unanswered"]),
        answered=tuple(data["status"]["answered"]),
        invalid=tuple(data["status"]["invalid"]),
        channel_include=tuple(data["channels"]["include"]),
        channel_exclude=tuple(data["channels"]["exclude"]),
        column_words=tuple(data["channels"]["columns"]),
        formulas=tuple(sorted(per["formulas"], key=len, reverse=True)),
        deflection=tuple(per["deflection"]),
        min_substance_chars=int(per["min_substance_chars"]),
        too_short_chars=int(per["too_short_chars"]),
    )


@dataclass(frozen=True, slots=True)
class Message:
    url: str
    column: str
    asked: date | None
    answered: date | None = None
    unit: str = ""
    reply: str = ""  # at most 300 characters are kept
    question_chars: int = 0
    status: str = ""  # "answered" | "unanswered" | "invalid" | ""
    from_detail: bool = False

    @property
    def has_reply(self) -> bool:
        return bool(self.reply) or self.answered is not None or self.status == "answered"


@dataclass(slots=True)
class Channel:
    name: str
    url: str


def _label_of(cell: str, vocab: Vocabulary) -> str | None:
    text = normalize(cell).strip().rstrip(":：").replace(" ", "")
    for kind, names in vocab.labels.items():
        if text in names:
            return kind
    return None


def labelled_fields(page: Page, vocab: Vocabulary | None = None) -> dict[str, str]:
    """Label → value from table cells (label cell, value cell) and "label：value" text."""
    vocab = vocab or vocabulary()
    fields: dict[str, str] = {}
    for table in page.tables:
        for row in table:
            for i in range(len(row) - 1):
                kind = _label_of(row[i], vocab)
                if kind and kind not in fields and _label_of(row[i + 1], vocab) is None:
                    fields[kind] = row[i + 1].strip()
    all_labels = sorted(((n, k) for k, ns in vocab.labels.items() for n in ns), key=lambda x: -len(x[0]))
    pattern = re.compile("(" + "|".join(re.escape(n) for n, _ in all_labels) + r")\s*[:：]\s*")
    kinds = dict(all_labels)
    for block in page.text_blocks:
        if block.region in ("header", "nav", "footer"):
            continue
        text = normalize(block.text)
        matches = list(pattern.finditer(text))
        for j, m in enumerate(matches):
            kind = kinds[m[1]]
            end = matches[j + 1].start() if j + 1 < len(matches) else len(text)
            value = text[m.end() : end].strip()
            if kind not in fields and value:
                fields[kind] = value
    return fields


def _status(text: str, vocab: Vocabulary) -> str:
    if any(w in text for w in vocab.invalid):
        return "invalid"
    if any(w in text for w in vocab.unanswered):
        return "unanswered"
    if any(w in text for w in vocab.answered):
        return "answered"
    return ""


def _first_date(value: str | None) -> date | None:
    if not value:
        return None
    found = next(iter_dates(value, None, partial=False), None)
    return found.value if found else None


def column_name(page: Page) -> str:
    return (page.meta_value("columnname") or "").strip()


def is_message_column(name: str, vocab: Vocabulary) -> bool:
    return any(w in name for w in vocab.column_words) and not any(w in name for w in vocab.channel_exclude)


def message_from_detail(page: Page, vocab: Vocabulary | None = None) -> Message | None:
    vocab = vocab or vocabulary()
    fields = labelled_fields(page, vocab)
    asked = _first_date(fields.get("asked"))
    if asked is None or not ("question" in fields or "title" in fields or "reply" in fields):
        return None
    reply = fields.get("reply", "")
    status = _status(fields.get("status", ""), vocab)
    if reply in ("无", "暂无", "-", "—", "/"):
        reply = ""
    elif len(reply) <= 12 and _status(reply, vocab) == "unanswered":
        reply, status = "", status or "unanswered"  # "暂未答复" stands where the reply would be
    if not status and not reply and "answered" not in fields:
        status = "unanswered" if any(w in page.text for w in vocab.unanswered) else ""
    return Message(
        url=normalize_url(page.url),
        column=column_name(page),
        asked=asked,
        answered=_first_date(fields.get("answered")),
        unit=fields.get("unit", "")[:60],
        reply=reply[:300],
        question_chars=len(fields.get("question", "")),
        status=status,
        from_detail=True,
    )


def messages_from_list(
    page: Page, as_of: date, vocab: Vocabulary | None = None, cache: dict[str, Any] | None = None
) -> list[Message]:
    """Rows of a message list page: title link, asked date, status words in the row."""
    vocab = vocab or vocabulary()
    listing = listing_of(page, as_of, cache)
    name = listing.column_name or page.title
    out = []
    for item in listing.items:
        if item.date is None:
            continue
        row = item.context.replace(item.title, " ")
        status = _status(row, vocab)
        dates = [f.value for f in iter_dates(row, as_of) if f.value >= item.date]
        answered = dates[1] if len(dates) >= 2 else None  # a second date in the row: 答复时间
        if answered is not None and not status:
            status = "answered"
        out.append(Message(url=normalize_url(item.url), column=name, asked=item.date, answered=answered, status=status))
    return out


def substance(reply: str, vocab: Vocabulary) -> str:
    text = normalize(reply)
    for formula in vocab.formulas:
        text = text.replace(formula, "")
    return "".join(_CJK.findall(_PUNCT.sub("", text)))


def perfunctory_reason(message: Message, vocab: Vocabulary | None = None) -> str | None:
    """Why a published reply is perfunctory (敷衍), or None."""
    vocab = vocab or vocabulary()
    reply = message.reply.strip()
    if not reply:
        return None
    chars = len(_PUNCT.sub("", reply))
    if chars < vocab.too_short_chars or (message.question_chars and chars * 5 < message.question_chars and chars < 30):
        return "too_short"
    if any(d in reply for d in vocab.deflection) and len(substance(reply, vocab)) < 40:
        return "deflection"
    if len(substance(reply, vocab)) < vocab.min_substance_chars:
        return "template"
    return None


class MessageSurvey:
    def __init__(self, ctx: CheckContext) -> None:
        self.ctx = ctx
        self.vocab = vocabulary()
        self.home = normalize_url(ctx.site.home_url)
        self.messages: dict[str, Message] = {}
        self.channels: dict[str, Channel] = {}
        self.loaded: dict[str, bool] = {}  # url -> page loaded (status < 400)
        self.forms_on: set[str] = set()  # pages with a message form (textarea)
        self._done = False
        self._lock = asyncio.Lock()

    @classmethod
    def of(cls, ctx: CheckContext) -> MessageSurvey:
        return ctx.per_site(CACHE_KEY, cls)

    def observe(self, page: Page) -> None:
        url = normalize_url(page.url)
        if url in self.loaded:
            return
        self.loaded[url] = page.status < 400
        if page.is_homepage or normalize_url(page.requested_url) == self.home:
            self.loaded[self.home] = page.status < 400
        if page.kind != "html" or page.status >= 400:
            return
        self._channels(page)
        if any(kind == "textarea" for form in page.forms for _, kind in form.inputs):
            self.forms_on.add(url)
        if len(self.messages) >= MAX_MESSAGES:
            return
        message = message_from_detail(page, self.vocab)
        if message is not None:
            column = message.column or self._column_of(page)
            self.messages[message.url] = replace(message, column=column)
            return
        name = column_name(page) or page.title
        if is_message_column(name, self.vocab):
            for m in messages_from_list(page, self.ctx.as_of, self.vocab, self.ctx.cache):
                known = self.messages.get(m.url)
                if known is None or not known.from_detail:
                    self.messages[m.url] = m

    def _column_of(self, page: Page) -> str:
        referrer = normalize_url(page.referrer) if page.referrer else None
        if referrer and referrer in self.channels:
            return self.channels[referrer].name
        return page.title

    def _channels(self, page: Page) -> None:
        for link in page.links:
            if link.tag != "a" or not link.text:
                continue
            name = link.text.strip()
            if len(name) > 12:
                continue
            if any(w in name for w in self.vocab.channel_include) and not any(
                w in name for w in self.vocab.channel_exclude
            ):
                url = normalize_url(link.url)
                if url not in self.channels and len(self.channels) < 50:
                    self.channels[url] = Channel(name, url)

    async def working_channel(self) -> Channel | None:
        """A channel whose page loads (fetched once if the crawl did not reach it)."""
        async with self._lock:
            for url, channel in self.channels.items():
                if self.loaded.get(url):
                    return channel
            for url, channel in list(self.channels.items())[:2]:
                if url in self.loaded or self.ctx.fetch is None:
                    continue
                try:
                    page = await self.ctx.fetch(channel.url)
                except FetchError as exc:
                    log.info("channel %s not reachable: %s", channel.url, exc)
                    self.loaded[url] = False
                    continue
                self.observe(page)
                if self.loaded.get(url):
                    return channel
            return None

    def summary(self) -> dict[str, Any]:
        return {"messages": len(self.messages), "channels": len(self.channels)}


@dataclass
class ReplyIndex:
    """Replies seen verbatim on several messages."""

    counts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, messages: list[Message]) -> ReplyIndex:
        index = cls()
        for m in messages:
            if m.reply:
                key = _PUNCT.sub("", normalize(m.reply))
                index.counts[key] = index.counts.get(key, 0) + 1
        return index

    def count(self, reply: str) -> int:
        return self.counts.get(_PUNCT.sub("", normalize(reply)), 0)
