"""The notice's attachment table as xlsx, laid out like 川办便函〔2025〕368号's attachment:

单位 (2 columns × 2 rows) | 政府网站检查情况 (5) | 政务新媒体检查情况 (2)
                           | 网站总数 市级门户网站数 市级部门网站数 县级门户(含高新区)网站数 存在突出问题数
                           | 政务新媒体总数 存在突出问题数
市(州) (merged down the city rows) | 成都 | …
省直部门(含省政府门户) (2 columns) | …
合计 (2 columns) | …
"""

from __future__ import annotations

from pathlib import Path

from govinspect.inspections.aggregates import Summary

SITE_HEADERS = ("网站总数", "市级门户网站数", "市级部门网站数", "县级门户(含高新区)网站数", "存在突出问题数")
ACCOUNT_HEADERS = ("政务新媒体总数", "存在突出问题数")
CITY_GROUP = "市(州)"
QUARTERS = {"1": "第一季度", "2": "第二季度", "3": "第三季度", "4": "第四季度"}


def attachment_title(period: str, scope: str = "全省") -> str:
    quarter = QUARTERS.get(period[-1], period) if "Q" in period else period
    return f"{quarter}{scope}政府网站与政务新媒体检查情况"


def write_attachment(summary: Summary, path: str | Path) -> Path:
    import xlsxwriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path))
    try:
        ws = wb.add_worksheet("附件")
        base = {"font_name": "仿宋_GB2312", "font_size": 12, "align": "center", "valign": "vcenter", "border": 1}
        head = wb.add_format({**base, "font_name": "黑体", "text_wrap": True})
        cell = wb.add_format(base)
        label = wb.add_format({**base, "text_wrap": True})
        ws.write(0, 0, "附件", wb.add_format({"font_name": "黑体", "font_size": 16}))
        ws.merge_range(
            1,
            0,
            1,
            8,
            attachment_title(summary.inspection.period),
            wb.add_format({"font_name": "方正小标宋简体", "font_size": 18, "align": "center", "valign": "vcenter"}),
        )
        ws.merge_range(2, 0, 3, 1, "单位", head)
        ws.merge_range(2, 2, 2, 6, "政府网站检查情况", head)
        ws.merge_range(2, 7, 2, 8, "政务新媒体检查情况", head)
        for i, text in enumerate(SITE_HEADERS + ACCOUNT_HEADERS):
            ws.write(3, 2 + i, text, head)
        r = 4
        cities = [row for row in summary.rows[:-1] if not row.provincial]
        others = [row for row in summary.rows[:-1] if row.provincial] + [summary.total]
        if len(cities) > 1:
            ws.merge_range(r, 0, r + len(cities) - 1, 0, CITY_GROUP, label)
        elif cities:
            ws.write(r, 0, CITY_GROUP, label)
        for row in cities:
            ws.write(r, 1, row.label, cell)
            ws.write_row(r, 2, row.cells(), cell)
            r += 1
        for row in others:
            ws.merge_range(r, 0, r, 1, row.label, label)
            ws.write_row(r, 2, row.cells(), cell)
            r += 1
        ws.set_column(0, 0, 14)
        ws.set_column(1, 1, 10)
        ws.set_column(2, 8, 12)
        ws.set_row(3, 48)
        ws.freeze_panes(4, 2)
        ws.fit_to_pages(1, 0)
        ws.set_paper(9)  # A4
    finally:
        wb.close()
    return path
