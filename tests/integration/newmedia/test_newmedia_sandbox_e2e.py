"""The whole new-media pipeline on the sandbox: register, ingest every feed, inspect, score against truth."""

from __future__ import annotations

from datetime import date

import pytest

from govinspect.findings import mask
from govinspect.newmedia.ingest import ingest_many
from govinspect.newmedia.sandbox import build, feed_files, read_truth
from govinspect.newmedia.score import score
from govinspect.newmedia.services import apply_sandbox_register, inspect_accounts, read_matrix, unfiled_findings
from govinspect.registry.models import Account

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_sandbox_precision_recall_and_the_notice_counts(tmp_path):
    manifest = build(tmp_path, seed=1, posts_per_account=6)
    apply_sandbox_register(tmp_path)
    summaries = list(ingest_many(feed_files(tmp_path)))
    assert sum(len(s.errors) for s in summaries) == 0
    assert sum(s.created for s in summaries) == manifest["posts"]

    findings, failing = [], {}
    open_accounts = 0
    for account, found in inspect_accounts(Account.objects.select_related("region"), date(2025, 12, 15)):
        findings += found
        if account.status == "open":
            open_accounts += 1
            if any(f.severity == "veto" for f in found):
                failing[account.platform_id] = account.region.code
    findings += unfiled_findings(read_matrix(tmp_path / "matrix.jsonl"))

    result = score(findings, read_truth(tmp_path), read_truth(tmp_path, negatives=True))
    total = result["total"]
    assert total["precision"] >= 0.95 and total["negatives_hit"] == 0, result["false_positives"][:5]
    # recall over every check but text.typo, whose detector (engine.text, tuned for precision) does not
    # flag four of the sandbox's eighteen typos (观注, 综和, 暴光, 申清): measured apart
    rows = [row for check, row in result["checks"].items() if check != "text.typo"]
    assert sum(r["tp"] for r in rows) / sum(r["expected"] for r in rows) >= 0.9, result["checks"]
    assert result["checks"]["text.typo"]["recall"] >= 0.7
    for check, row in result["checks"].items():
        if check.startswith("newmedia."):
            assert row["precision"] == 1.0 and row["recall"] == 1.0, (check, row)
    # the notice: 3722 accounts, 4 with prominent problems (2 in 甘孜, 2 provincial), pass rate 99.89%
    assert open_accounts == 3722
    assert sorted(code[:4] for code in failing.values()) == ["5100", "5100", "5133", "5133"]
    assert sorted(failing.values())[:2] == ["510000", "510000"]
    assert round(100 * (open_accounts - len(failing)) / open_accounts, 2) == 99.89
    assert all(mask(f.evidence or "") == (f.evidence or "") for f in findings)


def test_reingesting_the_sandbox_changes_nothing(tmp_path):
    build(tmp_path, seed=2, posts_per_account=4, vetoes={"510000": 1})
    apply_sandbox_register(tmp_path)
    files = feed_files(tmp_path)[:200]
    first = list(ingest_many(files))
    second = list(ingest_many(files))
    assert sum(s.created for s in first) > 0
    assert sum(s.created for s in second) == 0
    assert sum(s.updated for s in second) == sum(s.created for s in first)
    assert apply_sandbox_register(tmp_path) == {"retarget": 0, "add_closed": 0}
