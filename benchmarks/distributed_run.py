"""Benchmark: a served sandbox inspected by Celery workers on Redis with PostgreSQL, 1 then 2
worker processes; prints sites/min and worker CPU seconds per site (and the embedded runner's
figures for comparison with --embedded).

    .venv/bin/python benchmarks/distributed_run.py --sites 40 --pages 20

Needs PostgreSQL on 127.0.0.1:5432 (a database is created and dropped) and Redis on
127.0.0.1:6379 (DB 5 is flushed). Worker CPU is measured from the finished worker process trees.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG = "postgresql://postgres@127.0.0.1:5432/"

STEP = r"""
import json, sys, time
from datetime import date
from govinspect.cli._django import setup_django
setup_django()
from govinspect.inspections import services
from govinspect.inspections.models import Inspection
from govinspect.registry.models import Site
step, arg = sys.argv[1], json.loads(sys.argv[2])
if step == "setup":
    from govinspect.registry.services import load_sichuan
    load_sichuan()
    for code, url in arg["urls"].items():
        Site.objects.filter(site_code=code).update(home_url=url)
    print(json.dumps({}))
elif step == "embedded":
    from govinspect.inspections.runner import run_inspection
    ins = services.create_inspection(arg["period"], as_of=date.fromisoformat(arg["as_of"]), sites=arg["codes"],
                                     accounts=False)
    t = time.monotonic()
    run_inspection(ins, concurrency=arg["concurrency"])
    print(json.dumps({"seconds": time.monotonic() - t, "findings": ins.__class__.objects.get(pk=ins.pk).findings_seen}))
elif step == "dispatch":
    from govinspect.monitoring.distributed import dispatch_inspection
    ins = services.create_inspection(arg["period"], as_of=date.fromisoformat(arg["as_of"]), sites=arg["codes"],
                                     accounts=False)
    dispatch_inspection(ins.pk)
    t = time.monotonic()
    while Inspection.objects.get(pk=ins.pk).status != "done":
        time.sleep(0.2)
    print(json.dumps({"seconds": time.monotonic() - t, "findings": Inspection.objects.get(pk=ins.pk).findings_seen}))
"""


def step(env: dict[str, str], name: str, **arg) -> dict:
    out = subprocess.run([sys.executable, "-c", STEP, name, json.dumps(arg)], env=env, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_workers(env: dict[str, str], n: int, tmp: Path, common: dict, period: str) -> dict:
    import redis

    redis.Redis.from_url(env["GOVINSPECT_BROKER_URL"]).flushdb()
    cpu0 = children_cpu()
    worker = subprocess.Popen(
        [sys.executable, "-m", "govinspect.cli.main", "worker", "--concurrency", str(n), "--loglevel", "WARNING"],
        env=env,
        stdout=open(tmp / f"worker{n}.log", "wb"),  # noqa: SIM115 (lives as long as the worker)
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    time.sleep(3)  # the worker connects before the clock starts
    try:
        done = step(env, "dispatch", period=period, **common)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
    done["worker_cpu"] = children_cpu() - cpu0
    return done


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sites", type=int, default=40)
    ap.add_argument("--pages", type=int, default=20)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--embedded", action="store_true", help="also time the embedded runner (concurrency 4)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    import psycopg

    from govinspect.sandbox import SandboxServer, build

    tmp = Path(tempfile.mkdtemp(prefix="gi-dist-bench-"))
    name = f"govinspect_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG + "postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVINSPECT_")}
    env.update(
        GOVINSPECT_DATABASE_URL=PG + name,
        GOVINSPECT_BROKER_URL="redis://127.0.0.1:6379/5",
        GOVINSPECT_RUNNER="celery",
        GOVINSPECT_DATA_DIR=str(tmp / "data"),
        PYTHONPATH=str(ROOT / "src"),
    )
    try:
        manifest = build(
            tmp / "sb",
            seed=args.seed,
            sites=args.sites,
            pages_per_site=args.pages,
            rates={"hang": 0, "trap_calendar": 0},
        )
        with SandboxServer(tmp / "sb", base_port=0) as server:
            codes = [s["site_code"] for s in manifest["sites"]]
            step(env, "setup", urls={c: server.url_for(c) for c in codes})
            common = {"codes": codes, "as_of": manifest["as_of"]}
            print(f"sandbox: {len(codes)} sites, {args.pages} pages each (seed {args.seed})")
            if args.embedded:
                cpu0 = children_cpu()
                e = step(env, "embedded", period="2025Q1", concurrency=4, **common)
                cpu = children_cpu() - cpu0
                print(
                    f"embedded (1 process, 4 sites at once): {len(codes) / e['seconds'] * 60:.1f} sites/min, "
                    f"{cpu / len(codes):.2f} CPU s/site (process incl. startup), {e['findings']} findings"
                )
            for n, period in ((1, "2025Q2"), (2, "2025Q3")):
                r = run_workers(env, n, tmp, common, period)
                print(
                    f"celery, {n} worker process(es): {len(codes) / r['seconds'] * 60:.1f} sites/min, "
                    f"{r['worker_cpu'] / len(codes):.2f} CPU s/site (workers), {r['findings']} findings"
                )
    finally:
        with psycopg.connect(PG + "postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
