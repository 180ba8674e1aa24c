"""Register services: import and export (xlsx/CSV, Chinese headers), and loading the Sichuan register.

An import is validated completely before anything is written (see ``validation``): every problem
is collected with its sheet, spreadsheet row number and column, and if there is any,
``ImportRejected`` is raised and the database is left as it was. A valid import upserts: sites
are matched by 网站标识码, accounts by 平台 + 账号ID或地址, regions by 区划代码, organizers by
name and region; filings already recorded are not recorded twice. Nothing is deleted: closing a
site is a status change. Organizers named in the 网站 and 政务新媒体 sheets are created in their
region when missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone

from govinspect.errors import ImportRejected, ImportRowError
from govinspect.registry import sichuan
from govinspect.registry.models import Account, Filing, Organizer, Region, Site, Status
from govinspect.registry.tabular import SHEET_BY_KIND, Row, Table, read_tables, write_tables
from govinspect.registry.validation import ParsedRegister, validate_tables

__all__ = ["ImportSummary", "export_register", "import_register", "import_tables", "load_sichuan", "register_tables"]


@dataclass
class ImportSummary:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        parts = []
        for kind in ("regions", "organizers", "sites", "accounts", "filings"):
            title = SHEET_BY_KIND[kind].title
            c, u = self.created.get(kind, 0), self.updated.get(kind, 0)
            if c or u:
                parts.append(f"{title}新增{c}、更新{u}")
        return "；".join(parts) or "没有变化"


# --------------------------------------------------------------------------- writing


def _changed(obj: object, values: dict[str, object]) -> bool:
    """Apply values to obj; True if any differed (then updated_at, if any, is bumped too)."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    if changed and hasattr(obj, "updated_at"):
        obj.updated_at = timezone.now()
    return changed


def _write(parsed: ParsedRegister) -> ImportSummary:
    summary = ImportSummary()

    def count(kind: str, created: int, updated: int) -> None:
        summary.created[kind] = summary.created.get(kind, 0) + created
        summary.updated[kind] = summary.updated.get(kind, 0) + updated

    # Regions: parents before children.
    regions = {r.code: r for r in Region.objects.all()}
    for level in ("province", "city", "county"):
        new, dirty = [], []
        for rec in (r for r in parsed.regions if r.level == level):
            parent = regions[rec.parent] if rec.parent else None
            values = {"name": rec.name, "level": rec.level, "parent_id": parent.pk if parent else None}
            if rec.code in regions:
                if _changed(regions[rec.code], values):
                    dirty.append(regions[rec.code])
            else:
                new.append(Region(code=rec.code, **values))
        Region.objects.bulk_create(new)
        Region.objects.bulk_update(dirty, ["name", "level", "parent"])
        regions.update({r.code: r for r in Region.objects.filter(code__in=[r.code for r in new])})
        count("regions", len(new), len(dirty))

    # Organizers: those listed, and those named by sites and accounts.
    wanted = {(name, code) for _, name, code in parsed.organizers}
    wanted |= {(s.organizer, s.region) for s in parsed.sites} | {(a.organizer, a.region) for a in parsed.accounts}
    organizers = {(o.name, o.region.code): o for o in Organizer.objects.select_related("region")}
    missing = sorted(wanted - set(organizers))
    Organizer.objects.bulk_create([Organizer(name=n, region=regions[c]) for n, c in missing])
    if missing:
        organizers = {(o.name, o.region.code): o for o in Organizer.objects.select_related("region")}
    count("organizers", len(missing), 0)

    sites = {s.site_code: s for s in Site.objects.all()}
    before = {s.pk: s.home_url for s in sites.values()}
    new, dirty = [], []
    for rec in parsed.sites:
        org = organizers[(rec.organizer, rec.region)]
        values = {
            "name": rec.name,
            "home_url": rec.home_url,
            "extra_hosts": rec.extra_hosts,
            "organizer_id": org.pk,
            "region_id": org.region_id,
            "category": rec.category,
            "offers_services": rec.offers_services,
            "icp": rec.icp,
            "police_filing": rec.police_filing,
            "status": rec.status,
        }
        if rec.site_code in sites:
            if _changed(sites[rec.site_code], values):
                dirty.append(sites[rec.site_code])
        else:
            new.append(Site(site_code=rec.site_code, **values))
    fields = ["name", "home_url", "extra_hosts", "organizer", "region", "category", "offers_services"]
    # Two sites may swap URLs in one import: park the changed URLs first so the unique index never trips.
    moved = [s for s in dirty if s.home_url != before[s.pk]]
    for site in moved:
        Site.objects.filter(pk=site.pk).update(home_url=f"http://moving.invalid/{site.pk}")
    Site.objects.bulk_update(dirty, [*fields, "icp", "police_filing", "status", "updated_at"])
    Site.objects.bulk_create(new)
    count("sites", len(new), len(dirty))

    accounts = {(a.platform, a.platform_id): a for a in Account.objects.all()}
    new, dirty = [], []
    for rec in parsed.accounts:
        org = organizers[(rec.organizer, rec.region)]
        values = {"name": rec.name, "organizer_id": org.pk, "region_id": org.region_id, "status": rec.status}
        key = (rec.platform, rec.platform_id)
        if key in accounts:
            if _changed(accounts[key], values):
                dirty.append(accounts[key])
        else:
            new.append(Account(platform=rec.platform, platform_id=rec.platform_id, **values))
    Account.objects.bulk_update(dirty, ["name", "organizer", "region", "status", "updated_at"])
    Account.objects.bulk_create(new)
    count("accounts", len(new), len(dirty))

    if parsed.filings:
        site_ids = dict(Site.objects.values_list("site_code", "pk"))
        account_ids = {(p, i): pk for pk, p, i in Account.objects.values_list("pk", "platform", "platform_id")}
        existing = set(Filing.objects.values_list("date", "kind", "site_id", "account_id", "note"))
        new_filings = []
        for rec in parsed.filings:
            site_id = site_ids[rec.site_code] if rec.site_code else None
            account_id = account_ids[rec.account] if rec.account else None
            key = (rec.date, rec.kind, site_id, account_id, rec.note)
            if key not in existing:
                existing.add(key)
                new_filings.append(
                    Filing(date=rec.date, kind=rec.kind, site_id=site_id, account_id=account_id, note=rec.note)
                )
        Filing.objects.bulk_create(new_filings)
        count("filings", len(new_filings), 0)
    return summary


