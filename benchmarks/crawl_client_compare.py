"""aiohttp vs httpx as the fetcher's HTTP client, on loopback.

A server process (aiohttp, separate from the measured process) serves a 30 KB page;
each client fetches N URLs with C concurrent requests, streaming the body in chunks as
the fetcher does. Reported: wall time, CPU time of the client process, requests/s per
CPU-second. Run: python benchmarks/crawl_client_compare.py [N] [C]
(needs httpx installed next to aiohttp, e.g. in a throwaway venv).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import socket
import sys
import time

BODY = ("<html><body>" + "<p>政府网站内容 government content</p>" * 700 + "</body></html>").encode()


def serve(port: int) -> None:
    from aiohttp import web

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=BODY, content_type="text/html", charset="utf-8")

    app = web.Application()
    app.router.add_get("/{tail:.*}", handler)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


async def run_aiohttp(base: str, n: int, c: int) -> int:
    import aiohttp

    sem = asyncio.Semaphore(c)
    total = 0
    connector = aiohttp.TCPConnector(limit=c)
    async with aiohttp.ClientSession(connector=connector, auto_decompress=False) as session:

        async def one(i: int) -> None:
            nonlocal total
            async with sem, session.get(f"{base}p{i}.html") as resp:
                async for chunk in resp.content.iter_chunked(65536):
                    total += len(chunk)

        await asyncio.gather(*(one(i) for i in range(n)))
    return total


async def run_httpx(base: str, n: int, c: int) -> int:
    import httpx

    sem = asyncio.Semaphore(c)
    total = 0
    limits = httpx.Limits(max_connections=c, max_keepalive_connections=c)
    async with httpx.AsyncClient(limits=limits) as client:

        async def one(i: int) -> None:
            nonlocal total
            async with sem, client.stream("GET", f"{base}p{i}.html") as resp:
                async for chunk in resp.aiter_raw(65536):
                    total += len(chunk)

        await asyncio.gather(*(one(i) for i in range(n)))
    return total


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    c = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = multiprocessing.Process(target=serve, args=(port,), daemon=True)
    proc.start()
    time.sleep(1.0)
    base = f"http://127.0.0.1:{port}/"
    try:
        for name, fn in (
            ("aiohttp", run_aiohttp),
            ("httpx", run_httpx),
            ("aiohttp", run_aiohttp),
            ("httpx", run_httpx),
        ):
            t0, c0 = time.perf_counter(), time.process_time()
            size = asyncio.run(fn(base, n, c))
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
            print(
                f"{name:8s} {n} requests c={c}: wall {wall:.2f} s, client CPU {cpu:.2f} s, "
                f"{n / wall:.0f} req/s, {n / cpu:.0f} req per CPU-second, {size / 1e6:.0f} MB"
            )
    finally:
        proc.terminate()
        proc.join()


if __name__ == "__main__":
    main()
