"""Register services: import and export (xlsx/CSV, Chinese headers), and loading the Sichuan register.

An import is validated completely before anything is written: every problem is collected with
its sheet, spreadsheet row number and column, and if there is any, ``ImportRejected`` is raised
and the database is left as it was. A valid import upserts: sites are matched by 网站标识码,
accounts by 平台 + 账号ID或地址, regions by 区划代码, organizers by name and region; filings
already recorded are not recorded twice. Nothing is deleted: closing a site is a status change.
Organizers named in the 网站 and 政务新媒体 sheets are created in their region when missing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from govinspect.errors import ImportRejected, ImportRowError
from govinspect.registry import sichuan
from govinspect.registry.models import (
    REGION_CODE_PATTERN,
    SITE_CODE_PATTERN,
    Account,
    Filing,
    Organizer,
    Region,
    Site,
    Status,
)
from govinspect.registry.tabular import SHEET_BY_KIND, Row, Table, read_tables, write_tables

# --------------------------------------------------------------------------- value vocabularies


def _choices(choices: Iterable[tuple[str, str]], aliases: dict[str, str] | None = None) -> dict[str, str]:
    """Accepted spellings → stored value: the Chinese label, the English value, and aliases."""
    mapping = {}
    for value, label in choices:
        mapping[str(label)] = value
        mapping[value] = value
    mapping.update(aliases or {})
    return mapping


LEVELS = _choices(Region.Level.choices, {"省": "province", "市": "city", "县": "county", "州": "city"})
CATEGORIES = _choices(
    Site.Category.choices, {"省政府门户网站": "provincial_portal", "县级门户网站(含高新区)": "county_portal"}
)
PLATFORMS = _choices(
    Account.Platform.choices,
    {
        "微信公众号": "wechat",
        "新浪微博": "weibo",
        "头条号": "toutiao",
        "视频号": "channels",
        "B站": "bilibili",
        "APP": "app",
        "客户端": "app",
        "移动APP": "app",
    },
)
STATUSES = _choices(
    Status.choices, {"": "open", "正常": "open", "迁移": "migrated", "整合迁移": "migrated", "关停": "closed"}
)
FILING_KINDS = _choices(Filing.Kind.choices, {"开通": "open", "迁移": "migrate", "关闭": "close"})
BOOLEANS = {"": False, "是": True, "否": False, "有": True, "无": False, "1": True, "0": False}
BOOLEANS |= {"true": True, "false": False, "yes": True, "no": False, "y": True, "n": False}

_SITE_CODE = re.compile(SITE_CODE_PATTERN)
_REGION_CODE = re.compile(REGION_CODE_PATTERN)
_HOST = re.compile(r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$")
_HOST_SPLIT = re.compile(r"[\s;；,，、]+")
_URL = URLValidator(schemes=["http", "https"])
_LEVEL_PARENT = {"province": None, "city": "province", "county": "city"}


def _options(choices: Iterable[tuple[str, str]]) -> str:
    return "、".join(str(label) for _, label in choices)


def normalize_url(url: str) -> str:
    """Scheme and host lower-cased, default port dropped, empty path → '/': how URLs are compared."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    port = parts.port
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    netloc = host if port in (None, default) else f"{host}:{port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def parse_date(text: str) -> dt.date | None:
    text = text.strip()
    for pattern in (r"(\d{4})-(\d{1,2})-(\d{1,2})", r"(\d{4})/(\d{1,2})/(\d{1,2})", r"(\d{4})年(\d{1,2})月(\d{1,2})日"):
        match = re.fullmatch(pattern + r"( 00:00(:00)?)?", text)
        if match:
            try:
                return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                return None
    return None


# --------------------------------------------------------------------------- parsed records


@dataclass
class _Region:
    row: int
    code: str
    name: str
    level: str
    parent: str


@dataclass
class _Site:
    row: int
    site_code: str
    name: str
    home_url: str
    organizer: str
    region: str
    category: str
    offers_services: bool
    icp: str
    police_filing: str
    status: str
    extra_hosts: list[str]


@dataclass
class _Account:
    row: int
    platform: str
    name: str
    platform_id: str
    organizer: str
    region: str
    status: str


@dataclass
class _Filing:
    row: int
    date: dt.date
    kind: str
    site_code: str
    account: tuple[str, str] | None
    note: str


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


@dataclass
class _Parsed:
    regions: list[_Region] = field(default_factory=list)
    organizers: list[tuple[int, str, str]] = field(default_factory=list)
    sites: list[_Site] = field(default_factory=list)
    accounts: list[_Account] = field(default_factory=list)
    filings: list[_Filing] = field(default_factory=list)


# --------------------------------------------------------------------------- validation


