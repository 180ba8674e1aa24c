"""Import messages from a CSV export of the national platform (全国政府网站信息报送系统).

Columns (Chinese headers, any order, extra columns ignored; UTF-8 with or without BOM, or GBK):

=========  ========  ==========================================================
header     required  content
=========  ========  ==========================================================
留言编号    yes       the platform's message id (re-importing a row never duplicates it)
网站标识码  yes       10-digit site code (or bm+8 digits) of a site in the register
问题类型    yes       内容不更新 | 错别字 | 链接不可用 | 信息不准确 | 服务不实用 | 互动回应差 | 其他
问题描述    yes       the message text
留言时间    yes       YYYY-MM-DD HH:MM[:SS] (or YYYY/MM/DD …), Beijing time
问题页面    no        URL of the page concerned
联系方式    no        reporter's contact (masked in lists)
转办时间    no        when it was forwarded to the organizer
答复内容    no        the organizer's answer
答复时间    no        when it was answered (required with 答复内容)
办结时间    no        when it was closed
办结说明    no        why an unanswered message was closed (无效留言 …)
=========  ========  ==========================================================

Each bad row becomes an ``ImportRowError`` (row as a spreadsheet numbers it, column, reason);
good rows are written, bad rows are returned with their original cells so that nothing is
lost (the CLI writes them to a rejects file to correct and import again). A row already
imported is brought forward (a new answer or closing is applied) and never duplicated.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.db import transaction

from govinspect.error_reports import services
from govinspect.error_reports.models import Category, ErrorReport, Source, State
from govinspect.errors import ImportRowError
from govinspect.registry.models import Site
from govinspect.registry.tabular import decode_csv

COLUMNS = (
    "留言编号",
    "网站标识码",
    "问题类型",
    "问题描述",
    "留言时间",
    "问题页面",
    "联系方式",
    "转办时间",
    "答复内容",
    "答复时间",
    "办结时间",
    "办结说明",
)
REQUIRED = ("留言编号", "网站标识码", "问题类型", "问题描述", "留言时间")
CATEGORY_BY_LABEL = {label: value for value, label in Category.choices}
_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d")


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[ImportRowError] = field(default_factory=list)
    rejected: list[dict[str, str]] = field(default_factory=list)  # the bad rows, cells as read
    header: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged + len(self.rejected)


def parse_time(text: str) -> dt.datetime:
    text = text.strip()
    for fmt in _FORMATS:
        try:
            naive = dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        return naive.replace(tzinfo=services.local_tz())
    raise ValueError(f"无法识别的时间“{text}”（应为 YYYY-MM-DD HH:MM）")


@dataclass
class _Row:
    external_id: str
    site: Site
    category: str
    description: str
    received_at: dt.datetime
    page_url: str
    contact: str
    forwarded_at: dt.datetime | None
    answer: str
    answered_at: dt.datetime | None
    closed_at: dt.datetime | None
    close_reason: str


def _optional_time(values: dict[str, str], column: str, number: int) -> dt.datetime | None:
    text = values.get(column, "").strip()
    if not text:
        return None
    try:
        return parse_time(text)
    except ValueError as exc:
        raise ImportRowError(number, column, str(exc)) from None


def _parse(values: dict[str, str], number: int, sites: dict[str, Site]) -> _Row:
    for column in REQUIRED:
        if not values.get(column, "").strip():
            raise ImportRowError(number, column, "必填项为空")
    code = values["网站标识码"].strip()
    site = sites.get(code)
    if site is None:
        raise ImportRowError(number, "网站标识码", f"名录中没有网站标识码 {code}")
    category = CATEGORY_BY_LABEL.get(values["问题类型"].strip())
    if category is None:
        raise ImportRowError(number, "问题类型", f"未知的问题类型“{values['问题类型'].strip()}”")
    received_at = _optional_time(values, "留言时间", number)
    answer = values.get("答复内容", "").strip()
    answered_at = _optional_time(values, "答复时间", number)
    if answer and answered_at is None:
        raise ImportRowError(number, "答复时间", "有答复内容时须填写答复时间")
    if answered_at is not None and not answer:
        raise ImportRowError(number, "答复内容", "有答复时间时须填写答复内容")
    closed_at = _optional_time(values, "办结时间", number)
    close_reason = values.get("办结说明", "").strip()
    if closed_at is not None and not answer and not close_reason:
        raise ImportRowError(number, "办结说明", "未答复而办结的留言须填写办结说明")
    forwarded_at = _optional_time(values, "转办时间", number)
    assert received_at is not None  # a required column
    for column, moment in (("转办时间", forwarded_at), ("答复时间", answered_at), ("办结时间", closed_at)):
        if moment is not None and moment < received_at:
            raise ImportRowError(number, column, "早于留言时间")
    page_url = values.get("问题页面", "").strip()
    if page_url and not page_url.lower().startswith(("http://", "https://")):
        raise ImportRowError(number, "问题页面", "应为 http:// 或 https:// 开头的网页地址")
    if len(page_url) > 1000:
        raise ImportRowError(number, "问题页面", "超过 1000 个字符")
    description = values["问题描述"].strip()
    if len(description) > services.MAX_DESCRIPTION:
        raise ImportRowError(number, "问题描述", f"超过 {services.MAX_DESCRIPTION} 字")
    return _Row(
        external_id=values["留言编号"].strip()[:64],
        site=site,
        category=category,
        description=description,
        received_at=received_at,
        page_url=page_url,
        contact=values.get("联系方式", "").strip()[:100],
        forwarded_at=forwarded_at,
        answer=answer,
        answered_at=answered_at,
        closed_at=closed_at,
        close_reason=close_reason,
    )


def _create(row: _Row) -> ErrorReport:
    for _ in range(5):
        ticket = services.new_ticket(row.received_at)
        if not ErrorReport.objects.filter(ticket=ticket).exists():
            break
    report = ErrorReport.objects.create(
        ticket=ticket,
        lookup_hash=services.lookup_hash(ticket, services.lookup_code_for(ticket, None)),  # unknown to anyone
        source=Source.IMPORT,
        external_id=row.external_id,
        site=row.site,
        page_url=row.page_url,
        category=row.category,
        description=row.description,
        contact=row.contact,
        received_at=row.received_at,
        deadline=services.deadline_for(row.received_at),
    )
    from govinspect.accounts import audit

    audit.record(None, "error_report.imported", report, None, audit.snapshot(report, services.AUDIT_FIELDS))
    return report


def _advance(report: ErrorReport, row: _Row) -> bool:
    """Apply the row's handling steps the stored report lacks; True if anything changed."""
    changed = False
    if row.forwarded_at and report.state == State.RECEIVED:
        report = services.forward(report, None, at=row.forwarded_at)
        changed = True
    if row.answer and report.answered_at is None and report.state != State.CLOSED:
        report = services.answer(report, None, row.answer, at=row.answered_at)
        changed = True
    if row.closed_at and report.state != State.CLOSED:
        services.close(report, None, row.close_reason or "", at=row.closed_at)
        changed = True
    return changed


