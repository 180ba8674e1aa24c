"""`govinspect inspect URL…`: inspect sites without a database, write the findings contract.

Exit codes:
  0  inspection completed, no finding
  1  inspection completed, findings reported (notices such as crawl.error count too)
  2  usage error (bad URL, bad date, unknown check id)
  3  configuration error
  4  no site could be inspected (every home page unreachable)
  130 interrupted
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from govinspect.findings import write_jsonl

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_CONFIG, EXIT_UNREACHABLE = 0, 1, 2, 3, 4


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "inspect",
        help="inspect websites (no database) and write findings as JSON lines",
        description="Crawl each site, run the checks and write one finding per line (the public findings contract).",
        epilog=__doc__.split("\n\n", 1)[1] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("urls", nargs="+", metavar="URL", help="home page URL of a site (http:// or https://)")
    p.add_argument("--as-of", type=_date, default=None, help="reference date YYYY-MM-DD (default: today)")
    p.add_argument("--out", type=Path, default=None, help="write findings to FILE.jsonl (default: stdout)")
    p.add_argument("--max-pages", type=int, default=None, help="pages per site (default 5000)")
    p.add_argument("--max-depth", type=int, default=None, help="link depth from the home page (default 100)")
    p.add_argument("--concurrency", type=int, default=4, help="sites inspected at once (default 4)")
    p.add_argument("--per-host", type=int, default=None, help="connections per host (default 4)")
    p.add_argument("--delay", type=float, default=None, help="seconds between requests to one host (default 0)")
    p.add_argument("--deadline", type=float, default=None, help="seconds per site (default 1800)")
    p.add_argument("--retries", type=int, default=None, help="retries of a transient failure (default 2)")
    p.add_argument("--warc-dir", type=Path, default=None, help="write the pages behind findings to WARC files here")
    p.add_argument("--checks", default=None, help="comma-separated check ids to run (default: all)")
    p.add_argument("--no-external", action="store_true", help="do not check links to other hosts")
    p.add_argument("--ignore-robots", action="store_true", help="crawl pages robots.txt disallows")
    p.add_argument("--stats", type=Path, default=None, help="write per-site statistics (pages, times, crawl) as JSON")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar or summary")
    p.set_defaults(func=run)


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {value!r}") from None


def build_config(args: argparse.Namespace) -> Any:
    from govinspect.engine.config import EngineConfig

    changes: dict[str, Any] = {}
    for arg, name in (
        ("max_pages", "max_pages"),
        ("max_depth", "max_depth"),
        ("per_host", "per_host_connections"),
        ("delay", "per_host_delay"),
        ("retries", "retries"),
        ("deadline", "site_deadline"),
    ):
        value = getattr(args, arg)
        if value is not None:
            changes[name] = value
    checks = frozenset(c.strip() for c in args.checks.split(",") if c.strip()) if args.checks else None
    config = EngineConfig(
        check_external_links=not args.no_external,
        obey_robots=not args.ignore_robots,
        enabled_checks=checks,
        warc_dir=str(args.warc_dir) if args.warc_dir else None,
    )
    return config.with_limits(**changes) if changes else config


def _targets(urls: list[str]) -> list[Any]:
    from govinspect.engine.target import SiteTarget

    out = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SystemExit(_usage(f"not an http(s) URL: {url!r}"))
        out.append(SiteTarget(home_url=url if parts.path else url + "/"))
    return out


def _usage(message: str) -> int:
    print(f"govinspect inspect: {message}", file=sys.stderr)
    return EXIT_USAGE


def run(args: argparse.Namespace) -> int:
    from govinspect.engine.checks.registry import enabled_checks
    from govinspect.errors import ConfigError

    try:
        targets = _targets(args.urls)
    except SystemExit as exc:
        return int(exc.code or EXIT_USAGE)
    config = build_config(args)
    try:
        enabled_checks(config.enabled_checks, config.disabled_checks)
    except ConfigError as exc:
        return _usage(str(exc))
    as_of = args.as_of or date.today()
    out: IO[str] = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout  # noqa: SIM115
    try:
        results = asyncio.run(_inspect(targets, config, as_of, args, out))
    finally:
        if args.out:
            out.close()
    if args.stats:
        args.stats.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=dict), encoding="utf-8")
    if not args.quiet:
        _summary(results)
    if results and all(r["pages"] == 0 for r in results):
        return EXIT_UNREACHABLE
    return EXIT_FINDINGS if any(r["findings"] for r in results) else EXIT_CLEAN


async def _inspect(targets: list[Any], config: Any, as_of: date, args: argparse.Namespace, out: IO[str]) -> list[dict]:
    from govinspect.engine.run import inspect_sites

    summaries: list[dict[str, Any]] = []
    progress = _Progress(len(targets), enabled=not args.quiet)
    with progress:
        async for result in inspect_sites(
            targets,
            config,
            as_of,
            concurrency=max(1, args.concurrency),
            warc_dir=args.warc_dir,
            on_page=progress.page,
        ):
            write_jsonl(result.findings, out)
            out.flush()
            progress.site_done()
            summaries.append(
                {
                    "site": result.site,
                    "pages": result.pages,
                    "findings": len(result.findings),
                    "by_check": Counter(f.check for f in result.findings),
                    "errors": len(result.errors),
                    "elapsed": result.stats.get("elapsed", 0.0),
                    "stopped": result.stats.get("crawl", {}).get("stopped", ""),
                }
            )
    return summaries


class _Progress:
    """A rich progress bar on stderr (pages fetched, sites done); silent when not wanted."""

    def __init__(self, sites: int, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.sites = sites
        self._progress: Any = None

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=False,
            )
            self._progress.start()
            self._sites = self._progress.add_task("sites", total=self.sites)
            self._pages = self._progress.add_task("pages", total=None)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()

    def page(self, page: Any) -> None:
        if self._progress is not None:
            self._progress.advance(self._pages)

    def site_done(self) -> None:
        if self._progress is not None:
            self._progress.advance(self._sites)


def _summary(results: list[dict[str, Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="govinspect inspect", show_lines=False)
    for col in ("site", "pages", "findings", "top checks", "errors", "seconds", "stopped"):
        table.add_column(col, justify="right" if col in ("pages", "findings", "errors", "seconds") else "left")
    for r in results:
        top = ", ".join(f"{k} {v}" for k, v in r["by_check"].most_common(3))
        table.add_row(
            r["site"],
            str(r["pages"]),
            str(r["findings"]),
            top,
            str(r["errors"]),
            f"{r['elapsed']:.1f}",
            r["stopped"] or "",
        )
    Console(stderr=True).print(table)
