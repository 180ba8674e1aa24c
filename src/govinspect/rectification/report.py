"""The rectification report: one row per region (tasks, closed, closed on time, open, overdue),
then one row per task, as xlsx."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import BinaryIO

import xlsxwriter
from django.db.models import QuerySet
from django.utils import timezone

from govinspect.rectification.models import ACTIVE, Task

REGION_COLUMNS = ("行政区划代码", "行政区划", "整改任务", "已销号", "按期销号", "未销号", "已逾期", "销号率")
TASK_COLUMNS = (
    "编号",
    "行政区划",
    "主办单位",
    "网站或账号",
    "问题类型",
    "页面",
    "整改期限",
    "状态",
    "是否逾期",
    "整改说明",
)


def region_rows(tasks: QuerySet[Task], today: date | None = None) -> list[list[object]]:
    today = today or timezone.localdate()
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for t in tasks.select_related("region"):
        row = counts[(t.region.code, t.region.name)]
        row[0] += 1
        if t.status == Task.Status.VERIFIED_CLOSED:
            row[1] += 1
            if t.closed_at and timezone.localdate(t.closed_at) <= t.deadline:
                row[2] += 1
        elif t.status in ACTIVE:
            row[3] += 1
            if t.deadline < today:
                row[4] += 1
    out = []
    for (code, name), (total, closed, on_time, active, late) in sorted(counts.items()):
        rate = f"{closed * 100 / total:.1f}%" if total else "—"
        out.append([code, name, total, closed, on_time, active, late, rate])
    return out


def write_rectification_report(
    tasks: QuerySet[Task], out: str | Path | BinaryIO, today: date | None = None
) -> str | Path | BinaryIO:
    """Write to a path or a binary file object (e.g. io.BytesIO for a download)."""
    today = today or timezone.localdate()
    if isinstance(out, str | Path):
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        wb = xlsxwriter.Workbook(str(out))
    else:
        wb = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    sheet = wb.add_worksheet("按区划汇总")
    sheet.write_row(0, 0, REGION_COLUMNS, bold)
    for i, row in enumerate(region_rows(tasks, today), start=1):
        sheet.write_row(i, 0, row)
    sheet.set_column(0, 1, 16)
    detail = wb.add_worksheet("整改任务明细")
    detail.write_row(0, 0, TASK_COLUMNS, bold)
    qs = tasks.select_related("region", "organizer", "finding", "finding__site", "finding__account")
    for i, t in enumerate(qs, start=1):
        f = t.finding
        holder = f.site or f.account
        detail.write_row(
            i,
            0,
            [
                t.pk,
                t.region.name,
                t.organizer.name,
                str(holder),
                f.check_id,
                f.url,
                t.deadline.isoformat(),
                t.get_status_display(),
                "是" if t.is_overdue(today) else "否",
                t.note,
            ],
        )
    detail.set_column(0, 9, 18)
    wb.close()
    return out
