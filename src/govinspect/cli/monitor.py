"""`govinspect monitor`: the monitoring jobs with the embedded runner, or one job now."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "monitor",
        help="run the monitoring schedules in this process (embedded), or one job now (--job)",
        description="监测：按计划运行可用性探测、更新检查、全面检查、新媒体轮询、报告与告警（内置调度，无需消息队列）。",
    )
    p.add_argument("--job", default=None, help="run this job once now (probe, freshness, alerts, digest, …) and exit")
    p.add_argument("--tick", type=float, default=30.0, help="seconds between looks at the schedules (default 30)")
    p.add_argument("--list", action="store_true", help="list the schedules and exit")
    p.add_argument("--import-probes", default=None, metavar="FILE", help="store a `govinspect probe --out` JSONL file")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from govinspect.cli._django import setup_django

    setup_django()
    from govinspect.monitoring import services
    from govinspect.monitoring.models import JobRun, Schedule

    services.ensure_schedules()
    if args.import_probes:
        print(f"{services.import_probe_file(args.import_probes)} probes stored")
        return 0
    if args.list:
        for s in Schedule.objects.all():
            print(f"{s.name:24} {s.job:11} every {s.every_seconds:>7}s ±{s.jitter_seconds:>5}s  next {s.next_run_at}")
        return 0
    if args.job:
        if args.job not in services.HANDLERS:
            print(f"unknown job {args.job!r}; one of: {', '.join(services.HANDLERS)}")
            return 2
        run = services.run_job(JobRun.objects.create(job=args.job).pk, "cli")
        print(json.dumps({"state": run.state, "result": run.result, "error": run.error}, ensure_ascii=False))
        return 0 if run.state == JobRun.State.DONE else 1
    from govinspect.monitoring.scheduler import EmbeddedScheduler

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(EmbeddedScheduler(tick=args.tick).run())
    return 0
