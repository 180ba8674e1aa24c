"""PDF text through pypdfium2 (PDFium): fast, and it reads CJK fonts' ToUnicode maps.

PDFium is not thread-safe: every call into it here holds ``PDFIUM_LOCK`` (one process-wide
re-entrant lock; other code of the process that uses pypdfium2 should take it too). The lock
is released between pages, never held across a ``yield``.

A page without a text layer (a scan) gives no text unless ``ocr_page`` says yes for it: then
it is rendered and read by ``extract.ocr`` (optional RapidOCR).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pypdfium2 as pdfium

from govinspect.errors import DecodingError

SCANNED_BELOW = 20  # characters: a page with less text is taken for a scan
PDFIUM_LOCK = threading.RLock()


def pdf_pages(data: bytes, ocr_page: Callable[[], bool] | None = None) -> Iterator[tuple[int, str]]:
    """(page number from 1, text) for every page; ``ocr_page()`` is asked before OCR of a scan."""
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
            count = len(document)
        except pdfium.PdfiumError as exc:
            message = str(exc)
            if "password" in message.lower():
                raise DecodingError("PDF 已加密（有密码），无法读取") from None
            raise DecodingError(f"PDF 文件损坏: {message}") from None
    try:
        for index in range(count):
            with PDFIUM_LOCK:
                text = _page_text(document, index, ocr_page)
            yield index + 1, text.replace("\r\n", "\n").replace("\r", "\n")
    finally:
        with PDFIUM_LOCK:
            document.close()


def _page_text(document: Any, index: int, ocr_page: Callable[[], bool] | None) -> str:
    try:
        page = document[index]
    except pdfium.PdfiumError as exc:
        raise DecodingError(f"PDF 第{index + 1}页无法读取: {exc}") from None
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_range()
        finally:
            textpage.close()
        if len(text.strip()) < SCANNED_BELOW and ocr_page is not None and ocr_page():
            from govinspect.engine.extract.ocr import ocr_pdf_page

            text = ocr_pdf_page(page)
    except pdfium.PdfiumError as exc:
        raise DecodingError(f"PDF 第{index + 1}页无法读取: {exc}") from None
    finally:
        page.close()
    return text
