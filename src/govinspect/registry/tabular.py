"""Reading and writing the register's tables as xlsx workbooks and CSV files (no Django).

The register travels as up to five tables, each with Chinese column headers (see ``SHEETS``):
区划, 主办单位, 网站, 政务新媒体, 备案记录. In an xlsx workbook each is a worksheet of that name.
As CSV each is one file; its kind comes from the file name (``网站.csv``, ``register-网站.csv``)
or, failing that, from its headers. CSV is read as UTF-8 (with or without BOM) or GBK/GB18030
and written as UTF-8 with BOM, which Excel opens correctly.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row is row 2.
Third-party reader errors are translated into ``ImportRejected`` here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from govinspect.errors import ImportRejected, ImportRowError


@dataclass(frozen=True)
class Column:
    header: str
    required: bool = False


@dataclass(frozen=True)
class Sheet:
    kind: str  # regions | organizers | sites | accounts | filings
    title: str
    columns: tuple[Column, ...]

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    @property
    def required(self) -> frozenset[str]:
        return frozenset(c.header for c in self.columns if c.required)


SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "regions",
        "区划",
        (Column("区划代码", True), Column("名称", True), Column("级别", True), Column("上级区划代码")),
    ),
    Sheet("organizers", "主办单位", (Column("主办单位", True), Column("行政区划代码", True))),
    Sheet(
        "sites",
        "网站",
        (
            Column("网站标识码", True),
            Column("网站名称", True),
            Column("首页地址", True),
            Column("主办单位", True),
            Column("行政区划代码", True),
            Column("网站类别", True),
            Column("是否提供办事服务"),
            Column("ICP备案号"),
            Column("公安备案号"),
            Column("状态"),
            Column("其他域名"),
        ),
    ),
    Sheet(
        "accounts",
        "政务新媒体",
        (
            Column("平台", True),
            Column("账号名称", True),
            Column("账号ID或地址", True),
            Column("主办单位", True),
            Column("行政区划代码", True),
            Column("状态"),
        ),
    ),
    Sheet(
        "filings",
        "备案记录",
        (
            Column("日期", True),
            Column("事项", True),
            Column("网站标识码"),
            Column("平台"),
            Column("账号ID或地址"),
            Column("说明"),
        ),
    ),
)
SHEET_BY_TITLE = {s.title: s for s in SHEETS}
SHEET_BY_KIND = {s.kind: s for s in SHEETS}
XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


@dataclass
class Row:
    number: int  # as a spreadsheet shows it
    values: dict[str, str]


@dataclass
class Table:
    sheet: Sheet
    source: str
    rows: list[Row] = field(default_factory=list)


def cell_text(value: object) -> str:
    """A cell as text: numbers typed into Excel lose their '.0', dates become ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _table(sheet: Sheet, source: str, grid: Sequence[Sequence[object]]) -> tuple[Table, list[ImportRowError]]:
    """Turn a grid (header first) into a Table; a missing required header is an error on row 1."""
    table = Table(sheet, source)
    if not grid:
        return table, [ImportRowError(1, None, "表头缺失（空表）", sheet.title)]
    headers = [cell_text(h) for h in grid[0]]
    missing = [h for h in sheet.headers if h in sheet.required and h not in headers]
    errors = [ImportRowError(1, h, "缺少必需的列", sheet.title) for h in missing]
    positions = {h: i for i, h in reversed(list(enumerate(headers))) if h in sheet.headers}
    for index, raw in enumerate(grid[1:], start=2):
        cells = [cell_text(v) for v in raw]
        if not any(cells):
            continue
        values = {h: (cells[i] if i < len(cells) else "") for h, i in positions.items()}
        table.rows.append(Row(index, values))
    return table, errors


def _guess_sheet(path: Path, headers: Iterable[str]) -> Sheet | None:
    for sheet in SHEETS:
        if path.stem == sheet.title or path.stem.endswith(("-" + sheet.title, "_" + sheet.title)):
            return sheet
    present = set(headers)
    fitting = [s for s in SHEETS if s.required <= present]
    return max(fitting, key=lambda s: len(s.required), default=None)


