"""Annual reports prefilled from the register and the year's inspections; manual fields marked."""

from __future__ import annotations

from datetime import date

from openpyxl import load_workbook

from govinspect.findings import Finding as FindingRecord
from govinspect.inspections import services
from govinspect.inspections.models import InspectionTarget
from govinspect.registry.models import Account, Filing, Organizer, Region, Site
from govinspect.reports.annual import MANUAL, OVERSIGHT_COLUMNS, WORK_COLUMNS, write_annual_reports


def register() -> list[Site]:
    province = Region.objects.create(code="510000", name="四川省", level="province")
    city = Region.objects.create(code="510100", name="成都市", level="city", parent=province)
    county = Region.objects.create(code="510104", name="锦江区", level="county", parent=city)
    sites = []
    for i, (region, category) in enumerate(
        [(province, "provincial_portal"), (city, "city_portal"), (county, "county_portal")]
    ):
        org = Organizer.objects.create(name=f"单位{i}", region=region)
        sites.append(
            Site.objects.create(
                site_code=f"{region.code}{i:04d}",
                name=f"网站{i}",
                home_url=f"http://s{i}.example.gov.cn/",
                organizer=org,
                category=category,
                offers_services=i != 2,
                icp="蜀ICP备05003351号",
            )
        )
    Account.objects.create(platform="wechat", name="成都发布", platform_id="cdfb", organizer=sites[1].organizer)
    Filing.objects.create(date=date(2025, 5, 1), kind="close", site=sites[2])
    return sites


def inspect(period: str, as_of: date, failing: Site | None) -> None:
    inspection = services.create_inspection(period, as_of=as_of, accounts=False)
    outcomes = []
    for t in InspectionTarget.objects.filter(inspection=inspection).select_related("site"):
        home = t.site.home_url
        findings = [FindingRecord(home, "links.broken", "deduct", home + "a.html", target=home + "x")]
        if t.site == failing:
            findings.append(FindingRecord(home, "update.homepage_stale", "veto", home, detail={"latest": None}))
        outcomes.append(services.Outcome(t, findings, stats={"guides": 7}))
    services.persist_batch(inspection, outcomes)
    services.finish(inspection)


def rows(path) -> list[list]:  # type: ignore[no-untyped-def]
    ws = load_workbook(path)[path.stem.split("-")[0]]
    return [list(r) for r in ws.iter_rows(min_row=3, values_only=True)]


def test_annual_reports_prefilled(db, tmp_path):
    sites = register()
    inspect("2025Q3", date(2025, 9, 30), failing=sites[2])
    inspect("2025Q4", date(2025, 12, 15), failing=None)
    work, oversight = write_annual_reports(2025, tmp_path)

    names = [c.name for c in WORK_COLUMNS]
    by_site = {r[names.index("政府网站标识码")]: dict(zip(names, r, strict=True)) for r in rows(work)}
    city = by_site[sites[1].site_code]
    assert city["网站类型"] == "门户网站" and city["ICP备案号"] == "蜀ICP备05003351号"
    assert city["安全检测评估次数"] == 2 and city["发现问题数"] == 1 and city["问题整改数"] == 0
    assert city["办事指南页面数(检查所见)"] == 7 and city["微信(名称)"] == "成都发布" and city["是否有"] == "是"
    county = by_site[sites[2].site_code]
    assert county["发现问题数"] == 2 and county["问题整改数"] == 1  # the stale home page is gone in Q4
    assert county["办事指南页面数(检查所见)"] == "不适用" and county["公安机关备案号"] == MANUAL
    assert city["独立用户访问总量(个)"] == MANUAL

    names = [c.name for c in OVERSIGHT_COLUMNS]
    by_region = {r[0]: dict(zip(names, r, strict=True)) for r in rows(oversight)}
    whole = by_region["四川省（全省）"]
    assert whole["运行网站数"] == 3 and whole["检查次数"] == 2 and whole["检查网站数(次)"] == 6
    assert whole["第三季度不合格网站数"] == 1 and whole["全年不合格网站总数"] == 1 and whole["合格率"] == "83.33%"
    chengdu = by_region["成都市"]
    assert chengdu["运行网站数"] == 2 and chengdu["关停网站数"] == 1 and chengdu["抽查比例"] == "100.0%"
    assert chengdu["问责人次"] == MANUAL
    notes = load_workbook(work)["说明"]["A3"].value
    assert "未核实" in notes
