"""Score new-media findings against the new-media sandbox truth, by fingerprint (findings.fingerprint).

The site sandbox's scorer (``govinspect.sandbox.score``) sets ``newmedia.*`` findings aside, since
the site sandbox seeds none; this one scores every check the same way: findings deduplicated by
fingerprint, a finding matching no truth record is a false positive (counted again under
``negatives_hit`` when it matches a negative).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from govinspect.findings import Finding

_ZERO = {"expected": 0, "found": 0, "tp": 0, "fp": 0, "fn": 0, "negatives_hit": 0}


def score(findings: Iterable[Finding], truth: Iterable[Finding], negatives: Iterable[Finding] = ()) -> dict[str, Any]:
    found = {f.fingerprint: f for f in findings}
    expected = {t.fingerprint: t for t in truth}
    negative = {n.fingerprint for n in negatives}
    per: dict[str, dict[str, Any]] = defaultdict(lambda: dict(_ZERO))
    for fp, t in expected.items():
        row = per[t.check]
        row["expected"] += 1
        row["tp" if fp in found else "fn"] += 1
    for fp, f in found.items():
        row = per[f.check]
        row["found"] += 1
        if fp not in expected:
            row["fp"] += 1
            row["negatives_hit"] += fp in negative
    total = dict(_ZERO)
    for row in per.values():
        for k in total:
            total[k] += row[k]
        _ratios(row)
    _ratios(total)
    return {
        "checks": dict(sorted(per.items())),
        "total": total,
        "missed": [t.to_dict() for fp, t in expected.items() if fp not in found],
        "false_positives": [f.to_dict() for fp, f in found.items() if fp not in expected],
    }


def _ratios(row: dict[str, Any]) -> None:
    row["precision"] = round(row["tp"] / row["found"], 4) if row["found"] else None
    row["recall"] = round(row["tp"] / row["expected"], 4) if row["expected"] else None
