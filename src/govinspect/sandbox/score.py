"""Score findings against the sandbox truth: per check expected, found, TP, FP, FN, precision, recall.

Matching is by fingerprint only (findings.fingerprint: site + check + normalised url + key), so
findings are deduplicated by fingerprint first. Every found finding that matches no truth record
is a false positive; those that match a negative are counted again in ``negatives_hit`` (a
negative names something that must not be flagged).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from govinspect.findings import Finding, normalize_url, read_jsonl
from govinspect.sandbox.truth import load_truth

# the sandbox seeds no truth for these: their findings are counted apart, never as false positives
UNSCORED_PREFIXES = ("crawl.", "newmedia.")


def score(
    findings: Iterable[Finding],
    truth: Iterable[Finding],
    negatives: Iterable[Finding] = (),
    *,
    only_sites_in_findings: bool = False,
    checks: Iterable[str] | None = None,
    sites: Iterable[str] | None = None,
) -> dict[str, Any]:
    """``sites`` (home URLs): expect only these sites' truth; ``only_sites_in_findings``: only the truth
    of sites that appear in the findings."""
    found: dict[str, Finding] = {}
    unscored: dict[str, int] = defaultdict(int)
    for f in findings:
        if f.check.startswith(UNSCORED_PREFIXES):
            unscored[f.check] += 1
        else:
            found[f.fingerprint] = f
    wanted = {normalize_url(s) for s in sites} if sites else None
    if only_sites_in_findings:
        seen = {normalize_url(f.site) for f in found.values()}
        wanted = seen if wanted is None else wanted & seen
    expected = {t.fingerprint: t for t in truth if wanted is None or normalize_url(t.site) in wanted}
    negative = {n.fingerprint: n for n in negatives}
    per: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"expected": 0, "found": 0, "tp": 0, "fp": 0, "fn": 0, "negatives_hit": 0}
    )
    for check in checks or ():
        per[check]
    for fp, t in expected.items():
        row = per[t.check]
        row["expected"] += 1
        if fp in found:
            row["tp"] += 1
        else:
            row["fn"] += 1
    for fp, f in found.items():
        row = per[f.check]
        row["found"] += 1
        if fp not in expected:
            row["fp"] += 1
            if fp in negative:
                row["negatives_hit"] += 1
    total = {"expected": 0, "found": 0, "tp": 0, "fp": 0, "fn": 0, "negatives_hit": 0}
    for row in per.values():
        for k in total:
            total[k] += row[k]
        _ratios(row)
    _ratios(total)
    missed = [t.to_dict() for fp, t in expected.items() if fp not in found]
    false_pos = [f.to_dict() for fp, f in found.items() if fp not in expected]
    return {
        "checks": dict(sorted(per.items())),
        "total": total,
        "missed": missed,
        "false_positives": false_pos,
        "unscored": dict(sorted(unscored.items())),
    }


def _ratios(row: dict[str, Any]) -> None:
    row["precision"] = round(row["tp"] / row["found"], 4) if row["found"] else None
    row["recall"] = round(row["tp"] / row["expected"], 4) if row["expected"] else None


def score_file(
    findings_path: str | Path,
    directory: str | Path,
    *,
    base_port: int | None = None,
    only_sites_in_findings: bool = False,
    sites: Iterable[str] | None = None,
) -> dict[str, Any]:
    from govinspect.findings import FINGERPRINT_KEYS

    truth = load_truth(directory, base_port=base_port)
    negatives = load_truth(directory, base_port=base_port, negatives=True)
    checks = [c for c in FINGERPRINT_KEYS if not c.startswith(UNSCORED_PREFIXES)]
    return score(
        read_jsonl(findings_path),
        truth,
        negatives,
        only_sites_in_findings=only_sites_in_findings,
        checks=checks,
        sites=sites,
    )


def format_score(result: dict[str, Any], unmatched: int = 20) -> str:
    def pct(v: float | None) -> str:
        return "-" if v is None else f"{v:.3f}"

    lines = [
        f"{'check':34} {'expected':>8} {'found':>6} {'TP':>6} {'FP':>6} {'FN':>6} {'neg':>5} "
        f"{'precision':>9} {'recall':>7}"
    ]
    rows = [*result["checks"].items(), ("TOTAL", result["total"])]
    for check, r in rows:
        lines.append(
            f"{check:34} {r['expected']:8d} {r['found']:6d} {r['tp']:6d} {r['fp']:6d} {r['fn']:6d} "
            f"{r['negatives_hit']:5d} {pct(r['precision']):>9} {pct(r['recall']):>7}"
        )
    if result.get("unscored"):
        lines.append("not scored (no truth seeded): " + ", ".join(f"{k} {v}" for k, v in result["unscored"].items()))
    missed = result["missed"]
    if missed and unmatched:
        lines.append(f"\nunmatched truth ({len(missed)}; first {min(unmatched, len(missed))}):")
        for t in missed[:unmatched]:
            key = t.get("target") or next(iter(t.get("detail", {}).values()), "")
            lines.append(f"  {t['check']:32} {t['url']}  {key}")
    return "\n".join(lines)
