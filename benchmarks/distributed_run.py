"""Benchmark: a served sandbox inspected by Celery workers (Redis broker, PostgreSQL), 1 then 2
worker processes (and the embedded runner with --embedded). Prints per run: wall time, sites/min
(all sites, and until 95% of the sites were done — the last few are the unreachable and hanging
sites, whose retries take ~2 min however many workers there are), CPU seconds per site of the
worker processes, of the sandbox server, of PostgreSQL (the backends of the benchmark's own
database) and of the whole redis-server, and the load average.

    .venv/bin/python benchmarks/distributed_run.py --sites 60 --pages 20           # quick check
    .venv/bin/python benchmarks/distributed_run.py --sites 0 --workers 1,2 --embedded  # the 664-site province
    .venv/bin/python benchmarks/distributed_run.py --sites 60 --profile /tmp/py-spy   # + where time goes

``--sites 0`` builds the whole Sichuan register (664 sites, ``--pages`` defaults to 60 like the
demo). ``--profile PY_SPY`` samples the pool process of the 1-worker run with py-spy (install it
anywhere: ``python3 -m venv /tmp/t && /tmp/t/bin/pip install py-spy``) and prints the functions
holding the most samples. ``--split N`` counts every site as large (shards, see
``monitoring.distributed``), N shards. Needs PostgreSQL on 127.0.0.1:5432 (a database is created
and dropped) and Redis on 127.0.0.1:6379 (DB 6 is flushed; DB 5 belongs to the tests). CPU is read from /proc (Linux):
every process is sampled twice a second, so a short-lived process loses at most its last half
second.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG = "postgresql://postgres@127.0.0.1:5432/"
TICK = os.sysconf("SC_CLK_TCK")

STEP = r"""
import json, sys, time
from datetime import date
from govinspect.cli._django import setup_django
setup_django()
from govinspect.inspections import services
from govinspect.inspections.models import Inspection, InspectionTarget
from govinspect.registry.models import Site
step, arg = sys.argv[1], json.loads(sys.argv[2])

def progress(ins_id, t):
    done_at = []
    while True:
        ins = Inspection.objects.get(pk=ins_id)
        n = InspectionTarget.objects.filter(inspection_id=ins_id, state__in=["done", "failed"]).count()
        done_at += [time.monotonic() - t] * (n - len(done_at))
        if ins.status == "done":
            return ins, done_at
        time.sleep(0.2)

if step == "setup":
    from govinspect.registry.services import load_sichuan
    load_sichuan()
    for code, url in arg["urls"].items():
        Site.objects.filter(site_code=code).update(home_url=url)
    out = {}
elif step == "embedded":
    from govinspect.inspections.runner import run_inspection
    ins = services.create_inspection(arg["period"], as_of=date.fromisoformat(arg["as_of"]), sites=arg["codes"],
                                     accounts=False)
    t = time.monotonic()
    run_inspection(ins, concurrency=arg["concurrency"])
    out = {"seconds": time.monotonic() - t, "findings": Inspection.objects.get(pk=ins.pk).findings_seen}
elif step == "dispatch":
    from govinspect.monitoring.distributed import dispatch_inspection
    ins = services.create_inspection(arg["period"], as_of=date.fromisoformat(arg["as_of"]), sites=arg["codes"],
                                     accounts=False)
    t = time.monotonic()
    tasks = dispatch_inspection(ins.pk)
    ins, done_at = progress(ins.pk, t)
    slow = [
        (t.finished_at - t.started_at).total_seconds()
        for t in InspectionTarget.objects.filter(inspection=ins, site__isnull=False)
        if t.finished_at and t.started_at
    ]
    pages = sum(InspectionTarget.objects.filter(inspection=ins).values_list("pages", flat=True))
    out = {"seconds": time.monotonic() - t, "findings": ins.findings_seen, "done_at": done_at, "tasks": tasks,
           "site_seconds": sorted(slow), "pages": pages}
