"""`govinspect error-reports …`: import the national platform's CSV, statistics per period, overdue list."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from govinspect.errors import ConfigError


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("error-reports", help="我为政府网站找错：导入留言、统计、超期留言")
    sub = p.add_subparsers(dest="error_reports_command", metavar="ACTION")

    imp = sub.add_parser("import", help="import messages from a CSV export of the national platform")
    imp.add_argument("csv", type=Path)
    imp.add_argument("--rejects", type=Path, help="write the rejected rows (with an 错误 column) to this CSV")
    imp.set_defaults(func=_import)

    stats = sub.add_parser("stats", help="received, closed, on-time rate, average handling time, overdue")
    stats.add_argument("--period", required=True, help="2025Q4, 2025H2 or 2025")
    stats.add_argument("--region", default="", help="GB/T 2260 code: that region and below")
    stats.add_argument(
        "--as-of", type=dt.date.fromisoformat, default=None, help="what was known that day (default now)"
    )
    stats.add_argument("--by-city", action="store_true", help="one line per city (市州)")
    stats.add_argument("--json", action="store_true", help="print JSON")
    stats.set_defaults(func=_stats)

    overdue = sub.add_parser("overdue", help="open messages past their answer deadline")
    overdue.add_argument("--region", default="")
    overdue.add_argument("--as-of", type=dt.date.fromisoformat, default=None)
    overdue.add_argument("--json", action="store_true")
    overdue.set_defaults(func=_overdue)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _import(args: argparse.Namespace) -> int:
    from govinspect.cli._django import setup_django

    if not args.csv.is_file():
        raise ConfigError(f"no such file: {args.csv}")
    setup_django()
    from govinspect.error_reports.importer import import_csv, rejects_csv

    summary = import_csv(args.csv.read_bytes())
    print(
        f"新增 {summary.created} 条，更新 {summary.updated} 条，未变 {summary.unchanged} 条，"
        f"错误 {len(summary.errors)} 处"
    )
    for error in summary.errors[:50]:
        print(f"  {error}", file=sys.stderr)
    if len(summary.errors) > 50:
        print(f"  …另有 {len(summary.errors) - 50} 处错误", file=sys.stderr)
    if args.rejects and summary.rejected:
        args.rejects.write_text(rejects_csv(summary), encoding="utf-8")
        print(f"未导入的 {len(summary.rejected)} 行已写入 {args.rejects}")
    return 1 if summary.errors else 0


def _stats(args: argparse.Namespace) -> int:
    from govinspect.cli._django import setup_django

    setup_django()
    from govinspect.error_reports.services import error_report_stats, quarter_bounds

    try:
        start, end = quarter_bounds(args.period)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    if args.by_city:
        return _stats_by_city(start, end, args)
    stats = error_report_stats(start, end, args.region or None, as_of=args.as_of)
    if args.json:
        print(json.dumps(_plain(stats), ensure_ascii=False, indent=2))
        return 0
    rate = "—" if stats["on_time_rate"] is None else f"{float(stats['on_time_rate']):g}%"
    hours = "—" if stats["average_handling_hours"] is None else f"{stats['average_handling_hours']} 小时"
    print(f"{start} 至 {end}" + (f"（区划 {args.region}）" if args.region else ""))
    print(f"收到留言 {stats['received']} 条，办结 {stats['closed']} 条，按时办结 {stats['closed_on_time']} 条，")
    print(f"按时办结率 {rate}，平均办理时长 {hours}，办理中未到期 {stats['pending']} 条")
    for item in stats["overdue"]:
        done = item["completed_at"].isoformat(sep=" ", timespec="minutes") if item["completed_at"] else "未办结"
        print(
            f"  超期 {item['ticket']} {item['site_name']} 期限 {item['deadline']} 办结 {done}"
            f"（超 {item['working_days_late']} 个工作日）"
        )
    return 0


def _rate(value: Decimal | None) -> str:
    return "—" if value is None else f"{float(value):g}%"


def _stats_by_city(start: dt.date, end: dt.date, args: argparse.Namespace) -> int:
    from govinspect.error_reports.services import error_report_stats_by_city

    rows = error_report_stats_by_city(start, end, as_of=args.as_of)
    if args.json:
        data = [{"region": city.code, "name": city.name, **_plain(stats)} for city, stats in rows]
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print("市州\t收到\t办结\t按时办结\t按时办结率\t平均办理时长(小时)\t超期")
    for city, stats in rows:
        hours = stats["average_handling_hours"]
        print(
            f"{city.name}\t{stats['received']}\t{stats['closed']}\t{stats['closed_on_time']}\t"
            f"{_rate(stats['on_time_rate'])}\t{'—' if hours is None else hours}\t{len(stats['overdue'])}"
        )
    return 0


def _overdue(args: argparse.Namespace) -> int:
    from govinspect.cli._django import setup_django

    setup_django()
    from govinspect.error_reports.services import overdue_reports

    rows = [
        {
            "ticket": r.ticket,
            "site_code": r.site.site_code,
            "site_name": r.site.name,
            "organizer": r.site.organizer.name,
            "received_at": r.received_at,
            "deadline": r.deadline,
            "state": r.state,
        }
        for r in overdue_reports(as_of=args.as_of, region=args.region or None)
    ]
    if args.json:
        print(json.dumps(_plain(rows), ensure_ascii=False, indent=2))
    else:
        for row in rows:
            print(
                f"{row['ticket']}\t{row['site_code']}\t{row['site_name']}\t{row['organizer']}\t期限 {row['deadline']}"
            )
        print(f"超期未答复 {len(rows)} 条")
    return 1 if rows else 0
