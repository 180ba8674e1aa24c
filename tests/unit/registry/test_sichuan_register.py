"""The shipped Sichuan register matches the notice's attachment table and is internally consistent."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from govinspect.registry import sichuan
from govinspect.registry.sichuan import CITY_TABLE, NOTICE_TOTALS, PROVINCIAL_ROW, sichuan_register

NOTICE = Path(__file__).resolve().parents[4] / "shared" / "reference" / "sichuan-2025H2-notice.txt"


def test_city_table_adds_up_to_the_notice_totals() -> None:
    assert len(CITY_TABLE) == 21
    assert sum(c.sites for c in CITY_TABLE) + PROVINCIAL_ROW.sites == NOTICE_TOTALS["sites"]
    assert sum(c.city_portals for c in CITY_TABLE) == NOTICE_TOTALS["city_portals"]
    assert sum(c.city_departments for c in CITY_TABLE) == NOTICE_TOTALS["city_departments"]
    assert sum(c.county_portals for c in CITY_TABLE) == NOTICE_TOTALS["county_portals"]
    assert sum(c.accounts for c in CITY_TABLE) + PROVINCIAL_ROW.accounts == NOTICE_TOTALS["accounts"]


def test_city_table_is_the_notice_attachment() -> None:
    if not NOTICE.is_file():
        pytest.skip(f"notice not found at {NOTICE}")
    rows = {}
    for line in NOTICE.read_text(encoding="utf-8").splitlines():
        cells = [c for c in line.split("\t") if c]
        if len(cells) >= 8 and all(re.fullmatch(r"\d+", c) for c in cells[-7:]):
            rows[cells[-8]] = [int(x) for x in cells[-7:-3]] + [int(cells[-2])]
    assert list(rows)[:21] == [c.name for c in CITY_TABLE]
    assert rows["合计"] == [664, 21, 412, 185, 3722]
    for city in CITY_TABLE:
        assert rows[city.name] == [
            city.sites,
            city.city_portals,
            city.city_departments,
            city.county_portals,
            city.accounts,
        ], city.name


def test_register_counts_per_city() -> None:
    data = sichuan_register()
    parent = {r.code: r.parent_code for r in data.regions}

    def city_of(code: str) -> str:
        return code if parent[code] in (None, sichuan.PROVINCE_CODE) else parent[code]

    sites = Counter((city_of(s.region_code), s.category) for s in data.sites if s.region_code != "510000")
    accounts = Counter(city_of(a.region_code) for a in data.accounts)
    for city in CITY_TABLE:
        assert sites[(city.code, "city_portal")] == city.city_portals
        assert sites[(city.code, "city_department")] == city.city_departments
        assert sites[(city.code, "county_portal")] == city.county_portals
        assert accounts[city.code] == city.accounts
    assert sum(1 for s in data.sites if s.region_code == "510000") == PROVINCIAL_ROW.sites
    assert accounts["510000"] == PROVINCIAL_ROW.accounts
    assert len(data.sites) == 664 and len(data.accounts) == 3722


def test_regions_are_real_gbt2260_units() -> None:
    data = sichuan_register()
    names = {r.code: r.name for r in data.regions}
    assert names["510100"] == "成都市"
    assert names["510104"] == "锦江区"
    assert names["513400"] == "凉山彝族自治州"
    assert names["513201"] == "马尔康市"
    assert "市辖区" not in names.values()
    levels = Counter(r.level for r in data.regions)
    assert levels == {"province": 1, "city": 21, "county": 185}
    current, used = sichuan.gbt2260_province("51")
    invented = {code: name for code, name in names.items() if code not in current}
    # Only Chengdu's two functional zones are not GB/T 2260 units, and their codes were never used.
    assert invented == {"510171": "成都高新区", "510172": "天府新区"}
    assert not set(invented) & used


def test_register_values_are_unique_and_well_formed() -> None:
    data = sichuan_register()
    for attr in ("site_code", "home_url", "icp", "police_filing"):
        values = [getattr(s, attr) for s in data.sites]
        assert len(set(values)) == len(values), attr
    hosts = [h for s in data.sites for h in (s.home_url.split("/")[2], *s.extra_hosts)]
    assert len(set(hosts)) == len(hosts)
    region_codes = {r.code for r in data.regions}
    organizers = {(o.name, o.region_code) for o in data.organizers}
    for s in data.sites:
        assert re.fullmatch(r"\d{10}", s.site_code) and s.site_code.startswith(s.region_code)
        assert s.category in sichuan.CATEGORIES
        assert (s.organizer, s.region_code) in organizers
        assert re.fullmatch(r"蜀ICP备\d{8}号", s.icp)
        assert re.fullmatch(r"川公网安备 \d{14}号", s.police_filing)
    assert {o.region_code for o in data.organizers} <= region_codes
    per_platform = Counter((a.organizer, a.region_code, a.platform) for a in data.accounts)
    assert max(per_platform.values()) == 1
    assert {a.platform for a in data.accounts} == set(sichuan.PLATFORMS)
    assert len({a.platform_id for a in data.accounts}) == len(data.accounts)
    assert all((a.organizer, a.region_code) in organizers for a in data.accounts)


def test_register_is_deterministic() -> None:
    first = sichuan_register()
    sichuan_register.cache_clear()
    assert sichuan_register() == first


def test_plausible_names() -> None:
    data = sichuan_register()
    site_names = {s.name for s in data.sites}
    assert {
        "四川省人民政府",
        "成都市人民政府",
        "成都市教育局",
        "成都市卫生健康委员会",
        "四川省交通运输厅",
        "锦江区人民政府",
        "成都高新区管理委员会",
    } <= site_names
    accounts = {(a.name, a.platform) for a in data.accounts}
    assert ("成都发布", "wechat") in accounts and ("健康成都", "wechat") in accounts
