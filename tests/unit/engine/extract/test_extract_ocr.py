"""OCR of images and scanned PDF pages (optional extra ``ocr``: rapidocr-onnxruntime)."""

from __future__ import annotations

import io

import pytest

from govinspect.engine.extract import ExtractLimits, extract_text
from govinspect.engine.extract.ocr import boxes_to_text
from govinspect.errors import DecodingError


def box(x: float, y: float, w: float = 100, h: float = 20) -> list[list[float]]:
    return [[x, y], [x + w, y], [x + w, y + h], [x, y + h]]


def test_boxes_are_put_back_into_lines_left_to_right():
    result = [
        (box(300, 52), "6222", 0.9),
        (box(10, 10), "序号", 0.9),
        (box(150, 12), "卡号", 0.9),
        (box(10, 50), "1", 0.9),
        (box(150, 49), "张三", 0.9),
    ]
    assert boxes_to_text(result) == "序号  卡号\n1  张三  6222"
    assert boxes_to_text([]) == ""


def png_with_text(lines: list[str]) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (900, 80 * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=36)
    for i, line in enumerate(lines):
        draw.text((20, 20 + 70 * i), line, fill="black", font=font)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_an_image_without_ocr_is_a_clear_error():
    pytest.importorskip("PIL")
    with pytest.raises(DecodingError, match="OCR"):
        list(extract_text(png_with_text(["x"]), name="a.png"))


@pytest.mark.slow
def test_ocr_reads_an_image_and_a_scanned_pdf_page():
    pytest.importorskip("rapidocr_onnxruntime")
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    from stdnum.cn import ric

    body = "51010420000101000"  # a made-up body; the check digit makes it a well-formed ID number
    number = body + ric.calc_check_digit(body + "0")  # stdnum wants a placeholder check digit
    png = png_with_text([f"ID: {number}"])
    limits = ExtractLimits(ocr=True)
    assert number in "".join(c.text for c in extract_text(png, name="a.png", limits=limits))
    out = io.BytesIO()
    pdf = canvas.Canvas(out)
    pdf.drawImage(ImageReader(io.BytesIO(png)), 30, 600, width=450, height=40)
    pdf.showPage()
    pdf.save()
    assert list(extract_text(out.getvalue(), name="scan.pdf")) == []  # no text layer, no OCR
    chunks = list(extract_text(out.getvalue(), name="scan.pdf", limits=limits))
    assert number in chunks[0].text and chunks[0].where == "第1页"
