"""`govinspect sandbox build | truth | score` through the real CLI entry point (no sockets)."""

from __future__ import annotations

import json

from govinspect.cli.main import main


def test_build_truth_score_roundtrip(tmp_path, capsys):
    out = tmp_path / "sbx"
    assert main(["sandbox", "build", "--out", str(out), "--sites", "4", "--pages-per-site", "15", "--seed", "3"]) == 0
    assert "4 sites" in capsys.readouterr().out
    assert main(["sandbox", "truth", "--dir", str(out), "--base-port", "9101"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(json.loads(x)["site"].startswith("http://127.0.0.1:91") for x in lines)
    moved = tmp_path / "moved.jsonl"
    moved.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["sandbox", "score", str(moved), "--dir", str(out), "--base-port", "9101"]) == 0
    table = capsys.readouterr().out
    total = next(x for x in table.splitlines() if x.startswith("TOTAL"))
    assert total.split()[-2:] == ["1.000", "1.000"]
    # scored against the default ports, the same findings miss everything
    assert main(["sandbox", "score", str(moved), "--dir", str(out), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["total"]["tp"] == 0 and result["total"]["recall"] == 0.0


def test_empty_findings_score_zero_recall(tmp_path, capsys):
    out = tmp_path / "sbx"
    main(["sandbox", "build", "--out", str(out), "--sites", "3", "--pages-per-site", "12"])
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    capsys.readouterr()
    assert main(["sandbox", "score", str(empty), "--dir", str(out), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["total"]["recall"] == 0.0 and result["total"]["found"] == 0


def test_missing_sandbox_is_a_clear_error(tmp_path, capsys):
    assert main(["sandbox", "serve", "--dir", str(tmp_path / "nothing")]) == 3
    assert "sandbox build" in capsys.readouterr().err
