"""The effective catalogue: national → province file → saved overrides (from a registered source),
pinned by time, and the catalogue a runner makes active for the checks."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest

from govinspect.errors import ConfigError
from govinspect.indicators import load
from govinspect.indicators.load import Override, catalogue, national_catalogue, province_catalogue


@pytest.fixture
def source():
    versions: list[tuple[datetime, int, str]] = []

    def find(code: str, at: datetime | None):  # type: ignore[no-untyped-def]
        usable = [v for v in versions if at is None or v[0] <= at]
        if code != "51" or not usable:
            return None
        _when, key, text = usable[-1]
        return key, Override.from_toml(text, f"test version {key}")

    load.set_override_source(find)
    yield versions
    load.set_override_source(None)


def test_saved_overrides_apply_after_the_file_and_are_pinned_by_time(source):
    assert province_catalogue("51")["W-V3"].days("window_days") == 14
    source.append((datetime(2026, 1, 1), 1, '[[item]]\nid = "W-V3"\n[item.thresholds]\nwindow_days = 30\n'))
    source.append((datetime(2026, 2, 1), 2, '[[item]]\nid = "W-D7"\ncap = 0.5\n[scoring]\npass_score = 70\n'))
    latest = province_catalogue("510000")
    assert latest["W-V3"].days("window_days") == 14  # version 2 replaces version 1 as a whole
    assert latest["W-D7"].cap == 0.5 and latest.scoring["pass_score"] == 70
    january = province_catalogue("51", at=datetime(2026, 1, 15))
    assert january["W-V3"].days("window_days") == 30 and january["W-D7"].cap == 1
    assert province_catalogue("51", at=datetime(2025, 12, 1))["W-V3"].days("window_days") == 14
    assert province_catalogue("44")["W-V3"].days("window_days") == 14  # another province: no overrides
    assert national_catalogue()["W-D7"].cap == 1  # the national catalogue is untouched


@pytest.mark.parametrize(
    "text, message",
    [
        ('[[item]]\nid = "W-V3"\n[item.thresholds]\nwindow_day = 30\n', "has no thresholds"),
        ('[[item]]\nid = "W-V99"\n', "unknown indicator"),
        ('[[item]]\nid = "W-V3"\nkind = "deduct"\n', "cannot override"),
        ("[scoring]\npass_mark = 50\n", "cannot override scoring keys"),
        ('[scoring.part_of]\n"W-D2" = "x"\n', "cannot override scoring keys"),
        ('[[item]]\nid = "W-D7"\ncap = 0.01\n', "below points"),
        ("[thresholds]\nx = 1\n", "unknown tables"),
    ],
)
def test_a_bad_override_is_a_config_error(text, message):
    with pytest.raises(ConfigError, match=message):
        load.load_catalogue(load.DEFAULT_PATH, overrides=[Override.from_toml(text, "test")])


def test_the_active_catalogue_is_what_checks_read_inside_tasks_only():
    changed = load.load_catalogue(
        load.DEFAULT_PATH,
        overrides=[Override.from_toml('[[item]]\nid = "W-V3"\n[item.thresholds]\nwindow_days = 3\n', "t")],
    )

    async def seen_in_a_task() -> int:
        return await asyncio.create_task(_window())

    async def _window() -> int:
        return catalogue()["W-V3"].days("window_days")

    async def run() -> tuple[int, int]:
        with load.active(changed):
            inside = await seen_in_a_task()
        return inside, await seen_in_a_task()

    assert asyncio.run(run()) == (3, 14)
    assert catalogue() is national_catalogue()
