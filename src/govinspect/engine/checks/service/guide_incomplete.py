"""W-V6 服务不实用: a 办事指南 lacking 4 or more of the ten key elements (the count of such
guides that vetoes a site — ≥5, or all when fewer than 5 — is the scoring's).

Elements and their labels are data (guide_elements.toml); the threshold comes from the
indicator catalogue."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import ClassVar

from govinspect.engine.checks.base import PageCheck
from govinspect.engine.page.dates import normalize
from govinspect.engine.page.model import Page
from govinspect.findings import Finding, Severity
from govinspect.indicators import catalogue

ELEMENTS_PATH = Path(__file__).with_name("guide_elements.toml")
_EMPTY = {"", "-", "—", "/", "暂无", "待补充"}


@dataclass(frozen=True, slots=True)
class GuideVocabulary:
    markers: tuple[str, ...]
    min_labels: int
    elements: dict[str, tuple[str, ...]]
    label_to_element: dict[str, str]
    label_re: re.Pattern[str]


@cache
def guide_vocabulary(path: Path = ELEMENTS_PATH) -> GuideVocabulary:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    elements = {k: tuple(v) for k, v in data["elements"].items()}
    label_to_element = {label: name for name, labels in elements.items() for label in labels}
    labels = sorted(label_to_element, key=len, reverse=True)
    return GuideVocabulary(
        markers=tuple(data["markers"]["guide"]),
        min_labels=int(data["markers"]["min_labels"]),
        elements=elements,
        label_to_element=label_to_element,
        label_re=re.compile(r"(?:^|[\s。；;])(" + "|".join(map(re.escape, labels)) + r")\s*[:：]\s*(\S?)"),
    )


def _clean(cell: str) -> str:
    return normalize(cell).strip().rstrip(":：").replace(" ", "").lstrip("0123456789.、（）() ")


def _starts_with_label(text: str, vocab: GuideVocabulary) -> bool:
    m = vocab.label_re.match(normalize(text).strip())
    return m is not None or vocab.label_to_element.get(_clean(text)) is not None


def present_elements(page: Page, vocab: GuideVocabulary | None = None) -> set[str]:
    """The elements with a label and a non-empty value on the page."""
    vocab = vocab or guide_vocabulary()
    found: set[str] = set()
    for table in page.tables:
        for row in table:
            for i, cell in enumerate(row):
                element = vocab.label_to_element.get(_clean(cell))
                if element is None:
                    continue
                value = row[i + 1].strip() if i + 1 < len(row) else ""
                if value not in _EMPTY and _clean(value) not in vocab.label_to_element:
                    found.add(element)
    # cells were read above; text outside tables is read here
    blocks = [
        b
        for b in page.text_blocks
        if b.region not in ("header", "nav", "footer") and not re.search(r">(?:td|th)\b", b.path)
    ]
    for n, block in enumerate(blocks):
        text = normalize(block.text)
        for m in vocab.label_re.finditer(text):
            at_end = not text[m.end() :].strip()
            if m[2] or (at_end and n + 1 < len(blocks) and not _starts_with_label(blocks[n + 1].text, vocab)):
                found.add(vocab.label_to_element[m[1]])
        # a heading block holding only the label ("办理流程"), its content in the next block
        element = vocab.label_to_element.get(_clean(text))
        if (
            element
            and n + 1 < len(blocks)
            and not _starts_with_label(blocks[n + 1].text, vocab)
            and blocks[n + 1].text.strip() not in _EMPTY
        ):
            found.add(element)
    return found


def is_guide(page: Page, vocab: GuideVocabulary | None = None) -> bool:
    vocab = vocab or guide_vocabulary()
    names = " ".join((page.title, page.meta_value("columnname") or "", page.meta_value("articletitle") or ""))
    headings = " ".join(n.text(strip=True) for n in page.dom.css("h1, h2, h3")[:5])
    return any(m in names or m in headings for m in vocab.markers)


def guide_elements_once(page: Page) -> set[str] | None:
    """The elements present when the page is a service guide (None otherwise), worked out once
    per page for whoever asks (the check, the inspection's page counter): kept on ``page.extra``."""
    key = ("service.guide_elements",)
    if key not in page.extra:
        vocab = guide_vocabulary()
        present = present_elements(page, vocab) if is_guide(page, vocab) else None
        page.extra[key] = present if present is not None and len(present) >= vocab.min_labels else None
    return page.extra[key]


class GuideIncomplete(PageCheck):
    id = "service.guide_incomplete"
    indicator = "W-V6"
    severity: ClassVar[Severity] = "deduct"  # the veto needs ≥5 such guides: scoring counts
    description = "办事指南重点要素缺失"

    def applies_to(self, page: Page) -> bool:
        return page.kind == "html" and page.status < 400

    def check_page(self, page: Page) -> Iterable[Finding]:
        vocab = guide_vocabulary()
        present = guide_elements_once(page)
        if present is None:
            return []  # not a guide, or a list of guides / a page that only mentions them
        missing = [name for name in vocab.elements if name not in present]
        threshold = catalogue()["W-V6"].days("missing_elements")
        if len(missing) < threshold:
            return []
        evidence = f"办事指南缺少{len(missing)}类要素：" + "、".join(missing)
        return [self.finding(page.url, evidence=evidence, missing=missing)]
