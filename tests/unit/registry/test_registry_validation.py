"""Value parsing of the import validation (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from govinspect.registry.validation import BOOLEANS, CATEGORIES, PLATFORMS, STATUSES, parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-01", dt.date(2025, 3, 1)),
        ("2025/3/1", dt.date(2025, 3, 1)),
        ("2025年3月1日", dt.date(2025, 3, 1)),
        ("2025-03-01 00:00:00", dt.date(2025, 3, 1)),
        ("2025-02-30", None),
        ("03/01/2025", None),
        ("", None),
    ],
)
def test_parse_date(text, expected) -> None:
    assert parse_date(text) == expected


def test_vocabularies_accept_labels_values_and_aliases() -> None:
    assert PLATFORMS["微信"] == PLATFORMS["wechat"] == PLATFORMS["微信公众号"] == "wechat"
    assert PLATFORMS["视频号"] == "channels" and PLATFORMS["APP"] == "app"
    assert "推特" not in PLATFORMS
    assert CATEGORIES["县级门户网站"] == "county_portal" and CATEGORIES["省级部门网站"] == "provincial_department"
    assert STATUSES[""] == "open" and STATUSES["已关停"] == STATUSES["关停"] == "closed"
    assert BOOLEANS["是"] is True and BOOLEANS[""] is False
