"""Peak memory and throughput of one site's inspection, on a generated site of N pages.

A server process generates a government-like site on the fly (no disk): N/50 list pages of
50 article links each, articles of ~3 KB of text with navigation, footer, related links,
an image and now and then a broken link. The inspecting process runs ``inspect_site`` with
the chosen checks, politeness lifted (16 connections), and reports pages, wall time, CPU
time, pages per CPU-second and its peak RSS (``ru_maxrss``, the whole process).

Run: python benchmarks/crawl_memory.py [PAGES] [CHECKS]   e.g. 100000 links.broken  or  20000 all
"""

from __future__ import annotations

import asyncio
import multiprocessing
import resource
import socket
import sys
import time
from datetime import date

PER_LIST = 50
NAV = "".join(f'<li><a href="/col/{i}/index.html">栏目{i}</a></li>' for i in range(20))
FOOTER = (
    '<div class="footer"><p>主办单位：某某市人民政府办公室 网站标识码：5101000001 '
    '<a href="https://beian.miit.gov.cn/">蜀ICP备05003329号</a> 联系电话：028-12345678</p></div>'
)
PARA = "<p>根据国务院办公厅有关要求，结合我市实际，现就进一步做好政务公开工作通知如下。</p>" * 30


def _page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta name="SiteName" content="某某市人民政府"></head><body><div class="header">某某市人民政府</div>'
        f'<div class="nav"><ul>{NAV}</ul></div><div class="content">{body}</div>{FOOTER}</body></html>'
    )


def serve(port: int, pages: int) -> None:
    from aiohttp import web

    lists = max(1, pages // PER_LIST)

    async def handler(request: web.Request) -> web.Response:
        path = request.path
        if path == "/":
            links = "".join(f'<li><a href="/list/{k}.html">列表{k}</a></li>' for k in range(lists))
            return web.Response(text=_page("首页", f"<ul>{links}</ul>"), content_type="text/html")
        if path.startswith("/list/"):
            k = int(path[6:].split(".")[0])
            items = "".join(
                f'<li><a href="/art/{k * PER_LIST + i}.html">关于第{k * PER_LIST + i}号文件的通知</a>'
                f"<span>2025-11-{i % 28 + 1:02d}</span></li>"
                for i in range(PER_LIST)
            )
            return web.Response(text=_page(f"列表{k}", f'<ul class="list">{items}</ul>'), content_type="text/html")
        if path.startswith("/art/"):
            n = int(path[5:].split(".")[0])
            if n >= pages:
                return web.Response(status=404, text="not found")
            related = "".join(f'<a href="/art/{(n * 7 + j) % pages}.html">相关{j}</a>' for j in range(3))
            broken = f'<a href="/art/{pages + n}.html">失效链接</a>' if n % 500 == 0 else ""
            body = f"<h1>第{n}号文件</h1>{PARA}<p>{related}{broken}</p><img src='/img/{n % 50}.png' alt='图'>"
            return web.Response(text=_page(f"第{n}号文件", body), content_type="text/html")
        if path.startswith(("/img/", "/col/")):
            return web.Response(body=b"ok", content_type="image/png" if path.startswith("/img/") else "text/html")
        return web.Response(status=404, text="not found")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


def inspect(port: int, pages: int, checks: str, out: multiprocessing.Queue) -> None:
    from govinspect.engine.config import EngineConfig
    from govinspect.engine.run import inspect_site
    from govinspect.engine.target import SiteTarget

    enabled = None if checks == "all" else frozenset(checks.split(","))
    config = EngineConfig(enabled_checks=enabled).with_limits(
        max_pages=pages * 2, per_host_connections=16, max_depth=50, site_deadline=7200
    )
    t0, c0 = time.perf_counter(), time.process_time()
    result = asyncio.run(inspect_site(SiteTarget(f"http://127.0.0.1:{port}/"), config, date(2025, 12, 15)))
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    out.put(
        {
            "pages": result.pages,
            "findings": len(result.findings),
            "by_check": result.stats["findings_by_check"],
            "check_errors": result.stats["check_errors"],
            "wall_s": round(wall, 1),
            "cpu_s": round(cpu, 1),
            "pages_per_cpu_s": round(result.pages / cpu, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
    )


def main() -> None:
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    checks = sys.argv[2] if len(sys.argv) > 2 else "links.broken"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = multiprocessing.Process(target=serve, args=(port, pages), daemon=True)
    server.start()
    time.sleep(1.5)
    out: multiprocessing.Queue = multiprocessing.Queue()
    worker = multiprocessing.Process(target=inspect, args=(port, pages, checks, out))
    try:
        worker.start()
        print(f"site of {pages} articles (+{max(1, pages // PER_LIST)} list pages), checks: {checks}")
        print(out.get())
        worker.join()
    finally:
        server.terminate()
        server.join()


if __name__ == "__main__":
    main()
