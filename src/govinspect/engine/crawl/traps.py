"""Crawler traps: URL spaces without end. A trap is stopped (its URLs no longer followed)
and reported once per pattern as a ``crawl.trap`` notice.

Kinds:
- ``calendar``: a date in the URL outside [as_of − 30 years, as_of + 1 year], a date
  parameter more than 62 days after as_of (a calendar's "next month" chain), or more
  than ``calendar_limit`` distinct dates under one path (query-string calendars);
- ``repeating_path``: one segment three times, or a run of segments repeated
  (``/a/b/a/b/``) — relative links resolved against a wrong base;
- ``query_explosion``: more than ``query_limit`` distinct query strings on one path, or
  more than ``max_params`` parameters;
- ``session_id``: session ids in URLs (stripped by normalisation; reported once);
- ``too_long`` / ``too_deep``: URL over 1,000 characters or path over 20 segments.
Memory: one counter per (path) pattern with a bounded set of query hashes; at most
``max_patterns`` patterns are tracked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import parse_qsl, urlsplit

from govinspect.engine.crawl.normalize import has_session_id

# /2031/05/, /2031-05, 2031年5月 in a path; 2031-05, 203105, 2031 as a date-like parameter's value
_PATH_DATE_RE = re.compile(r"(?:^|/)(\d{4})(?:/|-|年)(\d{1,2})(?=$|[/\-月._])")
_DIGITS_RE = re.compile(r"\d+")
_SEP_DATE_RE = re.compile(r"^(\d{4})[-/年](\d{1,2})(?:[-/月]\d{1,2}日?)?$")
_VALUE_DATE_RE = re.compile(r"^(\d{4})(?:[-/年]?(\d{1,2})(?:[-/月]?\d{1,2}日?)?)?$")
_DATE_PARAM_RE = re.compile(r"^(?:y|m|d|ym|ymd|year|month|day|date|time|cal|calendar|week|rq|nf|yf)$", re.I)


FUTURE_DAYS = 62  # a calendar may link next month; a date parameter further ahead is a trap


@dataclass(frozen=True, slots=True)
class Trap:
    kind: str
    pattern: str  # what is no longer followed (a path, or a description)
    example: str  # the URL that revealed it


class TrapDetector:
    def __init__(
        self,
        as_of: date,
        *,
        query_limit: int = 1000,
        calendar_limit: int = 120,
        max_params: int = 12,
        max_patterns: int = 20_000,
    ) -> None:
        self.latest_query_date = as_of + timedelta(days=FUTURE_DAYS)
        self.min_year = as_of.year - 30
        self.max_year = as_of.year + 1
        self.query_limit = query_limit
        self.calendar_limit = calendar_limit
        self.max_params = max_params
        self.max_patterns = max_patterns
        self._queries: dict[str, set[int]] = {}
        self._stopped: set[str] = set()
        self.traps: list[Trap] = []
        self._session_reported = False
        self._reported: set[tuple[str, str]] = set()

    def check(self, url: str, raw_url: str | None = None) -> Trap | None:
        """None when ``url`` may be crawled; else the trap (new ones are in ``self.traps``).

        ``raw_url`` is the URL as found (before session ids were stripped)."""
        parts = urlsplit(url)
        path = parts.path or "/"
        if _shape(path) in self._stopped:
            return Trap("stopped", path, url)
        if raw_url and not self._session_reported and has_session_id(raw_url):
            self._session_reported = True
            self._new(Trap("session_id", "session ids in URLs (stripped)", raw_url), stop=None)
        if len(url) > 1000:
            return self._new(Trap("too_long", path, url), stop=None)
        segments = [s for s in path.split("/") if s]
        if len(segments) > 20:
            return self._new(Trap("too_deep", path, url), stop=None)
        repeated = _repeating(segments)
        if repeated:
            return self._new(Trap("repeating_path", repeated, url), stop=None)
        year = _out_of_range_year(parts.path, parts.query, self.min_year, self.max_year, self.latest_query_date)
        if year:
            return self._new(Trap("calendar", path, url), stop=path)
        if parts.query:
            params = parse_qsl(parts.query, keep_blank_values=True)
            if len(params) > self.max_params:
                return self._new(Trap("query_explosion", path, url), stop=None)
            calendar = any(_DATE_PARAM_RE.match(k) or _SEP_DATE_RE.match(v) for k, v in params)
            limit = self.calendar_limit if calendar else self.query_limit
            seen = self._queries.get(path)
            if seen is None:
                if len(self._queries) >= self.max_patterns:
                    return None
                seen = self._queries[path] = set()
            seen.add(hash(parts.query))
            if len(seen) > limit:
                del self._queries[path]
                return self._new(Trap("calendar" if calendar else "query_explosion", path, url), stop=path)
        return None

    def _new(self, trap: Trap, stop: str | None) -> Trap:
        if stop is not None:
            self._stopped.add(_shape(stop))
        key = (trap.kind, _shape(trap.pattern))
        if key not in self._reported:  # one report per kind and pattern, not per URL
            self._reported.add(key)
            self.traps.append(trap)
        return trap


def _shape(path: str) -> str:
    return _DIGITS_RE.sub("#", path)


def _repeating(segments: list[str]) -> str | None:
    counts: dict[str, int] = {}
    for s in segments:
        counts[s] = counts.get(s, 0) + 1
        if counts[s] >= 3 and not s.isdigit():
            return s
    n = len(segments)
    for size in range(1, n // 2 + 1):
        for start in range(0, n - 2 * size + 1):
            run = segments[start : start + size]
            if run == segments[start + size : start + 2 * size] and not all(x.isdigit() for x in run):
                return "/".join(run)
    return None


def _out_of_range_year(path: str, query: str, lo: int, hi: int, latest: date) -> int | None:
    for m in _PATH_DATE_RE.finditer(path):
        year, month = int(m.group(1)), int(m.group(2))
        if (year < lo or year > hi) and 1 <= month <= 12:
            return year
    if query:
        for key, value in parse_qsl(query, keep_blank_values=True):
            value = value.strip()
            m = _VALUE_DATE_RE.match(value) if _DATE_PARAM_RE.match(key) else _SEP_DATE_RE.match(value)
            if not m:
                continue
            year = int(m.group(1))
            month = int(m.group(2)) if m.group(2) else 1
            if year < lo or year > hi:
                return year
            if 1 <= month <= 12 and date(year, month, 1) > latest:
                return year
    return None
