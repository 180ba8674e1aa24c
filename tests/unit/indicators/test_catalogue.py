"""The indicator catalogue: validated at load, typed access, province overrides."""

from __future__ import annotations

import pytest

from govinspect.engine.checks.registry import all_checks
from govinspect.errors import ConfigError
from govinspect.indicators import catalogue, load_catalogue
from govinspect.indicators.load import DEFAULT_PATH


def test_website_vetoes_and_their_thresholds():
    c = catalogue()
    assert {f"W-V{i}" for i in range(1, 7)} <= set(c.items)
    assert c["W-V2"].threshold("failure_ratio") == 0.05 and c["W-V2"].days("min_probes_per_day") == 20
    assert c["W-V2"].threshold("timeout_seconds") == 15 and c["W-V2"].days("window_days") == 7
    assert c["W-V3"].days("window_days") == 14
    v4 = c["W-V4"]
    assert (v4.days("news_window_days"), v4.days("notice_window_days"), v4.days("policy_window_days")) == (14, 180, 180)
    assert (v4.days("personnel_window_days"), v4.days("planning_window_days")) == (365, 365)
    assert (v4.days("stale_key_columns"), v4.days("stale_columns"), v4.days("blank_columns")) == (5, 10, 5)
    assert (c["W-V5"].days("unanswered_days"), c["W-V5"].days("lookback_days")) == (90, 365)
    assert (c["W-V6"].days("missing_elements"), c["W-V6"].days("incomplete_guides")) == (4, 5)
    assert all(i.kind == "veto" and i.points == 0 for i in c.of_kind("veto"))
    assert [i.id for i in c.for_check("update.homepage_stale")] == ["W-V3"]


def test_every_check_indicator_of_this_area_is_in_the_catalogue():
    c = catalogue()
    prefixes = ("update.", "interaction.", "service.", "search.", "availability.")
    for check_id, cls in all_checks().items():
        if check_id.startswith(prefixes):
            assert cls.indicator in c, check_id
            assert check_id in c[cls.indicator].checks, check_id


def test_unknown_threshold_and_item_are_config_errors():
    with pytest.raises(ConfigError, match="no threshold"):
        catalogue()["W-V3"].threshold("nope")
    with pytest.raises(ConfigError, match="not in the catalogue"):
        catalogue()["W-X9"]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ('kind = "veto"', "id says deduct"),
        ("points = -1", "must not be negative"),
        ('checks = ["no.such"]', "unknown check ids"),
        ("colour = 1", "unknown keys"),
    ],
)
def test_invalid_catalogues_fail_at_load(tmp_path, bad, message):
    key = bad.split(" = ")[0]
    base = {"kind": '"deduct"', "points": "1", "cap": "2", "checks": '["search.missing"]'}
    if key in base:
        base[key] = bad.split(" = ")[1]
    lines = [f"{k} = {v}" for k, v in base.items()]
    if key not in base:
        lines.append(bad)
    path = tmp_path / "c.toml"
    path.write_text('[[item]]\nid = "W-D8"\nname = "站内搜索"\n' + "\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_catalogue(path)


def test_province_override(tmp_path):
    override = tmp_path / "51.toml"
    override.write_text('[[item]]\nid = "W-V3"\n[item.thresholds]\nwindow_days = 10\n', encoding="utf-8")
    c = load_catalogue(DEFAULT_PATH, overrides=[override])
    assert c["W-V3"].days("window_days") == 10
    assert catalogue()["W-V3"].days("window_days") == 14
    override.write_text('[[item]]\nid = "W-V99"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown indicator"):
        load_catalogue(DEFAULT_PATH, overrides=[override])
