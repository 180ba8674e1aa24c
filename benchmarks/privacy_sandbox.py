"""privacy.leak, security.sensitive and security.hidden_link end to end on a freshly built
sandbox (build, serve on ephemeral loopback ports, inspect with only these checks, score
against the truth), plus the ID-card truths of ../shared/data/ids (precision and recall of
the detector on valid numbers, and the false positives on invalid numbers and USCC codes).

    .venv/bin/python benchmarks/privacy_sandbox.py [--seed 1] [--sites 12] [--pages 60] [--boost 1] [--external]
                                                    [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from datetime import date
from pathlib import Path

from govinspect.engine.config import EngineConfig
from govinspect.engine.pii import find_personal_numbers
from govinspect.engine.run import inspect_sites
from govinspect.engine.target import SiteTarget
from govinspect.findings import mask_value
from govinspect.sandbox import SandboxServer, build
from govinspect.sandbox.score import format_score, score

CHECKS = ("privacy.leak", "security.sensitive", "security.hidden_link")
BOOSTED = ("sensitive", "hidden_link", "privacy_", "neg_text", "neg_numbers")


def boosted_rates(factor: float) -> dict[str, float]:
    """Our defect kinds and negatives placed ``factor`` times more often; hanging or unreachable
    sites and crawler traps switched off (they only slow the crawl down here)."""
    from govinspect.sandbox.defects import DEFAULT_RATES

    rates = {k: min(1.0, v * factor) for k, v in DEFAULT_RATES.items() if k.startswith(BOOSTED)}
    rates.update({"hang": 0.0, "unreachable": 0.0, "trap_calendar": 0.0, "trap_session": 0.0})
    return rates


async def inspect(homes: list[str], as_of: date, external: bool) -> list:
    config = EngineConfig(enabled_checks=frozenset(CHECKS), check_external_links=external).with_limits(max_pages=400)
    findings = []
    async for result in inspect_sites([SiteTarget(home_url=h) for h in homes], config, as_of, concurrency=4):
        findings.extend(result.findings)
    return findings


def id_truths(data_dir: Path) -> None:
    path = data_dir / "ids" / "cn_id_numbers.json"
    if not path.exists():
        print(f"(no ID truths at {path})")
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    ric = data["cn_ric_resident_identity_card"]
    uscc = data["cn_uscc_unified_social_credit_code"]
    positives = list(ric["valid"])
    negatives = list(ric["invalid"]) + list(ric["birthplace_lookup_fails"]) + list(uscc["valid_found_online"])
    negatives += [c for c in uscc.get("corner_cases", []) if isinstance(c, str)]

    def hit(number: str, label: str) -> bool:
        found = find_personal_numbers(f"{label}：{number}。")
        return any(f.kind == "id_card" and f.masked == mask_value("id_card", number) for f in found)

    for label in ("身份证号", "编号"):
        tp = sum(hit(n, label) for n in positives)
        fp = sum(bool(find_personal_numbers(f"{label}：{n}。")) for n in negatives)
        precision = tp / (tp + fp) if tp + fp else 1.0
        print(
            f"ID truths, label {label!r}: recall {tp}/{len(positives)}, false positives {fp}/{len(negatives)} "
            f"(invalid IDs, deregistered regions, USCC codes), precision {precision:.3f}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sites", type=int, default=12)
    ap.add_argument("--pages", type=int, default=60)
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    ap.add_argument("--out", type=Path, default=None, help="write the findings here (JSONL)")
    ap.add_argument("--external", action="store_true", help="let security.hidden_link fetch hidden links' targets")
    ap.add_argument(
        "--boost", type=float, default=1.0, help="place our defects and negatives this many times more often"
    )
    args = ap.parse_args()
    id_truths(args.data)
    with tempfile.TemporaryDirectory(prefix="govinspect-sandbox-") as tmp:
        directory = Path(tmp)
        t0 = time.perf_counter()
        rates = boosted_rates(args.boost) if args.boost != 1.0 else None
        manifest = build(directory, seed=args.seed, sites=args.sites, pages_per_site=args.pages, rates=rates)
        as_of = date.fromisoformat(manifest["as_of"])
        print(f"built {len(manifest['sites'])} sites in {time.perf_counter() - t0:.1f}s (as_of {as_of})")
        server = SandboxServer(directory, base_port=0).start()
        try:
            homes = [server.url_for(e["site_code"]) for e in manifest["sites"]]
            t0 = time.perf_counter()
            findings = asyncio.run(inspect(homes, as_of, args.external))
            print(f"inspected in {time.perf_counter() - t0:.1f}s, {len(findings)} findings")
            truth = [t for t in server.truth() if t.check in CHECKS]
            negatives = [n for n in server.negatives() if n.check in CHECKS]
        finally:
            server.stop()
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            for f in findings:
                fh.write(json.dumps(f.to_dict(), ensure_ascii=False) + "\n")
    print(format_score(score(findings, truth, negatives, checks=list(CHECKS)), unmatched=30))


if __name__ == "__main__":
    main()
