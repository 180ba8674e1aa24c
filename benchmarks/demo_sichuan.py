"""Time and peak memory of `govinspect demo` (fresh data directory, sandbox built in the run).

    .venv/bin/python benchmarks/demo_sichuan.py              # the 664-site province
    .venv/bin/python benchmarks/demo_sichuan.py --sites 40   # a quick look

Prints wall time, peak RSS of the demo process (server, crawler and checks share it), the
inspection's own time and the findings' precision/recall against the sandbox truth (sites, and
the new-media accounts when the whole province runs).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--sites", type=int, default=None)
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--keep", type=Path, default=None, help="data directory to use and keep")
    args = p.parse_args()
    data = args.keep or Path(tempfile.mkdtemp(prefix="govinspect-demo-"))
    env = {**os.environ, "GOVINSPECT_DATA_DIR": str(data)}
    cmd = [sys.executable, "-m", "govinspect.cli.main", "demo", "-q", "--concurrency", str(args.concurrency)]
    if args.sites:
        cmd += ["--sites", str(args.sites)]
    started = time.monotonic()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if done.returncode:
        print(done.stdout[-3000:], done.stderr[-3000:])
        sys.exit(done.returncode)
    numbers = json.loads((data / "reports" / "demo-run.json").read_text(encoding="utf-8"))
    print(f"sites                 {numbers['sites']}")
    print(f"wall time (whole demo) {wall:.1f} s   (cores: {os.cpu_count()})")
    print(f"inspection only       {numbers['inspect_seconds']} s")
    print(f"peak RSS              {peak:.0f} MB")
    print(f"findings              {numbers['findings']}")
    print(f"precision / recall    {numbers['precision']} / {numbers['recall']}")
    nm = numbers.get("accounts_score")
    if nm:  # the new-media sandbox: account findings and the sites' unfiled accounts
        print(f"new media P / R       {nm['precision']} / {nm['recall']}   ({nm['tp']}/{nm['expected']} seeded found)")
        for kind in ("missed", "false_positives"):
            if nm.get(kind):
                print(f"  {kind:19} {', '.join(f'{c} {n}' for c, n in sorted(nm[kind].items()))}")
    for check, row in sorted(numbers.get("checks", {}).items()):
        if row["expected"] or row["found"]:
            print(f"  {check:34} expected {row['expected']:4}  found {row['found']:4}  tp {row['tp']:4}"
                  f"  P {row['precision']}  R {row['recall']}")
    print(f"data directory        {data}")


if __name__ == "__main__":
    main()