def decode_csv(data: bytes) -> str:
    """UTF-8 (BOM or not) first; GBK files are decoded as GB18030, its superset."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def read_csv(path: Path) -> tuple[Table | None, list[ImportRowError]]:
    try:
        text = decode_csv(path.read_bytes())
    except UnicodeDecodeError:
        return None, [ImportRowError(1, None, f"{path.name}: 无法识别的编码（应为 UTF-8 或 GBK）")]
    grid = list(csv.reader(io.StringIO(text, newline="")))
    sheet = _guess_sheet(path, (cell_text(h) for h in (grid[0] if grid else [])))
    if sheet is None:
        titles = "、".join(s.title for s in SHEETS)
        return None, [ImportRowError(1, None, f"{path.name}: 无法判断表格种类（文件名或表头应对应{titles}之一）")]
    return _table(sheet, path.name, grid)


def read_workbook(path: Path) -> tuple[list[Table], list[ImportRowError]]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        grids = {
            name: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in workbook.sheet_names
            if name in SHEET_BY_TITLE
        }
    except (CalamineError, OSError, ValueError) as exc:
        raise ImportRejected([ImportRowError(1, None, f"{path.name}: 无法读取工作簿（{exc}）")]) from exc
    if not grids:
        titles = "、".join(s.title for s in SHEETS)
        raise ImportRejected([ImportRowError(1, None, f"{path.name}: 没有可导入的工作表（工作表应命名为{titles}）")])
    tables, errors = [], []
    for sheet in SHEETS:
        if sheet.title in grids:
            table, errs = _table(sheet, path.name, grids[sheet.title])
            tables.append(table)
            errors += errs
    return tables, errors


def read_tables(paths: Sequence[Path]) -> list[Table]:
    """Read workbooks, CSV files or folders of CSV files; raise ImportRejected on unreadable input."""
    tables: list[Table] = []
    errors: list[ImportRowError] = []
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv")
        elif path.is_file():
            files.append(path)
        else:
            errors.append(ImportRowError(1, None, f"{path}: 文件不存在"))
    for file in files:
        if file.suffix.lower() in XLSX_SUFFIXES:
            t, e = read_workbook(file)
            tables += t
            errors += e
        elif file.suffix.lower() == ".csv":
            table, e = read_csv(file)
            tables += [table] if table else []
            errors += e
        else:
            errors.append(ImportRowError(1, None, f"{file.name}: 不支持的文件类型（应为 xlsx 或 csv）"))
    seen: dict[str, str] = {}
    for table in tables:
        if table.sheet.kind in seen:
            errors.append(
                ImportRowError(
                    1, None, f"「{table.sheet.title}」表出现两次（{seen[table.sheet.kind]}、{table.source}）"
                )
            )
        seen[table.sheet.kind] = table.source
    if errors:
        raise ImportRejected(errors)
    order = [s.kind for s in SHEETS]
    return sorted(tables, key=lambda t: order.index(t.sheet.kind))


def write_tables(path: Path, tables: Mapping[str, Sequence[Sequence[str]]]) -> list[Path]:
    """Write {kind: rows} as one xlsx workbook (path ends .xlsx) or CSV files; return the files written.

    For CSV, a path ending in .csv gives ``<stem>-<title>.csv`` beside it; any other path is a
    folder that receives ``<title>.csv`` files.
    """
    if path.suffix.lower() == ".xlsx":
        _write_xlsx(path, tables)
        return [path]
    if path.suffix.lower() == ".csv":
        folder, prefix = path.parent, path.stem + "-"
    else:
        folder, prefix = path, ""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for sheet in SHEETS:
        if sheet.kind not in tables:
            continue
        target = folder / f"{prefix}{sheet.title}.csv"
        with target.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(sheet.headers)
            writer.writerows(tables[sheet.kind])
        written.append(target)
    return written


def _write_xlsx(path: Path, tables: Mapping[str, Sequence[Sequence[str]]]) -> None:
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_urls": False})
    try:
        bold = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        for sheet in SHEETS:
            if sheet.kind not in tables:
                continue
            ws = workbook.add_worksheet(sheet.title)
            ws.write_row(0, 0, sheet.headers, bold)
            ws.freeze_panes(1, 0)
            widths = [max(8, len(h) * 2 + 2) for h in sheet.headers]
            for r, row in enumerate(tables[sheet.kind], start=1):
                for c, value in enumerate(row):
                    ws.write_string(r, c, value)  # text: keeps codes like 0001 and long ids intact
                    widths[c] = min(60, max(widths[c], len(value) + 2))
            for c, width in enumerate(widths):
                ws.set_column(c, c, width)
    finally:
        workbook.close()
