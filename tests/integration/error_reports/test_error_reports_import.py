"""CSV import from the national platform: documented columns, row-level errors, nothing lost, no duplicates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from govinspect.cli.main import main
from govinspect.error_reports import services
from govinspect.error_reports.importer import COLUMNS, import_csv, rejects_csv
from govinspect.error_reports.models import ErrorReport, Source, State


def csv_bytes(rows: list[dict[str, str]], encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS))
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode(encoding)


def row(external_id: str, **kw: str) -> dict[str, str]:
    base = {
        "留言编号": external_id,
        "网站标识码": "5101040001",
        "问题类型": "链接不可用",
        "问题描述": "首页“政策文件”链接打不开",
        "留言时间": "2025-09-30 16:20",
        "问题页面": "http://jj.example.gov.cn/",
    }
    return {**base, **kw}


def test_rows_import_with_their_handling_and_bad_rows_are_kept(world, tmp_path) -> None:
    rows = [
        row("GW001", 答复内容="已修复。", 答复时间="2025-10-11 09:00", 转办时间="2025-09-30 17:00"),
        row("GW002", 留言时间="2025/10/02 08:00"),
        row("GW003", 网站标识码="5199999999"),
        row("GW004", 问题类型="乱码"),
        row("GW005", 留言时间="昨天"),
        row("GW006", 答复内容="好", 答复时间=""),
        row("GW007", 问题描述=""),
        row("GW008", 办结时间="2025-10-09 10:00"),
        row("GW009", 问题页面="javascript:alert(1)"),
    ]
    summary = import_csv(csv_bytes(rows, "gb18030"))
    assert (summary.created, summary.updated, len(summary.errors)) == (2, 0, 7)
    assert [(e.row, e.column) for e in summary.errors] == [
        (4, "网站标识码"),
        (5, "问题类型"),
        (6, "留言时间"),
        (7, "答复时间"),
        (8, "问题描述"),
        (9, "办结说明"),
        (10, "问题页面"),
    ]
    answered = ErrorReport.objects.get(external_id="GW001")
    assert answered.source == Source.IMPORT and answered.state == State.ANSWERED
    assert answered.deadline == dt.date(2025, 10, 11) and answered.forwarded_at is not None
    rejects = rejects_csv(summary)
    back = list(csv.DictReader(io.StringIO(rejects.lstrip("\ufeff"))))
    assert [r["留言编号"] for r in back] == ["GW003", "GW004", "GW005", "GW006", "GW007", "GW008", "GW009"]
    assert "第4行「网站标识码」" in back[0]["错误"]

    # the next export brings an answer for GW002: applied, nothing duplicated
    again = import_csv(
        csv_bytes([rows[0], row("GW002", 留言时间="2025/10/02 08:00", 答复内容="已处理", 答复时间="2025-10-09 10:00")])
    )
    assert (again.created, again.updated, again.unchanged, again.errors) == (0, 1, 1, [])
    assert ErrorReport.objects.count() == 2
    assert ErrorReport.objects.get(external_id="GW002").state == State.ANSWERED


def test_missing_columns_refuse_the_file(world) -> None:
    summary = import_csv("留言编号,网站标识码\nX,5101040001\n".encode())
    assert {e.column for e in summary.errors} == {"问题类型", "问题描述", "留言时间"}
    assert ErrorReport.objects.count() == 0


def test_cli_import_stats_overdue(world, tmp_path, capsys) -> None:
    source = tmp_path / "export.csv"
    source.write_bytes(
        csv_bytes(
            [
                row("A1", 答复内容="好的", 答复时间="2025-10-09 10:00"),
                row("A2", 留言时间="2025-10-10 10:00"),
                row("A3", 网站标识码="1"),
            ]
        )
    )
    rejects = tmp_path / "rejects.csv"
    assert main(["error-reports", "import", str(source), "--rejects", str(rejects)]) == 1
    assert "新增 2 条" in capsys.readouterr().out and "A3" in rejects.read_text(encoding="utf-8")
    assert main(["error-reports", "stats", "--period", "2025Q4", "--as-of", "2025-12-31", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert (stats["received"], stats["closed"], stats["on_time_rate"]) == (1, 0, 0.0)
    assert main(["error-reports", "stats", "--period", "2025Q3", "--as-of", "2025-12-31"]) == 0
    assert "按时办结率 100%" in capsys.readouterr().out
    assert main(["error-reports", "overdue", "--as-of", "2025-12-31", "--json"]) == 1
    assert [r["ticket"] for r in json.loads(capsys.readouterr().out)] == [
        ErrorReport.objects.get(external_id="A2").ticket
    ]
    assert main(["error-reports", "stats", "--period", "2025Q4", "--by-city", "--as-of", "2025-12-31"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split("\t")[:3] == ["成都市", "1", "0"] and lines[2].split("\t")[:2] == ["自贡市", "0"]
    assert main(["error-reports", "stats", "--period", "2025Q9"]) == 3
    assert services.overdue_reports(as_of=dt.date(2025, 10, 1)).count() == 0
