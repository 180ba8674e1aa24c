"""Working days on the official calendar (国务院办公厅 holiday notices), via ``chinesecalendar``.

No Django here. A period counted in working days starts the day after the event
(开始的当日不计入, Civil Code art. 201): a message received on Friday 2025-09-26 has its
3 working days on Sunday 09-28 (an adjusted working day), Monday 09-29 and Tuesday 09-30.

``chinesecalendar`` knows the years it was released with; for a later year we fall back to
Monday–Friday and log a warning once per year (a system check warns ahead of time).
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import lru_cache

import chinese_calendar

log = logging.getLogger(__name__)
_warned_years: set[int] = set()


@lru_cache(maxsize=4096)
def is_working_day(day: dt.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        if day.year not in _warned_years:
            _warned_years.add(day.year)
            log.warning("chinesecalendar has no data for %s: counting Monday-Friday as working days", day.year)
        return day.weekday() < 5


def covers(year: int) -> bool:
    """Whether the installed calendar knows the official holidays of ``year``."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``start`` (``start`` itself never counts)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    current = start
    remaining = days
    while remaining:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]: how many working days of a period ``end`` used up."""
    count = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count
