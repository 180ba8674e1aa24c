"""newmedia.unfiled from the crawl, on the sites that list accounts (fresh data directory).

    .venv/bin/python benchmarks/newmedia_matrix_crawl.py            # the 30 sites of matrix.jsonl
    .venv/bin/python benchmarks/newmedia_matrix_crawl.py --extra 20  # and 20 sites listing nothing

Builds the new-media sandbox (seed 1), the site sandbox of the sites its matrix.jsonl names (their
新媒体矩阵 pages rendered), runs the embedded runner on them (sites only) and prints: the
listings read against matrix.jsonl (per entry), and the stored newmedia.unfiled findings against
the new-media truth restricted to those sites (by fingerprint, register URLs), with the time and
the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--extra", type=int, default=0, help="sites without a matrix page added")
    p.add_argument("--pages-per-site", type=int, default=30)
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--keep", type=Path, default=None)
    args = p.parse_args()
    data = args.keep or Path(tempfile.mkdtemp(prefix="govinspect-nm-matrix-"))
    os.environ["GOVINSPECT_DATA_DIR"] = str(data)
    from govinspect.cli._django import setup_django

    setup_django()
    from govinspect.cli.demo import _account_score
    from govinspect.findings import normalize_url
    from govinspect.inspections import services
    from govinspect.inspections.models import InspectionTarget
    from govinspect.inspections.runner import MATRIX_STAT, run_inspection
    from govinspect.newmedia import sandbox as nm
    from govinspect.newmedia.services import apply_sandbox_register
    from govinspect.registry.models import Site
    from govinspect.registry.services import load_sichuan
    from govinspect.registry.sichuan import sichuan_register
    from govinspect.sandbox import SandboxServer, build
    from govinspect.sandbox.sites import register_sites, spread_sample

    nm_dir = data / "nm"
    nm.build(nm_dir, seed=1)
    if not Site.objects.exists():
        load_sichuan()
    apply_sandbox_register(nm_dir)
    rows = [json.loads(x) for x in (nm_dir / "matrix.jsonl").read_text(encoding="utf-8").splitlines()]
    by_home = {normalize_url(s.home_url): s.site_code for s in sichuan_register().sites}
    listing = {by_home[normalize_url(r["site"])] for r in rows}
    specs = register_sites()
    extra = {s.site_code for s in spread_sample([s for s in specs if s.site_code not in listing], args.extra)}
    chosen = [s for s in specs if s.site_code in listing | extra]
    manifest = build(data / "sb", seed=1, sites=chosen, pages_per_site=args.pages_per_site, matrix=rows)
    started = time.monotonic()
    with SandboxServer(data / "sb", base_port=0) as server:
        codes = [s["site_code"] for s in manifest["sites"]]
        for code in codes:
            Site.objects.filter(site_code=code).update(home_url=server.url_for(code))
        inspection = services.create_inspection("2025Q4", as_of=nm.AS_OF, sites=codes, accounts=False)
        state = run_inspection(inspection, concurrency=args.concurrency)
    seconds = time.monotonic() - started
    expected = {(by_home[normalize_url(r["site"])], r["platform"], r["name"], r["account_id"]) for r in rows}
    read = set()
    for code, stats in InspectionTarget.objects.filter(inspection=inspection).values_list("site__site_code", "stats"):
        for e in (stats or {}).get(MATRIX_STAT) or ():
            read.add((code, e["platform"], e["name"], e["id"]))
    unreachable = {s["site_code"] for s in manifest["sites"] if s.get("availability")}
    reachable_expected = {e for e in expected if e[0] not in unreachable}
    score = _account_score(inspection, nm_dir, sites=codes)
    load = os.getloadavg()
    print(f"sites                 {len(codes)} ({len(listing)} with a matrix page, {len(unreachable)} unreachable)")
    print(f"inspection            {seconds:.1f} s   load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(
        f"listings read         {len(read & expected)}/{len(expected)} expected "
        f"({len(reachable_expected)} on reachable sites), {len(read - expected)} not listed"
    )
    print(
        f"newmedia.unfiled      P {score['precision']}  R {score['recall']}  "
        f"({score['tp']}/{score['expected']} seeded found, {score['found']} stored)"
    )
    if state.register_check is not None:
        rc = state.register_check
        print(f"register_check        unfiled {rc.unfiled}, outside {rc.outside}, unplaced {len(rc.unplaced)}")
    for kind in ("missed", "false_positives"):
        if score.get(kind):
            print(f"  {kind:19} {score[kind]}")
    print(f"data directory        {data}", file=sys.stderr)


if __name__ == "__main__":
    main()
