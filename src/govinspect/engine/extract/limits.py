"""Per-file limits of text extraction and the budget that enforces them."""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ExtractLimits:
    max_bytes: int = 50 * 1024 * 1024  # input file (matches Limits.max_attachment_bytes)
    max_chars: int = 20_000_000  # extracted text per file, archives included
    seconds: float = 30.0  # wall time per top-level file
    max_archive_depth: int = 2  # a zip in a zip in a zip is refused
    max_members: int = 1000  # entries in one archive
    max_member_bytes: int = 100 * 1024 * 1024  # one uncompressed member
    max_unpacked_bytes: int = 300 * 1024 * 1024  # all members of one archive together
    max_ratio: int = 100  # uncompressed/compressed, beyond it a zip bomb
    chunk_lines: int = 200  # rows or paragraphs per TextChunk
    ocr: bool = False  # OCR images and text-less PDF pages (needs the optional rapidocr-onnxruntime)
    ocr_max_pages: int = 10  # pages or images OCR'd per top-level file


class BudgetExceeded(Exception):
    """Internal: the file used up its time or text budget; extraction stops cleanly."""


class Budget:
    """Counts characters and time for one top-level file (shared by archive members)."""

    def __init__(self, limits: ExtractLimits) -> None:
        self.limits = limits
        self.chars = 0
        self.deadline = time.monotonic() + limits.seconds
        self.ocr_pages = limits.ocr_max_pages if limits.ocr else 0

    def take_ocr_page(self) -> bool:
        if self.ocr_pages <= 0:
            return False
        self.ocr_pages -= 1
        return True

    def spend(self, chars: int) -> None:
        self.chars += chars
        if self.chars > self.limits.max_chars:
            raise BudgetExceeded(f"文本超过{self.limits.max_chars}字符上限，已截断")
        self.tick()

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise BudgetExceeded(f"提取超过{self.limits.seconds:g}秒时限，已截断")
