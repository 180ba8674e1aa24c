"""GB/T 9704 official-document formatting with python-docx.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; title 方正小标宋简体 二号 (22 pt);
body 仿宋_GB2312 三号 (16 pt), fixed 28 pt lines, first line indented two characters; level-1
headings 黑体 三号, level-2 楷体_GB2312 三号; page numbers 宋体 四号 (14 pt) as "— 1 —" at the
bottom, outside edge. Chinese font names go in w:rFonts w:eastAsia (python-docx's font.name
sets only the Latin ones), so government PCs with the official fonts render them; elsewhere
the viewer substitutes (LibreOffice here falls back to Noto CJK).
"""

from __future__ import annotations

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"
SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
LINE = Pt(28)


def set_font(run: Run, name: str, size: Pt | None = None, bold: bool | None = None) -> Run:
    run.font.name = name
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    if size is not None:
        run.font.size = size
    if bold is not None:
        run.font.bold = bold
    return run


def new_document() -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = SIZE_3
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = fmt.space_after = Pt(0)
    add_page_numbers(section)
    return doc


def _field(paragraph: Paragraph, instruction: str, font: str, size: Pt) -> None:
    def run_with(element: OxmlElement) -> None:
        run = set_font(paragraph.add_run(), font, size)
        run._element.append(element)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(begin)
    run_with(instr)
    run_with(separate)
    set_font(paragraph.add_run("1"), font, size)
    run_with(end)


def add_page_numbers(section) -> None:  # type: ignore[no-untyped-def]
    footer = section.footer
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(p.add_run("— "), PAGE_NUMBER_FONT, SIZE_4)
    _field(p, "PAGE", PAGE_NUMBER_FONT, SIZE_4)
    set_font(p.add_run(" —"), PAGE_NUMBER_FONT, SIZE_4)


def title(doc: Document, text: str) -> Paragraph:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing = Pt(35)
    p.paragraph_format.space_after = Pt(16)
    set_font(p.add_run(text), TITLE_FONT, SIZE_2)
    return p


def body(doc: Document, text: str = "", indent: bool = True, align: WD_ALIGN_PARAGRAPH | None = None) -> Paragraph:
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(32)  # two characters of 三号
    if align is not None:
        p.alignment = align
    if text:
        set_font(p.add_run(text), BODY_FONT, SIZE_3)
    return p


def add_text(p: Paragraph, text: str, font: str = BODY_FONT) -> Run:
    return set_font(p.add_run(text), font, SIZE_3)


def heading(doc: Document, text: str, level: int = 1) -> Paragraph:
    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(32)
    set_font(p.add_run(text), HEADING1_FONT if level == 1 else HEADING2_FONT, SIZE_3)
    return p


def landscape_section(doc: Document):  # type: ignore[no-untyped-def]
    """A new page for the attachment table (same margins, page numbers carried on)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    return section


def table(doc: Document, header_rows: list[list[str]], rows: list[list[str]], merges: list[tuple[int, int, int, int]]):  # type: ignore[no-untyped-def]
    """A bordered table; ``merges``: (row1, col1, row2, col2) spans to merge (header rows first)."""
    n_cols = max(len(r) for r in header_rows + rows)
    t = doc.add_table(rows=len(header_rows) + len(rows), cols=n_cols)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, values in enumerate(header_rows + rows):
        bold_font = HEADING1_FONT if r < len(header_rows) else BODY_FONT
        for c, value in enumerate(values):
            cell = t.cell(r, c)
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.first_line_indent = Pt(0)
            p.paragraph_format.line_spacing = Pt(16)
            if value:
                set_font(p.add_run(str(value)), bold_font, Pt(10.5))
    for r1, c1, r2, c2 in merges:
        merged = t.cell(r1, c1).merge(t.cell(r2, c2))
        # keep only the first paragraph's text (merge concatenates the cells' paragraphs)
        for extra in merged.paragraphs[1:]:
            if not extra.text:
                extra._element.getparent().remove(extra._element)
    return t
