"""A small province for the web, API and browser tests: two cities, their organizers and sites,
users of every role, and a finished inspection with findings and verdicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import User

from govinspect.accounts.models import Profile, Role
from govinspect.findings import Finding as FindingRecord
from govinspect.inspections import services
from govinspect.inspections.models import Finding, Inspection, InspectionTarget
from govinspect.registry.models import Account, Organizer, Region, Site

PASSWORD = "pw-for-tests-only"
XSS = "<script>document.title='pwned'</script>"


@dataclass
class World:
    users: dict[str, User] = field(default_factory=dict)
    sites: dict[str, Site] = field(default_factory=dict)
    organizers: dict[str, Organizer] = field(default_factory=dict)
    inspection: Inspection | None = None
    findings: dict[str, Finding] = field(default_factory=dict)


def make_user(name: str, role: str | None = None, **kw) -> User:  # type: ignore[no-untyped-def]
    user = User.objects.create_user(name, password=PASSWORD)
    if role:
        Profile.objects.create(user=user, role=role, **kw)
    return user


def build_world(
    home_urls: dict[str, str] | None = None, records: dict[str, list[FindingRecord]] | None = None
) -> World:
    """``home_urls``: site key (cd, zg) -> home URL (defaults to unreachable loopback addresses);
    ``records``: the findings each site's inspection gives (defaults to a broken link and an XSS excerpt)."""
    home_urls = home_urls or {"cd": "http://127.0.0.1:9/cd/", "zg": "http://127.0.0.1:9/zg/"}
    w = World()
    province = Region.objects.create(code="510000", name="四川省", level="province")
    chengdu = Region.objects.create(code="510100", name="成都市", level="city", parent=province)
    Region.objects.create(code="510104", name="锦江区", level="county", parent=chengdu)
    zigong = Region.objects.create(code="510300", name="自贡市", level="city", parent=province)
    w.organizers["cd"] = Organizer.objects.create(name="成都市人民政府办公厅", region=chengdu)
    w.organizers["zg"] = Organizer.objects.create(name="自贡市人民政府办公室", region=zigong)
    for key, code, name, region_code in (
        ("cd", "5101000001", "成都市人民政府", "cd"),
        ("zg", "5103000001", "自贡市人民政府", "zg"),
    ):
        w.sites[key] = Site.objects.create(
            site_code=code,
            name=name,
            home_url=home_urls[key],
            organizer=w.organizers[region_code],
            category=Site.Category.CITY_PORTAL,
        )
    Account.objects.create(platform="wechat", name="成都发布", platform_id="cdfb", organizer=w.organizers["cd"])
    Account.objects.create(platform="weibo", name="自贡发布", platform_id="zgfb", organizer=w.organizers["zg"])
    w.users["province_admin"] = make_user("prov", Role.PROVINCE_ADMIN)
    w.users["city_admin"] = make_user("cd_admin", Role.CITY_ADMIN, region=chengdu)
    w.users["inspector"] = make_user("cd_inspector", Role.INSPECTOR, region=chengdu)
    w.users["organizer"] = make_user("cd_org", Role.ORGANIZER, organizer=w.organizers["cd"])
    w.users["other_organizer"] = make_user("zg_org", Role.ORGANIZER, organizer=w.organizers["zg"])
    w.users["no_role"] = make_user("nobody")
    if records is None:
        records = {}
        for key, site in w.sites.items():
            home = site.home_url
            records[key] = [
                FindingRecord(
                    site=home,
                    check="links.broken",
                    severity="deduct",
                    indicator="W-D7",
                    url=home,
                    target=f"{home}missing-{i}.html",
                    evidence=f"链接{i}",
                    detail={"status": 404, "where": "homepage", "kind": "link"},
                )
                for i in range(3)
            ] + [
                FindingRecord(
                    site=home,
                    check="text.typo",
                    severity="deduct",
                    url=f"{home}art/1.html",
                    evidence=f"错别字 {XSS}",
                    detail={"wrong": "既使", "suggestion": "即使"},
                ),
            ]
        records["zg"].append(  # a veto: the Zigong site fails
            FindingRecord(
                site=w.sites["zg"].home_url,
                check="security.sensitive",
                severity="veto",
                url=f"{w.sites['zg'].home_url}art/2.html",
                evidence="……网上博彩平台……",
                detail={"word": "博彩", "category": "gambling"},
            )
        )
    inspection = services.create_inspection(
        "2025Q4", kind="full", assess="full", as_of=date(2025, 12, 31), accounts=False
    )
    for target in InspectionTarget.objects.filter(inspection=inspection).select_related("site"):
        key = "cd" if target.site_id == w.sites["cd"].pk else "zg"
        services.persist(target, records.get(key, []), pages=5)
    services.finish(inspection)
    w.inspection = inspection
    for f in Finding.objects.all():
        key = "cd" if f.site_id == w.sites["cd"].pk else "zg"
        w.findings.setdefault(f"{key}:{f.check_id}", f)
    return w
