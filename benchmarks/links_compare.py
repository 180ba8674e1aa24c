"""Link checking side by side on one sandbox site: govinspect, lychee, LinkChecker,
linkinator, and Scrapy as a crawl-only reference.

The sandbox site (one site, ``--pages`` pages, fixed seed) is served by the sandbox server
in this process (a background thread); every tool runs as a child process under
``/usr/bin/time -v``, so its wall time, CPU (user+sys) and peak RSS are its own.
Politeness is lifted equally: 16 connections per host for every tool; the sandbox answers
with a ``LinkChecker`` header (LinkChecker otherwise throttles itself to ~3 requests/s);
retries 0 where a tool has the setting.

lychee does not crawl: it is handed the list of the site's HTML pages (from the sandbox's
files) and checks every link in them. linkinator starts at ``/`` and recurses. Scrapy
follows every ``<a href>`` within the site and checks nothing.

The sandbox is built without its crawler traps (an endless calendar, session ids in URLs)
unless ``--traps``: linkinator, LinkChecker and Scrapy follow them without end (linkinator was
stopped after 450 s on a 2,000-page site with traps); govinspect stops them (crawl.trap).

The default seed gives a TRS-template site: on a Hanweb-template site (seed 2) the article
lists are in ``<script type="text/xml">`` datastore records, which only govinspect follows —
linkinator, LinkChecker and Scrapy then reach 13–14 pages. Every small sandbox is a
soft-404 site: its missing pages answer 200 "页面不存在", which only govinspect reports.

Broken links are compared as sets of target URLs against the sandbox truth
(``links.broken`` records): found, missed, and reported but not in the truth.

Tools are looked up on PATH or given explicitly:
  --lychee /tmp/benchvenv/bin/lychee --linkchecker /tmp/benchvenv/bin/linkchecker
  --linkinator /tmp/benchnode/node_modules/.bin/linkinator --scrapy /tmp/benchvenv/bin/scrapy
Run: python benchmarks/links_compare.py --pages 2000 [--tools govinspect,lychee,...]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote

SPIDER = """
import scrapy
from urllib.parse import urlsplit

class Site(scrapy.Spider):
    name = "site"

    def __init__(self, start=None, **kw):
        super().__init__(**kw)
        self.start_urls = [start]
        self.allowed_domains = [urlsplit(start).hostname]

    def parse(self, response):
        if not hasattr(response, "css"):
            return
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, callback=self.parse)
"""

SKIP_EXT = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".zip", ".jpg", ".png", ".gif")


TOOL_TIMEOUT = [900.0]


def timed(cmd: list[str], cwd: str | None = None, env: dict | None = None) -> dict:
    """Run ``cmd`` under /usr/bin/time -v; wall, cpu and peak RSS of the child (killed after the timeout)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time", delete=False) as tf:
        tfile = tf.name
    start = time.perf_counter()
    proc = subprocess.Popen(
        ["/usr/bin/time", "-v", "-o", tfile, *cmd],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = proc.communicate(timeout=TOOL_TIMEOUT[0])
        returncode = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the tool too, not only /usr/bin/time
        stdout, stderr = proc.communicate()
        returncode, stderr = -9, "timed out " + (stderr or "")
    wall = time.perf_counter() - start
    stats = Path(tfile).read_text()
    os.unlink(tfile)

    def field(name: str) -> float:
        m = re.search(rf"{re.escape(name)}:\s*([\d.]+)", stats)
        return float(m.group(1)) if m else 0.0

    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(field("User time (seconds)") + field("System time (seconds)"), 2),
        "peak_rss_mb": round(field("Maximum resident set size (kbytes)") / 1024, 1),
        "exit": returncode,
        "stdout": stdout,
        "stderr": stderr[-2000:],
    }


_TRAP_LINK_RE = re.compile(rb'<a href="(?:/bmrl/[^"]*|[^"]*;jsessionid=[^"]*)">[^<]*</a>')


def remove_traps(root: Path) -> None:
    """Unlink the sandbox's crawler traps (the build places them on every small sandbox): the
    other tools would crawl the endless calendar and the session-id pages forever."""
    for page in (root / "sites").rglob("*.html"):
        data = page.read_bytes()
        if b"/bmrl/" in data or b"jsessionid" in data:
            page.write_bytes(_TRAP_LINK_RE.sub(b"", data))


def norm(url: str) -> str:
    return unquote(url.split("#", 1)[0])


