"""Text extraction from attachments: xlsx, xls, et, ods, docx, odt, doc, wps, pdf, rtf, csv,
txt, HTML saved as .doc/.xls, and zip archives holding any of them.

``extract_text(data, name=..., content_type=...)`` yields ``TextChunk``s as it reads, so a
caller can stop early and memory stays bounded. Limits (``ExtractLimits``) cap the input
size, the extracted text and the time per file; zip archives are guarded against bombs
(member count, sizes, compression ratio, nesting depth).

Errors: a file that cannot be read at all (corrupt, encrypted, unknown format) raises
``errors.DecodingError`` with a message saying why; a zip bomb raises
``errors.DecompressionBomb``. A member of an archive that fails, or a file that runs out of
budget, does not stop the rest: it comes out as a chunk with ``error`` set and no text.
Images and scanned PDF pages give no text unless ``ExtractLimits.ocr`` is set and the optional
``rapidocr-onnxruntime`` is installed (see ``extract.ocr``).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from govinspect.engine.extract import documents, sheets, textfile
from govinspect.engine.extract.limits import Budget, BudgetExceeded, ExtractLimits
from govinspect.engine.extract.sniff import Format, extension, sniff
from govinspect.engine.extract.tabular import TextRowLabeller, label_text_rows
from govinspect.errors import DecodingError, DecompressionBomb

__all__ = ["ExtractLimits", "TextChunk", "extract_text", "sniff"]

SUPPORTED = ("xlsx", "xls", "et", "ods", "docx", "odt", "doc", "wps", "pdf", "rtf", "csv", "txt", "html", "zip")


@dataclass(frozen=True, slots=True)
class TextChunk:
    text: str
    where: str = ""  # "名单.xlsx › Sheet1 第2–201行", "第3页" …
    error: str | None = None  # set on a chunk that reports a skipped member or a cut-off file


def extract_text(
    data: bytes, *, name: str = "", content_type: str = "", limits: ExtractLimits | None = None
) -> Iterator[TextChunk]:
    """Yield the text of one file (see the module docstring for errors and limits)."""
    limits = limits or ExtractLimits()
    budget = Budget(limits)
    try:
        yield from _extract(data, name, content_type, limits, budget, depth=0, prefix="")
    except BudgetExceeded as exc:
        yield TextChunk("", where=name, error=str(exc))


def _extract(
    data: bytes, name: str, content_type: str, limits: ExtractLimits, budget: Budget, depth: int, prefix: str
) -> Iterator[TextChunk]:
    if len(data) > limits.max_bytes:
        raise DecodingError(f"文件大小 {len(data)} 字节超过 {limits.max_bytes} 字节上限，未读取")
    if not data:
        return
    kind = sniff(data, name, content_type)
    if kind in ("xlsx", "docx", "ods", "odt"):
        _guard_zip(data, limits)
    if kind == "ole":
        ole = documents.open_ole(data)
        try:
            kind = documents.ole_kind(ole)
            if kind == "doc":
                text = documents.word_binary_text(ole)
                yield from _chunks(label_text_rows(text.splitlines()), prefix, limits, budget)
                return
        finally:
            ole.close()
    yield from _by_format(kind, data, name, limits, budget, depth, prefix)


def _by_format(
    kind: Format | str, data: bytes, name: str, limits: ExtractLimits, budget: Budget, depth: int, prefix: str
) -> Iterator[TextChunk]:
    if kind in ("xlsx", "xls", "ods"):
        yield from _sheet_chunks(data, prefix, limits, budget)
    elif kind == "pdf":
        from govinspect.engine.extract import pdf

        labeller = TextRowLabeller()  # a table may go on over several pages
        for number, text in pdf.pdf_pages(data, ocr_page=budget.take_ocr_page if limits.ocr else None):
            budget.spend(len(text))
            text = "\n".join(labeller.lines(text.splitlines()))
            if text.strip():
                yield TextChunk(text, where=f"{prefix}第{number}页")
    elif kind in ("docx", "odt"):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            lines = label_text_rows(documents.docx_lines(zf) if kind == "docx" else documents.odt_lines(zf))
            yield from _chunks(lines, prefix, limits, budget)
    elif kind == "rtf":
        yield from _chunks(label_text_rows(documents.rtf_text(data).splitlines()), prefix, limits, budget)
    elif kind == "html":
        yield from _chunks(documents.html_lines(data), prefix, limits, budget)
    elif kind == "csv":
        labeller_lines = (line for _n, line in _labelled(textfile.csv_rows(data)))
        yield from _chunks(labeller_lines, prefix, limits, budget)
    elif kind == "text":
        yield from _chunks(label_text_rows(textfile.text_lines(data)), prefix, limits, budget)
    elif kind == "zip":
        yield from _zip_members(data, name, limits, budget, depth, prefix)
    elif kind == "ooxml_encrypted":
        raise DecodingError("Office 文件已加密（有密码），无法读取")
    elif kind == "image":
        if not (limits.ocr and budget.take_ocr_page()):
            raise DecodingError("图片文件：未做文字识别（OCR），未检查")
        from govinspect.engine.extract.ocr import ocr_image

        yield from _chunks(label_text_rows(ocr_image(data).splitlines()), prefix, limits, budget)
    else:
        ext = extension(name)
        raise DecodingError(f"无法识别的文件格式或文件已损坏（扩展名 {ext or '无'}）")


def _labelled(rows: Iterator[list[str]]) -> Iterator[tuple[int, str]]:
    from govinspect.engine.extract.tabular import labelled_lines

    return labelled_lines(rows)


def _sheet_chunks(data: bytes, prefix: str, limits: ExtractLimits, budget: Budget) -> Iterator[TextChunk]:
    lines: list[str] = []
    current: tuple[str, int] | None = None
    last_row = 0
    for sheet, row, line in sheets.sheet_lines(data):
        if current is not None and (sheet != current[0] or len(lines) >= limits.chunk_lines):
            yield _sheet_chunk(lines, prefix, current, last_row, budget)
            lines = []
            current = None
        if current is None:
            current = (sheet, row)
        lines.append(line)
        last_row = row
    if current is not None and lines:
        yield _sheet_chunk(lines, prefix, current, last_row, budget)


def _sheet_chunk(lines: list[str], prefix: str, current: tuple[str, int], last_row: int, budget: Budget) -> TextChunk:
    text = "\n".join(lines)
    budget.spend(len(text))
    sheet, first_row = current
    rows = f"第{first_row}行" if first_row == last_row else f"第{first_row}–{last_row}行"
    return TextChunk(text, where=f"{prefix}{sheet} {rows}")


def _chunks(
    lines: Iterator[str] | list[str], prefix: str, limits: ExtractLimits, budget: Budget
) -> Iterator[TextChunk]:
    """Group lines (paragraphs, rows) into chunks of ``limits.chunk_lines``; numbered from 1."""
    batch: list[str] = []
    first = 0
    count = 0
    for line in lines:
        if not line.strip():
            continue
        count += 1
        if not batch:
            first = count
        batch.append(line)
        if len(batch) >= limits.chunk_lines:
            yield _text_chunk(batch, prefix, first, count, budget)
            batch = []
    if batch:
        yield _text_chunk(batch, prefix, first, count, budget)


def _text_chunk(batch: list[str], prefix: str, first: int, last: int, budget: Budget) -> TextChunk:
    text = "\n".join(batch)
    budget.spend(len(text))
    span = f"第{first}段" if first == last else f"第{first}–{last}段"
    return TextChunk(text, where=f"{prefix}{span}")


# --- zip ---------------------------------------------------------------------------------


def _guard_zip(data: bytes, limits: ExtractLimits) -> None:
    """Refuse a zip (or an OOXML/ODF package) whose declared sizes betray a bomb."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DecodingError(f"压缩包损坏: {exc}") from None
    if len(infos) > limits.max_members * 10:
        raise DecompressionBomb("", f"压缩包含 {len(infos)} 个成员，疑似压缩炸弹")
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total > limits.max_unpacked_bytes:
        raise DecompressionBomb("", f"解压后 {total} 字节超过 {limits.max_unpacked_bytes} 字节上限")
    if total > 1024 * 1024 and total / packed > limits.max_ratio:
        raise DecompressionBomb("", f"压缩比 {total / packed:.0f} 超过 {limits.max_ratio}，疑似压缩炸弹")


