"""`govinspect probe URL... [--rounds N] [--interval S] [--out probes.jsonl]`: availability
probes of home pages (W-V2), appended to a JSONL store; `--report --as-of DATE` prints the
W-V2 figures of the stored probes instead."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from datetime import date


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "probe",
        help="probe home pages for availability (W-V2 站点无法访问)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("urls", nargs="+", metavar="URL", help="home page URLs")
    p.add_argument("--rounds", type=int, default=1, help="how many times each URL is probed (default 1)")
    p.add_argument("--interval", type=float, default=0.0, help="seconds between rounds (default 0)")
    p.add_argument("--jitter", type=float, default=0.0, help="± random seconds added to the interval")
    p.add_argument("--concurrency", type=int, default=200, help="probes in flight at once (default 200)")
    p.add_argument("--timeout", type=float, default=None, help="seconds before a probe fails (default: catalogue, 15)")
    p.add_argument("--out", default=None, help="append the records to this JSONL file")
    p.add_argument("--report", action="store_true", help="print the W-V2 figures of --out for --as-of, no probing")
    p.add_argument("--as-of", type=date.fromisoformat, default=None, help="reference date of --report (YYYY-MM-DD)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.report:
        if not args.out or not args.as_of:
            print("govinspect probe --report needs --out FILE and --as-of YYYY-MM-DD", file=sys.stderr)
            return 2
        return report(args.out, args.urls, args.as_of)
    return asyncio.run(probe(args))


def report(path: str, urls: list[str], as_of: date) -> int:
    from govinspect.engine.probe import JsonlProbeStore, availability

    records = list(JsonlProbeStore(path).read())
    vetoed = 0
    for url in urls:
        a = availability(records, url, as_of)
        verdict = "不合格(W-V2)" if a.veto else "合格"
        note = "" if a.enough else f"  (only {a.days}/{a.window_days} days with ≥{a.min_probes_per_day} probes)"
        print(f"{url}\tprobes={a.probes}\tfailures={a.failures}\tratio={a.ratio:.2%}\t{verdict}{note}")
        vetoed += a.veto
    return 1 if vetoed else 0


async def probe(args: argparse.Namespace) -> int:
    # Imported here: every `govinspect` command imports this module to build its --help.
    from govinspect.engine.probe import JsonlProbeStore, ProbeRecord, probe_rounds

    store = JsonlProbeStore(args.out) if args.out else None
    batch: list[ProbeRecord] = []
    failures = total = 0
    started = time.perf_counter()
    async for record in probe_rounds(
        args.urls,
        rounds=args.rounds,
        interval=args.interval,
        jitter=args.jitter,
        concurrency=args.concurrency,
        timeout=args.timeout,
    ):
        total += 1
        failures += 0 if record.ok else 1
        batch.append(record)
        if not store:
            status = record.status if record.status is not None else "-"
            latency = f"{record.latency:.3f}s" if record.latency is not None else "-"
            print(f"{record.time.isoformat()}\t{record.url}\t{status}\t{latency}\t{record.error or 'ok'}")
        if store and len(batch) >= 1000:
            store.append(batch)
            batch.clear()
    if store and batch:
        store.append(batch)
    elapsed = time.perf_counter() - started
    rate = total / elapsed if elapsed else 0.0
    print(f"{total} probes, {failures} failed, {elapsed:.2f}s, {rate:.0f} probes/s", file=sys.stderr)
    return 1 if failures else 0
