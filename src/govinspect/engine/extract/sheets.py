"""Spreadsheets (xlsx, xls, ods, and WPS .et which is one of those inside) through python-calamine."""

from __future__ import annotations

import io
from collections.abc import Iterator

import python_calamine as calamine

from govinspect.engine.extract.tabular import labelled_lines
from govinspect.errors import DecodingError
from govinspect.findings import mask


def sheet_lines(data: bytes) -> Iterator[tuple[str, int, str]]:
    """(sheet name, row number, labelled line) for every non-empty row of every sheet."""
    try:
        workbook = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except calamine.PasswordError:
        raise DecodingError("表格文件已加密（有密码），无法读取") from None
    except (calamine.CalamineError, calamine.ZipError, calamine.XmlError, ValueError, OSError) as exc:
        raise DecodingError(f"表格文件损坏或格式不支持: {exc}") from None
    try:
        for name in workbook.sheet_names:
            try:
                sheet = workbook.get_sheet_by_name(name)
                rows = sheet.iter_rows()
            except (calamine.CalamineError, ValueError) as exc:
                raise DecodingError(f"工作表「{mask(name)}」无法读取: {exc}") from None
            for number, line in labelled_lines(rows):
                yield name, number, line
    finally:
        workbook.close()
