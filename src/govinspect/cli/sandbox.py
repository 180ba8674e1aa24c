"""`govinspect sandbox build | serve | truth | score | point-register`."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from datetime import date
from pathlib import Path


def _default_dir() -> Path:
    data = os.environ.get("GOVINSPECT_DATA_DIR")
    return (Path(data).expanduser() if data else Path.cwd() / "var") / "sandbox"


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "sandbox",
        help="the simulated province on 127.0.0.1 (build, serve, score)",
        description="模拟省份：带预置问题与标准答案的政府网站沙箱。",
    )
    sub = p.add_subparsers(dest="sandbox_command", metavar="ACTION")

    b = sub.add_parser("build", help="write the simulated province to disk")
    b.add_argument(
        "--out", type=Path, default=None, help="directory (default $GOVINSPECT_DATA_DIR/sandbox or ./var/sandbox)"
    )
    b.add_argument("--seed", type=int, default=1)
    b.add_argument("--sites", type=int, default=None, help="number of register sites (default: all 664)")
    b.add_argument("--pages-per-site", type=int, default=60)
    b.add_argument("--as-of", type=date.fromisoformat, default=date(2025, 12, 15), help="reference date (YYYY-MM-DD)")
    b.add_argument("--base-port", type=int, default=8101, help="ports written into pages and truth")
    b.add_argument(
        "--corpus",
        type=Path,
        default=None,
        help="optional file or folder of clean official sentences used for article text",
    )
    b.add_argument(
        "--matrix",
        type=Path,
        default=None,
        help="the new-media sandbox's matrix.jsonl: the sites it names get a 新媒体矩阵 page listing those accounts",
    )
    b.set_defaults(func=_build)

    s = sub.add_parser("serve", help="serve every site on its own port")
    s.add_argument("--dir", type=Path, default=None)
    s.add_argument("--base-port", type=int, default=None, help="first port (default: the build's, 8101); 0 = ephemeral")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--timeout", type=float, default=None, help="stop after this many seconds")
    s.add_argument("--quiet", action="store_true", help="do not print the address table")
    s.set_defaults(func=_serve)

    t = sub.add_parser("truth", help="print truth.jsonl (or negatives) for the ports served")
    t.add_argument("--dir", type=Path, default=None)
    t.add_argument("--base-port", type=int, default=None)
    t.add_argument("--negatives", action="store_true")
    t.set_defaults(func=_truth)

    c = sub.add_parser("score", help="precision and recall of a findings file against the truth")
    c.add_argument("findings", type=Path)
    c.add_argument("--dir", type=Path, default=None)
    c.add_argument("--base-port", type=int, default=None, help="base port the sandbox was served on")
    c.add_argument(
        "--only-sites-in-findings",
        action="store_true",
        help="expect only the truth of sites that appear in the findings (partial inspections)",
    )
    c.add_argument(
        "--site",
        action="append",
        default=None,
        metavar="HOME_URL",
        help="expect only the truth of this site (repeatable)",
    )
    c.add_argument("--unmatched", type=int, default=20, help="list at most this many missed truth records")
    c.add_argument("--json", action="store_true", help="print the score as JSON")
    c.set_defaults(func=_score)

    r = sub.add_parser("point-register", help="set each registered site's home URL to its sandbox address")
    r.add_argument("--dir", type=Path, default=None)
    r.add_argument("--base-port", type=int, default=None)
    r.add_argument("--host", default="127.0.0.1")
    r.add_argument("--restore", action="store_true", help="put back the register's own home URLs instead")
    r.set_defaults(func=_point_register)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def _build(args: argparse.Namespace) -> int:
    from govinspect.sandbox import build

    out = args.out or _default_dir()
    print(f"building the sandbox in {out} …", file=sys.stderr)
    m = build(
        out,
        seed=args.seed,
        sites=args.sites,
        pages_per_site=args.pages_per_site,
        as_of=args.as_of,
        base_port=args.base_port,
        corpus=args.corpus,
        matrix=args.matrix,
    )
    dead = sum(1 for s in m["sites"] if s.get("availability"))
    print(
        f"{len(m['sites'])} sites ({dead} unreachable by design), {m['files']} files, "
        f"{m['truth']} truth records, {m['negatives']} negatives, {m['build_seconds']} s"
    )
    from collections import Counter

    from govinspect.findings import read_jsonl

    seeded = Counter(f.check for f in read_jsonl(Path(out) / "truth.jsonl"))
    print("seeded: " + ", ".join(f"{check} {n}" for check, n in sorted(seeded.items())))
    print(f"serve it with: govinspect sandbox serve --dir {out}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from govinspect.sandbox.server import SandboxServer

    server = SandboxServer(args.dir or _default_dir(), host=args.host, base_port=args.base_port)

    async def main() -> None:
        task = asyncio.create_task(server.serve(args.timeout))
        while not server._ready.is_set() and not task.done():
            await asyncio.sleep(0.05)
        if task.done():
            await task
            return
        if not args.quiet:
            for code, name, url, note in server.address_table():
                print(f"{code}\t{url}\t{name}" + (f"\t[{note}]" if note else ""))
        n = len(server.app.sites)
        print(f"serving {n} sites and the external host on {args.host}; Ctrl-C to stop", file=sys.stderr)
        await task

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    return 0


def _truth(args: argparse.Namespace) -> int:
    from govinspect.findings import write_jsonl
    from govinspect.sandbox.truth import load_truth

    rows = load_truth(args.dir or _default_dir(), base_port=args.base_port, negatives=args.negatives)
    write_jsonl(rows, sys.stdout)
    return 0


def _score(args: argparse.Namespace) -> int:
    import json

    from govinspect.sandbox.score import format_score, score_file

    result = score_file(
        args.findings,
        args.dir or _default_dir(),
        base_port=args.base_port,
        only_sites_in_findings=args.only_sites_in_findings,
        sites=args.site,
    )
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print(format_score(result, unmatched=args.unmatched))
    return 0


def _point_register(args: argparse.Namespace) -> int:
    from govinspect.cli._django import setup_django

    setup_django()
    from govinspect.sandbox.register import point_register, restore_register

    if args.restore:
        changed, missing = restore_register()
        print(f"{changed} registered sites point at their register addresses again ({missing} not registered)")
        return 0
    changed, missing = point_register(args.dir or _default_dir(), base_port=args.base_port, host=args.host)
    print(f"{changed} registered sites now point at the sandbox; {missing} sandbox sites not in the register")
    return 0 if changed else 1
