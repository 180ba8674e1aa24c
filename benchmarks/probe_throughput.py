"""Availability probes per second against a local server (W-V2 monitoring cost).

    .venv/bin/python benchmarks/probe_throughput.py [--urls 200] [--rounds 10] [--concurrency 200]

A loopback aiohttp server answers a 30 KB home page on N distinct paths (N "sites"); every
URL is probed ``rounds`` times with the production probe code. 14,000 sites × 20 probes a
day = 280,000 probes a day = 3.3 probes/s on average.
"""

from __future__ import annotations

import argparse
import asyncio
import time

from aiohttp import web

from govinspect.engine.probe import probe_rounds

BODY = (
    "<html><head><meta charset='utf-8'><title>某某市人民政府</title></head><body>"
    + "<li><a href='/a.html'>县政府召开常务会议研究部署工作</a><span>2025-12-15</span></li>" * 300
    + "</body></html>"
).encode()[: 30 * 1024]


async def main(n_urls: int, rounds: int, concurrency: int) -> None:
    async def home(request: web.Request) -> web.Response:
        return web.Response(body=BODY, content_type="text/html", charset="utf-8")

    app = web.Application()
    app.add_routes([web.get("/{site}/", home)])
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    urls = [f"http://127.0.0.1:{port}/s{i}/" for i in range(n_urls)]
    try:
        t0 = time.perf_counter()
        cpu0 = time.process_time()
        failures = total = 0
        async for record in probe_rounds(urls, rounds=rounds, concurrency=concurrency, timeout=15):
            total += 1
            failures += 0 if record.ok else 1
        elapsed = time.perf_counter() - t0
        cpu = time.process_time() - cpu0
    finally:
        await runner.cleanup()
    print(f"{total} probes ({n_urls} urls × {rounds} rounds, concurrency {concurrency}), {failures} failed")
    print(
        f"{total / elapsed:.0f} probes/s wall, {elapsed:.2f}s; process CPU {cpu:.2f}s (server included) "
        f"= {1000 * cpu / total:.2f} ms CPU per probe"
    )
    print(
        f"14,000 sites × 20 probes/day = {14000 * 20:,} probes/day ≈ {14000 * 20 * cpu / total / 3600:.2f} "
        "CPU-hours/day at this cost"
    )


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--urls", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--concurrency", type=int, default=200)
    args = ap.parse_args()
    asyncio.run(main(args.urls, args.rounds, args.concurrency))
