"""`govinspect run`: inspect the register (or part of it) with the embedded runner, score, summarise."""

from __future__ import annotations

import argparse
import sys
from datetime import date


def _list(text: str | None) -> list[str]:
    return [x.strip() for x in (text or "").split(",") if x.strip()]


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "run",
        help="inspect the register for a period (full coverage or a sample), score, print the table",
        description="对名录中的网站与政务新媒体开展检查（全覆盖或抽查），评分并汇总。中断后可用 --resume 继续。",
    )
    p.add_argument("--period", help="检查期, e.g. 2025Q4 (required unless --resume)")
    p.add_argument("--kind", choices=("full", "sample"), default=None, help="full coverage (default) or a sample")
    p.add_argument("--sample", type=int, default=None, metavar="N", help="sample N sites (and N accounts)")
    p.add_argument("--seed", type=int, default=None, help="sampling seed (recorded; default random)")
    p.add_argument("--regions", default=None, help="comma-separated GB/T 2260 codes (their counties included)")
    p.add_argument("--categories", default=None, help="comma-separated site categories (city_portal, …)")
    p.add_argument("--sites", default=None, help="comma-separated site codes (an explicit list; no accounts)")
    p.add_argument("--no-accounts", action="store_true", help="inspect sites only")
    p.add_argument("--as-of", type=date.fromisoformat, default=None, help="reference date (default: end of period)")
    p.add_argument(
        "--assess",
        choices=("veto", "full"),
        default=None,
        help="veto: only the veto items decide (full-coverage default); full: deductions and bonus too",
    )
    p.add_argument("--resume", type=int, default=None, metavar="ID", help="resume the interrupted inspection ID")
    p.add_argument("--concurrency", type=int, default=4, help="sites inspected at once per process (default 4)")
    p.add_argument("--processes", type=int, default=1, help="runner processes sharing the queue (default 1)")
    p.add_argument("--max-pages", type=int, default=None, help="pages per site (default 5000)")
    p.add_argument("--deadline", type=float, default=None, help="seconds per site (default 1800)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.set_defaults(func=run)


def engine_config(max_pages: int | None = None, deadline: float | None = None):  # type: ignore[no-untyped-def]
    from govinspect.engine.config import EngineConfig

    config = EngineConfig()
    changes = {}
    if max_pages:
        changes["max_pages"] = max_pages
    if deadline:
        changes["site_deadline"] = deadline
    return config.with_limits(**changes) if changes else config


def newmedia_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("govinspect.newmedia.services") is not None


def run(args: argparse.Namespace) -> int:
    from govinspect.cli._django import setup_django

    setup_django()
    from django.conf import settings

    from govinspect.errors import GovinspectError
    from govinspect.inspections import services
    from govinspect.inspections.aggregates import summarise
    from govinspect.inspections.console import ProgressBar, print_summary
    from govinspect.inspections.models import Inspection
    from govinspect.inspections.runner import run_inspection

    if args.resume:
        inspection = Inspection.objects.filter(pk=args.resume).first()
        if inspection is None:
            raise GovinspectError(f"没有编号为 {args.resume} 的检查")
        print(f"继续检查 #{inspection.pk}（{inspection.period}）", file=sys.stderr)
    else:
        if not args.period:
            raise GovinspectError("请给出 --period（如 2025Q4），或用 --resume ID 继续一次中断的检查")
        accounts = not args.no_accounts and newmedia_available()
        if not args.no_accounts and not accounts:
            print("注意：政务新媒体检查模块尚未安装，本次只检查网站。", file=sys.stderr)
        inspection = services.create_inspection(
            args.period,
            kind=args.kind or ("sample" if args.sample else "full"),
            as_of=args.as_of,
            assess=args.assess,
            sample=args.sample,
            seed=args.seed,
            regions=_list(args.regions),
            categories=_list(args.categories),
            sites=_list(args.sites),
            accounts=accounts,
            province=settings.PROVINCE_CODE,
        )
        print(
            f"检查 #{inspection.pk}：{inspection.sites_total} 个网站、{inspection.accounts_total} 个账号，"
            f"监测时间点 {inspection.as_of}",
            file=sys.stderr,
        )
    from govinspect.web.screenshot import archive_config

    with ProgressBar(enabled=not args.quiet) as bar:
        state = run_inspection(
            inspection,
            archive_config(engine_config(args.max_pages, args.deadline), inspection),  # WARC for screenshots
            concurrency=args.concurrency,
            processes=args.processes,
            progress=bar,
        )
    inspection.refresh_from_db()
    if state.accounts_skipped:
        print(f"注意：{state.accounts_skipped}，账号未检查。", file=sys.stderr)
    print_summary(summarise(inspection))
    if inspection.status != Inspection.Status.DONE:
        print(f"检查 #{inspection.pk} 未完成；继续：govinspect run --resume {inspection.pk}", file=sys.stderr)
        return 1
    return 0
