"""`govinspect report notice | annual`: the quarterly notice (xlsx + docx) and the annual reports."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="the quarterly notice (通报) and the annual reports (年度报表)")
    rsub = p.add_subparsers(dest="report_command", metavar="KIND", required=True)
    n = rsub.add_parser("notice", help="附件 xlsx + draft notice docx for a period's inspection")
    n.add_argument("--period", required=True, help="e.g. 2025Q4")
    n.add_argument("--inspection", type=int, default=None, metavar="ID", help="this inspection (default: the latest)")
    n.add_argument("--out", type=Path, default=None, help="directory (default $GOVINSPECT_DATA_DIR/reports)")
    n.set_defaults(func=notice)
    a = rsub.add_parser("annual", help="政府网站工作年度报表 (per site) and 政府网站监管年度报表 (per region), xlsx")
    a.add_argument("--year", type=int, required=True)
    a.add_argument("--out", type=Path, default=None, help="directory (default $GOVINSPECT_DATA_DIR/reports)")
    a.set_defaults(func=annual)


def _out(path: Path | None) -> Path:
    from django.conf import settings

    return path or Path(settings.DATA_DIR) / "reports"


def notice(args: argparse.Namespace) -> int:
    from govinspect.cli._django import setup_django

    setup_django()
    from govinspect.errors import GovinspectError
    from govinspect.inspections.models import Inspection
    from govinspect.reports.notice import write_notice

    qs = Inspection.objects.filter(period=args.period)
    if args.inspection:
        qs = qs.filter(pk=args.inspection)
    inspection = qs.order_by("-status", "-created_at").first()
    inspection = qs.filter(status=Inspection.Status.DONE).order_by("-created_at").first() or inspection
    if inspection is None:
        raise GovinspectError(f"没有 {args.period} 的检查；先运行 govinspect run --period {args.period}")
    if inspection.status != Inspection.Status.DONE:
        print(f"注意：检查 #{inspection.pk} 尚未完成，通报中的数字只含已检查的对象。")
    files = write_notice(inspection, _out(args.out))
    print(f"附件：{files.xlsx}\n通报：{files.docx}")
    return 0


def annual(args: argparse.Namespace) -> int:
    from govinspect.cli._django import setup_django

    setup_django()
    from govinspect.reports.annual import write_annual_reports

    files = write_annual_reports(args.year, _out(args.out))
    for path in files:
        print(path)
    return 0
