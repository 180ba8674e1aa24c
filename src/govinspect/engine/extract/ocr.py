"""Optional OCR of images and scanned PDF pages with RapidOCR (``rapidocr-onnxruntime``).

The package ships its PP-OCRv4 detection/recognition models inside the wheel and runs them
with onnxruntime on the CPU: nothing is downloaded at run time. It pulls in opencv-python and
onnxruntime (about 100 MB), so it is an extra (``pip install govinspect[ocr]``), not a core
dependency, and OCR is off unless ``ExtractLimits.ocr`` is set: a page takes about a second
of CPU.

Recognised boxes are put back into lines (boxes whose vertical centres are close), left to
right, cells separated by two spaces so that text tables are labelled like PDF text.
"""

from __future__ import annotations

import io
from functools import cache
from typing import Any

from govinspect.errors import DecodingError


@cache
def _engine() -> Any | None:
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        return None
    return RapidOCR()


def ocr_available() -> bool:
    return _engine() is not None


def ocr_image(image: Any) -> str:
    """Text of a PIL image (or encoded image bytes), lines top to bottom."""
    engine = _engine()
    if engine is None:
        raise DecodingError("图片需要文字识别（OCR），但未安装 rapidocr-onnxruntime")
    try:
        from PIL import Image

        if isinstance(image, bytes | bytearray):
            image = Image.open(io.BytesIO(image))
            image.load()
        import numpy as np

        result, _elapsed = engine(np.asarray(image.convert("RGB")))
    except (OSError, ValueError) as exc:
        raise DecodingError(f"图片无法识别: {exc}") from None
    return boxes_to_text(result or [])


def boxes_to_text(result: list[Any]) -> str:
    """[(box, text, score)] → lines; a box joins a line when its centre is within half a line."""
    items = []
    for box, text, _score in result:
        ys = [p[1] for p in box]
        xs = [p[0] for p in box]
        items.append(((min(ys) + max(ys)) / 2, max(ys) - min(ys), min(xs), text))
    items.sort()
    lines: list[list[tuple[float, str]]] = []
    centre = height = 0.0
    for y, h, x, text in items:
        if lines and abs(y - centre) <= max(height, h) / 2:
            lines[-1].append((x, text))
        else:
            lines.append([(x, text)])
            centre, height = y, h
    return "\n".join("  ".join(t for _x, t in sorted(line)) for line in lines)


def ocr_pdf_page(page: Any, scale: float = 2.0) -> str:
    """OCR of one pypdfium2 page rendered at ``scale`` × 72 dpi."""
    bitmap = page.render(scale=scale)
    try:
        return ocr_image(bitmap.to_pil())
    finally:
        bitmap.close()
