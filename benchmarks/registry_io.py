"""Register import/export speed: the Sichuan register and a synthetic national-scale one.

    .venv/bin/python benchmarks/registry_io.py [--provinces 21]

Uses a fresh SQLite file in a temporary folder. With GOVINSPECT_DATABASE_URL set it refuses to run
unless --empty-database is given, since it empties the registry tables of that database.
The national register copies Sichuan's tables under other province prefixes (codes, URLs and
account ids rewritten so all stay unique): 21 provinces ≈ 14,000 sites and 78,000 accounts.
Prints seconds per step and rows per second.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from dataclasses import replace
from pathlib import Path

PROVINCES = ("11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
             "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65")  # fmt: skip
CODE_COLUMNS = ("区划代码", "上级区划代码", "行政区划代码", "网站标识码")


def timed(label: str, fn, rows: int | None = None):
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    rate = f"  ({rows / seconds:,.0f} rows/s)" if rows else ""
    print(f"{label:<48} {seconds:8.2f} s{rate}")
    return result


def national_tables(tables, provinces: int):
    from govinspect.registry.tabular import Row

    out = []
    for table in tables:
        rows = []
        for prefix in PROVINCES[:provinces]:
            for row in table.rows:
                values = dict(row.values)
                for column in CODE_COLUMNS:
                    if values.get(column):
                        values[column] = prefix + values[column][2:]
                if "首页地址" in values:
                    values["首页地址"] = values["首页地址"].replace("http://", f"http://p{prefix}.")
                    values["其他域名"] = ""
                if "账号ID或地址" in values:
                    values["账号ID或地址"] += f"#{prefix}"
                rows.append(Row(len(rows) + 2, values))
        out.append(replace(table, rows=rows))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--provinces", type=int, default=21, help="provinces in the synthetic national register")
    parser.add_argument(
        "--empty-database", action="store_true", help="allow emptying GOVINSPECT_DATABASE_URL's register"
    )
    args = parser.parse_args()
    if os.environ.get("GOVINSPECT_DATABASE_URL") and not args.empty_database:
        parser.error("GOVINSPECT_DATABASE_URL is set: its register would be emptied; add --empty-database to confirm")
    with tempfile.TemporaryDirectory(prefix="govinspect-bench-") as tmp:
        run(args, Path(tmp))


def run(args: argparse.Namespace, tmp: Path) -> None:
    os.environ["GOVINSPECT_DATA_DIR"] = str(tmp)
    from govinspect.cli._django import setup_django

    setup_django()
    from govinspect.registry.models import Account, Filing, Organizer, Region, Site
    from govinspect.registry.services import (
        export_register,
        import_register,
        import_tables,
        load_sichuan,
        sichuan_tables,
    )
    from govinspect.registry.stats import register_stats

    def clear() -> None:
        for model in (Filing, Account, Site, Organizer):
            model.objects.all().delete()
        for level in ("county", "city", "province"):
            Region.objects.filter(level=level).delete()

    clear()
    from django.db import connection

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    timed("Sichuan: load (4,386 rows)", load_sichuan, 664 + 3722)
    timed("Sichuan: load again (no change)", load_sichuan, 664 + 3722)
    timed("Sichuan: stats", register_stats)
    timed("Sichuan: export xlsx", lambda: export_register(tmp / "sc.xlsx"), 664 + 3722)
    timed("Sichuan: export csv", lambda: export_register(tmp / "sc.csv"), 664 + 3722)
    clear()
    timed("Sichuan: import xlsx into an empty register", lambda: import_register(tmp / "sc.xlsx"), 664 + 3722)

    tables = national_tables(sichuan_tables(), args.provinces)
    sites = sum(len(t.rows) for t in tables if t.sheet.kind == "sites")
    accounts = sum(len(t.rows) for t in tables if t.sheet.kind == "accounts")
    print(f"national: {args.provinces} provinces, {sites:,} sites, {accounts:,} accounts")
    clear()
    timed("national: import (in memory, empty register)", lambda: import_tables(tables), sites + accounts)
    timed("national: stats", register_stats)
    timed("national: export xlsx", lambda: export_register(tmp / "cn.xlsx"), sites + accounts)
    timed("national: re-import xlsx (no change)", lambda: import_register(tmp / "cn.xlsx"), sites + accounts)
    print(f"national xlsx: {(tmp / 'cn.xlsx').stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
