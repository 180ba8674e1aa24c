"""Attachment text extraction speed per format (megabytes of file per second) and the speed of
the personal-number detectors on the extracted text. Files are generated here with fake,
check-digit-valid numbers (xlsxwriter, xlwt, python-docx, reportlab, and the test kit's
Word 97 writer); nothing is read from the network.

    .venv/bin/python benchmarks/privacy_extract_speed.py [--rows 20000]
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import random
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from stdnum import luhn
from stdnum.cn import ric

from govinspect.engine.extract import extract_text
from govinspect.engine.pii import find_personal_numbers

_KIT = Path(__file__).resolve().parents[1] / "tests" / "unit" / "engine" / "extract" / "attachment_kit.py"


def _kit():
    spec = importlib.util.spec_from_file_location("attachment_kit", _KIT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rows(n: int) -> list[list[str]]:
    rng = random.Random(7)
    out = [["序号", "姓名", "单位", "身份证号", "联系电话", "银行账号"]]
    for i in range(n):
        born = f"{1990 + rng.randrange(30)}0{rng.randrange(1, 10)}1{rng.randrange(10)}"  # 510104 exists since 1990
        first17 = f"510104{born}{rng.randrange(1000):03d}"
        card = "622202" + f"{rng.randrange(10**12):012d}"
        out.append(
            [
                str(i + 1),
                "张三丰",
                "锦江区市场监督管理局",
                first17 + ric.calc_check_digit(first17 + "0"),
                f"138{rng.randrange(10**8):08d}",
                card + luhn.calc_check_digit(card),
            ]
        )
    return out


def make_xls(table: list[list[str]]) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("名单")
    for r, row in enumerate(table[:65000]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def make_docx(table: list[list[str]]) -> bytes:
    import docx

    document = docx.Document()
    for row in table[:5000]:  # python-docx is slow to write; 5,000 rows is enough to time reading
        document.add_paragraph("    ".join(row))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def measure(name: str, data: bytes, filename: str) -> tuple[str, int]:
    best = float("inf")
    text = ""
    for _ in range(2):
        t0 = time.perf_counter()
        text = "\n".join(c.text for c in extract_text(data, name=filename))
        best = min(best, time.perf_counter() - t0)
    t0 = time.perf_counter()
    found = find_personal_numbers(text)
    detect = time.perf_counter() - t0
    mb = len(data) / 1e6
    print(
        f"{name:<22} {mb:8.2f} MB {best:7.2f} s {mb / best:8.1f} MB/s {len(text) / best / 1e6:6.2f} Mchar/s"
        f"   detect {len(text) / detect / 1e6:5.2f} Mchar/s, {len(found)} numbers"
    )
    return text, len(found)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=10000)
    args = ap.parse_args()
    kit = _kit()
    table = rows(args.rows)
    lines = ["\t".join(r) for r in table]
    narrow = ["  ".join((r[0], r[3], r[4], r[5])) for r in table]  # fits the width of a PDF page
    makers: list[tuple[str, str, Callable[[], bytes]]] = [
        ("xlsx (xlsxwriter)", "a.xlsx", lambda: kit.make_xlsx(table)),
        ("xls (BIFF8, xlwt)", "a.xls", lambda: make_xls(table)),
        ("docx (paragraphs)", "a.docx", lambda: make_docx(table)),
        ("doc (Word 97 binary)", "a.doc", lambda: kit.word97("\n".join(lines))),
        (
            "pdf (reportlab)",
            "a.pdf",
            lambda: kit.make_pdf(["\n".join(narrow[i : i + 38]) for i in range(0, len(narrow), 38)]),
        ),
        ("csv (GBK)", "a.csv", lambda: "\n".join(",".join(r) for r in table).encode("gbk")),
        ("txt (UTF-8)", "a.txt", lambda: "\n".join(lines).encode()),
    ]
    print(f"{len(table) - 1} rows of 6 columns per file (3 personal numbers a row)\n")
    made = {}
    for name, filename, make in makers:
        t0 = time.perf_counter()
        data = make()
        made[filename] = data
        print(f"  generated {name} in {time.perf_counter() - t0:.1f}s")
    print()
    for name, filename, _make in makers:
        measure(name, made[filename], filename)
    measure("zip (xlsx+csv+pdf)", make_zip({k: made[k] for k in ("a.xlsx", "a.csv", "a.pdf")}), "a.zip")


if __name__ == "__main__":
    main()
