"""Load test of the public error-report form (我为政府网站找错) on loopback, bounded in time.

Starts gunicorn (sync workers) against a scratch PostgreSQL database and Redis (rate limits),
then an asyncio/aiohttp client submits reports as fast as the server takes them for
``--duration`` seconds: each virtual user loads the form once (CSRF cookie and token), then
posts reports with a fresh idempotency key, from a rotating client address (X-Forwarded-For,
believed from 127.0.0.1 as from a reverse proxy). A share of posts are deliberate resubmissions
of an earlier key (a double click) and must return the same ticket; one "abusive" address
posts until it is rate-limited.

Afterwards: every accepted ticket must be in the database, the database must hold nothing
else and nothing twice. Prints the figures; exit status 1 if a check fails.

    .venv/bin/python benchmarks/error_reports_load.py --duration 60 --workers 3 --concurrency 48
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp
import psycopg

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
CODES = [f"51010{i:01d}{j:04d}" for i in range(1) for j in range(1, 21)]  # 20 sites 5101000001…
TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def scratch_database(name: str) -> str:
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def drop_database(name: str) -> None:
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


SETUP = """
import django; django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from govinspect.registry.models import Region, Organizer, Site
p = Region.objects.create(code="510000", name="四川省", level="province")
c = Region.objects.create(code="510100", name="成都市", level="city", parent=p)
o = Organizer.objects.create(name="成都市人民政府办公厅", region=c)
for i in range(1, 21):
    Site.objects.create(site_code=f"510100{i:04d}", name=f"测试网站{i}", home_url=f"http://s{i}.example.gov.cn/",
                        organizer=o, category="city_department")
