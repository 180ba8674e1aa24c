"""PDF text through pypdfium2 (PDFium): fast, and it reads CJK fonts' ToUnicode maps.

A page without a text layer (a scan) gives no text unless ``ocr_page`` says yes for it: then
it is rendered and read by ``extract.ocr`` (optional RapidOCR).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pypdfium2 as pdfium

from govinspect.errors import DecodingError

SCANNED_BELOW = 20  # characters: a page with less text is taken for a scan


def pdf_pages(data: bytes, ocr_page: Callable[[], bool] | None = None) -> Iterator[tuple[int, str]]:
    """(page number from 1, text) for every page; ``ocr_page()`` is asked before OCR of a scan."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise DecodingError("PDF 已加密（有密码），无法读取") from None
        raise DecodingError(f"PDF 文件损坏: {message}") from None
    try:
        for index in range(len(document)):
            page = document[index]
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
            yield index + 1, text.replace("\r\n", "\n").replace("\r", "\n")
    finally:
        document.close()
