"""Precision and recall of policy.*, identity.missing and meta.missing_tags on a sandbox,
read from disk (no server, no crawler): every HTML file of every site is parsed with the
real parser, passed through the repeated-block tracker in a breadth-first-like order
(home first), and fed to the checks; findings are matched to truth.jsonl by fingerprint.

    .venv/bin/python benchmarks/sandbox_policy_identity_meta.py [--sites 30] [--seed 1] [--dir /tmp/sbx]

This measures the checks alone. The end-to-end number (crawler + pipeline) comes from
``govinspect inspect`` + ``govinspect sandbox score``; pages only reachable through the
server (search results, traps) are not seen here.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

from govinspect.engine.checks.base import CheckContext, PageCheck
from govinspect.engine.checks.identity.missing import IdentityMissing
from govinspect.engine.checks.meta.missing_tags import MissingTags
from govinspect.engine.checks.policy.interpretation_unlinked import InterpretationUnlinked
from govinspect.engine.checks.policy.missing_elements import MissingElements
from govinspect.engine.config import EngineConfig
from govinspect.engine.page.blocks import RepeatedBlocks
from govinspect.engine.page.parse import parse_page
from govinspect.engine.target import SiteTarget
from govinspect.findings import Finding, read_jsonl

CHECKS = (MissingElements, InterpretationUnlinked, IdentityMissing, MissingTags)
IDS = {c.id for c in CHECKS}


def site_files(root: Path, shuffle: int | None = None) -> list[Path]:
    """Home first, then by depth — or, with ``shuffle``, the rest in a random order: a crawl
    meets pages in many orders, and which blocks count as repeated depends on it."""
    files = [p for p in root.rglob("*") if p.suffix in (".html", ".htm") and p.is_file()]
    files.sort(key=lambda p: (p.relative_to(root) != Path("index.html"), len(p.parts), str(p)))
    if shuffle is not None:
        rest = files[1:]
        random.Random(f"{shuffle}:{root.name}").shuffle(rest)
        files = files[:1] + rest
    return files


def url_of(home: str, root: Path, path: Path) -> str:
    rel = path.relative_to(root).as_posix()
    return home if rel == "index.html" else home + rel


async def inspect_site(
    home: str, site_code: str, root: Path, as_of: date, shuffle: int | None = None
) -> tuple[list[Finding], int]:
    ctx = CheckContext(site=SiteTarget(home_url=home, site_code=site_code), as_of=as_of, config=EngineConfig())
    checks = [cls(ctx) for cls in CHECKS]
    tracker = RepeatedBlocks()
    out: list[Finding] = []
    pages = 0
    for path in site_files(root, shuffle):
        url = url_of(home, root, path)
        page = parse_page(url, path.read_bytes(), headers={"content-type": "text/html"}, is_homepage=url == home)
        page = tracker.mark(page)
        pages += 1
        for check in checks:
            if not check.applies_to(page):
                continue
            if isinstance(check, PageCheck):
                out.extend(check.check_page(page))
            else:
                check.observe(page)
    for check in checks:
        if not isinstance(check, PageCheck):
            out.extend(await check.finish())
    return out, pages


def score(found: list[Finding], truth: list[Finding], negatives: list[Finding]) -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = {}
    neg = {f.fingerprint for f in negatives}
    for check_id in sorted(IDS):
        t = {f.fingerprint for f in truth if f.check == check_id}
        f = {x.fingerprint for x in found if x.check == check_id}
        tp = len(t & f)
        table[check_id] = {
            "truth": len(t),
            "found": len(f),
            "tp": tp,
            "fp": len(f - t),
            "fp_on_negatives": len((f - t) & neg),
            "precision": round(tp / len(f), 3) if f else 1.0,
            "recall": round(tp / len(t), 3) if t else 1.0,
        }
    return table


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sites", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dir", help="an existing sandbox (sites.json) or where to build one")
    ap.add_argument("--show", type=int, default=5, help="false positives/negatives to print per check")
    ap.add_argument("--shuffle", type=int, default=None, help="visit pages in a random order (this seed)")
    args = ap.parse_args()
    from govinspect.sandbox.generate import build

    out = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="sbx-"))
    if not (out / "sites.json").exists():
        build(out, seed=args.seed, sites=args.sites)
    manifest = json.loads((out / "sites.json").read_text(encoding="utf-8"))
    as_of = date.fromisoformat(manifest["as_of"])
    truth = [f for f in read_jsonl(out / "truth.jsonl") if f.check in IDS]
    negatives = [f for f in read_jsonl(out / "negatives.jsonl") if f.check in IDS]
    found: list[Finding] = []
    pages = 0
    started = time.perf_counter()
    for site in manifest["sites"]:
        root = out / "sites" / site["site_code"]
        if not root.is_dir():
            continue
        got, n = asyncio.run(inspect_site(site["home_url"], site["site_code"], root, as_of, args.shuffle))
        found.extend(got)
        pages += n
    elapsed = time.perf_counter() - started
    print(
        f"sandbox {out} seed={manifest['seed']} sites={len(manifest['sites'])} pages={pages} "
        f"({pages / elapsed:.0f} pages/s parse+checks)"
    )
    table = score(found, truth, negatives)
    for check_id, row in table.items():
        print(f"{check_id:32s} " + " ".join(f"{k}={v}" for k, v in row.items()))
    truth_fp = {f.fingerprint for f in truth}
    found_fp = {f.fingerprint for f in found}
    for check_id in sorted(IDS):
        fps = [f for f in found if f.check == check_id and f.fingerprint not in truth_fp]
        fns = [f for f in truth if f.check == check_id and f.fingerprint not in found_fp]
        for f in fps[: args.show]:
            print("  FP", check_id, f.url, json.dumps(f.detail, ensure_ascii=False)[:200])
        for f in fns[: args.show]:
            print("  FN", check_id, f.url, json.dumps(f.detail, ensure_ascii=False)[:200])
    print(Counter(f.check for f in found))


if __name__ == "__main__":
    main()
