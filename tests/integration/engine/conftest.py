"""A small government-like site on loopback for engine integration tests."""

from __future__ import annotations

import pytest
from aiohttp import web

FOOTER = '<div class="footer">主办单位：测试市人民政府办公室 <a href="/about.html">关于我们</a></div>'
NAV = '<div class="nav"><a href="/">首页</a><a href="/a.html">通知公告</a></div>'


def page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
        f'<link rel="stylesheet" href="/css/main.css"></head><body>{NAV}<div class="content">{body}</div>{FOOTER}'
        "</body></html>"
    )


def build_site(external: str = "") -> web.Application:
    pages = {
        "/": page(
            "测试市人民政府",
            '<p>欢迎 <a href="/a.html">通知</a> <a href="/missing.html">失效文章</a></p>'
            '<img src="/img/ok.png" alt="好图"><img src="/img/gone.png" alt="坏图">'
            '<p><a href="/files/x.pdf">附件</a></p>'
            + (
                f'<p><a href="{external}/ok.html">外部好</a> <a href="{external}/gone.html">外部坏</a></p>'
                * bool(external)
            ),
        ),
        "/a.html": page(
            "通知公告",
            '<ul><li><a href="/c.html">文章C</a></li><li><a href="/soft.html">软文章</a></li>'
            '<li><a href="/redir">跳转</a></li></ul>',
        ),
        "/c.html": page("文章C", "<p>正文内容" + "政务公开" * 50 + "</p>"),
        "/about.html": page("关于我们", "<p>关于本站</p>"),
        "/hidden.html": page("只在站点地图", "<p>站点地图里的页面</p>"),
    }

    async def handler(request: web.Request) -> web.StreamResponse:
        path = request.path
        if path in pages:
            return web.Response(text=pages[path], content_type="text/html")
        if path == "/soft.html":
            return web.Response(text=page("页面不存在", "<p>对不起，您访问的页面不存在</p>"), content_type="text/html")
        if path == "/redir":
            raise web.HTTPFound("/gone.html")
        if path in ("/img/ok.png", "/css/main.css"):
            return web.Response(body=b"\x89PNG....", content_type="image/png")
        if path == "/files/x.pdf":
            if request.method == "HEAD":
                return web.Response(status=405)
            return web.Response(body=b"%PDF-1.4 test", content_type="application/pdf")
        if path == "/robots.txt":
            return web.Response(text="User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        if path == "/sitemap.xml":
            host = request.host
            xml = f'<?xml version="1.0"?><urlset><url><loc>http://{host}/hidden.html</loc></url></urlset>'
            return web.Response(text=xml, content_type="application/xml")
        return web.Response(status=404, text=page("404", "页面不存在"), content_type="text/html")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    return app


def build_external() -> web.Application:
    async def handler(request: web.Request) -> web.Response:
        if request.path == "/ok.html":
            return web.Response(
                text="<html><title>外部</title><body>外部页面正文" + "内容" * 100 + "</body></html>",
                content_type="text/html",
            )
        return web.Response(status=404, text="not found")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    return app


async def serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    return runner, f"http://127.0.0.1:{port}"


@pytest.fixture
async def test_site():
    ext_runner, ext = await serve(build_external())
    runner, base = await serve(build_site(ext))
    try:
        yield base, ext
    finally:
        await runner.cleanup()
        await ext_runner.cleanup()


@pytest.fixture
def test_site_thread():
    """The test site served from a thread (for synchronous CLI tests that run their own loop)."""
    import asyncio
    import threading

    ready = threading.Event()
    state: dict = {}

    def serve_forever() -> None:
        loop = asyncio.new_event_loop()
        state["loop"] = loop

        async def start() -> None:
            ext_runner, ext = await serve(build_external())
            runner, base = await serve(build_site(ext))
            state.update(runners=(runner, ext_runner), base=base)
            ready.set()

        loop.run_until_complete(start())
        loop.run_forever()
        for runner in state["runners"]:
            loop.run_until_complete(runner.cleanup())
        loop.close()

    thread = threading.Thread(target=serve_forever, daemon=True)
    thread.start()
    assert ready.wait(10)
    yield state["base"]
    state["loop"].call_soon_threadsafe(state["loop"].stop)
    thread.join(10)
