"""Annual reports (国办函〔2018〕12号) prefilled from what the system holds, as xlsx.

- 政府网站工作年度报表: one row per open site.
- 政府网站监管年度报表: one row per region (the province and each city/prefecture).

The *scope* of both tables is verified (indicators.md §3); the *field lists* are not — they
follow indicators.md's unverified schema. Prefilled cells are plain; cells a person must fill
are yellow and say 需填写; cells the system estimates say so in the 说明 sheet.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from govinspect.inspections.aggregates import format_rate, pass_rate
from govinspect.inspections.models import Finding, Inspection, InspectionTarget, Verdict
from govinspect.registry.models import Account, Filing, Region, Site, Status
from govinspect.registry.sichuan import CITY_TABLE

MANUAL = "需填写"
PORTALS = {Site.Category.PROVINCIAL_PORTAL, Site.Category.CITY_PORTAL, Site.Category.COUNTY_PORTAL}


@dataclass(frozen=True)
class Column:
    group: str
    name: str
    source: str = ""  # "" = a person fills it; otherwise how the system fills it


WORK_COLUMNS = (
    Column("基本信息", "网站名称", "名录"),
    Column("基本信息", "首页网址", "名录"),
    Column("基本信息", "主办单位", "名录"),
    Column("基本信息", "网站类型", "名录（门户/部门）"),
    Column("基本信息", "政府网站标识码", "名录"),
    Column("基本信息", "ICP备案号", "名录"),
    Column("基本信息", "公安机关备案号", "名录"),
    Column("基本信息", "独立用户访问总量(个)"),
    Column("基本信息", "网站总访问量(次)"),
    Column("信息发布", "总数(条)"),
    Column("信息发布", "概况类信息更新量"),
    Column("信息发布", "政务动态信息更新量"),
    Column("信息发布", "信息公开目录信息更新量"),
    Column("专栏专题", "维护数量(个)"),
    Column("专栏专题", "新开设数量(个)"),
    Column("解读回应", "解读信息发布总数"),
    Column("解读回应", "回应公众关注热点或重大舆情数量"),
    Column("办事服务", "是否发布服务事项目录"),
    Column("办事服务", "办事指南页面数(检查所见)", "本年最近一次检查抓取到的办事指南页面数"),
    Column("办事服务", "注册用户数"),
    Column("办事服务", "办件量"),
    Column("互动交流", "是否使用统一平台"),
    Column("互动交流", "留言办理(收到/办结)"),
    Column("互动交流", "征集调查期数"),
    Column("互动交流", "在线访谈期数"),
    Column("互动交流", "是否提供智能问答"),
    Column("安全防护", "安全检测评估次数", "本年完成的检查次数"),
    Column("安全防护", "发现问题数", "本年首次发现的问题（核减的不计）"),
    Column("安全防护", "问题整改数", "本年发现、且在本年最近一次检查中已不再出现的问题（系统推算）"),
    Column("安全防护", "是否建立安全监测预警机制"),
    Column("安全防护", "是否开展应急演练"),
    Column("安全防护", "是否明确网站安全责任人"),
    Column("移动新媒体", "是否有", "名录中同一主办单位的政务新媒体账号"),
    Column("移动新媒体", "微博(名称)", "名录"),
    Column("移动新媒体", "微信(名称)", "名录"),
    Column("移动新媒体", "其他(名称)", "名录"),
    Column("创新发展", "搜索即服务/多语言/无障碍/千人千网/其他"),
)

OVERSIGHT_COLUMNS = (
    Column("基本信息", "地区", "名录"),
    Column("基本信息", "运行网站数", "名录（年末运行）"),
    Column("基本信息", "政务新媒体账号数", "名录（年末运行）"),
    Column("网站抽查", "检查次数", "本年完成的检查"),
    Column("网站抽查", "检查网站数(次)", "本年各次检查所检查的网站数之和"),
    Column("网站抽查", "抽查比例", "最近一次检查的网站数 ÷ 运行网站数"),
    Column("网站抽查", "合格率", "本年检查的网站合格率（按次）"),
    Column("网站抽查", "第一季度不合格网站数", "该季度检查"),
    Column("网站抽查", "第二季度不合格网站数", "该季度检查"),
    Column("网站抽查", "第三季度不合格网站数", "该季度检查"),
    Column("网站抽查", "第四季度不合格网站数", "该季度检查"),
    Column("网站抽查", "全年不合格网站总数", "各季度之和"),
    Column("问题整改", "发现问题数", "本年首次发现的问题（核减的不计）"),
    Column("问题整改", "问责人次"),
    Column("开设整合", "新开设网站数", "备案记录"),
    Column("开设整合", "整合迁移网站数", "备案记录"),
    Column("开设整合", "关停网站数", "备案记录"),
    Column("找错留言办理", "收到留言数"),
    Column("找错留言办理", "按时办结率"),
    Column("假冒政府网站处置", "处置数量"),
    Column("人员培训", "培训人次"),
)


def _year_inspections(year: int) -> list[Inspection]:
    return list(
        Inspection.objects.filter(as_of__year=year, status=Inspection.Status.DONE).order_by("as_of", "created_at")
    )


def _site_rows(year: int) -> list[list[Any]]:
    inspections = _year_inspections(year)
    ids = [i.pk for i in inspections]
    latest = inspections[-1] if inspections else None
    checked = Counter(
        InspectionTarget.objects.filter(inspection_id__in=ids, state="done", site__isnull=False).values_list(
            "site_id", flat=True
        )
    )
    guides: dict[int, int] = {}
    if latest is not None:
        for site_id, stats in InspectionTarget.objects.filter(inspection=latest, site__isnull=False).values_list(
            "site_id", "stats"
        ):
            if stats and "guides" in stats:
                guides[site_id] = int(stats["guides"])
    new = Counter()
    fixed = Counter()
    year_findings = Finding.objects.filter(first_seen_id__in=ids, site__isnull=False).exclude(
        status=Finding.Review.DISMISSED
    )
    for site_id, last_seen in year_findings.values_list("site_id", "last_seen_id"):
        new[site_id] += 1
        if latest is not None and last_seen != latest.pk and checked.get(site_id):
            fixed[site_id] += 1
    accounts: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for organizer_id, platform, name in Account.objects.filter(status=Status.OPEN).values_list(
        "organizer_id", "platform", "name"
    ):
        key = platform if platform in ("weibo", "wechat") else "other"
        accounts[organizer_id][key].append(name)
    rows = []
    for site in Site.objects.filter(status=Status.OPEN).select_related("organizer").order_by("site_code"):
        acc = accounts.get(site.organizer_id, {})
        values: dict[str, Any] = {
            "网站名称": site.name,
            "首页网址": site.home_url,
            "主办单位": site.organizer.name,
            "网站类型": "门户网站" if site.category in PORTALS else "部门网站",
            "政府网站标识码": site.site_code,
            "ICP备案号": site.icp or MANUAL,
            "公安机关备案号": site.police_filing or MANUAL,
            "办事指南页面数(检查所见)": guides.get(site.pk, MANUAL) if site.offers_services else "不适用",
            "安全检测评估次数": checked.get(site.pk, 0),
            "发现问题数": new.get(site.pk, 0),
            "问题整改数": fixed.get(site.pk, 0),
            "是否有": "是" if acc else "否",
            "微博(名称)": "、".join(acc.get("weibo", [])) or "无",
            "微信(名称)": "、".join(acc.get("wechat", [])) or "无",
            "其他(名称)": "、".join(acc.get("other", [])) or "无",
        }
        rows.append([values.get(c.name, MANUAL) for c in WORK_COLUMNS])
    return rows


def _owners() -> tuple[dict[int, int], list[dict[str, Any]]]:
    regions = list(Region.objects.values("pk", "code", "name", "level", "parent_id"))
    by_pk = {r["pk"]: r for r in regions}

    def owner(pk: int) -> int:
        r = by_pk[pk]
        return r["parent_id"] if r["level"] == Region.Level.COUNTY and r["parent_id"] else pk

    order = {c.code: i for i, c in enumerate(CITY_TABLE)}
    tops = sorted(
        (r for r in regions if r["level"] in (Region.Level.PROVINCE, Region.Level.CITY)),
        key=lambda r: (r["level"] != Region.Level.PROVINCE, order.get(r["code"], len(order)), r["code"]),
    )
    return {r["pk"]: owner(r["pk"]) for r in regions}, tops


def _region_rows(year: int) -> list[list[Any]]:
    owner, tops = _owners()
    province_ids = {r["pk"] for r in tops if r["level"] == Region.Level.PROVINCE}

    def areas(region_id: int) -> set[int]:
        """The city row and the province-wide row a region counts in."""
        top = owner[region_id]
        return {top} | province_ids

    def count(qs, field: str) -> Counter[int]:  # type: ignore[no-untyped-def]
        out: Counter[int] = Counter()
        for region_id in qs.values_list(field, flat=True):
            for a in areas(region_id):
                out[a] += 1
        return out

    sites = count(Site.objects.filter(status=Status.OPEN), "region_id")
    accounts = count(Account.objects.filter(status=Status.OPEN), "region_id")
    inspections = _year_inspections(year)
    rounds: Counter[int] = Counter()
    checked: Counter[int] = Counter()
    passed: Counter[int] = Counter()
    failed_by_quarter: dict[int, Counter[int]] = {q: Counter() for q in range(1, 5)}
    last_checked: Counter[int] = Counter()
    for ins in inspections:
        quarter = (ins.as_of.month - 1) // 3 + 1
        here: Counter[int] = Counter()
        for region_id, ok in Verdict.objects.filter(inspection=ins, site__isnull=False).values_list(
            "site__region_id", "passed"
        ):
            for a in areas(region_id):
                here[a] += 1
                passed[a] += ok
                if not ok:
                    failed_by_quarter[quarter][a] += 1
        for a, n in here.items():
            rounds[a] += 1
            checked[a] += n
        last_checked = here or last_checked
    ids = [i.pk for i in inspections]
    found = count(
        Finding.objects.filter(first_seen_id__in=ids, site__isnull=False).exclude(status=Finding.Review.DISMISSED),
        "site__region_id",
    )
    filings = {kind: Counter() for kind in (Filing.Kind.OPEN, Filing.Kind.MIGRATE, Filing.Kind.CLOSE)}
    for kind, region_id in Filing.objects.filter(date__year=year, site__isnull=False).values_list(
        "kind", "site__region_id"
    ):
        if kind in filings:
            for a in areas(region_id):
                filings[kind][a] += 1
    rows = []
    for r in tops:
        pk = r["pk"]
        label = r["name"] + ("（全省）" if r["level"] == Region.Level.PROVINCE else "")
        share = f"{last_checked[pk] * 100 / sites[pk]:.1f}%" if sites[pk] and last_checked[pk] else "—"
        quarters = [failed_by_quarter[q][pk] for q in range(1, 5)]
        values: dict[str, Any] = {
            "地区": label,
            "运行网站数": sites[pk],
            "政务新媒体账号数": accounts[pk],
            "检查次数": rounds[pk],
            "检查网站数(次)": checked[pk],
            "抽查比例": share,
            "合格率": format_rate(pass_rate(passed[pk], checked[pk])),
            "第一季度不合格网站数": quarters[0],
            "第二季度不合格网站数": quarters[1],
            "第三季度不合格网站数": quarters[2],
            "第四季度不合格网站数": quarters[3],
            "全年不合格网站总数": sum(quarters),
            "发现问题数": found[pk],
            "新开设网站数": filings[Filing.Kind.OPEN][pk],
            "整合迁移网站数": filings[Filing.Kind.MIGRATE][pk],
            "关停网站数": filings[Filing.Kind.CLOSE][pk],
        }
        rows.append([values.get(c.name, MANUAL) for c in OVERSIGHT_COLUMNS])
    return rows


def _sheet(wb, title: str, columns: tuple[Column, ...], rows: list[list[Any]]) -> None:  # type: ignore[no-untyped-def]
    ws = wb.add_worksheet(title)
    head = wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1, "text_wrap": True})
    cell = wb.add_format({"border": 1})
    manual = wb.add_format({"border": 1, "bg_color": "#FFF2CC", "font_color": "#9C5700"})
    start = 0
    for i in range(1, len(columns) + 1):
        if i == len(columns) or columns[i].group != columns[start].group:
            if i - 1 > start:
                ws.merge_range(0, start, 0, i - 1, columns[start].group, head)
            else:
                ws.write(0, start, columns[start].group, head)
            start = i
    for c, col in enumerate(columns):
        ws.write(1, c, col.name, head)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row):
            ws.write(r, c, value, manual if value == MANUAL else cell)
    ws.set_row(1, 45)
    ws.set_column(0, len(columns) - 1, 14)
    ws.freeze_panes(2, 1)


def _notes(wb, year: int) -> None:  # type: ignore[no-untyped-def]
    ws = wb.add_worksheet("说明")
    lines = [
        f"{year}年度报表（国办函〔2018〕12号），由 govinspect 依据名录与检查结果预填，"
        f"生成于 {date.today().isoformat()}。",
        "黄色「需填写」的单元格须由主办单位或管理单位人工填写。",
        "报表范围已核实（国办函〔2018〕12号）；字段清单未能与官方表样核对（indicators.md §3 标注为未核实），"
        "报送前请按全国政府网站信息报送系统的表样调整。",
        "“不合格网站数量：请分别填写每个季度抽查发现的不合格网站数量和全年抽查发现的不合格网站总数”一项已核实。",
        "",
        "系统预填字段的来源：",
    ]
    lines += [f"  {c.group}/{c.name}：{c.source}" for c in WORK_COLUMNS + OVERSIGHT_COLUMNS if c.source]
    for i, line in enumerate(lines):
        ws.write(i, 0, line)
    ws.set_column(0, 0, 120)


def write_annual_reports(year: int, out_dir: str | Path) -> list[Path]:
    import xlsxwriter

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, columns, rows in (
        (f"政府网站工作年度报表-{year}.xlsx", WORK_COLUMNS, _site_rows(year)),
        (f"政府网站监管年度报表-{year}.xlsx", OVERSIGHT_COLUMNS, _region_rows(year)),
    ):
        path = out / name
        wb = xlsxwriter.Workbook(str(path))
        try:
            _sheet(wb, name.split("-")[0], columns, rows)
            _notes(wb, year)
        finally:
            wb.close()
        paths.append(path)
    return paths
