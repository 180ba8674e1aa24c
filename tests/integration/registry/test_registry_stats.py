"""Loading the Sichuan register gives the notice's attachment table, city by city."""

from __future__ import annotations

import pytest

from govinspect.registry.models import Account, Region, Site, Status
from govinspect.registry.services import load_sichuan
from govinspect.registry.sichuan import CITY_TABLE, PROVINCIAL_ROW, sichuan_register
from govinspect.registry.stats import register_stats, write_stats_xlsx


def test_stats_equal_the_notice_city_by_city(sichuan_db) -> None:
    rows = register_stats()
    assert [r.label for r in rows] == [c.name for c in CITY_TABLE] + [PROVINCIAL_ROW.name, "合计"]
    for row, city in zip(rows, CITY_TABLE, strict=False):
        assert (
            row.region_code,
            row.sites,
            row.city_portals,
            row.city_departments,
            row.county_portals,
            row.accounts,
        ) == (
            city.code,
            city.sites,
            city.city_portals,
            city.city_departments,
            city.county_portals,
            city.accounts,
        )
    province, total = rows[-2], rows[-1]
    assert (province.sites, province.accounts, province.city_portals) == (46, 250, None)
    assert (total.sites, total.city_portals, total.city_departments, total.county_portals, total.accounts) == (
        664,
        21,
        412,
        185,
        3722,
    )


def test_load_is_idempotent_and_matches_the_data(sichuan_db, snapshot) -> None:
    before = snapshot()
    summary = load_sichuan()
    assert str(summary) == "没有变化"
    assert snapshot() == before
    data = sichuan_register()
    assert Region.objects.count() == len(data.regions) == 207
    assert set(Site.objects.values_list("site_code", "home_url", "organizer__name", "region__code", "category")) == {
        (s.site_code, s.home_url, s.organizer, s.region_code, s.category) for s in data.sites
    }
    assert Account.objects.count() == 3722
    chengdu_hitech = Region.objects.get(code="510171")
    assert (chengdu_hitech.name, chengdu_hitech.level, chengdu_hitech.parent.code) == ("成都高新区", "county", "510100")


def test_stats_count_only_open_sites_and_accounts(sichuan_db) -> None:
    Site.objects.filter(site_code="5101000002").update(status=Status.MIGRATED)
    Site.objects.filter(site_code="5101040001").update(status=Status.CLOSED)
    first_provincial = Account.objects.filter(region__code="510000").order_by("pk").first()
    Account.objects.filter(pk=first_provincial.pk).update(status=Status.CLOSED)
    rows = {r.label: r for r in register_stats()}
    assert (rows["成都"].sites, rows["成都"].city_departments, rows["成都"].county_portals) == (61, 39, 21)
    assert rows["省直部门(含省政府门户)"].accounts == 249
    assert (rows["合计"].sites, rows["合计"].accounts) == (662, 3721)


def test_stats_xlsx(sichuan_db, tmp_path) -> None:
    from python_calamine import CalamineWorkbook

    path = write_stats_xlsx(register_stats(), tmp_path / "stats.xlsx")
    grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("名录统计").to_python()
    assert grid[1] == [
        "单位",
        "网站总数",
        "市级门户网站数",
        "市级部门网站数",
        "县级门户(含高新区)网站数",
        "政务新媒体总数",
    ]
    assert grid[2] == ["成都", 63, 1, 40, 22, 622]
    assert grid[-2] == ["省直部门(含省政府门户)", 46, "—", "—", "—", 250]
    assert grid[-1] == ["合计", 664, 21, 412, 185, 3722]


@pytest.mark.django_db
def test_stats_on_an_empty_register_lists_nothing_but_the_total() -> None:
    rows = register_stats()
    assert [(r.label, r.sites, r.accounts) for r in rows] == [("合计", 0, 0)]
