"""Aggregates of an inspection: the notice's per-city table, pass rates, per-category counts and
problem shares computed from findings ("约15%的政策文件公开要素不完整").

A county-level region counts for its city; everything registered at province level makes the
provincial row (省直部门(含省政府门户)). Sites and accounts *checked* are the inspection's
targets that completed; 存在突出问题 = not passed (a veto, or a score below 60 when scored).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count

from govinspect.inspections.models import Finding, Inspection, InspectionTarget, Verdict
from govinspect.registry.models import Region, Site
from govinspect.registry.sichuan import CITY_TABLE, PROVINCIAL_ROW

TOTAL_LABEL = "合计"
DASH = "—"


@dataclass
class AreaRow:
    label: str
    region_code: str | None  # None: the totals row
    provincial: bool = False
    sites: int = 0
    city_portals: int = 0
    city_departments: int = 0
    county_portals: int = 0
    sites_failed: int = 0
    accounts: int = 0
    accounts_failed: int = 0

    def cells(self) -> list[str | int]:
        """The attachment table's cells, left to right (— for the provincial row's city columns)."""
        city = (
            [DASH, DASH, DASH] if self.provincial else [self.city_portals, self.city_departments, self.county_portals]
        )
        return [self.sites, *city, self.sites_failed, self.accounts, self.accounts_failed]


@dataclass
class Summary:
    inspection: Inspection
    rows: list[AreaRow]
    by_category: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def total(self) -> AreaRow:
        return self.rows[-1]

    @property
    def site_pass_rate(self) -> Decimal | None:
        return pass_rate(self.total.sites - self.total.sites_failed, self.total.sites)

    @property
    def account_pass_rate(self) -> Decimal | None:
        return pass_rate(self.total.accounts - self.total.accounts_failed, self.total.accounts)


def pass_rate(passed: int, checked: int) -> Decimal | None:
    """Percent with two decimals, rounded half up (3718/3722 → 99.89)."""
    if not checked:
        return None
    return (Decimal(passed) * 100 / Decimal(checked)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def format_rate(rate: Decimal | None) -> str:
    """100% / 99.89% as a notice writes them; 未检查 when nothing was checked."""
    if rate is None:
        return "未检查"
    text = f"{rate.normalize():f}" if rate == rate.to_integral() else f"{rate:f}"
    return f"{text}%"


def _owners() -> tuple[dict[int, int], dict[int, dict]]:
    regions = {r["pk"]: r for r in Region.objects.values("pk", "code", "name", "level", "parent_id")}

    def owner(pk: int) -> int:
        r = regions[pk]
        return r["parent_id"] if r["level"] == Region.Level.COUNTY and r["parent_id"] else pk

    return {pk: owner(pk) for pk in regions}, regions


def summarise(inspection: Inspection) -> Summary:
    owner, regions = _owners()
    done = InspectionTarget.objects.filter(inspection=inspection, state=InspectionTarget.State.DONE)
    failed_sites = set(
        Verdict.objects.filter(inspection=inspection, passed=False, site__isnull=False).values_list(
            "site_id", flat=True
        )
    )
    failed_accounts = set(
        Verdict.objects.filter(inspection=inspection, passed=False, account__isnull=False).values_list(
            "account_id", flat=True
        )
    )
    rows: dict[int, AreaRow] = {}
    order = {c.code: i for i, c in enumerate(CITY_TABLE)}
    short = {c.code: c.name for c in CITY_TABLE}

    def row_for(region_id: int) -> AreaRow:
        pk = owner[region_id]
        if pk not in rows:
            r = regions[pk]
            provincial = r["level"] == Region.Level.PROVINCE
            label = PROVINCIAL_ROW.name if r["code"] == PROVINCIAL_ROW.code else short.get(r["code"], r["name"])
            if provincial and r["code"] != PROVINCIAL_ROW.code:
                label = f"{r['name']}省直部门(含省政府门户)"
            rows[pk] = AreaRow(label, r["code"], provincial)
        return rows[pk]

    by_category: dict[str, dict[str, int]] = {}
    for site_id, region_id, category in done.filter(site__isnull=False).values_list(
        "site_id", "site__region_id", "site__category"
    ):
        row = row_for(region_id)
        row.sites += 1
        row.city_portals += category == Site.Category.CITY_PORTAL
        row.city_departments += category == Site.Category.CITY_DEPARTMENT
        row.county_portals += category == Site.Category.COUNTY_PORTAL
        row.sites_failed += site_id in failed_sites
        bucket = by_category.setdefault(category, {"checked": 0, "failed": 0})
        bucket["checked"] += 1
        bucket["failed"] += site_id in failed_sites
    for account_id, region_id in done.filter(account__isnull=False).values_list("account_id", "account__region_id"):
        row = row_for(region_id)
        row.accounts += 1
        row.accounts_failed += account_id in failed_accounts
    # every city of the register appears, even with nothing checked (the notice lists all 21)
    for pk, r in regions.items():
        if r["level"] in (Region.Level.CITY, Region.Level.PROVINCE) and pk not in rows:
            row_for(pk)

    def key(row: AreaRow) -> tuple[int, int, str]:
        return (1 if row.provincial else 0, order.get(row.region_code or "", len(order)), row.region_code or "")

    ordered = sorted(rows.values(), key=key)
    # a province's own row appears only when the register has one (provincial sites or accounts)
    ordered = [r for r in ordered if not r.provincial or r.sites or r.accounts or r.region_code == PROVINCIAL_ROW.code]
    total = AreaRow(TOTAL_LABEL, None)
    for r in ordered:
        for name in (
            "sites",
            "city_portals",
            "city_departments",
            "county_portals",
            "sites_failed",
            "accounts",
            "accounts_failed",
        ):
            setattr(total, name, getattr(total, name) + getattr(r, name))
    return Summary(inspection, [*ordered, total], by_category)


# --- problem shares ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    text: str  # 市（州）政府门户网站约15%的政策文件公开要素不完整
    numerator: int
    denominator: int
    percent: int  # rounded
    check: str = ""  # the check whose findings it counts


def _percent(n: int, d: int) -> int:
    return int((Decimal(n) * 100 / Decimal(d)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)) if d else 0


GROUPS = {
    "市（州）政府门户网站": [Site.Category.CITY_PORTAL],
    "县级政府门户网站": [Site.Category.COUNTY_PORTAL],
    "市级部门网站": [Site.Category.CITY_DEPARTMENT],
    "省直部门（单位）政府网站": [Site.Category.PROVINCIAL_DEPARTMENT, Site.Category.PROVINCIAL_PORTAL],
}
# (check, what a site with such a finding is said to have)
SITE_PROBLEMS = (
    ("interaction.perfunctory", "存在敷衍答复"),
    ("search.no_pinyin", "站内搜索未实现拼音转化"),
    ("search.no_typo_tolerance", "站内搜索未实现错别字识别"),
    ("text.typo", "存在错别字"),
    ("links.broken", "存在错断链"),
    ("update.column_stale", "存在栏目更新不及时"),
    ("privacy.leak", "存在个人信息泄露"),
    ("policy.interpretation_unlinked", "政策文件与解读未相互关联"),
)


def _counted(inspection: Inspection):
    return Finding.objects.filter(sightings__inspection=inspection, site__isnull=False).exclude(
        status=Finding.Review.DISMISSED
    )


def shares(inspection: Inspection) -> list[Share]:
    """Problem shares per site group, from the findings this inspection counted."""
    out: list[Share] = []
    done = InspectionTarget.objects.filter(
        inspection=inspection, state=InspectionTarget.State.DONE, site__isnull=False
    ).select_related("site")
    stats_by_category: dict[str, Counter[str]] = {}
    sites_by_category: Counter[str] = Counter()
    for t in done.only("stats", "site__category"):
        sites_by_category[t.site.category] += 1
        bucket = stats_by_category.setdefault(t.site.category, Counter())
        for k in ("policy_documents", "guides"):
            bucket[k] += int((t.stats or {}).get(k) or 0)
    findings = _counted(inspection)
    for group, categories in GROUPS.items():
        sites = sum(sites_by_category[c] for c in categories)
        if not sites:
            continue
        docs = sum(stats_by_category.get(c, Counter())["policy_documents"] for c in categories)
        incomplete = findings.filter(site__category__in=categories, check_id="policy.missing_elements").count()
        if docs:
            p = _percent(min(incomplete, docs), docs)
            out.append(Share(f"{group}约{p}%的政策文件公开要素不完整", incomplete, docs, p, "policy.missing_elements"))
        guides = sum(stats_by_category.get(c, Counter())["guides"] for c in categories)
        bad_guides = findings.filter(site__category__in=categories, check_id="service.guide_incomplete").count()
        if guides and bad_guides:
            p = _percent(min(bad_guides, guides), guides)
            out.append(Share(f"{group}约{p}%的办事指南重点要素缺失", bad_guides, guides, p, "service.guide_incomplete"))
        per_check = dict(
            findings.filter(site__category__in=categories)
            .values("check_id")
            .annotate(n=Count("site_id", distinct=True))
            .values_list("check_id", "n")
        )
        for check, phrase in SITE_PROBLEMS:
            n = per_check.get(check, 0)
            if n:
                p = _percent(n, sites)
                out.append(Share(f"{group}中约{p}%的网站{phrase}", n, sites, p, check))
    return out


def typical_examples(inspection: Inspection, limit: int = 8) -> list[Finding]:
    """One finding per kind of problem, veto kinds first: what a notice cites as 典型问题."""
    findings = _counted(inspection)
    picked: list[Finding] = []
    for severity in ("veto", "deduct"):
        checks = sorted(
            set(findings.filter(severity=severity).values_list("check_id", flat=True).distinct())
            - {f.check_id for f in picked}
        )
        for check in checks:
            if len(picked) >= limit:
                return picked
            if not check.startswith("crawl."):
                first = findings.filter(severity=severity, check_id=check).select_related("site").order_by("id").first()
                if first is not None:
                    picked.append(first)
    return picked