print(json.dumps(out))
"""


def step(env: dict[str, str], name: str, **arg) -> dict:
    out = subprocess.run([sys.executable, "-c", STEP, name, json.dumps(arg)], env=env, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- CPU from /proc ------------------------------------------------------------------------


def _cpu(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                todo += [int(x) for x in task.read_text().split()]
    return out


class CpuSampler:
    """Twice a second: CPU seconds of each watched process (last value seen per pid)."""

    def __init__(self, worker_pid: int, db_name: str) -> None:
        self.worker_pid = worker_pid
        self.db_name = db_name
        self.seen: dict[str, dict[int, float]] = {"workers": {}, "postgres": {}, "redis": {}}
        self.base: dict[str, dict[int, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        for pid in _descendants(self.worker_pid):
            if (c := _cpu(pid)) is not None:
                self.seen["workers"][pid] = c
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            cmd = _cmdline(int(entry.name))
            kind = "postgres" if cmd.startswith("postgres: ") and f" {self.db_name} " in cmd else None
            kind = kind or ("redis" if cmd.startswith("redis-server") and ":6379" in cmd else None)
            if kind and (c := _cpu(int(entry.name))) is not None:
                self.seen[kind][int(entry.name)] = c

    def start(self) -> None:
        self._sample()
        self.base = {k: dict(v) for k, v in self.seen.items()}
        self.cpu_self0 = _self_cpu()
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self._sample()

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self._thread.join()
        self._sample()
        out = {k: sum(c - self.base.get(k, {}).get(pid, 0.0) for pid, c in v.items()) for k, v in self.seen.items()}
        out["sandbox"] = _self_cpu() - self.cpu_self0  # the server runs in this process's threads
        return out


def _self_cpu() -> float:
    t = os.times()
    return t.user + t.system


# --- py-spy -------------------------------------------------------------------------------


def start_profile(py_spy: str, pid: int, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [py_spy, "record", "--pid", str(pid), "--rate", "50", "--format", "raw", "--output", str(out), "--nonblocking"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def summarise_profile(raw: Path, top: int = 15) -> list[str]:
    """From py-spy's collapsed stacks (CPU samples only): where the samples end, by area of the
    code (self time), and the govinspect functions holding the most samples (inclusive)."""
    inclusive: Counter[str] = Counter()
    area: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        if not n.isdigit():
            continue
        count = int(n)
        total += count
        frames = [_frame(f) for f in stack.split(";")]
        for name in {f"{fn} ({path})" for fn, path in frames if _ours(path)}:
            inclusive[name] += count
        area[_area(frames[-1][1])] += count
    if not total:
        return ["(no samples)"]
    lines = [f"profile: {total} CPU samples ({raw}); self time by area:"]
    lines += [f"  {n / total:6.1%}  {name}" for name, n in area.most_common(14)]
    lines += ["govinspect functions, inclusive:"]
    lines += [f"  {n / total:6.1%}  {name}" for name, n in inclusive.most_common(top)]
    return lines


def _frame(frame: str) -> tuple[str, str]:
    fn, _, where = frame.partition(" (")
    return fn, where.rstrip(")").rsplit(":", 1)[0]


def _ours(path: str) -> bool:
    return path.startswith("govinspect/") and not path.startswith(("govinspect/cli/", "govinspect/monitoring/tasks"))


def _area(path: str) -> str:
    parts = path.removesuffix(".py").split("/")
    if parts[0] == "govinspect":
        depth = 4 if parts[1:3] == ["engine", "checks"] else 3
        return "/".join(parts[:depth])
    return parts[0]


# --- runs ---------------------------------------------------------------------------------


def wait_ready(log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while b" ready." not in (log.read_bytes() if log.exists() else b""):
        if time.monotonic() > deadline:
            raise SystemExit(f"the worker did not start:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.3)


def run_workers(env: dict[str, str], n: int, tmp: Path, common: dict, period: str, db: str, py_spy: str | None):
    import redis

    redis.Redis.from_url(env["GOVINSPECT_BROKER_URL"]).flushdb()
    log = tmp / f"worker{n}.log"
    worker = subprocess.Popen(
        [sys.executable, "-m", "govinspect.cli.main", "worker", "--concurrency", str(n), "--loglevel", "INFO"],
        env=env,
        stdout=open(log, "wb"),  # noqa: SIM115 (lives as long as the worker)
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    profile = None
    try:
        wait_ready(log)  # the clock starts once the worker is connected
        sampler = CpuSampler(worker.pid, db)
        sampler.start()
        if py_spy:
            pool = [p for p in _descendants(worker.pid) if p != worker.pid]
            profile = start_profile(py_spy, pool[0], tmp / f"profile{n}.txt")
        done = step(env, "dispatch", period=period, **common)
        done["cpu"] = sampler.stop()
    finally:
        if profile is not None:
            profile.send_signal(signal.SIGINT)
            profile.wait(timeout=60)
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
    if profile is not None:
        done["profile"] = summarise_profile(tmp / f"profile{n}.txt")
    return done


def report(label: str, r: dict, n_sites: int) -> None:
    cpu = r["cpu"]
    done_at = r["done_at"]
    p95 = done_at[max(0, int(len(done_at) * 0.95) - 1)] if done_at else r["seconds"]
    slow = [s for s in r["site_seconds"] if s > 60]
    print(
        f"{label}: wall {r['seconds']:.0f} s, {n_sites / r['seconds'] * 60:.1f} sites/min "
        f"({0.95 * n_sites / p95 * 60:.1f} until 95% done at {p95:.0f} s), {r['findings']} findings, "
        f"{r.get('tasks', n_sites)} tasks, load {os.getloadavg()[0]:.1f}"
    )
    print(
        f"    CPU s/site: workers {cpu['workers'] / n_sites:.2f}, sandbox server {cpu['sandbox'] / n_sites:.2f}, "
        f"PostgreSQL (own backends) {cpu['postgres'] / n_sites:.3f}, redis-server {cpu['redis'] / n_sites:.3f}; "
        f"workers busy {cpu['workers'] / r['seconds']:.2f} cores on average; "
        f"{r['pages']} pages, {cpu['workers'] / max(1, r['pages']) * 1000:.0f} ms worker CPU per page"
    )
    if r["site_seconds"]:
        s = r["site_seconds"]
        print(
            f"    site task seconds: median {s[len(s) // 2]:.1f}, max {s[-1]:.0f}; {len(slow)} sites over 60 s "
            f"(unreachable/hanging: {sum(slow):.0f} s of {sum(s):.0f} site-seconds)"
        )
    for line in r.get("profile", []):
        print("    " + line)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sites", type=int, default=60, help="0: the whole register (664 sites)")
    ap.add_argument("--pages", type=int, default=None, help="pages per site (default 20, or 60 with --sites 0)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workers", default="1,2", help="worker process counts to run, e.g. 1,2")
    ap.add_argument("--embedded", action="store_true", help="also time the embedded runner (4 sites at once)")
    ap.add_argument("--profile", metavar="PY_SPY", help="sample the 1-worker run's pool process with this py-spy")
    ap.add_argument("--split", type=int, default=0, help="split every site into N shards (0: never)")
    args = ap.parse_args()
    pages = args.pages or (60 if args.sites == 0 else 20)
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
        GOVINSPECT_BROKER_URL="redis://127.0.0.1:6379/6",
        GOVINSPECT_RUNNER="celery",
        GOVINSPECT_DATA_DIR=str(tmp / "data"),
        PYTHONPATH=str(ROOT / "src"),
    )
    if args.split:
        env.update(GOVINSPECT_SPLIT_SITE_PAGES="1", GOVINSPECT_SPLIT_SHARDS=str(args.split))
    try:
        t = time.monotonic()
        manifest = build(
            tmp / "sb",
            seed=args.seed,
            sites=args.sites or None,
            pages_per_site=pages,
            rates={"trap_calendar": 0} if args.sites else None,
        )
        print(
            f"sandbox: {len(manifest['sites'])} sites, {pages} pages each (seed {args.seed}), built in "
            f"{time.monotonic() - t:.0f} s; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
        )
        with SandboxServer(tmp / "sb", base_port=0) as server:
            codes = [s["site_code"] for s in manifest["sites"]]
            step(env, "setup", urls={c: server.url_for(c) for c in codes})
            common = {"codes": codes, "as_of": manifest["as_of"]}
            if args.embedded or args.split:  # the split needs a previous inspection to know the sizes
                cpu0, self0 = _children_cpu(), _self_cpu()
                e = step(env, "embedded", period="2024Q4", concurrency=4, **common)
                print(
                    f"embedded (1 process, 4 sites at once): wall {e['seconds']:.0f} s, "
                    f"{len(codes) / e['seconds'] * 60:.1f} sites/min, "
                    f"{(_children_cpu() - cpu0) / len(codes):.2f} CPU s/site (process incl. startup), sandbox server "
                    f"{(_self_cpu() - self0) / len(codes):.2f}, {e['findings']} findings, "
                    f"load {os.getloadavg()[0]:.1f}"
                )
            periods = iter(("2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1"))
            for n in (int(x) for x in args.workers.split(",")):
                r = run_workers(env, n, tmp, common, next(periods), name, args.profile if n == 1 else None)
                report(f"celery, {n} worker process(es)", r, len(codes))
    finally:
        with psycopg.connect(PG + "postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _children_cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


if __name__ == "__main__":
    main()
