"""Register statistics: the per-city table of the quarterly notice's attachment, from the database.

Only open sites and accounts count. A county-level unit counts for its city; the provincial row
gathers everything registered at province level (the provincial portal and departments).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db.models import Count

from govinspect.registry.models import Account, Region, Site, Status
from govinspect.registry.sichuan import CITY_TABLE, PROVINCIAL_ROW

STATS_HEADERS = ("单位", "网站总数", "市级门户网站数", "市级部门网站数", "县级门户(含高新区)网站数", "政务新媒体总数")
TOTAL_LABEL = "合计"


@dataclass(frozen=True)
class StatsRow:
    label: str
    region_code: str | None  # None for the totals row
    sites: int
    city_portals: int | None  # None ("—") on provincial rows
    city_departments: int | None
    county_portals: int | None
    accounts: int

    def cells(self) -> tuple[str | int, ...]:
        dash = "—"
        return (
            self.label,
            self.sites,
            dash if self.city_portals is None else self.city_portals,
            dash if self.city_departments is None else self.city_departments,
            dash if self.county_portals is None else self.county_portals,
            self.accounts,
        )


def _city_order(code: str) -> tuple[int, str]:
    order = {c.code: i for i, c in enumerate(CITY_TABLE)}
    return (order.get(code, len(order)), code)


def register_stats() -> list[StatsRow]:
    """Rows: each city (the notice's order first), each province's own row, then 合计."""
    regions = {r["pk"]: r for r in Region.objects.values("pk", "code", "name", "level", "parent_id")}

    def owner(region_id: int) -> int:
        """The city a region counts for, or the province itself."""
        region = regions[region_id]
        return region["parent_id"] if region["level"] == Region.Level.COUNTY else region_id

    counts: dict[int, dict[str, int]] = {}
    for row in (
        Site.objects.filter(status=Status.OPEN).values("region_id", "category").annotate(n=Count("id")).order_by()
    ):
        bucket = counts.setdefault(owner(row["region_id"]), {})
        bucket["sites"] = bucket.get("sites", 0) + row["n"]
        bucket[row["category"]] = bucket.get(row["category"], 0) + row["n"]
    for row in Account.objects.filter(status=Status.OPEN).values("region_id").annotate(n=Count("id")).order_by():
        bucket = counts.setdefault(owner(row["region_id"]), {})
        bucket["accounts"] = bucket.get("accounts", 0) + row["n"]

    short_names = {c.code: c.name for c in CITY_TABLE}
    rows: list[StatsRow] = []
    cities = sorted(
        (r for r in regions.values() if r["level"] == Region.Level.CITY), key=lambda r: _city_order(r["code"])
    )
    for city in cities:
        c = counts.get(city["pk"], {})
        rows.append(
            StatsRow(
                short_names.get(city["code"], city["name"]),
                city["code"],
                c.get("sites", 0),
                c.get(Site.Category.CITY_PORTAL, 0),
                c.get(Site.Category.CITY_DEPARTMENT, 0),
                c.get(Site.Category.COUNTY_PORTAL, 0),
                c.get("accounts", 0),
            )
        )
    for province in sorted(
        (r for r in regions.values() if r["level"] == Region.Level.PROVINCE), key=lambda r: r["code"]
    ):
        c = counts.get(province["pk"], {})
        label = (
            PROVINCIAL_ROW.name
            if province["code"] == PROVINCIAL_ROW.code
            else f"{province['name']}省直部门(含省政府门户)"
        )
        rows.append(StatsRow(label, province["code"], c.get("sites", 0), None, None, None, c.get("accounts", 0)))
    rows.append(
        StatsRow(
            TOTAL_LABEL,
            None,
            sum(r.sites for r in rows),
            sum(r.city_portals or 0 for r in rows),
            sum(r.city_departments or 0 for r in rows),
            sum(r.county_portals or 0 for r in rows),
            sum(r.accounts for r in rows),
        )
    )
    return rows


def write_stats_xlsx(rows: list[StatsRow], path: Path | str, title: str = "全省政府网站与政务新媒体名录统计") -> Path:
    import xlsxwriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path))
    try:
        ws = workbook.add_worksheet("名录统计")
        head = workbook.add_format(
            {"bold": True, "align": "center", "valign": "vcenter", "border": 1, "text_wrap": True}
        )
        cell = workbook.add_format({"align": "center", "border": 1})
        total = workbook.add_format({"align": "center", "border": 1, "bold": True})
        ws.merge_range(
            0,
            0,
            0,
            len(STATS_HEADERS) - 1,
            title,
            workbook.add_format({"bold": True, "font_size": 14, "align": "center"}),
        )
        ws.write_row(1, 0, STATS_HEADERS, head)
        for i, row in enumerate(rows, start=2):
            ws.write_row(i, 0, row.cells(), total if row.region_code is None else cell)
        ws.set_column(0, 0, 24)
        ws.set_column(1, len(STATS_HEADERS) - 1, 14)
        ws.freeze_panes(2, 1)
    finally:
        workbook.close()
    return path