"""

VERIFY = """
import django, json, sys; django.setup()
from django.db.models import Count
from govinspect.error_reports.models import ErrorReport
tickets = set(json.load(open(sys.argv[1])))
rows = list(ErrorReport.objects.values_list("ticket", "idempotency_key"))
db_tickets = [t for t, _ in rows]
keys = [k for _, k in rows]
print(json.dumps({
    "db_rows": len(rows),
    "db_unique_tickets": len(set(db_tickets)),
    "db_unique_keys": len(set(keys)),
    "accepted_missing_from_db": len(tickets - set(db_tickets)),
    "db_not_accepted": len(set(db_tickets) - tickets),
}))
"""


class Stats:
    def __init__(self) -> None:
        self.accepted: dict[str, str] = {}  # idempotency key -> ticket
        self.tickets: set[str] = set()
        self.latencies: list[float] = []
        self.status: dict[int, int] = {}
        self.replays = 0
        self.replay_mismatch = 0
        self.errors = 0
        self.limited = 0


async def user(session_id: int, base: str, deadline: float, stats: Stats, replay_share: float) -> None:
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar, timeout=aiohttp.ClientTimeout(total=30)) as http:
        async with http.get(f"{base}/jiucuo/?site_code={CODES[0]}") as r:
            token = TOKEN_RE.search(await r.text())[1]
        rng = random.Random(session_id)
        mine: list[str] = []
        n = 0
        while time.monotonic() < deadline:
            n += 1
            replay = bool(mine) and rng.random() < replay_share
            key = rng.choice(mine) if replay else str(uuid.uuid4())
            ip = f"10.{session_id % 250}.{(n // 4) % 250}.{rng.randrange(1, 250)}"
            form = {
                "csrfmiddlewaretoken": token,
                "site_code": rng.choice(CODES),
                "page_url": f"http://s1.example.gov.cn/art/{n}.html",
                "category": rng.choice(["typo", "broken_link", "not_updated", "inaccurate", "other"]),
                "description": f"压力测试留言 {session_id}-{n}：页面第{n % 9 + 1}段有错别字。",
                "contact": "",
                "token": key,
                "homepage": "",
            }
            started = time.perf_counter()
            try:
                async with http.post(f"{base}/jiucuo/", data=form, headers={"X-Forwarded-For": ip}) as r:
                    await r.read()
                    status, ticket = r.status, r.headers.get("X-Ticket")
            except (TimeoutError, aiohttp.ClientError):
                stats.errors += 1
                continue
            stats.latencies.append(time.perf_counter() - started)
            stats.status[status] = stats.status.get(status, 0) + 1
            if status != 200 or not ticket:
                continue
            if replay:
                stats.replays += 1
                if stats.accepted.get(key) != ticket:
                    stats.replay_mismatch += 1
            else:
                stats.accepted[key] = ticket
                stats.tickets.add(ticket)
                mine.append(key)


async def abuser(base: str, stats: Stats) -> None:
    """One address posting 30 times in a row: the rate limit (10 per 10 minutes) must stop it."""
    abusive_ip = f"2001:db8::{secrets.token_hex(2)}:{secrets.token_hex(2)}"  # fresh: no count left from a run before
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        async with http.get(f"{base}/jiucuo/") as r:
            token = TOKEN_RE.search(await r.text())[1]
        for _ in range(30):
            form = {
                "csrfmiddlewaretoken": token,
                "site_code": CODES[0],
                "category": "other",
                "description": "刷屏",
                "token": str(uuid.uuid4()),
                "homepage": "",
            }
            headers = {"X-Forwarded-For": abusive_ip}
            async with http.post(f"{base}/jiucuo/", data=form, headers=headers) as r:
                await r.read()
                if r.status == 429:
                    stats.limited += 1
                elif r.status == 200:
                    stats.accepted[form["token"]] = r.headers["X-Ticket"]
                    stats.tickets.add(r.headers["X-Ticket"])


async def run_load(base: str, duration: float, concurrency: int, replay_share: float) -> tuple[Stats, float]:
    stats = Stats()
    await abuser(base, stats)
    started = time.monotonic()
    deadline = started + duration
    await asyncio.gather(*(user(i, base, deadline, stats, replay_share) for i in range(concurrency)))
    return stats, time.monotonic() - started


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) of a process and its children, from /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    try:
        pids += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return float("nan")
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def wait_ready(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    import urllib.request

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not come up")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    ap.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (default 3)")
    ap.add_argument("--worker-class", default="sync", help="gunicorn worker class: sync or gthread (default sync)")
    ap.add_argument("--concurrency", type=int, default=48, help="virtual users (default 48)")
    ap.add_argument("--replay-share", type=float, default=0.02, help="share of resubmissions (default 0.02)")
    ap.add_argument("--redis", default="redis://127.0.0.1:6379/14", help="'' for per-process locmem limits")
    ap.add_argument("--keep-db", action="store_true")
    args = ap.parse_args()

    db_name = f"govinspect_bench_er_{os.getpid()}"
    data_dir = Path(tempfile.mkdtemp(prefix="er-load-"))
    (data_dir / "static").mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "govinspect.project.settings",
        "GOVINSPECT_DATABASE_URL": scratch_database(db_name),
        "GOVINSPECT_DATA_DIR": str(data_dir),
        "GOVINSPECT_REDIS_URL": args.redis,
        "GOVINSPECT_TRUSTED_PROXIES": "127.0.0.1",
        "GOVINSPECT_SECRET_KEY": secrets.token_urlsafe(32),
        "PYTHONPATH": str(ROOT / "src"),
    }
    server = None
    try:
        subprocess.run([PY, "-c", SETUP], env=env, check=True, cwd=data_dir)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        gunicorn = [
            PY,
            "-m",
            "gunicorn",
            "govinspect.project.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(args.workers),
            "--worker-class",
            args.worker_class,
            "--threads",
            "4" if args.worker_class == "gthread" else "1",
            "--keep-alive",
            "5",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
            "--timeout",
            "30",
        ]
        server = subprocess.Popen(gunicorn, env=env, cwd=data_dir, start_new_session=True)
        wait_ready(f"{base}/jiucuo/", server)
        server_cpu = tree_cpu_seconds(server.pid)
        client_cpu = time.process_time()
        stats, elapsed = asyncio.run(run_load(base, args.duration, args.concurrency, args.replay_share))
        server_cpu = tree_cpu_seconds(server.pid) - server_cpu
        client_cpu = time.process_time() - client_cpu
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
    tickets_file = data_dir / "tickets.json"
    import json

    tickets_file.write_text(json.dumps(sorted(stats.tickets)))
    verify = json.loads(
        subprocess.run(
            [PY, "-c", VERIFY, str(tickets_file)], env=env, check=True, cwd=data_dir, capture_output=True, text=True
        ).stdout
    )
    if not args.keep_db:
        drop_database(db_name)

    accepted = len(stats.tickets)
    lat = sorted(stats.latencies)
    p50 = statistics.median(lat) * 1000 if lat else float("nan")
    p99 = lat[int(len(lat) * 0.99) - 1] * 1000 if lat else float("nan")
    print(
        f"duration {elapsed:.1f} s, gunicorn {args.worker_class} workers {args.workers}, "
        f"virtual users {args.concurrency}, "
        f"cpu cores {os.cpu_count()}"
    )
    print(
        f"accepted reports {accepted} = {accepted / elapsed:.1f} reports/s; responses {stats.status}; "
        f"client errors {stats.errors}"
    )
    print(f"latency p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    posts = sum(stats.status.values()) or 1
    print(
        f"server CPU {server_cpu:.1f} s = {server_cpu / posts * 1000:.2f} ms per post (gunicorn workers); "
        f"client CPU {client_cpu / posts * 1000:.2f} ms per post; load average now {os.getloadavg()[0]:.1f}"
    )
    print(
        f"resubmissions {stats.replays} (same ticket back: {stats.replays - stats.replay_mismatch}); "
        f"rate-limited abusive posts {stats.limited}/30"
    )
    print(f"database: {verify}")
    ok = (
        verify["db_rows"] == accepted == verify["db_unique_tickets"] == verify["db_unique_keys"]
        and verify["accepted_missing_from_db"] == 0
        and verify["db_not_accepted"] == 0
        and stats.replay_mismatch == 0
        and stats.limited == 20
    )
    print("checks:", "OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
