"""Site checks (update.*, interaction.*, service.*, search.*, availability.*) end to end on a
freshly built sandbox: build, serve on ephemeral loopback ports, inspect with only these
checks enabled, score per check against the truth (precision, recall). Also the list-item
date accuracy: every dated item of every list page read by our list reader, compared with
the date the sandbox index gives for that URL.

    .venv/bin/python benchmarks/site_checks_sandbox.py [--seed 1] [--sites 12] [--pages 60]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from datetime import date
from pathlib import Path

from govinspect.engine.checks.registry import all_checks
from govinspect.engine.columns.listpage import read_list_page
from govinspect.engine.config import EngineConfig
from govinspect.engine.page.model import Page
from govinspect.engine.run import inspect_sites
from govinspect.engine.target import SiteTarget
from govinspect.findings import normalize_url
from govinspect.sandbox import SandboxServer, build
from govinspect.sandbox.score import format_score, score

PREFIXES = ("update.", "interaction.", "service.", "search.", "availability.")


class ItemDates:
    """List-item dates read by our list reader vs the sandbox's own publication dates."""

    def __init__(self, as_of: date, published: dict[str, str]) -> None:
        self.as_of = as_of
        self.published = published
        self.total = self.right = self.undated = 0
        self.wrong: list[tuple[str, str, str]] = []
        self.seen: set[str] = set()

    def __call__(self, page: Page) -> None:
        if page.kind != "html" or page.status >= 400 or page.url in self.seen:
            return
        self.seen.add(page.url)
        listing = read_list_page(page.url, page.html, self.as_of, tree=page.dom)
        if not listing.is_list or page.meta_value("articletitle"):
            return  # only list pages (an article's 相关文件 links carry no date by design)
        for item in listing.items:
            gold = self.published.get(normalize_url(item.url))
            if gold is None:
                continue
            self.total += 1
            if item.date is None:
                self.undated += 1
            elif item.date.isoformat() == gold:
                self.right += 1
            elif len(self.wrong) < 10:
                self.wrong.append((item.url, gold, item.date.isoformat()))


def published_dates(directory: Path, server: SandboxServer) -> dict[str, str]:
    """URL → publication date from the sandbox search index (titles, paths, dates)."""
    out: dict[str, str] = {}
    manifest = json.loads((directory / "sites.json").read_text(encoding="utf-8"))
    for entry in manifest["sites"]:
        index = directory / "index" / f"{entry['site_code']}.json"
        if not index.exists():
            continue
        origin = server.url_for(entry["site_code"])
        for _title, path, published in json.loads(index.read_text(encoding="utf-8")).get("titles", []):
            out[normalize_url(origin.rstrip("/") + path)] = published
    return out


async def inspect(homes: list[str], as_of: date, on_page) -> list:
    ids = frozenset(c for c in all_checks() if c.startswith(PREFIXES))
    config = EngineConfig(enabled_checks=ids, check_external_links=False).with_limits(max_pages=400)
    findings = []
    async for result in inspect_sites(
        [SiteTarget(home_url=h) for h in homes], config, as_of, concurrency=4, on_page=on_page
    ):
        findings.extend(result.findings)
    return findings


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sites", type=int, default=12)
    ap.add_argument("--pages", type=int, default=60)
    ap.add_argument("--out", type=Path, default=None, help="write the findings here (JSONL)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="govinspect-sandbox-") as tmp:
        directory = Path(tmp)
        t0 = time.perf_counter()
        manifest = build(directory, seed=args.seed, sites=args.sites, pages_per_site=args.pages)
        as_of = date.fromisoformat(manifest["as_of"])
        print(f"built {len(manifest['sites'])} sites in {time.perf_counter() - t0:.1f}s (as_of {as_of})")
        server = SandboxServer(directory, base_port=0).start()
        try:
            homes = [server.url_for(e["site_code"]) for e in manifest["sites"]]
            dates = ItemDates(as_of, published_dates(directory, server))
            t0 = time.perf_counter()
            findings = asyncio.run(inspect(homes, as_of, dates))
            print(f"inspected in {time.perf_counter() - t0:.1f}s, {len(findings)} findings")
            truth = [t for t in server.truth() if t.check.startswith(PREFIXES)]
            negatives = [n for n in server.negatives() if n.check.startswith(PREFIXES)]
        finally:
            server.stop()
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            for f in findings:
                fh.write(json.dumps(f.to_dict(), ensure_ascii=False) + "\n")
    checks = sorted(c for c in all_checks() if c.startswith(PREFIXES))
    print(format_score(score(findings, truth, negatives, checks=checks), unmatched=30))
    if dates.total:
        print(
            f"\nlist-item dates: {dates.right}/{dates.total} right ({dates.right / dates.total:.2%}), "
            f"{dates.undated} undated; first wrong: {dates.wrong[:5]}"
        )


if __name__ == "__main__":
    main()
