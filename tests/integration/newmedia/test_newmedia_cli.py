"""`govinspect newmedia …` end to end on a small register."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from govinspect.cli.main import main
from govinspect.findings import read_jsonl

pytestmark = pytest.mark.django_db


def test_ingest_then_inspect(accounts, tmp_path, capsys):
    as_of = date(2025, 12, 15)
    rows = [
        {
            "platform": "weibo",
            "account_id": "https://weibo.com/u/1",
            "post_id": f"w{i}",
            "published_at": (as_of - timedelta(days=20 + i)).isoformat(),
            "text": "工作动态",
        }
        for i in range(3)
    ]
    feed = tmp_path / "posts.jsonl"
    feed.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n{broken\n", encoding="utf-8")
    assert main(["newmedia", "ingest", str(feed)]) == 1  # a row error is reported: exit code 1
    out = capsys.readouterr()
    assert "新增 3" in out.out and "第 4 行" in out.err

    matrix = tmp_path / "matrix.jsonl"
    matrix.write_text(
        json.dumps(
            {
                "site": "http://www.sc.gov.cn/",
                "page": "http://www.sc.gov.cn/xmt.html",
                "platform": "douyin",
                "name": "新号",
                "account_id": "dy_1",
            },
            ensure_ascii=False,
        )
    )
    findings = tmp_path / "findings.jsonl"
    assert (
        main(["newmedia", "inspect", "--as-of", as_of.isoformat(), "--out", str(findings), "--matrix", str(matrix)])
        == 0
    )
    checks = sorted(f.check for f in read_jsonl(findings))
    assert checks == ["newmedia.duplicate_account", "newmedia.stale", "newmedia.unfiled"]
    assert "1 个存在单项否决问题" in capsys.readouterr().err


def test_sandbox_build_from_the_command_line(tmp_path, capsys):
    assert main(["newmedia", "sandbox", "build", "--out", str(tmp_path), "--posts", "3", "--seed", "5"]) == 0
    assert json.loads(capsys.readouterr().out)["accounts"] == 3722
    assert (tmp_path / "truth.jsonl").exists()


def test_missing_source_is_a_usage_error(tmp_path, capsys):
    assert main(["newmedia", "ingest", str(tmp_path / "nope.xml")]) == 2
    assert "no such file" in capsys.readouterr().err
