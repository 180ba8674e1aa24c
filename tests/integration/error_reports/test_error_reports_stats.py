"""Deadlines stored at intake and the notice's figures: 173 messages, 2 answered late → 98.8%."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from govinspect.error_reports import services
from govinspect.error_reports.models import ErrorReport

TZ = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, h: int = 10) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=TZ)


def file(site, when: dt.datetime, text: str = "栏目三个月未更新") -> ErrorReport:
    return services.submit(services.Submission(site=site, category="not_updated", description=text), when).report


def test_deadline_across_national_day_and_the_working_saturday(world) -> None:
    report = file(world.site_jj, at(2025, 9, 30, 16))
    assert report.deadline == dt.date(2025, 10, 11)  # Oct 9, 10 and the working Saturday 11
    services.answer(report, world.organizer_jj, "已更新。", at=at(2025, 10, 11, 17))
    stats = services.error_report_stats(dt.date(2025, 9, 1), dt.date(2025, 9, 30), as_of=dt.date(2025, 12, 31))
    assert (stats["received"], stats["closed_on_time"], stats["on_time_rate"]) == (1, 1, Decimal("100.0"))


def test_answer_on_the_day_after_the_deadline_is_late(world) -> None:
    report = file(world.site_jj, at(2025, 9, 26))  # Friday; the Sunday 28th is a working day
    assert report.deadline == dt.date(2025, 9, 30)
    services.answer(report, world.organizer_jj, "已处理。", at=at(2025, 10, 9, 9))
    stats = services.error_report_stats(dt.date(2025, 9, 1), dt.date(2025, 9, 30), as_of=dt.date(2025, 12, 31))
    assert stats["closed_on_time"] == 0 and stats["on_time_rate"] == Decimal("0.0")
    assert [o["ticket"] for o in stats["overdue"]] == [report.ticket]
    assert stats["overdue"][0]["working_days_late"] == 1  # Oct 9 is the first working day after Sep 30


def test_deadline_follows_the_setting(world, settings) -> None:
    settings.ERROR_REPORT_ANSWER_DAYS = 5
    assert file(world.site_jj, at(2025, 9, 26)).deadline == dt.date(2025, 10, 10)


def test_173_messages_two_late_give_98_8_percent(world) -> None:
    start = at(2025, 10, 9)
    late = {17, 120}
    for i in range(173):
        received = start + dt.timedelta(hours=11 * i)  # spread over the quarter
        report = file(world.site_jj if i % 2 else world.site_zg, received, f"留言 {i}")
        answered = received + dt.timedelta(hours=6)
        if i in late:
            answered = dt.datetime.combine(report.deadline + dt.timedelta(days=2), dt.time(10), tzinfo=TZ)
        services.answer(report, None, "已处理。", at=answered)
    stats = services.error_report_stats(dt.date(2025, 10, 1), dt.date(2025, 12, 31), as_of=dt.date(2026, 1, 31))
    assert stats["received"] == 173
    assert stats["closed"] == 173 and stats["closed_on_time"] == 171
    assert stats["on_time_rate"] == Decimal("98.8")
    assert f"{float(stats['on_time_rate']):g}%" == "98.8%"  # as the notice generator prints it
    assert len(stats["overdue"]) == 2
    assert stats["average_handling_hours"] < 24  # 平均办理时长小于1天
    # by region: Chengdu holds the odd ones
    chengdu = services.error_report_stats(
        dt.date(2025, 10, 1), dt.date(2025, 12, 31), world.chengdu, dt.date(2026, 1, 31)
    )
    assert chengdu["received"] == 86 and chengdu["region"] == "510100"
    assert services.error_report_stats(dt.date(2025, 10, 1), dt.date(2025, 12, 31), "510300")["received"] == 87


def test_open_messages_count_once_their_deadline_has_passed(world) -> None:
    pending = file(world.site_jj, at(2025, 12, 30))  # deadline 2026-01-05 (New Year holiday)
    overdue = file(world.site_jj, at(2025, 12, 1))  # deadline 2025-12-04
    answered = file(world.site_jj, at(2025, 12, 2))
    services.answer(answered, world.organizer_jj, "好的", at=at(2025, 12, 2, 15))
    stats = services.error_report_stats(dt.date(2025, 10, 1), dt.date(2025, 12, 31), as_of=dt.date(2025, 12, 31))
    assert (stats["received"], stats["closed"], stats["due"], stats["pending"]) == (3, 1, 2, 1)
    assert stats["on_time_rate"] == Decimal("50.0")
    assert stats["average_handling_hours"] == Decimal("5.0")
    assert [o["ticket"] for o in stats["overdue"]] == [overdue.ticket]
    assert list(services.overdue_reports(as_of=dt.date(2025, 12, 31))) == [overdue]
    assert list(services.overdue_reports(as_of=dt.date(2025, 12, 31), region="510300")) == []
    assert pending.deadline == dt.date(2026, 1, 5)
    assert services.notice_statistics(dt.date(2025, 10, 1), dt.date(2025, 12, 31))["received"] == 3


def test_an_answer_given_after_as_of_is_not_yet_known(world) -> None:
    report = file(world.site_jj, at(2025, 12, 29))
    services.answer(report, None, "答复", at=at(2026, 1, 2))
    before = services.error_report_stats(dt.date(2025, 10, 1), dt.date(2025, 12, 31), as_of=dt.date(2025, 12, 31))
    after = services.error_report_stats(dt.date(2025, 10, 1), dt.date(2025, 12, 31), as_of=dt.date(2026, 1, 31))
    assert (before["closed"], before["pending"], after["closed_on_time"]) == (0, 1, 1)


@pytest.mark.parametrize("bad", ["", "   "])
def test_an_empty_answer_is_refused(world, bad: str) -> None:
    with pytest.raises(services.TransitionError):
        services.answer(file(world.site_jj, at(2025, 10, 9)), None, bad)
