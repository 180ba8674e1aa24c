"""`govinspect demo`: the whole loop on the simulated Sichuan province, in one process.

Loads the Sichuan register, builds the sandbox (all 664 sites by default; --sites N for fewer),
serves it in-process on loopback, points the register at it, runs the 2025Q4 full-coverage
inspection with the embedded runner, prints the per-city table and pass rates, writes the
notice and the annual reports into $GOVINSPECT_DATA_DIR/reports/, and scores the findings
against the sandbox's ground truth.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from datetime import date
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo",
        help="the whole demo: sandbox province → inspection → table, pass rates, notice",
        description="演示：模拟四川省政府网站 → 全覆盖检查 → 各市(州)汇总表、合格率、通报文件。",
    )
    p.add_argument("--sites", type=int, default=None, help="sandbox sites (default: all 664 of the register)")
    p.add_argument("--seed", type=int, default=1, help="sandbox seed (default 1)")
    p.add_argument("--pages-per-site", type=int, default=60, help="sandbox pages per site (default 60)")
    p.add_argument("--concurrency", type=int, default=16, help="sites inspected at once per process (default 16)")
    p.add_argument(
        "--processes", type=int, default=None, help="runner processes sharing the queue (default: the CPU count)"
    )
    p.add_argument("--rebuild", action="store_true", help="rebuild the sandbox even if one with these settings exists")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.set_defaults(func=demo)


def _sandbox(root: Path, args: argparse.Namespace, matrix: Path | None = None) -> tuple[Path, dict]:  # type: ignore[type-arg]
    """The site sandbox; with ``matrix`` (the new-media sandbox's matrix.jsonl) the sites it names
    show their 新媒体矩阵 page, which the crawl reads (newmedia.unfiled)."""
    from govinspect.sandbox import build, load_manifest

    name = f"sandbox-demo-s{args.seed}-{args.sites or 'all'}-p{args.pages_per_site}" + ("-nm" if matrix else "")
    directory = root / name
    if (directory / "sites.json").is_file() and not args.rebuild:
        print(f"沙箱已存在，直接使用：{directory}", file=sys.stderr)
        return directory, load_manifest(directory)
    if directory.exists():
        import shutil

        shutil.rmtree(directory)
    print(f"正在生成模拟省份（{f'{args.sites} 个网站' if args.sites else '名录中的全部网站'}）…", file=sys.stderr)
    started = time.monotonic()
    manifest = build(directory, seed=args.seed, sites=args.sites, pages_per_site=args.pages_per_site, matrix=matrix)
    print(f"  {len(manifest['sites'])} 个网站，{time.monotonic() - started:.0f} 秒", file=sys.stderr)
    return directory, manifest


def _point(addresses: dict[str, str]) -> int:
    """Set each registered site's home URL to its sandbox address (two steps: home_url is unique)."""
    from django.db import transaction

    from govinspect.registry.models import Site

    with transaction.atomic():
        sites = list(Site.objects.filter(site_code__in=list(addresses)))
        for site in sites:
            site.home_url = f"http://demo-repoint.invalid/{site.site_code}/"
        Site.objects.bulk_update(sites, ["home_url"], batch_size=500)
        for site in sites:
            site.home_url = addresses[site.site_code]
        Site.objects.bulk_update(sites, ["home_url"], batch_size=500)
    return len(sites)


def _newmedia(data: Path, seed: int, as_of: date, ingest: bool = True) -> Path | None:
    """Build the new-media sandbox (issue 10), apply its register changes, ingest its feeds
    (``ingest``: the whole province's run inspects the accounts; a partial run only the sites)."""
    try:
        from govinspect.newmedia import sandbox as nm
        from govinspect.newmedia.ingest import ingest_many
        from govinspect.newmedia.services import apply_sandbox_register
    except ImportError:
        return None
    directory = data / f"newmedia-sandbox-s{seed}"
    if not (directory / "manifest.json").is_file():
        print("正在生成模拟政务新媒体账号…", file=sys.stderr)
        nm.build(directory, seed=seed, as_of=as_of)
    apply_sandbox_register(directory)
    from govinspect.newmedia.models import Post

    if not ingest or Post.objects.exists():  # ingested by an earlier demo run (ingest is idempotent, but slow)
        return directory
    started, rows, errors = time.monotonic(), 0, 0
    for summary in ingest_many(nm.feed_files(directory)):
        rows += summary.rows
        errors += len(summary.errors)
    print(f"  采集 {rows} 条发布信息（{errors} 条错误），{time.monotonic() - started:.0f} 秒", file=sys.stderr)
    return directory


def _register_check(state) -> dict | None:  # type: ignore[no-untyped-def, type-arg]
    """What the runner stored that no account target carries (newmedia.services.register_check
    with the 新媒体矩阵 listings the crawl read, runner.register_check_from_crawl)."""
    done = state.register_check
    if done is None:
        return None
    return {
        "unfiled": done.unfiled,
        "closed_but_active": done.closed_but_active,
        "unplaced": len(done.unplaced),
        "outside": done.outside,
    }


def _register_fingerprint(row, register_homes: dict[str, str]) -> str:  # type: ignore[no-untyped-def]
    """A site's new-media finding as the truth names it: the crawl saw the sandbox address, the
    truth the register's home URL (same path below it)."""
    from govinspect.findings import fingerprint, fingerprint_key

    home = register_homes.get(row.site.site_code)
    if home is None:
        return row.fingerprint
    served = row.site.home_url.rstrip("/")
    url = home.rstrip("/") + row.url[len(served) :] if row.url.startswith(served) else row.url
    return fingerprint(home, row.check_id, url, fingerprint_key(row.check_id, row.target or None, row.detail))


def _account_score(inspection, directory: Path, sites: list[str] | None = None) -> dict:  # type: ignore[no-untyped-def, type-arg]
    """The inspection's new-media findings against the new-media sandbox truth, by fingerprint:
    the accounts' findings and the newmedia.* findings of sites (unfiled accounts read on their
    matrix pages). ``sites`` (site codes): a partial run, scored on those sites' truth only (no
    account was inspected). Per check: expected, found, tp; missed and false positives by check."""
    from collections import Counter

    from django.db.models import Q

    from govinspect.inspections.models import Finding
    from govinspect.newmedia.sandbox import read_truth
    from govinspect.registry.sichuan import sichuan_register

    register_homes = {s.site_code: s.home_url for s in sichuan_register().sites}
    truth = {t.fingerprint: t.check for t in read_truth(directory)}
    if sites is not None:
        from govinspect.findings import normalize_url

        homes = {normalize_url(register_homes[c]) for c in sites if c in register_homes}
        owned = _site_truth(directory, homes)
        truth = {fp: c for fp, c in truth.items() if fp in owned}
    rows = Finding.objects.filter(
        Q(account__isnull=False) | Q(site__isnull=False, check_id__startswith="newmedia."),
        sightings__inspection=inspection,
    ).select_related("site")
    found = {(_register_fingerprint(r, register_homes) if r.site_id else r.fingerprint): r.check_id for r in rows}
    tp = len(found.keys() & truth.keys())
    checks: dict[str, dict[str, int]] = {}
    for fp, check in truth.items():
        row = checks.setdefault(check, {"expected": 0, "found": 0, "tp": 0})
        row["expected"] += 1
        row["tp"] += fp in found
    for check in found.values():
        checks.setdefault(check, {"expected": 0, "found": 0, "tp": 0})["found"] += 1
    return {
        "expected": len(truth),
        "found": len(found),
        "tp": tp,
        "precision": round(tp / len(found), 4) if found else None,
        "recall": round(tp / len(truth), 4) if truth else None,
        "checks": dict(sorted(checks.items())),
        "missed": dict(Counter(c for fp, c in truth.items() if fp not in found)),
        "false_positives": dict(Counter(c for fp, c in found.items() if fp not in truth)),
        "sites": None if sites is None else len(sites),
    }


def _site_truth(directory: Path, homes: set[str]) -> set[str]:
    """Fingerprints of the new-media truth owned by these sites (newmedia.unfiled)."""
    from govinspect.findings import normalize_url
    from govinspect.newmedia.sandbox import read_truth

    return {t.fingerprint for t in read_truth(directory) if normalize_url(t.site) in homes}


def _score_against_truth(inspection, server) -> dict:  # type: ignore[no-untyped-def, type-arg]
    from govinspect.findings import Finding as FindingRecord
    from govinspect.inspections.models import Finding
    from govinspect.sandbox.score import score

    rows = Finding.objects.filter(sightings__inspection=inspection, site__isnull=False).select_related("site")
    found = [
        FindingRecord(
            site=r.site.home_url,
            check=r.check_id,
            severity=r.severity,  # type: ignore[arg-type]
            url=r.url,
            target=r.target or None,
            detail=r.detail,
        )
        for r in rows.iterator(chunk_size=2000)
    ]
    return score(found, server.truth(), server.negatives())


def demo(args: argparse.Namespace) -> int:
    wall = time.monotonic()
    from govinspect.cli._django import setup_django

    setup_django()
    from django.conf import settings

    from govinspect.cli.run import engine_config, newmedia_available
    from govinspect.errors import ConfigError
    from govinspect.inspections import services
    from govinspect.inspections.aggregates import summarise
    from govinspect.inspections.console import ProgressBar, print_summary
    from govinspect.inspections.runner import run_inspection
    from govinspect.registry.services import load_sichuan
    from govinspect.reports.annual import write_annual_reports
    from govinspect.reports.notice import write_notice
    from govinspect.sandbox import SandboxServer
    from govinspect.sandbox.score import format_score

    data = Path(settings.DATA_DIR)
    from govinspect.registry.models import Site

    if not Site.objects.exists():  # a second run keeps the register (and the new-media changes)
        print(f"四川名录：{load_sichuan()}", file=sys.stderr)
    from govinspect.sandbox.builder import AS_OF

    whole = args.sites is None
    # the new-media sandbox first: its matrix.jsonl says which sites list which accounts on a
    # 新媒体矩阵 page, and the site sandbox renders those pages for the crawl to read
    newmedia_dir = _newmedia(data, args.seed, AS_OF, ingest=whole) if newmedia_available() else None
    directory, manifest = _sandbox(data, args, newmedia_dir / "matrix.jsonl" if newmedia_dir else None)
    as_of = date.fromisoformat(manifest["as_of"])
    try:
        server = SandboxServer(directory).start()  # the build's ports (8101…) when free
    except ConfigError:
        server = SandboxServer(directory, base_port=0).start()  # busy: ephemeral ports
    try:
        codes = [s["site_code"] for s in manifest["sites"]]
        pointed = _point({code: server.url_for(code) for code in codes})
        print(f"名录中 {pointed} 个网站已指向模拟省份（{server.url_for(codes[0])} …）", file=sys.stderr)
        accounts = whole and newmedia_dir is not None
        inspection = services.create_inspection(
            "2025Q4",
            as_of=as_of,
            sites=[] if whole else codes,
            accounts=accounts,
            province=settings.PROVINCE_CODE,
        )
        if whole and not accounts:
            print("注意：政务新媒体检查模块尚未安装，本次只检查网站。", file=sys.stderr)
        print(
            f"检查 #{inspection.pk}（2025Q4 全覆盖）：{inspection.sites_total} 个网站，"
            f"{inspection.accounts_total} 个账号，监测时间点 {inspection.as_of}",
            file=sys.stderr,
        )
        started = time.monotonic()
        with ProgressBar(enabled=not args.quiet) as bar:
            state = run_inspection(
                inspection,
                engine_config(),
                concurrency=args.concurrency,
                processes=args.processes or os.cpu_count() or 1,
                progress=bar,
            )
        inspect_seconds = time.monotonic() - started
        if state.helper_failures:
            print(f"注意：{state.helper_failures} 个辅助进程异常退出，其余进程完成了检查。", file=sys.stderr)
        register = _register_check(state)
        inspection.refresh_from_db()
        print_summary(summarise(inspection))
        reports = data / "reports"
        notice = write_notice(inspection, reports)
        annual = write_annual_reports(inspection.as_of.year, reports)
        result = _score_against_truth(inspection, server)
        accounts_result = (
            _account_score(inspection, newmedia_dir, sites=None if whole else codes) if newmedia_dir else None
        )
    finally:
        server.stop()
    total = result["total"]
    print("\n与沙箱标准答案比对（precision = 报出的问题中真实存在的比例，recall = 预置问题被找到的比例）：")
    print(format_score(result, unmatched=0).split("\n\n")[0])
    if accounts_result:
        a = accounts_result
        print(
            f"政务新媒体：预置 {a['expected']} 个问题，报出 {a['found']} 个，命中 {a['tp']} 个，"
            f"precision {a['precision']}，recall {a['recall']}"
        )
        for kind, counts in (("漏报", a["missed"]), ("误报", a["false_positives"])):
            if counts:
                print(f"  {kind}：" + "，".join(f"{check} {n}" for check, n in sorted(counts.items())))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    helper_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest helper
    numbers = {
        "sites": inspection.sites_done,
        "findings": inspection.findings_seen,
        "inspect_seconds": round(inspect_seconds, 1),
        "wall_seconds": round(time.monotonic() - wall, 1),
        "peak_rss_mb": round(peak_mb),
        "helper_peak_rss_mb": round(helper_mb),
        "processes": args.processes or os.cpu_count() or 1,
        "precision": total.get("precision"),
        "recall": total.get("recall"),
        "checks": {
            check: {k: row[k] for k in ("expected", "found", "tp", "precision", "recall")}
            for check, row in result["checks"].items()
        },
        "failed_sites": state.failed,
        "sites_by_main_process": state.own_sites,
        "helper_failures": state.helper_failures,
        "accounts": inspection.accounts_done,
        "accounts_score": accounts_result,
        "newmedia_register_check": register,
    }
    (reports / "demo-run.json").write_text(json.dumps(numbers, ensure_ascii=False, indent=1), encoding="utf-8")
    print(
        f"\n文件：\n  通报附件  {notice.xlsx}\n  通报草稿  {notice.docx}\n"
        + "".join(f"  年度报表  {p}\n" for p in annual)
        + f"  数据库    {settings.DATABASES['default']['NAME']}\n  沙箱      {directory}\n"
        f"  运行数据  {reports / 'demo-run.json'}"
    )
    print(
        f"\n检查 {numbers['sites']} 个网站用时 {numbers['inspect_seconds']} 秒，全程 {numbers['wall_seconds']} 秒，"
        f"峰值内存 {numbers['peak_rss_mb']} MB（辅助进程最大 {numbers['helper_peak_rss_mb']} MB）。"
    )
    return 0