def import_tables(tables: Sequence[Table], update_existing: bool = True) -> ImportSummary:
    """Validate every table, then write all of them in one transaction (or nothing, on any error)."""
    try:
        with transaction.atomic():
            parsed = validate_tables(tables, update_existing)
            return _write(parsed)
    except IntegrityError as exc:  # only a concurrent writer can get past the validation
        raise ImportRejected(
            [ImportRowError(1, None, f"写入时发生冲突，已全部撤销（是否有并发的导入？）：{exc}")]
        ) from exc


def import_register(paths: Path | str | Sequence[Path | str], update_existing: bool = True) -> ImportSummary:
    """Import a register from an xlsx workbook, CSV files, or folders of CSV files.

    ``update_existing=False`` refuses rows whose 网站标识码 or account already exist (add-only).
    Raises ImportRejected (with every row error) and writes nothing when the input has any error.
    """
    items = [paths] if isinstance(paths, (str, Path)) else list(paths)
    return import_tables(read_tables([Path(p) for p in items]), update_existing)


# --------------------------------------------------------------------------- export


def register_tables() -> dict[str, list[list[str]]]:
    """The register as rows of text under the headers of ``tabular.SHEETS``."""
    level = dict(Region.Level.choices)
    category = dict(Site.Category.choices)
    platform = dict(Account.Platform.choices)
    status = dict(Status.choices)
    kind = dict(Filing.Kind.choices)
    regions = [
        [r.code, r.name, str(level[r.level]), r.parent.code if r.parent else ""]
        for r in Region.objects.select_related("parent").order_by("code")
    ]
    organizers = [
        [o.name, o.region.code] for o in Organizer.objects.select_related("region").order_by("region__code", "name")
    ]
    sites = [
        [
            s.site_code,
            s.name,
            s.home_url,
            s.organizer.name,
            s.region.code,
            str(category[s.category]),
            "是" if s.offers_services else "否",
            s.icp,
            s.police_filing,
            str(status[s.status]),
            "；".join(s.extra_hosts),
        ]
        for s in Site.objects.select_related("organizer", "region").order_by("site_code")
    ]
    accounts = [
        [str(platform[a.platform]), a.name, a.platform_id, a.organizer.name, a.region.code, str(status[a.status])]
        for a in Account.objects.select_related("organizer", "region").order_by("region__code", "pk")
    ]
    filings = [
        [
            f.date.isoformat(),
            str(kind[f.kind]),
            f.site.site_code if f.site else "",
            str(platform[f.account.platform]) if f.account else "",
            f.account.platform_id if f.account else "",
            f.note,
        ]
        for f in Filing.objects.select_related("site", "account").order_by("date", "pk")
    ]
    return {"regions": regions, "organizers": organizers, "sites": sites, "accounts": accounts, "filings": filings}


def export_register(path: Path | str) -> list[Path]:
    """Write the register as an xlsx workbook (path ends .xlsx) or CSV files; return the files written."""
    return write_tables(Path(path), register_tables())


# --------------------------------------------------------------------------- Sichuan


def sichuan_tables() -> list[Table]:
    """The shipped Sichuan register as import tables (row numbers as if it were a workbook)."""
    data = sichuan.sichuan_register()
    level = dict(Region.Level.choices)
    category = dict(Site.Category.choices)

    def table(kind: str, rows: Iterable[dict[str, str]]) -> Table:
        return Table(SHEET_BY_KIND[kind], "sichuan", [Row(i, r) for i, r in enumerate(rows, start=2)])

    return [
        table(
            "regions",
            (
                {"区划代码": r.code, "名称": r.name, "级别": str(level[r.level]), "上级区划代码": r.parent_code or ""}
                for r in data.regions
            ),
        ),
        table("organizers", ({"主办单位": o.name, "行政区划代码": o.region_code} for o in data.organizers)),
        table(
            "sites",
            (
                {
                    "网站标识码": s.site_code,
                    "网站名称": s.name,
                    "首页地址": s.home_url,
                    "主办单位": s.organizer,
                    "行政区划代码": s.region_code,
                    "网站类别": str(category[s.category]),
                    "是否提供办事服务": "是" if s.offers_services else "否",
                    "ICP备案号": s.icp,
                    "公安备案号": s.police_filing,
                    "状态": s.status,
                    "其他域名": "；".join(s.extra_hosts),
                }
                for s in data.sites
            ),
        ),
        table(
            "accounts",
            (
                {
                    "平台": a.platform,
                    "账号名称": a.name,
                    "账号ID或地址": a.platform_id,
                    "主办单位": a.organizer,
                    "行政区划代码": a.region_code,
                    "状态": a.status,
                }
                for a in data.accounts
            ),
        ),
    ]


def load_sichuan() -> ImportSummary:
    """Load the shipped Sichuan register; idempotent (a second load changes nothing)."""
    return import_tables(sichuan_tables())
