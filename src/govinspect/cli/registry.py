"""`govinspect registry …`: load, import, export the register and print its statistics."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

IMPORT_HELP = """\
FILE is an xlsx workbook with the sheets 区划, 主办单位, 网站, 政务新媒体, 备案记录 (any of them),
a CSV file of one of these kinds (kind from the file name, e.g. 网站.csv, or from its headers),
or a folder of such CSV files. CSV may be UTF-8 (with or without BOM) or GBK.
The whole import is checked first: on any error nothing is written, every bad row is listed
with its row number, and the exit code is 2.
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("registry", help="the register of sites and accounts: load, import, export, stats")
    rsub = p.add_subparsers(dest="registry_command", metavar="ACTION", required=True)

    load = rsub.add_parser("load-sichuan", help="load the shipped Sichuan register (664 sites, 3722 accounts)")
    load.set_defaults(func=load_sichuan)

    imp = rsub.add_parser(
        "import",
        help="import a register from xlsx or csv (Chinese headers)",
        description=IMPORT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help="xlsx workbook, csv file or folder of csv files"
    )
    imp.add_argument(
        "--add-only",
        action="store_true",
        help="refuse rows whose 网站标识码 or account already exists (default: update them)",
    )
    imp.set_defaults(func=import_)

    exp = rsub.add_parser("export", help="export the register (FILE.xlsx, FILE.csv → FILE-<表名>.csv, or a folder)")
    exp.add_argument("file", type=Path, metavar="FILE")
    exp.set_defaults(func=export)

    stats = rsub.add_parser("stats", help="per-city table of the quarterly notice (网站总数 … 政务新媒体总数)")
    stats.add_argument("--xlsx", type=Path, metavar="FILE", help="also write the table as an xlsx workbook")
    stats.set_defaults(func=show_stats)


def load_sichuan(args: argparse.Namespace) -> int:
    from govinspect.cli._django import setup_django

    setup_django()
    from govinspect.registry.services import load_sichuan as load

    print(f"四川名录已载入：{load()}")
    return 0


def import_(args: argparse.Namespace) -> int:
    from govinspect.cli._django import setup_django

    setup_django()
    from govinspect.errors import ImportRejected
    from govinspect.registry.services import import_register

    try:
        summary = import_register(args.files, update_existing=not args.add_only)
    except ImportRejected as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(f"导入完成：{summary}")
    return 0


def export(args: argparse.Namespace) -> int:
    from govinspect.cli._django import setup_django

    setup_django()
    from govinspect.registry.services import export_register

    for path in export_register(args.file):
        print(path)
    return 0


def show_stats(args: argparse.Namespace) -> int:
    from govinspect.cli._django import setup_django

    setup_django()
    from rich.console import Console
    from rich.table import Table

    from govinspect.registry.stats import STATS_HEADERS, register_stats, write_stats_xlsx

    rows = register_stats()
    table = Table(title="政府网站与政务新媒体名录统计（运行中）")
    for i, header in enumerate(STATS_HEADERS):
        table.add_column(header, justify="left" if i == 0 else "right")
    for row in rows:
        table.add_row(*(str(c) for c in row.cells()), style="bold" if row.region_code is None else None)
    console = Console()
    if not console.is_terminal:  # piped: do not squeeze the Chinese headers into 80 columns
        console = Console(width=max(console.width, 120))
    console.print(table)
    if args.xlsx:
        print(write_stats_xlsx(rows, args.xlsx))
    return 0
