"""Rows of a table as lines of text, each cell labelled with its column header.

A personal number's label is usually the column header ("身份证号", "银行卡号"), far above the
value; writing ``header：value`` puts the label next to the value so the detectors'
context rules work the same in a spreadsheet as in prose.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from typing import Any

_NUMERIC_RE = re.compile(r"^[\d\s.,:+\-*/%()Xx]*$")


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        # Excel stores long numbers as floats: 13812345678.0 is the mobile 13812345678.
        if value.is_integer() and abs(value) < 1e19:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _looks_like_header(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    return len(filled) >= 2 and all(not _NUMERIC_RE.match(c) and len(c) <= 30 for c in filled)


class RowLabeller:
    """Turns the rows of one table into lines; the first header-looking row labels the rest."""

    def __init__(self) -> None:
        self.header: list[str] | None = None

    def line(self, row: Iterable[Any]) -> str | None:
        cells = [cell_text(v) for v in row]
        if not any(cells):
            return None
        if self.header is None:
            if _looks_like_header(cells):
                self.header = cells
            return "\t".join(cells)
        parts = []
        for i, cell in enumerate(cells):
            if not cell:
                continue
            label = self.header[i] if i < len(self.header) else ""
            parts.append(f"{label}：{cell}" if label else cell)
        return "\t".join(parts)


def labelled_lines(rows: Iterable[Iterable[Any]]) -> Iterator[tuple[int, str]]:
    """(row number from 1, line) for every non-empty row; the header row itself is kept."""
    labeller = RowLabeller()
    for number, row in enumerate(rows, start=1):
        line = labeller.line(row)
        if line is not None:
            yield number, line


_FIELD_SPLIT_RE = re.compile(r"\t+| {2,}|\u3000+")


class TextRowLabeller:
    """Labels rows of a table written as text (PDF, RTF, doc, txt, docx paragraphs): a
    header-looking line of three or more fields separated by tabs or runs of spaces labels the
    following lines that have the same number of fields. Fields split on tabs, runs of spaces
    or, failing those, single spaces (PDF text). A longer line of another shape ends the table;
    short lines (page numbers, "第2页") do not, so a table goes on across PDF pages when the
    labeller is reused page after page."""

    def __init__(self) -> None:
        self.header: list[str] | None = None

    def lines(self, lines: Iterable[str]) -> Iterator[str]:
        for line in lines:
            yield self.line(line)

    def line(self, line: str) -> str:
        stripped = line.strip()
        fields = [f.strip() for f in _FIELD_SPLIT_RE.split(stripped)]
        if len(fields) < 3:
            fields = [f for f in stripped.split(" ") if f]
        if len(fields) >= 3:
            if _looks_like_header(fields):
                self.header = fields
                return line
            if self.header is not None and len(fields) == len(self.header):
                return "\t".join(f"{h}：{v}" if v else "" for h, v in zip(self.header, fields, strict=True))
        if len(stripped) > 12:
            self.header = None
        return line


def label_text_rows(lines: Iterable[str]) -> Iterator[str]:
    """Label the rows of text tables in ``lines`` (see ``TextRowLabeller``)."""
    return TextRowLabeller().lines(lines)