def run_govinspect(home: str, work: Path, args: argparse.Namespace) -> tuple[dict, set[str], int]:
    out, stats = work / "govinspect.jsonl", work / "stats.json"
    exe = shutil.which("govinspect") or str(Path(sys.executable).parent / "govinspect")
    r = timed(
        [
            exe,
            "inspect",
            home,
            "--checks",
            "links.broken",
            "--per-host",
            "16",
            "--retries",
            "0",
            "--max-pages",
            "1000000",
            "-q",
            "--out",
            str(out),
            "--stats",
            str(stats),
        ]
    )
    broken = {norm(json.loads(line)["target"]) for line in out.read_text(encoding="utf-8").splitlines() if line}
    pages = sum(site["pages"] for site in json.loads(stats.read_text()))
    return r, broken, pages


def run_lychee(exe: str, pages: list[str], work: Path) -> tuple[dict, set[str], int]:
    out = work / "lychee.json"
    inputs = work / "lychee-inputs.txt"
    inputs.write_text("\n".join(pages))
    r = timed(
        [
            exe,
            "--no-progress",
            "--format",
            "json",
            "--output",
            str(out),
            "--max-concurrency",
            "16",
            "--max-retries",
            "0",
            "--timeout",
            "15",
            "--cache-exclude-status",
            "100..",
            *pages,
        ]
    )
    data = json.loads(out.read_text() or "{}")
    broken = set()
    for name in ("error_map", "fail_map", "timeout_map"):
        for items in (data.get(name) or {}).values():
            for item in items:
                broken.add(norm(item["url"]))
    return r, broken, len(pages)


def run_linkchecker(exe: str, home: str, work: Path) -> tuple[dict, set[str], int]:
    rc = work / "linkcheckerrc"
    rc.write_text("[checking]\nthreads=16\nmaxrequestspersecond=1000\ntimeout=15\n[filtering]\ncheckextern=1\n")
    out = work / "linkchecker.csv"
    r = timed(
        [exe, "-f", str(rc), "--no-status", "--no-warnings", "-o", "csv", "--check-extern", home],
        env={**os.environ, "HOME": str(work)},
    )
    out.write_text(r["stdout"])
    broken, pages = set(), set()
    rows = [line for line in r["stdout"].splitlines() if line and not line.startswith("#")]
    for row in csv.DictReader(rows, delimiter=";"):
        url = row.get("url") or row.get("urlname") or ""
        if row.get("valid") == "False":
            broken.add(norm(url))
        kind = (row.get("info") or "") + (row.get("content_type") or "")
        if (row.get("dltime") or row.get("size")) and "text/html" in kind:
            pages.add(url)
    return r, broken, len(pages)


def run_linkinator(exe: str, home: str, work: Path) -> tuple[dict, set[str], int]:
    r = timed(
        [
            exe,
            home,
            "--recurse",
            "--concurrency",
            "16",
            "--format",
            "json",
            "--timeout",
            "15000",
            "--retry-errors-count",
            "0",
        ],
        cwd=str(work),
    )
    try:
        data = json.loads(r["stdout"])
    except json.JSONDecodeError:
        data = {"links": []}
    broken = {norm(link["url"]) for link in data.get("links", []) if link.get("state") == "BROKEN"}
    host = home.rstrip("/")
    pages = {
        link["url"]
        for link in data.get("links", [])
        if link.get("state") == "OK" and link["url"].startswith(host) and not link["url"].lower().endswith(SKIP_EXT)
    }
    return r, broken, len(pages)


