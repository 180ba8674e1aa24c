"""The quarterly notice (通报): the attachment xlsx and a draft docx, every number from the data.

Sections follow 川办便函〔2025〕368号: 一、基本情况 (sites and accounts checked, pass rates,
error-report statistics), 二、工作成效, 三、存在的问题 (shares from findings, typical examples
with evidence links), 四、下一步工作要求, 附件 (the table). What the system cannot know (the
document number, the narrative of achievements, a person's sampling of city offices) is left
as a visible field 【待填：…】 for the drafter.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from govinspect.errors import ConfigError
from govinspect.inspections.aggregates import Summary, format_rate, shares, summarise, typical_examples
from govinspect.inspections.models import Finding, Inspection
from govinspect.inspections.services import period_end, period_start
from govinspect.reports import docx_format as fmt
from govinspect.reports.attachment import ACCOUNT_HEADERS, CITY_GROUP, SITE_HEADERS, attachment_title, write_attachment

ISSUER = "四川省人民政府办公厅"
RECIPIENTS = "各市（州）人民政府，省政府各部门、各直属机构，有关单位："
BASIS = (
    "根据《国务院办公厅秘书局关于印发政府网站与政务新媒体检查指标、监管工作年度考核指标的通知》"
    "（国办秘函〔2019〕19号）工作要求，{issuer}近期组织对全省政府网站与政务新媒体运行情况进行了检查。"
    "现将有关情况通报如下。"
)
HALF = {"1": "上半年", "2": "上半年", "3": "下半年", "4": "下半年"}
CHECK_PHRASES = {
    "availability.unreachable": "首页无法访问",
    "update.homepage_stale": "首页长期不更新",
    "update.column_stale": "栏目更新不及时",
    "update.column_blank": "存在空白栏目",
    "links.broken": "存在错断链",
    "text.severe_error": "存在严重表述错误",
    "text.typo": "存在错别字",
    "security.sensitive": "出现违规有害信息",
    "security.hidden_link": "存在暗链",
    "privacy.leak": "泄露个人信息",
    "policy.missing_elements": "政策文件公开要素不完整",
    "policy.interpretation_unlinked": "政策文件与解读未相互关联",
    "interaction.no_channel": "未提供有效咨询建言渠道",
    "interaction.unanswered": "网民留言超过3个月未回应",
    "interaction.perfunctory": "留言答复敷衍",
    "service.guide_incomplete": "办事指南重点要素缺失",
    "search.missing": "站内搜索不可用",
    "search.no_pinyin": "站内搜索未实现拼音转化",
    "search.no_typo_tolerance": "站内搜索未实现错别字识别",
    "search.title_not_found": "站内搜索查不到已发布信息",
    "identity.missing": "底部功能区标识缺失",
    "meta.missing_tags": "页面标签缺失",
    "newmedia.stale": "超过2周未更新",
    "newmedia.no_interaction": "未提供有效互动功能",
    "newmedia.duplicate_account": "同一平台重复开设账号",
    "newmedia.unfiled": "的新媒体矩阵列出未备案账号",  # owner: the listing site (newmedia.services.register_check)
    "newmedia.closed_but_active": "已关停仍在更新",
}
# the reference notice's three kinds of problems, and the checks whose shares illustrate each
PROBLEM_SECTIONS = (
    (
        "内容质量有待加强。",
        ("policy.missing_elements", "policy.interpretation_unlinked", "text.typo", "update.column_stale"),
    ),
    (
        "服务能力仍需提升。",
        ("interaction.perfunctory", "search.no_pinyin", "search.no_typo_tolerance", "service.guide_incomplete"),
    ),
    ("运维管理仍存短板。", ("links.broken", "privacy.leak")),
)
SHARES_PER_SECTION = 4
REQUIREMENTS = (
    (
        "（一）切实提升政治站位。",
        "严格落实网络意识形态工作责任制，积极转载党中央、国务院权威信息，及时传递党和政府声音，"
        "持续提升政府网站与政务新媒体公信力、影响力。",
    ),
    (
        "（二）严格落实工作责任。",
        "各地各部门要切实履行主办职责，严格落实信息发布“三审”制度，落实人工读网巡检机制，"
        "规范公开政策文件，及时归档历史栏目，避免“建而不管”的问题。",
    ),
    (
        "（三）持续强化服务能力。",
        "推动政府网站公开、办事、互动等功能与政务新媒体平台深度对接，完善搜索功能，以技术创新推动服务能力提升。",
    ),
)


def field(what: str) -> str:
    return f"【待填：{what}】"


def chinese_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass
class ErrorReportStats:
    received: int
    on_time_rate: str  # "98.8%"


def error_report_stats(inspection: Inspection) -> ErrorReportStats | None:
    """From the error_reports app (issue 9) when it is installed and offers
    ``notice_statistics(start, end) -> {"received": int, "on_time_rate": Decimal|float}``."""
    try:
        module = importlib.import_module("govinspect.error_reports.services")
    except ImportError:
        return None
    fn = getattr(module, "notice_statistics", None)
    if fn is None:
        return None
    # The notice reports the whole quarter the period names, not only up to the inspection's as_of.
    try:
        start, end = period_start(inspection.period), period_end(inspection.period)
    except ConfigError:
        end = inspection.as_of
        start = date(end.year, (end.month - 1) // 3 * 3 + 1, 1)
    data: dict[str, Any] = fn(start, end)
    rate = data.get("on_time_rate")
    return ErrorReportStats(int(data.get("received", 0)), f"{float(rate):g}%" if rate is not None else "—")


@dataclass
class NoticeFiles:
    xlsx: Path
    docx: Path


def _basic_facts(summary: Summary) -> str:
    ins, total = summary.inspection, summary.total
    how = "全覆盖检查" if ins.kind == Inspection.Kind.FULL else "抽查"
    by = "按照单项否决指标，从内容安全性、信息更新及时性、互动回应准确性等方面，" if ins.assess == "veto" else ""
    quarter = attachment_title(ins.period, "").replace("政府网站与政务新媒体检查情况", "")
    text = f"其中，{quarter}{by}对全省 {total.sites} 个政府网站"
    text += f"、{total.accounts} 个政务新媒体账号开展{how}，" if total.accounts else f"开展{how}，"
    if total.sites_failed:
        text += f"政府网站发现存在突出问题的网站 {total.sites_failed} 个，"
    text += f"政府网站合格率 {format_rate(summary.site_pass_rate)}"
    if total.accounts:
        if total.accounts_failed:
            text += f"，政务新媒体发现存在突出问题的账号 {total.accounts_failed} 个"
        text += f"，合格率 {format_rate(summary.account_pass_rate)}"
    return text + "。"


def _error_reports_sentence(inspection: Inspection) -> str:
    stats = error_report_stats(inspection)
    quarter = attachment_title(inspection.period, "").replace("政府网站与政务新媒体检查情况", "")
    if stats is None:
        return (
            f"{quarter}，收到“我为政府网站找错”网民留言 {field('留言条数（本系统未安装找错留言模块）')} 条，"
            f"按时办结率 {field('按时办结率')}。"
        )
    return f"{quarter}，收到“我为政府网站找错”网民留言 {stats.received} 条，按时办结率 {stats.on_time_rate}。"


def _trend(inspection: Inspection) -> str | None:
    """Privacy leaks and broken links against the previous completed inspection of the same kind."""
    prev = (
        Inspection.objects.filter(kind=inspection.kind, status=Inspection.Status.DONE, as_of__lt=inspection.as_of)
        .order_by("-as_of")
        .first()
    )
    if prev is None:
        return None

    def count(ins: Inspection, check: str) -> int:
        return (
            Finding.objects.filter(sightings__inspection=ins, check_id=check)
            .exclude(status=Finding.Review.DISMISSED)
            .count()
        )

    parts = []
    for check, name in (("privacy.leak", "个人信息泄露"), ("links.broken", "错断链")):
        before, now = count(prev, check), count(inspection, check)
        if before:
            change = (now - before) * 100 / before
            word = "下降" if change < 0 else "上升"
            parts.append(f"{name}问题{before}个→{now}个（较{prev.period}{word}{abs(change):.0f}%）")
    return "巡检发现的" + "，".join(parts) + "。" if parts else None


def _example_line(f: Finding) -> str:
    owner = f.site.name if f.site_id else (f.account.name if f.account_id else "")
    phrase = CHECK_PHRASES.get(f.check_id, f.check_id)
    detail = f.detail or {}
    extra = detail.get("wrong") or detail.get("word") or detail.get("column") or detail.get("masked") or ""
    extra = f"（{extra}）" if extra else ""
    return f"{owner}{phrase}{extra}，见 {f.url}"


def attachment_tables(summary: Summary) -> tuple[list[list[str]], list[list[str]], list[tuple[int, int, int, int]]]:
    header = [
        ["单位", "", "政府网站检查情况", "", "", "", "", "政务新媒体检查情况", ""],
        ["", "", *SITE_HEADERS, *ACCOUNT_HEADERS],
    ]
    merges = [(0, 0, 1, 1), (0, 2, 0, 6), (0, 7, 0, 8)]
    rows: list[list[str]] = []
    cities = [r for r in summary.rows[:-1] if not r.provincial]
    for i, r in enumerate(cities):
        rows.append([CITY_GROUP if i == 0 else "", r.label, *map(str, r.cells())])
    if len(cities) > 1:
        merges.append((2, 0, 1 + len(cities), 0))
    for r in [*(x for x in summary.rows[:-1] if x.provincial), summary.total]:
        merges.append((2 + len(rows), 0, 2 + len(rows), 1))
        rows.append([r.label, "", *map(str, r.cells())])
    return header, rows, merges


def write_notice_docx(summary: Summary, path: str | Path, today: date | None = None) -> Path:
    ins = summary.inspection
    today = today or date.today()
    doc = fmt.new_document()
    year = ins.as_of.year
    half = HALF.get(ins.period[-1], "")
    fmt.body(doc, f"川办便函〔{year}〕{field('号')}号", indent=False, align=fmt.WD_ALIGN_PARAGRAPH.CENTER)
    fmt.title(doc, f"{ISSUER}\n关于{year}年{half}政府网站与政府系统\n政务新媒体检查情况的通报")
    fmt.body(doc, RECIPIENTS, indent=False)
    fmt.body(doc, BASIS.format(issuer="省政府办公厅"))

    fmt.heading(doc, "一、基本情况")
    fmt.body(doc, field(f"{half}对各市（州）和省直部门（单位）政府网站采样检查的结果及表现较好的网站"))
    fmt.body(doc, _basic_facts(summary) + _error_reports_sentence(ins))
    fmt.body(doc, field("对市（州）政府办公厅（室）履行地方管理职责情况的采样结果"))

    fmt.heading(doc, "二、工作成效")
    trend = _trend(ins)
    fmt.body(doc, trend or field("与上次检查相比的变化（本系统尚无上一次同类检查的数据）"))
    fmt.body(doc, field("服务能力、原创内容、监管成效等方面的典型做法"))

    fmt.heading(doc, "三、存在的问题")
    found = shares(ins)
    for n, (head, checks) in enumerate(PROBLEM_SECTIONS):
        picked = sorted((x for x in found if x.check in checks and x.percent > 0), key=lambda x: -x.percent)
        fmt.heading(doc, f"（{'一二三'[n]}）{head}", level=2)
        if picked:
            fmt.body(doc, "；".join(x.text for x in picked[:SHARES_PER_SECTION]) + "。")
        else:
            fmt.body(doc, "本次检查未发现此类共性问题。")
    examples = typical_examples(ins)
    fmt.heading(doc, "（四）典型问题。", level=2)
    if examples:
        for n, f in enumerate(examples, start=1):
            fmt.body(doc, f"{n}. {_example_line(f)}。")
    else:
        fmt.body(doc, "本次检查未发现典型问题。")

    fmt.heading(doc, "四、下一步工作要求")
    for head, text in REQUIREMENTS:
        p = fmt.body(doc)
        fmt.add_text(p, head, fmt.HEADING2_FONT)
        fmt.add_text(p, text)
    p = fmt.body(doc)
    fmt.add_text(p, "（四）做好年报工作。", fmt.HEADING2_FONT)
    fmt.add_text(
        p,
        f"各地各部门要在{year + 1}年1月31日前完成《政府网站监管年度报表》《政府网站工作年度报表》，"
        "并在本地本部门网站首页突出位置展示。",
    )
    deadline = today + timedelta(days=32)
    fmt.body(doc, f"存在突出问题的单位要及时整改，{chinese_date(deadline)}前将整改情况报省政府办公厅。")
    fmt.body(doc, f"附件：{attachment_title(ins.period)}")
    fmt.body(doc, "")
    fmt.body(doc, ISSUER, indent=False, align=fmt.WD_ALIGN_PARAGRAPH.RIGHT)
    fmt.body(doc, chinese_date(today), indent=False, align=fmt.WD_ALIGN_PARAGRAPH.RIGHT)

    fmt.landscape_section(doc)
    fmt.heading(doc, "附件").paragraph_format.first_line_indent = fmt.Pt(0)
    fmt.title(doc, attachment_title(ins.period))
    header, rows, merges = attachment_tables(summary)
    fmt.table(doc, header, rows, merges)
    fmt.body(doc, "")
    fmt.body(doc, "信息公开选项：主动公开", indent=False)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def write_notice(inspection: Inspection, out_dir: str | Path, today: date | None = None) -> NoticeFiles:
    summary = summarise(inspection)
    out = Path(out_dir)
    stem = f"通报-{inspection.period}"
    xlsx = write_attachment(summary, out / f"{stem}-附件.xlsx")
    docx = write_notice_docx(summary, out / f"{stem}.docx", today)
    return NoticeFiles(xlsx, docx)
