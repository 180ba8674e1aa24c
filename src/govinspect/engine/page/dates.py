"""Dates in government pages: list items, article publication dates, URLs.

All resolution of partial dates (``[12-15]``, ``12月15日``) is against the inspection's
``as_of``, never the wall clock: a month-day without a year takes the latest year that
does not put it after ``as_of``.

Article publication date, most trusted source first:
1. ``<meta name="PubDate">`` (the 网页设计规范 tag) and the common publication metas;
2. labelled text in the article: 发布时间 / 发布日期 / 成文日期 / 时间 … followed by a date;
3. the URL: ``t20251201_…``, ``/art/2025/12/1/``, ``/202512/``… (day precision only when
   the URL carries the day);
4. htmldate, when installed (optional fallback; it misreads ``2024年3月2日`` and may pick a
   date from a related-links list, which is why it comes last).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

MIN_YEAR = 1990

_SEP = r"\s*[-/.．]\s*"
# 2025-12-15, 2025/12/15, 2025.12.15, 2025-12-15 10:30, 2025-12-15T10:30:00
_YMD = re.compile(r"(?<!\d)((?:19|20)\d{2})" + _SEP + r"(\d{1,2})" + _SEP + r"(\d{1,2})(?!\d)")
# 2025年12月15日 (spaces allowed: 2025 年 12 月 15 日)
_CJK_YMD = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
# 20251215 only when clearly a date token (not part of a longer number)
_COMPACT = re.compile(r"(?<![\d])((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")
# month-day without a year: [12-15], (12/15), 12-15, 12月15日
_MD = re.compile(r"(?<![\d\-/.年:])(\d{1,2})[-/.](\d{1,2})(?![\d\-/.:%])")
_CJK_MD = re.compile(r"(?<![\d年])(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
# 二〇二五年十二月十五日 (成文日期 in documents)
_HAN_DIGITS = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "Ｏ": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_HAN_YMD = re.compile(
    r"([〇○零ＯO一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)

DATE_LABELS = (
    "发布时间",
    "发布日期",
    "发文日期",
    "成文日期",
    "印发日期",
    "公开日期",
    "发稿时间",
    "更新时间",
    "信息时间",
    "日期",
    "时间",
)
_LABEL_RE = re.compile(r"(" + "|".join(DATE_LABELS) + r")\s*[:：]?\s*")

# URL patterns: t20251201_123.html, /art/2025/12/1/, /2025/12/01/, /202512/t…, /2025-12/01/
_URL_T = re.compile(r"[/_t](?:19|20)\d{6}(?=[_./\-]|$)")
_URL_YMD_PATH = re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/")
_URL_YM_DASH = re.compile(r"/((?:19|20)\d{2})-(\d{2})/(\d{2})/")
_URL_YM = re.compile(r"/((?:19|20)\d{2})(0[1-9]|1[0-2])/")
_URL_YMD_DASH = re.compile(r"(?<!\d)((?:19|20)\d{2})-(\d{2})-(\d{2})(?!\d)")

PUBDATE_METAS = (
    "pubdate",
    "publishdate",
    "publish_date",
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "date",
    "firstpublishedtime",
    "published_time",
    "release_date",
    "sp.publishdate",
)

Source = Literal["meta", "label", "url", "htmldate"]


@dataclass(frozen=True, slots=True)
class FoundDate:
    value: date
    start: int
    end: int
    has_year: bool = True


@dataclass(frozen=True, slots=True)
class ArticleDate:
    value: date
    source: Source
    url_date: date | None = None  # the URL's own date, when it has one (day precision)


def normalize(text: str) -> str:
    """Full-width digits and punctuation to ASCII (NFKC keeps CJK characters)."""
    return unicodedata.normalize("NFKC", text)


def _make(year: int, month: int, day: int, as_of: date | None) -> date | None:
    if year < MIN_YEAR:
        return None
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    if as_of is not None and value.year > as_of.year + 1:
        return None
    return value


def _resolve_month_day(month: int, day: int, as_of: date) -> date | None:
    """A month-day without a year: the latest such date on or before as_of (Feb 29 aware)."""
    for year in (as_of.year, as_of.year - 1, as_of.year - 2, as_of.year - 3, as_of.year - 4):
        try:
            value = date(year, month, day)
        except ValueError:
            continue
        if value <= as_of:
            return value
    return None


def _han_number(text: str) -> int:
    if len(text) == 4:
        return int("".join(str(_HAN_DIGITS[c]) for c in text))
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _HAN_DIGITS[text[1]]
    if text.endswith("十"):
        return _HAN_DIGITS[text[0]] * 10
    if "十" in text:
        tens, units = text.split("十")
        return _HAN_DIGITS[tens] * 10 + _HAN_DIGITS[units]
    return _HAN_DIGITS[text]


def iter_dates(text: str, as_of: date | None = None, *, partial: bool = True) -> Iterator[FoundDate]:
    """Every date in ``text`` in order of position. Month-day forms need ``as_of`` and
    ``partial=True``; spans refer to the NFKC-normalised text (same length for CJK text)."""
    text = normalize(text)
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(value: date | None, m: re.Match[str], has_year: bool = True) -> None:
        if value is not None and free(m.start(), m.end()):
            found.append(FoundDate(value, m.start(), m.end(), has_year))
            taken.append((m.start(), m.end()))

    for m in _CJK_YMD.finditer(text):
        add(_make(int(m[1]), int(m[2]), int(m[3]), as_of), m)
    for m in _YMD.finditer(text):
        add(_make(int(m[1]), int(m[2]), int(m[3]), as_of), m)
    for m in _HAN_YMD.finditer(text):
        try:
            add(_make(_han_number(m[1]), _han_number(m[2]), _han_number(m[3]), as_of), m)
        except (KeyError, ValueError):
            continue
    for m in _COMPACT.finditer(text):
        add(_make(int(m[1]), int(m[2]), int(m[3]), as_of), m)
    if partial and as_of is not None:
        for m in _CJK_MD.finditer(text):
            add(_resolve_month_day(int(m[1]), int(m[2]), as_of), m, has_year=False)
        for m in _MD.finditer(text):
            month, day = int(m[1]), int(m[2])
            if 1 <= month <= 12 and 1 <= day <= 31:
                add(_resolve_month_day(month, day, as_of), m, has_year=False)
    yield from sorted(found, key=lambda f: f.start)


def parse_date(text: str, as_of: date | None = None, *, partial: bool = True) -> date | None:
    """The first date in ``text`` (see ``iter_dates``)."""
    return next((f.value for f in iter_dates(text, as_of, partial=partial)), None)


def latest_date(text: str, as_of: date | None = None) -> date | None:
    """The latest date in ``text`` not after ``as_of`` (dates after it are ignored)."""
    dates = [f.value for f in iter_dates(text, as_of) if as_of is None or f.value <= as_of]
    return max(dates) if dates else None


def url_date(url: str) -> date | None:
    """The day a URL names (t20251201_, /art/2025/12/1/, /2025-12/01/), or None.
    Month-only URLs (/202512/) are handled by ``url_month``."""
    path = url.split("?", 1)[0]
    for m in _URL_YMD_PATH.finditer(path):
        value = _make(int(m[1]), int(m[2]), int(m[3]), None)
        if value:
            return value
    for m in _URL_YM_DASH.finditer(path):
        value = _make(int(m[1]), int(m[2]), int(m[3]), None)
        if value:
            return value
    for m in _URL_T.finditer(path):
        digits = m[0][1:]
        value = _make(int(digits[:4]), int(digits[4:6]), int(digits[6:8]), None)
        if value:
            return value
    for m in _URL_YMD_DASH.finditer(path):
        value = _make(int(m[1]), int(m[2]), int(m[3]), None)
        if value:
            return value
    return None


def url_month(url: str) -> tuple[int, int] | None:
    """(year, month) of a /202512/ URL segment, or None."""
    m = _URL_YM.search(url.split("?", 1)[0])
    return (int(m[1]), int(m[2])) if m else None


def meta_date(meta: Mapping[str, str], as_of: date | None = None) -> date | None:
    for name in PUBDATE_METAS:
        value = meta.get(name)
        if value:
            found = parse_date(value, as_of, partial=False)
            if found:
                return found
    return None


def labelled_date(text: str, as_of: date | None = None) -> date | None:
    """A date right after a label (发布时间：2025-12-15 …) in ``text``; 发布 labels win over
    成文日期 and generic 日期/时间 labels."""
    text = normalize(text)
    best: tuple[int, date] | None = None
    for m in _LABEL_RE.finditer(text):
        window = text[m.end() : m.end() + 40]
        first = next(iter_dates(window, as_of, partial=False), None)
        if first is None or first.start > 3:
            continue
        rank = DATE_LABELS.index(m[1])
        rank = 0 if rank < 2 else rank
        if best is None or rank < best[0]:
            best = (rank, first.value)
            if rank == 0:
                break
    return best[1] if best else None


def htmldate_date(html: str, url: str | None = None) -> date | None:
    """htmldate's guess (original publication date), or None when it is not installed."""
    try:
        from htmldate import find_date
    except ImportError:
        return None
    try:
        found = find_date(html, url=url, original_date=True, extensive_search=True, outputformat="%Y-%m-%d")
    except (ValueError, TypeError):
        return None
    return date.fromisoformat(found) if found else None