def run_scrapy(exe: str, home: str, work: Path) -> tuple[dict, set[str], int]:
    spider = work / "spider.py"
    spider.write_text(SPIDER)
    log = work / "scrapy.log"
    r = timed(
        [
            exe,
            "runspider",
            str(spider),
            "-a",
            f"start={home}",
            "-s",
            "CONCURRENT_REQUESTS=16",
            "-s",
            "CONCURRENT_REQUESTS_PER_DOMAIN=16",
            "-s",
            "ROBOTSTXT_OBEY=False",
            "-s",
            "RETRY_ENABLED=False",
            "-s",
            "LOG_LEVEL=INFO",
            "-s",
            "TELNETCONSOLE_ENABLED=False",
            "-s",
            f"LOG_FILE={log}",
        ],
        cwd=str(work),
    )
    text = log.read_text(errors="replace") if log.exists() else ""
    m = re.search(r"'downloader/response_count': (\d+)", text)
    return r, set(), int(m.group(1)) if m else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=3)  # a TRS-template site: plain <a> lists other tools can follow
    parser.add_argument("--traps", action="store_true", help="keep the sandbox's crawler traps (tools may not end)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per tool")
    parser.add_argument("--tools", default="govinspect,lychee,linkinator,linkchecker,scrapy")
    parser.add_argument("--lychee", default=shutil.which("lychee") or "/tmp/benchvenv/bin/lychee")
    parser.add_argument("--linkchecker", default=shutil.which("linkchecker") or "/tmp/benchvenv/bin/linkchecker")
    parser.add_argument(
        "--linkinator", default=shutil.which("linkinator") or "/tmp/benchnode/node_modules/.bin/linkinator"
    )
    parser.add_argument("--scrapy", default=shutil.which("scrapy") or "/tmp/benchvenv/bin/scrapy")
    args = parser.parse_args()
    TOOL_TIMEOUT[0] = args.timeout

    import govinspect.sandbox.server as sandbox_server
    from govinspect.sandbox import SandboxServer, build

    original_head = sandbox_server._head

    def head_with_linkchecker(status, headers, length):  # lifts LinkChecker's self-throttling
        return original_head(status, [*headers, ("LinkChecker", "benchmark")], length)

    sandbox_server._head = head_with_linkchecker

    with tempfile.TemporaryDirectory(prefix="links-compare-") as tmp:
        work = Path(tmp)
        manifest = build(work / "sandbox", seed=args.seed, sites=1, pages_per_site=args.pages)
        if not args.traps:
            remove_traps(work / "sandbox")
        site = manifest["sites"][0]
        with SandboxServer(work / "sandbox", base_port=0) as srv:
            home = srv.url_for(site["site_code"])
            truth = {norm(f.target) for f in srv.truth() if f.check == "links.broken" and f.target}
            root = work / "sandbox" / "sites" / site["site_code"]
            page_urls = sorted(
                home.rstrip("/") + "/" + str(p.relative_to(root)).replace(os.sep, "/") for p in root.rglob("*.html")
            )
            page_urls = [u[: -len("index.html")] if u == home + "index.html" else u for u in page_urls]
            print(f"site {home}: {len(page_urls)} HTML pages on disk, {len(truth)} seeded broken links")
            print(
                f"{'tool':12s} {'wall s':>7s} {'cpu s':>7s} {'pages':>6s} {'pages/s/core':>12s} {'peak MB':>8s} "
                f"{'broken':>6s} {'found':>5s} {'missed':>6s} {'extra':>5s}"
            )
            for tool in args.tools.split(","):
                tool_dir = work / tool
                tool_dir.mkdir()
                runners = {
                    "govinspect": lambda d: run_govinspect(home, d, args),
                    "lychee": lambda d: run_lychee(args.lychee, page_urls, d),
                    "linkchecker": lambda d: run_linkchecker(args.linkchecker, home, d),
                    "linkinator": lambda d: run_linkinator(args.linkinator, home, d),
                    "scrapy": lambda d: run_scrapy(args.scrapy, home, d),
                }
                if tool not in runners:
                    raise SystemExit(f"unknown tool {tool}")
                try:
                    r, broken, pages = runners[tool](tool_dir)
                except (OSError, ValueError) as exc:  # killed at --timeout, or no readable output
                    print(f"{tool:12s} no result within {args.timeout:.0f} s or unreadable output: {exc}")
                    continue
                per_core = pages / r["cpu_s"] if r["cpu_s"] else 0.0
                found, missed, extra = broken & truth, truth - broken, broken - truth
                print(
                    f"{tool:12s} {r['wall_s']:7.2f} {r['cpu_s']:7.2f} {pages:6d} {per_core:12.0f} "
                    f"{r['peak_rss_mb']:8.1f} {len(broken):6d} {len(found):5d} {len(missed):6d} {len(extra):5d}"
                    + ("" if tool != "scrapy" else "   (crawl only)")
                )
                if r["exit"] not in (0, 1, 2) or (not broken and tool != "scrapy"):
                    print(f"    exit {r['exit']}: {r['stderr'][-300:]}")
                for label, urls in (("missed", missed), ("extra", extra)):
                    if urls and tool != "scrapy":
                        shown = sorted(urls)[:6]
                        print(
                            f"    {label}: "
                            + ", ".join(u.replace(home.rstrip("/"), "") for u in shown)
                            + (" …" if len(urls) > 6 else "")
                        )


if __name__ == "__main__":
    main()
