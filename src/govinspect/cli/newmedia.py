"""`govinspect newmedia …`: ingest posts, build the new-media sandbox, inspect accounts."""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

from govinspect.errors import GovinspectError


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("newmedia", help="政务新媒体：采集发布信息、检查账号、模拟数据")
    sub = p.add_subparsers(dest="newmedia_command", metavar="ACTION")

    ingest = sub.add_parser("ingest", help="ingest feeds or imports (files, directories or http(s) URLs)")
    ingest.add_argument("sources", nargs="+", metavar="FILE|DIR|URL")
    ingest.add_argument("--format", choices=["rss", "jsonl", "csv", "html"], help="default: guessed per source")
    ingest.add_argument("--account", default="", help="PLATFORM:ACCOUNT_ID when the source does not name it")
    ingest.add_argument("--errors", type=int, default=10, help="row errors shown per source (default 10)")
    ingest.add_argument("-v", "--verbose", action="store_true", help="a line per source, not only those with errors")
    ingest.set_defaults(func=_ingest)

    sandbox = sub.add_parser("sandbox", help="the simulated Sichuan accounts")
    sb = sandbox.add_subparsers(dest="sandbox_command", metavar="ACTION")
    build = sb.add_parser("build", help="write feeds, register changes, matrix listings and truth")
    build.add_argument("--out", required=True, type=Path)
    build.add_argument("--seed", type=int, default=1)
    build.add_argument("--as-of", type=date.fromisoformat, default=None)
    build.add_argument("--posts", type=int, default=50, help="posts per account (default 50)")
    build.set_defaults(func=_sandbox_build)
    reg = sb.add_parser("register", help="load the Sichuan register and apply the sandbox's register changes")
    reg.add_argument("--dir", required=True, type=Path)
    reg.set_defaults(func=_sandbox_register)
    score = sb.add_parser("score", help="score findings against the sandbox truth")
    score.add_argument("findings", type=Path)
    score.add_argument("--dir", required=True, type=Path)
    score.set_defaults(func=_sandbox_score)

    inspect = sub.add_parser("inspect", help="inspect the register's accounts from their ingested posts")
    inspect.add_argument("--as-of", required=True, type=date.fromisoformat)
    inspect.add_argument("--out", type=Path, help="findings JSONL (default: stdout)")
    inspect.add_argument("--matrix", type=Path, help="新媒体矩阵 listings (JSONL or CSV) for newmedia.unfiled")
    inspect.add_argument("--region", default="", help="only accounts whose region code starts with this")
    inspect.add_argument("--no-content", action="store_true", help="skip the text, sensitive and privacy checks")
    inspect.set_defaults(func=_inspect)

    check = sub.add_parser(
        "register-check",
        help="store in an inspection the 新媒体矩阵's unfiled accounts and the closed accounts still posting",
        description="登记核对：把新媒体矩阵中未备案的账号（记在列出它的网站名下）和已关停仍在更新的账号记入一次检查。",
    )
    check.add_argument("--inspection", required=True, type=int, help="the inspection's id")
    check.add_argument("--matrix", type=Path, help="新媒体矩阵 listings (JSONL or CSV)")
    check.set_defaults(func=_register_check)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def _sources(items: list[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        path = Path(item)
        if item.startswith(("http://", "https://")):
            out.append(item)
        elif path.is_dir():
            out += [
                str(p)
                for p in sorted(path.rglob("*"))
                if p.suffix.lower() in (".xml", ".rss", ".atom", ".jsonl", ".csv", ".html")
            ]
        elif path.is_file():
            out.append(item)
        else:
            raise GovinspectError(f"no such file or directory: {item}")
    return out


def _read(source: str) -> bytes:
    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=30) as response:
            return response.read(50 * 1024 * 1024)
    return Path(source).read_bytes()


def _ingest(args: argparse.Namespace) -> int:
    from govinspect.cli._django import setup_django

    setup_django()
    from govinspect.newmedia.ingest import ingest_many

    started, rows, errors = time.perf_counter(), 0, 0
    for summary in ingest_many(_sources(args.sources), args.format, account=args.account, read=_read):
        rows += summary.rows
        errors += len(summary.errors)
        if summary.errors or args.verbose:
            print(summary)
        for e in summary.errors[: args.errors]:
            where = f"第 {e.row} 行" if e.row else "整体"
            print(f"  {where} {e.field}: {e.message}", file=sys.stderr)
    print(f"合计 {rows} 条，错误 {errors} 条，用时 {time.perf_counter() - started:.1f} 秒")
    return 1 if errors else 0


def _sandbox_build(args: argparse.Namespace) -> int:
    from govinspect.newmedia import sandbox

    manifest = sandbox.build(args.out, seed=args.seed, as_of=args.as_of or sandbox.AS_OF, posts_per_account=args.posts)
    print(json.dumps({k: v for k, v in manifest.items() if k != "settings"}, ensure_ascii=False, indent=1))
    return 0


def _sandbox_register(args: argparse.Namespace) -> int:
    from govinspect.cli._django import setup_django

    setup_django()
    from govinspect.newmedia.services import apply_sandbox_register

    print(apply_sandbox_register(args.dir))
    return 0


def _sandbox_score(args: argparse.Namespace) -> int:
    from govinspect.findings import read_jsonl
    from govinspect.newmedia.sandbox import read_truth
    from govinspect.newmedia.score import score
    from govinspect.sandbox.score import format_score

    result = score(read_jsonl(args.findings), read_truth(args.dir), read_truth(args.dir, negatives=True))
    print(format_score(result))
    for f in result["false_positives"][:20]:
        print(f"  FP {f['check']:30} {f['url']}  {f.get('target') or next(iter(f['detail'].values()), '')}")
    return 0


def _inspect(args: argparse.Namespace) -> int:
    from govinspect.cli._django import setup_django

    setup_django()
    from govinspect.findings import write_jsonl
    from govinspect.newmedia.services import inspect_accounts, read_matrix, unfiled_findings
    from govinspect.registry.models import Account

    accounts = Account.objects.all().order_by("id")
    if args.region:
        accounts = accounts.filter(region__code__startswith=args.region)
    out = args.out.open("w", encoding="utf-8") if args.out else sys.stdout
    started, n, failing, total = time.perf_counter(), 0, 0, 0
    try:
        for _account, findings in inspect_accounts(accounts, args.as_of, content=not args.no_content):
            n += 1
            failing += any(f.severity == "veto" for f in findings)
            total += write_jsonl(findings, out)
        if args.matrix:
            total += write_jsonl(unfiled_findings(read_matrix(args.matrix)), out)
    finally:
        if args.out:
            out.close()
    print(
        f"{n} 个账号，{failing} 个存在单项否决问题，共 {total} 条问题，用时 {time.perf_counter() - started:.1f} 秒",
        file=sys.stderr,
    )
    return 0


def _register_check(args: argparse.Namespace) -> int:
    from govinspect.cli._django import setup_django

    setup_django()
    from govinspect.inspections.models import Inspection
    from govinspect.newmedia.services import read_matrix, register_check

    inspection = Inspection.objects.filter(pk=args.inspection).first()
    if inspection is None:
        raise GovinspectError(f"没有编号为 {args.inspection} 的检查")
    done = register_check(inspection, read_matrix(args.matrix) if args.matrix else ())
    print(
        f"检查 #{inspection.pk}：未备案账号 {done.unfiled} 个（记在列出它们的网站名下），"
        f"关停后仍在更新的账号 {done.closed_but_active} 个，新增问题记录 {done.new_sightings} 条"
    )
    if done.outside:
        print(f"  {done.outside} 个未备案账号所在网站不在本次检查范围内，未记入", file=sys.stderr)
    for site in sorted(set(done.unplaced)):
        print(f"  名录中没有网站 {site}：其新媒体矩阵列出的未备案账号未记入", file=sys.stderr)
    return 0
