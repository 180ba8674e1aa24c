"""Plain text and CSV: encoding detection (BOM, UTF-8, GB18030 which covers GBK/GB2312, Big5)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from govinspect.errors import DecodingError

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def decode_text(data: bytes) -> str:
    """Decode bytes of a text file; ``DecodingError`` when no encoding explains them."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding.replace("-sig", ""))
            except UnicodeDecodeError as exc:
                raise DecodingError(f"文本文件声明为{encoding}但无法解码: {exc.reason}") from None
    if data.count(b"\x00") > len(data) // 100 + 1:
        raise DecodingError("不是文本文件（含二进制数据）")
    for encoding in ("utf-8", "gb18030", "big5"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DecodingError("无法识别文本编码（试过 UTF-8、GB18030、Big5）")


def text_lines(data: bytes) -> Iterator[str]:
    yield from decode_text(data).splitlines()


def csv_rows(data: bytes) -> Iterator[list[str]]:
    text = decode_text(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel
    try:
        yield from csv.reader(io.StringIO(text, newline=""), dialect)
    except csv.Error as exc:
        raise DecodingError(f"CSV 解析失败: {exc}") from None
