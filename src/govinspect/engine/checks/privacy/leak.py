"""privacy.leak: unmasked ID-card, mobile or bank-card numbers in a page or an attachment.

Pages: the text of blocks not already seen on the site, plus the page's tables read row by
row with their header cells as labels (a bank card needs its "卡号" label nearby).
Attachments (``kind="attachment"``): the text that ``engine.extract`` gets out of xlsx, xls,
et, docx, doc, wps, pdf, csv, txt and zip files. With the option ``ocr`` (and the ``ocr`` extra
installed) scanned PDF pages and images are read by OCR too.

Options (``check_options["privacy.leak"]``): ``max_bytes``, ``seconds`` (per attachment),
``ocr`` (bool), ``severity`` (kind → veto/deduct/notice).

One finding per (page, masked value); the finding holds only ``detail.masked`` and
``detail.kind`` (plus ``detail.where`` inside an attachment), and a masked excerpt.

Severity: a deduction for every kind, and no indicator claimed. The national indicators name
state secrets under W-V1, not personal data (indicators.md marks a privacy veto as unverified),
and the catalogue maps no item to this check, so a "veto" here would be a promise the scoring
does not keep. A province that treats it as a security incident maps a kind to its severity
with the option ``severity`` (e.g. ``{"id_card": "veto"}``) and adds the check to its W-V1.

An attachment is read in a dedicated extraction thread (``check_page`` returns a future inside
a running event loop), so a large PDF does not stall the crawl. One that cannot be read
(corrupt, encrypted, unknown format) raises ``DecodingError`` with the reason, which the runner
logs as this check's error on that URL; an unreadable member of a zip or a file cut off by the
limits is logged and skipped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import ClassVar

from govinspect.engine.checks.base import CheckContext, PageCheck
from govinspect.engine.extract import ExtractLimits, extract_text
from govinspect.engine.extract.tabular import RowLabeller
from govinspect.engine.page.model import Page
from govinspect.engine.pii import find_personal_numbers, masked_excerpt, masked_text
from govinspect.errors import ConfigError, DecodingError, DecompressionBomb
from govinspect.findings import SEVERITIES, Finding, Severity

log = logging.getLogger(__name__)


@cache
def _extraction_thread() -> ThreadPoolExecutor:
    # One thread: PDFium is not thread-safe, and attachments of one run queue up here.
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="govinspect-extract")


SEVERITY_BY_KIND: dict[str, Severity] = {"id_card": "deduct", "bank_card": "deduct", "mobile": "deduct"}


class PrivacyLeak(PageCheck):
    id = "privacy.leak"
    indicator = None
    severity: ClassVar[Severity] = "deduct"
    description = "页面或附件中未脱敏的身份证号、手机号、银行卡号"

    def __init__(self, ctx: CheckContext) -> None:
        super().__init__(ctx)
        chosen = ctx.options(self.id).get("severity") or {}
        unknown = {k: v for k, v in chosen.items() if k not in SEVERITY_BY_KIND or v not in SEVERITIES}
        if unknown:
            raise ConfigError(f"privacy.leak severity option: unknown kinds or severities {unknown}")
        self.severities: dict[str, Severity] = {**SEVERITY_BY_KIND, **chosen}

    def applies_to(self, page: Page) -> bool:
        if page.kind in ("html", "attachment"):
            return True
        # images only when OCR is switched on (option "ocr", needs the ocr extra)
        return bool(self.ctx.options(self.id).get("ocr")) and page.content_type.startswith("image/")

    def check_page(self, page: Page) -> list[Finding] | asyncio.Future[list[Finding]]:  # type: ignore[override]
        """Findings of a page; for an attachment inside the running inspection, a future: the
        extraction is CPU work and runs in the extraction thread, off the event loop."""
        if page.kind == "html":
            return list(self.scan(page))
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return self.scan_attachment(page)
        return loop.run_in_executor(_extraction_thread(), self.scan_attachment, page)

    def scan_attachment(self, page: Page) -> list[Finding]:
        """All findings of an attachment. A file that cannot be read raises ``DecodingError``
        (or ``DecompressionBomb``), unless part of it was read and gave findings: those are kept
        and the error is logged."""
        findings: list[Finding] = []
        try:
            findings.extend(self.scan(page))
        except (DecodingError, DecompressionBomb) as exc:
            if not findings:
                raise
            log.warning("privacy.leak: %s read in part: %s", page.url, masked_text(str(exc)))
        return findings

    def scan(self, page: Page) -> Iterator[Finding]:
        seen: set[str] = set()
        for text, where in self._texts(page):
            numbers = find_personal_numbers(text, as_of=self.ctx.as_of)
            for number in numbers:
                if number.masked in seen:
                    continue
                seen.add(number.masked)
                detail = {"kind": number.kind, "masked": number.masked}
                if where:
                    detail["where"] = masked_text(where)  # a file name may hold a number too
                yield self.finding(
                    page.url,
                    evidence=masked_excerpt(text, number, numbers),
                    severity=self.severities[number.kind],
                    **detail,
                )

    def _texts(self, page: Page) -> Iterable[tuple[str, str]]:
        if page.kind != "html":
            return self._attachment_texts(page)
        return self._html_texts(page)

    def _html_texts(self, page: Page) -> Iterator[tuple[str, str]]:
        for block in page.text_blocks:
            if not block.repeated:
                yield block.text, ""
        for table in page.tables:
            labeller = RowLabeller()
            lines = [line for row in table if (line := labeller.line(row))]
            if labeller.header is not None and lines:
                yield "\n".join(lines), ""

    def _attachment_texts(self, page: Page) -> Iterator[tuple[str, str]]:
        options = self.ctx.options(self.id)
        limits = ExtractLimits(
            max_bytes=int(options.get("max_bytes", self.ctx.config.limits.max_attachment_bytes)),
            seconds=float(options.get("seconds", ExtractLimits().seconds)),
            ocr=bool(options.get("ocr", False)),
        )
        for chunk in extract_text(page.body, name=page.url, content_type=page.content_type, limits=limits):
            if chunk.error:
                log.warning("privacy.leak: %s %s: %s", page.url, masked_text(chunk.where), masked_text(chunk.error))
                continue
            yield chunk.text, chunk.where
