"""`govinspect beat`: Celery beat, which ticks the schedules (the rows of monitoring.Schedule)."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "beat",
        help="run Celery beat (distributed mode): turns due monitoring schedules into jobs every minute",
        description="分布式模式的定时器：每分钟检查监测计划，到期的任务交给工作进程。只运行一个。",
    )
    p.add_argument("--loglevel", default="INFO")
    p.add_argument("--schedule-file", default=None, help="beat's state file (default: DATA_DIR/celerybeat-schedule)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from govinspect.cli._django import setup_django

    setup_django()
    from django.conf import settings

    from govinspect.monitoring.services import ensure_schedules
    from govinspect.project.celery import setup

    ensure_schedules()
    app = setup()
    state = args.schedule_file or str(settings.DATA_DIR / "celerybeat-schedule")
    app.start(["beat", f"--loglevel={args.loglevel}", f"--schedule={state}"])
    return 0
