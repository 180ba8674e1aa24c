"""`govinspect worker`: a Celery worker of the distributed runner (GOVINSPECT_RUNNER=celery)."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "worker",
        help="run a Celery worker (distributed mode; broker from GOVINSPECT_BROKER_URL)",
        description=(
            "分布式模式的工作进程：从消息队列领取任务（每个网站一个任务，大网站拆成几个分片），"
            "礼貌访问频率经 Redis 跨进程共享。"
        ),
    )
    p.add_argument("--concurrency", type=int, default=2, help="worker processes (default 2)")
    p.add_argument("--hostname", default=None, help="Celery node name (default: celery@HOST)")
    p.add_argument("--loglevel", default="INFO")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from govinspect.cli._django import setup_django

    setup_django(migrate=False)
    from govinspect.monitoring.distributed import shared_redis_url
    from govinspect.project.celery import setup

    if not shared_redis_url():
        print(
            "警告：未配置共享 Redis（GOVINSPECT_SHARED_REDIS_URL）。消息队列不是 Redis 时，"
            "每个工作进程各自限速、各自缓存外链结果，大网站也不拆分。"
        )

    app = setup()
    argv = ["worker", f"--concurrency={args.concurrency}", f"--loglevel={args.loglevel}", "--pool=prefork"]
    if args.hostname:
        argv.append(f"--hostname={args.hostname}")
    app.worker_main(argv)
    return 0
