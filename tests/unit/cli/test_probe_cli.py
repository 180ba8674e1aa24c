"""`govinspect probe --report`: W-V2 figures from a stored JSONL, no sockets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from govinspect.cli.main import main
from govinspect.engine.probe import JsonlProbeStore, ProbeRecord

URL = "http://127.0.0.1:8101/"


def test_report(tmp_path, capsys):
    start = datetime(2025, 12, 9, 2, tzinfo=UTC)
    records = [
        ProbeRecord(
            start + timedelta(days=d, minutes=30 * n), URL, None if n < 2 else 200, None, "timeout" if n < 2 else ""
        )
        for d in range(7)
        for n in range(20)
    ]
    path = tmp_path / "probes.jsonl"
    JsonlProbeStore(path).append(records)
    assert main(["probe", URL, "--report", "--out", str(path), "--as-of", "2025-12-15"]) == 1
    out = capsys.readouterr().out
    assert "probes=140" in out and "failures=14" in out and "不合格" in out
    assert main(["probe", URL, "--report", "--out", str(path), "--as-of", "2026-03-01"]) == 0
    assert main(["probe", URL, "--report"]) == 2
