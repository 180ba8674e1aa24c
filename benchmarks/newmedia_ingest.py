"""New-media ingestion speed: the whole Sichuan sandbox (3,722 accounts × 50 posts) into the database.

    .venv/bin/python benchmarks/newmedia_ingest.py [--dir var/nm-sandbox] [--posts 50]
    .venv/bin/python benchmarks/newmedia_ingest.py --postgres [--pg-url postgres://postgres@127.0.0.1:5432/postgres]
    .venv/bin/python benchmarks/newmedia_ingest.py --inspect      # also time the inspection and score it

Builds the sandbox (unless --dir already holds one), loads the register into a fresh database
(an SQLite file in a temporary folder, or a fresh PostgreSQL database ``govinspect_nm_bench``
created and dropped here), ingests every feed file and then ingests them again (idempotent:
nothing created the second time). Prints seconds and posts per second per step.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import date
from pathlib import Path

BENCH_DB = "govinspect_nm_bench"


def timed(label: str, fn, unit: str = "posts"):
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    count = result if isinstance(result, int) else None
    rate = f"  ({count / seconds:,.0f} {unit}/s)" if count else ""
    print(f"{label:<52} {seconds:8.2f} s{rate}", flush=True)
    return result


def _fresh_postgres(url: str) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    return url.rsplit("/", 1)[0] + "/" + BENCH_DB


def _drop_postgres(url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, help="sandbox directory (built there if empty)")
    parser.add_argument("--posts", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--inspect", action="store_true", help="also run and score the inspection")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="nm-bench-")
    sandbox_dir = args.dir or Path(tmp.name) / "sandbox"
    os.environ["GOVINSPECT_DATA_DIR"] = str(Path(tmp.name) / "var")
    if args.postgres:
        os.environ["GOVINSPECT_DATABASE_URL"] = _fresh_postgres(args.pg_url)
    elif "GOVINSPECT_DATABASE_URL" in os.environ:
        raise SystemExit("GOVINSPECT_DATABASE_URL is set: use --postgres (a fresh database) or unset it")

    from govinspect.newmedia import sandbox

    if not (sandbox_dir / "manifest.json").exists():
        timed(
            "sandbox build", lambda: sandbox.build(sandbox_dir, seed=args.seed, posts_per_account=args.posts)["posts"]
        )
    files = sandbox.feed_files(sandbox_dir)
    print(f"{len(files)} feed files in {sandbox_dir}")

    from govinspect.cli._django import setup_django

    try:
        timed("migrate", lambda: setup_django() or 0)
        from django.db import connection

        from govinspect.newmedia.ingest import ingest_many
        from govinspect.newmedia.models import Comment, Post
        from govinspect.newmedia.services import apply_sandbox_register

        timed("register (Sichuan + sandbox changes)", lambda: apply_sandbox_register(sandbox_dir) and 0)
        print(f"database: {connection.vendor}")

        def ingest() -> int:
            summaries = list(ingest_many(files))
            errors = sum(len(s.errors) for s in summaries)
            if errors:
                print(f"  row errors: {errors}")
            return sum(s.rows for s in summaries)

        timed("ingest all feeds (first time)", ingest)
        print(f"  posts stored: {Post.objects.count():,}, comments: {Comment.objects.count():,}")
        timed("ingest all feeds again (idempotent upsert)", ingest)
        print(f"  posts stored: {Post.objects.count():,}")
        if args.inspect:
            _inspect(sandbox_dir)
    finally:
        if args.postgres:
            _drop_postgres(args.pg_url)
        tmp.cleanup()


def _inspect(sandbox_dir: Path) -> None:
    from govinspect.newmedia.sandbox import read_truth
    from govinspect.newmedia.score import score
    from govinspect.newmedia.services import inspect_accounts, read_matrix, unfiled_findings
    from govinspect.registry.models import Account

    findings = []
    as_of = date.fromisoformat("2025-12-15")

    def run() -> int:
        for _account, found in inspect_accounts(Account.objects.order_by("id"), as_of):
            findings.extend(found)
        findings.extend(unfiled_findings(read_matrix(sandbox_dir / "matrix.jsonl")))
        return Account.objects.count()

    timed("inspect all accounts (with content checks)", run, unit="accounts")
    result = score(findings, read_truth(sandbox_dir), read_truth(sandbox_dir, negatives=True))
    for check, row in [*result["checks"].items(), ("TOTAL", result["total"])]:
        print(
            f"  {check:32} expected {row['expected']:4} found {row['found']:4} tp {row['tp']:4} "
            f"fp {row['fp']:3} precision {row['precision']} recall {row['recall']}"
        )


if __name__ == "__main__":
    main()
