"""Sandbox benchmarks: full-province build time, and server requests/s under `wrk` on one core.

    .venv/bin/python benchmarks/sandbox_server.py [--sites N] [--pages-per-site N] [--keep DIR]

The server runs in a child process pinned to one CPU (taskset when available); wrk runs on
another CPU with keep-alive connections against a home page, an article page and a 404 path.
Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path


def build_step(out: Path, sites: int | None, pages: int) -> dict:
    from govinspect.sandbox import build

    t = time.perf_counter()
    m = build(out, seed=1, sites=sites, pages_per_site=pages)
    seconds = time.perf_counter() - t
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(
        f"build: {len(m['sites'])} sites, {m['files']} files, {size / 1e6:.0f} MB, {m['truth']} truth, "
        f"{m['negatives']} negatives in {seconds:.1f} s"
    )
    return m


def wait_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server did not come up at {url}")


def wrk(url: str, cpu: str | None, seconds: int, connections: int) -> str:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", url]
    if cpu is not None and shutil.which("taskset"):
        cmd = ["taskset", "-c", cpu, *cmd]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = next((line.split()[1] for line in out.splitlines() if line.startswith("Requests/sec")), "?")
    latency = next((line.split()[1] for line in out.splitlines() if line.strip().startswith("Latency")), "?")
    return f"{rps} req/s (avg latency {latency})"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sites", type=int, default=None, help="default: the whole register (664)")
    ap.add_argument("--pages-per-site", type=int, default=60)
    ap.add_argument("--base-port", type=int, default=21101)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--keep", type=Path, default=None, help="build here and keep it")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        print("wrk not found (apt-get install -y wrk); only the build is measured", file=sys.stderr)
    tmp = None
    out = args.keep
    if out is None:
        tmp = tempfile.TemporaryDirectory()
        out = Path(tmp.name) / "sandbox"
    try:
        m = build_step(out, args.sites, args.pages_per_site)
        if not shutil.which("wrk"):
            return 0
        ncpu = os.cpu_count() or 1
        server_cmd = [
            sys.executable,
            "-m",
            "govinspect.cli.main",
            "sandbox",
            "serve",
            "--dir",
            str(out),
            "--base-port",
            str(args.base_port),
            "--quiet",
        ]
        if shutil.which("taskset"):
            server_cmd = ["taskset", "-c", "0", *server_cmd]
        t = time.perf_counter()
        server = subprocess.Popen(server_cmd, stderr=subprocess.DEVNULL)
        try:
            portal = args.base_port
            wait_up(f"http://127.0.0.1:{portal}/")
            print(f"serve: {len(m['sites'])} sites listening in {time.perf_counter() - t:.1f} s (one process)")
            site = next(s for s in m["sites"] if not s.get("availability"))
            index = json.loads((out / "index" / f"{site['site_code']}.json").read_text(encoding="utf-8"))
            article = index["titles"][0][1]
            cpu = "1" if ncpu > 1 else None
            for label, url in (
                ("home page", f"http://127.0.0.1:{portal}/"),
                ("article", f"http://127.0.0.1:{portal}{article}"),
                ("404", f"http://127.0.0.1:{portal}/no/such/page.html"),
            ):
                print(
                    f"wrk {label:9}: {wrk(url, cpu, args.seconds, args.connections)}"
                    f"  [server on 1 core, wrk -t1 -c{args.connections}]"
                )
        finally:
            server.terminate()
            server.wait(10)
    finally:
        if tmp is not None:
            tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