def _member_name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & 0x800:
        return info.filename
    try:  # no UTF-8 flag: Chinese names are usually GBK, which zipfile read as cp437
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _zip_members(
    data: bytes, name: str, limits: ExtractLimits, budget: Budget, depth: int, prefix: str
) -> Iterator[TextChunk]:
    if depth >= limits.max_archive_depth:
        yield TextChunk("", where=prefix or name, error=f"压缩包嵌套超过 {limits.max_archive_depth} 层，未展开")
        return
    _guard_zip(data, limits)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > limits.max_members:
            yield TextChunk(
                "", where=prefix or name, error=f"压缩包有 {len(infos)} 个文件，只读取前 {limits.max_members} 个"
            )
            infos = infos[: limits.max_members]
        for info in infos:
            budget.tick()
            member = _member_name(info)
            where = f"{prefix}{member} › "
            if info.flag_bits & 0x1:
                yield TextChunk("", where=where, error="压缩包成员已加密，无法读取")
                continue
            if info.file_size > limits.max_member_bytes:
                yield TextChunk("", where=where, error=f"成员解压后 {info.file_size} 字节，超过上限，未读取")
                continue
            try:
                with zf.open(info) as stream:
                    content = stream.read(limits.max_member_bytes + 1)
                if len(content) > limits.max_member_bytes:
                    raise DecompressionBomb("", "成员实际解压大小超过声明，疑似压缩炸弹")
                yield from _extract(content, member, "", limits, budget, depth + 1, where)
            except (DecodingError, DecompressionBomb, zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
                yield TextChunk("", where=where, error=_reason(exc))


def _reason(exc: Exception) -> str:
    if isinstance(exc, DecompressionBomb):
        return str(exc).lstrip(": ")
    return str(exc) or type(exc).__name__