class _Validator:
    """Parses the tables into records, collecting every error instead of stopping at the first."""

    def __init__(self, update_existing: bool) -> None:
        self.update_existing = update_existing
        self.errors: list[ImportRowError] = []
        self.parsed = _Parsed()
        self.db_regions = dict(Region.objects.values_list("code", "level"))
        self.file_regions: dict[str, str] = {}
        self.db_site_urls = {normalize_url(u): c for c, u in Site.objects.values_list("site_code", "home_url")}
        self.db_site_codes = set(self.db_site_urls.values())
        self.db_accounts = set(Account.objects.values_list("platform", "platform_id"))

    def error(self, sheet: str, row: Row | int, column: str | None, message: str) -> None:
        number = row.number if isinstance(row, Row) else row
        self.errors.append(ImportRowError(number, column, message, SHEET_BY_KIND[sheet].title))

    def required(self, sheet: str, row: Row, *columns: str) -> bool:
        ok = True
        for column in columns:
            if not row.values.get(column, ""):
                self.error(sheet, row, column, "必填项为空")
                ok = False
        return ok

    def choice(self, sheet: str, row: Row, column: str, mapping: dict[str, str], choices) -> str | None:
        raw = row.values.get(column, "")
        value = mapping.get(raw, mapping.get(raw.lower()))
        if value is None:
            self.error(sheet, row, column, f"「{raw}」不是可用的取值（可选：{_options(choices)}）")
        return value

    def known_region(self, sheet: str, row: Row, code: str, column: str = "行政区划代码") -> bool:
        if not _REGION_CODE.fullmatch(code):
            self.error(sheet, row, column, f"「{code}」不是6位行政区划代码")
            return False
        if code not in self.db_regions and code not in self.file_regions:
            self.error(sheet, row, column, f"行政区划代码「{code}」不存在（数据库和「区划」表中都没有）")
            return False
        return True

    # -- per sheet

    def regions(self, table: Table) -> None:
        seen: dict[str, int] = {}
        rows: list[tuple[Row, _Region]] = []
        for row in table.rows:
            v = row.values
            if not self.required("regions", row, "区划代码", "名称", "级别"):
                continue
            code, parent = v["区划代码"], v.get("上级区划代码", "")
            level = self.choice("regions", row, "级别", LEVELS, Region.Level.choices)
            if not _REGION_CODE.fullmatch(code):
                self.error("regions", row, "区划代码", f"「{code}」不是6位行政区划代码")
                continue
            if code in seen:
                self.error("regions", row, "区划代码", f"「{code}」重复（与第{seen[code]}行相同）")
                continue
            seen[code] = row.number
            if level is None:
                continue
            self.file_regions[code] = level
            rows.append((row, _Region(row.number, code, v["名称"], level, parent)))
        for row, region in rows:
            wanted = _LEVEL_PARENT[region.level]
            if wanted is None and region.parent:
                self.error("regions", row, "上级区划代码", "省级区划不应有上级区划")
            elif wanted and not region.parent:
                self.error("regions", row, "上级区划代码", "市级、县级区划必须填写上级区划代码")
            elif region.parent and self.known_region("regions", row, region.parent, "上级区划代码"):
                actual = self.file_regions.get(region.parent) or self.db_regions[region.parent]
                if actual != wanted:
                    label = Region.Level(wanted).label
                    self.error("regions", row, "上级区划代码", f"「{region.parent}」不是{label}区划")
                else:
                    self.parsed.regions.append(region)
            else:
                self.parsed.regions.append(region)

    def organizers(self, table: Table) -> None:
        for row in table.rows:
            if self.required("organizers", row, "主办单位", "行政区划代码") and self.known_region(
                "organizers", row, row.values["行政区划代码"]
            ):
                self.parsed.organizers.append((row.number, row.values["主办单位"], row.values["行政区划代码"]))

    def sites(self, table: Table) -> None:
        codes: dict[str, int] = {}
        urls: dict[str, int] = {}
        url_of_code: dict[str, str] = {}
        taken: list[tuple[Row, str, str]] = []  # (row, url, code) where the URL belongs to another site in the DB
        for row in table.rows:
            v = row.values
            if not self.required(
                "sites", row, "网站标识码", "网站名称", "首页地址", "主办单位", "行政区划代码", "网站类别"
            ):
                continue
            code = v["网站标识码"]
            ok = code_ok = self._site_code(row, code, codes)
            codes.setdefault(code, row.number)
            url = v["首页地址"]
            try:
                _URL(url)
                url = normalize_url(url)
            except ValidationError:
                self.error("sites", row, "首页地址", f"「{url}」不是有效的网址（应以 http:// 或 https:// 开头）")
                ok = False
            else:
                if url in urls:
                    self.error("sites", row, "首页地址", f"「{url}」重复（与第{urls[url]}行相同）")
                    ok = False
                elif code_ok:
                    url_of_code[code] = url
                    if self.db_site_urls.get(url, code) != code:
                        taken.append((row, url, code))
                urls.setdefault(url, row.number)
            hosts = [h.lower() for h in _HOST_SPLIT.split(v.get("其他域名", "")) if h]
            for host in hosts:
                if not _HOST.fullmatch(host):
                    self.error("sites", row, "其他域名", f"「{host}」不是有效的主机名")
                    ok = False
            ok &= self.known_region("sites", row, v["行政区划代码"])
            category = self.choice("sites", row, "网站类别", CATEGORIES, Site.Category.choices)
            status = self.choice("sites", row, "状态", STATUSES, Status.choices)
            services = BOOLEANS.get(v.get("是否提供办事服务", "").lower())
            if services is None:
                self.error("sites", row, "是否提供办事服务", f"「{v['是否提供办事服务']}」应为“是”或“否”")
            if ok and category and status and services is not None:
                self.parsed.sites.append(
                    _Site(
                        row.number,
                        code,
                        v["网站名称"],
                        url,
                        v["主办单位"],
                        v["行政区划代码"],
                        category,
                        services,
                        v.get("ICP备案号", ""),
                        v.get("公安备案号", ""),
                        status,
                        list(dict.fromkeys(hosts)),
                    )
                )
        refused = set()
        for row, url, code in taken:
            owner = self.db_site_urls[url]
            if url_of_code.get(owner, url) == url:  # the owner keeps it (or is not in the file)
                self.error("sites", row, "首页地址", f"「{url}」已被名录中的网站「{owner}」使用")
                refused.add(code)
        self.parsed.sites = [s for s in self.parsed.sites if s.site_code not in refused]

    def _site_code(self, row: Row, code: str, seen: dict[str, int]) -> bool:
        if not _SITE_CODE.fullmatch(code):
            self.error("sites", row, "网站标识码", f"「{code}」格式错误（应为10位数字，或 bm 加8位数字）")
        elif code in seen:
            self.error("sites", row, "网站标识码", f"「{code}」重复（与第{seen[code]}行相同）")
        elif code in self.db_site_codes and not self.update_existing:
            self.error("sites", row, "网站标识码", f"「{code}」已存在于名录中")
        else:
            return True
        return False

    def accounts(self, table: Table) -> None:
        seen: dict[tuple[str, str], int] = {}
        for row in table.rows:
            v = row.values
            if not self.required("accounts", row, "平台", "账号名称", "账号ID或地址", "主办单位", "行政区划代码"):
                continue
            platform = self.choice("accounts", row, "平台", PLATFORMS, Account.Platform.choices)
            status = self.choice("accounts", row, "状态", STATUSES, Status.choices)
            region_ok = self.known_region("accounts", row, v["行政区划代码"])
            if platform is None:
                continue
            key = (platform, v["账号ID或地址"])
            if key in seen:
                self.error("accounts", row, "账号ID或地址", f"「{key[1]}」重复（与第{seen[key]}行相同）")
                continue
            seen[key] = row.number
            if key in self.db_accounts and not self.update_existing:
                self.error("accounts", row, "账号ID或地址", f"「{key[1]}」已存在于名录中")
                continue
            if status and region_ok:
                self.parsed.accounts.append(
                    _Account(row.number, platform, v["账号名称"], key[1], v["主办单位"], v["行政区划代码"], status)
                )

    def filings(self, table: Table) -> None:
        site_codes = self.db_site_codes | {s.site_code for s in self.parsed.sites}
        accounts = self.db_accounts | {(a.platform, a.platform_id) for a in self.parsed.accounts}
        for row in table.rows:
            v = row.values
            if not self.required("filings", row, "日期", "事项"):
                continue
            date = parse_date(v["日期"])
            if date is None:
                self.error("filings", row, "日期", f"「{v['日期']}」不是有效日期（如 2025-03-01）")
            kind = self.choice("filings", row, "事项", FILING_KINDS, Filing.Kind.choices)
            code, platform_label, account_id = v.get("网站标识码", ""), v.get("平台", ""), v.get("账号ID或地址", "")
            account = None
            if bool(code) == bool(account_id):
                self.error("filings", row, None, "须填写网站标识码，或平台与账号ID或地址（二者选一）")
                continue
            if code and code not in site_codes:
                self.error("filings", row, "网站标识码", f"「{code}」不在名录中")
                continue
            if account_id:
                platform = self.choice("filings", row, "平台", PLATFORMS, Account.Platform.choices)
                if platform is None:
                    continue
                account = (platform, account_id)
                if account not in accounts:
                    self.error("filings", row, "账号ID或地址", f"{platform_label}账号「{account_id}」不在名录中")
                    continue
            if date and kind:
                self.parsed.filings.append(_Filing(row.number, date, kind, code, account, v.get("说明", "")))


def validate_tables(tables: Sequence[Table], update_existing: bool = True) -> _Parsed:
    validator = _Validator(update_existing)
    by_kind = {t.sheet.kind: t for t in tables}
    for kind in ("regions", "organizers", "sites", "accounts", "filings"):
        if kind in by_kind:
            getattr(validator, kind)(by_kind[kind])
    if validator.errors:
        order = ["regions", "organizers", "sites", "accounts", "filings"]
        titles = [SHEET_BY_KIND[k].title for k in order]
        validator.errors.sort(key=lambda e: (titles.index(e.sheet) if e.sheet in titles else -1, e.row))
        raise ImportRejected(validator.errors)
    return validator.parsed


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


def _write(parsed: _Parsed) -> ImportSummary:
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
