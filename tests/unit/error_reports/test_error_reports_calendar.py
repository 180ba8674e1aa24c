"""Working days on the official calendar: the 2025 National Day holiday and adjusted working days."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from govinspect.error_reports.calendar import add_working_days, covers, is_working_day, working_days_between

D = dt.date


def test_the_calendar_itself_says_what_the_tests_assume() -> None:
    # Sunday 2025-09-28 and Saturday 2025-10-11 were adjusted working days; Oct 1-8 a holiday.
    assert D(2025, 9, 28).weekday() == 6 and chinese_calendar.is_workday(D(2025, 9, 28))
    assert D(2025, 10, 11).weekday() == 5 and chinese_calendar.is_workday(D(2025, 10, 11))
    assert all(chinese_calendar.is_holiday(D(2025, 10, day)) for day in range(1, 9))
    assert chinese_calendar.is_holiday(D(2025, 9, 27))  # an ordinary Saturday


@pytest.mark.parametrize(
    ("received", "deadline"),
    [
        (D(2025, 9, 24), D(2025, 9, 28)),  # Wed: Thu, Fri, then the working Sunday
        (D(2025, 9, 26), D(2025, 9, 30)),  # Fri: Sun 28 (working), Mon 29, Tue 30
        (D(2025, 9, 27), D(2025, 9, 30)),  # an ordinary Saturday: same three days
        (D(2025, 9, 29), D(2025, 10, 10)),  # Mon: Tue 30, then the holiday, then Thu 9 and Fri 10
        (D(2025, 9, 30), D(2025, 10, 11)),  # Tue: Thu 9, Fri 10, the working Saturday 11
        (D(2025, 10, 1), D(2025, 10, 11)),  # during the holiday
        (D(2025, 10, 8), D(2025, 10, 11)),  # last holiday day
        (D(2025, 10, 10), D(2025, 10, 14)),  # Fri: Sat 11 (working), Mon 13, Tue 14
        (D(2025, 10, 13), D(2025, 10, 16)),  # an ordinary week
    ],
)
def test_three_working_days_across_national_day(received: dt.date, deadline: dt.date) -> None:
    assert add_working_days(received, 3) == deadline


def test_working_day_flags() -> None:
    assert is_working_day(D(2025, 10, 11)) and is_working_day(D(2025, 9, 28))
    assert not is_working_day(D(2025, 10, 6)) and not is_working_day(D(2025, 10, 12))


def test_working_days_between_counts_the_end_not_the_start() -> None:
    assert working_days_between(D(2025, 9, 30), D(2025, 10, 11)) == 3
    assert working_days_between(D(2025, 10, 11), D(2025, 10, 11)) == 0
    assert working_days_between(D(2025, 9, 30), D(2025, 10, 8)) == 0


def test_zero_days_is_the_same_day_and_negative_is_refused() -> None:
    assert add_working_days(D(2025, 10, 3), 0) == D(2025, 10, 3)
    with pytest.raises(ValueError):
        add_working_days(D(2025, 10, 3), -1)


def test_years_beyond_the_calendar_fall_back_to_weekdays(caplog: pytest.LogCaptureFixture) -> None:
    far = D(2099, 1, 2)  # a Friday, outside any release of the package
    assert not covers(2099)
    assert add_working_days(far, 1) == D(2099, 1, 5)  # the Monday
    assert "no data for 2099" in caplog.text