def article_date(
    url: str,
    *,
    meta: Mapping[str, str] | None = None,
    text: str = "",
    html: str = "",
    as_of: date | None = None,
    use_htmldate: bool = True,
) -> ArticleDate | None:
    """The publication date of an article page (see the module docstring for the order).

    ``text`` is the page's main visible text (labels are searched there); ``html`` is only
    needed for the htmldate fallback."""
    from_url = url_date(url)
    found = meta_date(meta or {}, as_of)
    if found:
        return ArticleDate(found, "meta", from_url)
    found = labelled_date(text, as_of)
    if found:
        return ArticleDate(found, "label", from_url)
    if from_url:
        return ArticleDate(from_url, "url", from_url)
    if use_htmldate and html:
        found = htmldate_date(html, url)
        if found and (as_of is None or found <= as_of):
            return ArticleDate(found, "htmldate", None)
    return None


def suspicious_pubdate(article: ArticleDate, first_seen: date | None) -> str | None:
    """Why a declared publication date looks forged (W-V1 伪造发稿日期), or None:
    later than the first time the page was seen, or earlier than the date in its URL."""
    if first_seen is not None and article.value > first_seen:
        return "later_than_first_seen"
    if article.url_date is not None and article.source != "url" and article.value < article.url_date:
        return "earlier_than_url"
    return None
