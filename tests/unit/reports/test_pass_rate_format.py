"""Pass rates as a notice writes them, and the attachment title per quarter."""

from __future__ import annotations

from decimal import Decimal

import pytest

from govinspect.inspections.aggregates import format_rate, pass_rate
from govinspect.reports.attachment import attachment_title


@pytest.mark.parametrize(
    ("passed", "checked", "text"),
    [(664, 664, "100%"), (3718, 3722, "99.89%"), (663, 664, "99.85%"), (0, 5, "0%"), (1, 3, "33.33%")],
)
def test_rates(passed, checked, text):
    assert format_rate(pass_rate(passed, checked)) == text


def test_nothing_checked():
    assert pass_rate(0, 0) is None and format_rate(None) == "未检查"
    assert pass_rate(3718, 3722) == Decimal("99.89")


def test_titles():
    assert attachment_title("2025Q4") == "第四季度全省政府网站与政务新媒体检查情况"
    assert attachment_title("2026Q1", "全市") == "第一季度全市政府网站与政务新媒体检查情况"
