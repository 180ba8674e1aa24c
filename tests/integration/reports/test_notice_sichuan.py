"""THE acceptance test of issue 7: the Sichuan register, an inspection in which 甘孜 and the
provincial departments have 2 failing accounts each and no site fails → the attachment equals
the reference notice's table cell by cell, and the notice states both pass rates."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from govinspect.findings import Finding
from govinspect.inspections import services
from govinspect.inspections.models import InspectionTarget
from govinspect.registry.models import Region
from govinspect.registry.services import load_sichuan
from govinspect.reports.notice import write_notice

REFERENCE = Path(
    os.environ.get(
        "GOVINSPECT_REFERENCE",
        Path(__file__).resolve().parents[4] / "shared" / "reference" / "sichuan-2025H2-notice.txt",
    )
)
TITLE = "第四季度全省政府网站与政务新媒体检查情况"


def reference_table() -> list[list[str]]:
    if not REFERENCE.is_file():
        pytest.skip(f"reference notice not found at {REFERENCE}")
    text = REFERENCE.read_text(encoding="utf-8")
    lines = text[text.rindex(TITLE) + len(TITLE) :].splitlines()
    rows = [line.split("\t") for line in lines if "\t" in line]
    return [(row + [""] * 9)[:9] for row in rows]


def stale(account) -> Finding:  # type: ignore[no-untyped-def]
    return Finding(
        site=f"{account.platform}:{account.platform_id}",
        check="newmedia.stale",
        severity="veto",
        indicator="NM-V1",
        url=f"https://mp.example/{account.platform}/{account.pk}",
        evidence="最近一次发布为2025-11-01",
        detail={"latest": "2025-11-01"},
    )


@pytest.fixture
def sichuan_inspection(db):
    load_sichuan()
    inspection = services.create_inspection("2025Q4", as_of=date(2025, 12, 15))
    targets = list(InspectionTarget.objects.filter(inspection=inspection).select_related("account__region"))
    ganzi = Region.objects.get(code="513300")
    failing = [t for t in targets if t.account_id and ganzi.pk in (t.account.region_id, t.account.region.parent_id)]
    failing = failing[:2] + [t for t in targets if t.account_id and t.account.region.code == "510000"][:2]
    assert len(failing) == 4
    bad = {t.pk for t in failing}
    outcomes = [services.Outcome(t, [stale(t.account)] if t.pk in bad else []) for t in targets]
    for start in range(0, len(outcomes), 1000):
        services.persist_batch(inspection, outcomes[start : start + 1000])
    services.finish(inspection)
    return inspection


def xlsx_rows(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    ws = load_workbook(path).active
    out = []
    for row in ws.iter_rows(min_row=3, max_col=9, values_only=True):
        out.append(["" if v is None else str(v) for v in row])
    return out


def docx_text(path: Path) -> str:
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_attachment_equals_the_reference_cell_by_cell_and_the_rates(sichuan_inspection, tmp_path):
    files = write_notice(sichuan_inspection, tmp_path, today=date(2025, 12, 29))
    expected = reference_table()
    assert len(expected) == 2 + 21 + 2
    assert xlsx_rows(files.xlsx) == expected
    text = docx_text(files.docx).replace(" ", "")
    assert "政府网站合格率100%" in text
    assert "政务新媒体发现存在突出问题的账号4个，合格率99.89%" in text
    assert "对全省664个政府网站、3722个政务新媒体账号开展全覆盖检查" in text
    # the docx carries the same table (with its merged header) as the xlsx
    assert "省直部门(含省政府门户)" in text and "3722" in text
    assert_official_format(files.docx)


def assert_official_format(path: Path) -> None:
    """GB/T 9704: margins, fonts named with the East-Asian font set, sizes, page number field."""
    import zipfile

    from docx import Document
    from docx.shared import Pt

    doc = Document(str(path))
    for section in doc.sections:
        margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
        assert [round(m.mm, 1) for m in margins] == [37, 35, 28, 26]  # stored in twips: ±0.02 mm
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    for font in ("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"):
        assert f'w:eastAsia="{font}"' in xml, font
    title = next(p for p in doc.paragraphs if "通报" in p.text and p.runs and p.runs[0].font.size == Pt(22))
    assert title.runs[0].font.name == "方正小标宋简体"
    footer = zipfile.ZipFile(path).read("word/footer1.xml").decode("utf-8")
    assert "PAGE" in footer


def test_a_failing_site_shows_in_its_city_and_the_rate(sichuan_inspection, tmp_path):
    from govinspect.inspections.models import Verdict

    target = InspectionTarget.objects.filter(inspection=sichuan_inspection, site__region__code="510100").first()
    services.persist_batch(
        sichuan_inspection,
        [
            services.Outcome(
                target,
                [
                    Finding(
                        site=target.site.home_url,
                        check="interaction.no_channel",
                        severity="veto",
                        url=target.site.home_url,
                    )
                ],
            )
        ],
    )
    assert not Verdict.objects.get(inspection=sichuan_inspection, site=target.site).passed
    rows = xlsx_rows(write_notice(sichuan_inspection, tmp_path).xlsx)
    chengdu = next(r for r in rows if r[1] == "成都")
    assert chengdu[6] == "1" and rows[-1][6] == "1"
    assert "政府网站合格率99.85%" in docx_text(tmp_path / "通报-2025Q4.docx").replace(" ", "")


@pytest.mark.slow
def test_docx_converts_to_pdf_with_the_table(sichuan_inspection, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftotext") is None:
        pytest.skip(
            "LibreOffice (soffice) or poppler's pdftotext is not installed: "
            "apt-get install -y libreoffice-writer-nogui fonts-noto-cjk poppler-utils"
        )
    files = write_notice(sichuan_inspection, tmp_path / "out", today=date(2025, 12, 29))
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(files.docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "通报-2025Q4.pdf"
    assert pdf.is_file()
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert 3 <= pages <= 8, pages
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "政务新媒体检查情况" in text and "甘孜" in text and "3722" in text
    last = text.split("\f")[-2] if text.endswith("\f") else text.split("\f")[-1]
    assert "合计" in last  # the table is on the last page(s)