def import_csv(data: bytes) -> ImportSummary:
    summary = ImportSummary()
    try:
        text = decode_csv(data)
    except UnicodeDecodeError:
        summary.errors.append(ImportRowError(1, None, "无法识别的编码（应为 UTF-8 或 GBK）"))
        return summary
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    summary.header = header
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        summary.errors += [ImportRowError(1, c, "缺少必需的列") for c in missing]
        return summary
    sites = {s.site_code: s for s in Site.objects.select_related("organizer")}
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        values = {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header)}
        try:
            row = _parse(values, number, sites)
            with transaction.atomic():
                existing = ErrorReport.objects.filter(source=Source.IMPORT, external_id=row.external_id).first()
                if existing is None:
                    _advance(_create(row), row)
                    summary.created += 1
                elif _advance(existing, row):
                    summary.updated += 1
                else:
                    summary.unchanged += 1
        except ImportRowError as exc:
            summary.errors.append(exc)
            summary.rejected.append(values)
        except services.TransitionError as exc:
            summary.errors.append(ImportRowError(number, None, str(exc)))
            summary.rejected.append(values)
    return summary


def rejects_csv(summary: ImportSummary) -> str:
    """The rejected rows with an added 错误 column, as UTF-8 CSV text (with BOM for Excel)."""
    out = io.StringIO()
    header = [*summary.header, "错误"]
    writer = csv.writer(out)
    writer.writerow(header)
    for values, error in zip(summary.rejected, [e for e in summary.errors if e.row > 1], strict=True):
        writer.writerow([*(values.get(h, "") for h in summary.header), str(error)])
    return "\ufeff" + out.getvalue()
