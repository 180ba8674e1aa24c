"""Reading and writing register tables (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from govinspect.errors import ImportRejected
from govinspect.registry.tabular import SHEET_BY_KIND, cell_text, decode_csv, read_tables, write_tables


def test_cell_text() -> None:
    assert cell_text(5101000001.0) == "5101000001"
    assert cell_text(2.5) == "2.5"
    assert cell_text(None) == ""
    assert cell_text(dt.datetime(2025, 3, 1)) == "2025-03-01"
    assert cell_text(dt.date(2025, 3, 1)) == "2025-03-01"
    assert cell_text("  锦江区 ") == "锦江区"
    assert cell_text(True) == "是"


def test_decode_csv_accepts_utf8_bom_and_gbk() -> None:
    text = "网站标识码,网站名称\n5101040001,锦江区人民政府\n"
    assert decode_csv(text.encode("utf-8-sig")) == text
    assert decode_csv(text.encode("utf-8")) == text
    assert decode_csv(text.encode("gbk")) == text


def test_csv_rows_are_numbered_like_a_spreadsheet(tmp_path) -> None:
    path = tmp_path / "whatever.csv"
    path.write_text("区划代码,名称,级别,备注\n510000,四川省,省级,x\n,,,\n510100,成都市,市级,y\n", encoding="gbk")
    (table,) = read_tables([path])
    assert table.sheet.kind == "regions"  # from the headers
    assert [r.number for r in table.rows] == [2, 4]  # the blank row 3 is skipped but still counted
    assert table.rows[1].values == {"区划代码": "510100", "名称": "成都市", "级别": "市级"}  # unknown column dropped


def test_csv_kind_from_file_name(tmp_path) -> None:
    path = tmp_path / "register-主办单位.csv"
    path.write_text("主办单位,行政区划代码\n成都市教育局,510100\n", encoding="utf-8-sig")
    (table,) = read_tables([path])
    assert table.sheet.kind == "organizers"


def test_unrecognised_or_missing_input_is_rejected(tmp_path) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as exc:
        read_tables([odd, tmp_path / "missing.xlsx", tmp_path])
    text = str(exc.value)
    assert "odd.csv: 无法判断表格种类" in text and "missing.xlsx: 文件不存在" in text


def test_same_kind_twice_is_rejected(tmp_path) -> None:
    for name in ("a-网站.csv", "b-网站.csv"):
        (tmp_path / name).write_text(",".join(SHEET_BY_KIND["sites"].headers) + "\n", encoding="utf-8")
    with pytest.raises(ImportRejected, match="「网站」表出现两次"):
        read_tables([tmp_path])


def test_xlsx_write_then_read_keeps_text_and_row_numbers(tmp_path) -> None:
    rows = [["0001", "名称", "省级", ""], ["510100", "成都市", "市级", "510000"]]
    (path,) = write_tables(tmp_path / "r.xlsx", {"regions": rows})
    (table,) = read_tables([path])
    assert [r.number for r in table.rows] == [2, 3]
    assert table.rows[0].values["区划代码"] == "0001"  # stored as text, leading zeros kept
    assert table.rows[1].values == {"区划代码": "510100", "名称": "成都市", "级别": "市级", "上级区划代码": "510000"}


def test_csv_write_uses_bom_and_names_files_by_sheet(tmp_path) -> None:
    files = write_tables(tmp_path / "out", {"organizers": [["成都市教育局", "510100"]]})
    assert [f.name for f in files] == ["主办单位.csv"]
    assert files[0].read_bytes().startswith(b"\xef\xbb\xbf")
