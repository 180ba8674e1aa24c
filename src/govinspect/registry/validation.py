"""Validation of register tables: every row checked, every error collected, nothing written.

``validate_tables`` turns the tables read by ``tabular`` into typed records, checking each row
against the vocabularies (Chinese labels, English values and common aliases are accepted), the
formats (site code, URL, region code, dates) and the register already in the database
(unknown regions, URLs owned by another site, codes that exist when adding only). It raises
``ImportRejected`` with all the row errors, sorted by sheet and row, or returns the records.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from govinspect.errors import ImportRejected, ImportRowError
from govinspect.findings import normalize_url
from govinspect.registry.models import (
    PARENT_LEVELS,
    REGION_CODE_PATTERN,
    SITE_CODE_PATTERN,
    Account,
    Filing,
    Region,
    Site,
    Status,
)
from govinspect.registry.tabular import SHEET_BY_KIND, Row, Table

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


def _options(choices: Iterable[tuple[str, str]]) -> str:
    return "、".join(str(label) for _, label in choices)


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
class ParsedRegister:
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
        self.parsed = ParsedRegister()
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
            allowed = PARENT_LEVELS[region.level]
            if not allowed and region.parent:
                self.error("regions", row, "上级区划代码", "省级区划不应有上级区划")
            elif allowed and not region.parent:
                self.error("regions", row, "上级区划代码", "市级、县级区划必须填写上级区划代码")
            elif region.parent and self.known_region("regions", row, region.parent, "上级区划代码"):
                actual = self.file_regions.get(region.parent) or self.db_regions[region.parent]
                if actual not in allowed:
                    labels = "或".join(str(Region.Level(level).label) for level in allowed)
                    self.error("regions", row, "上级区划代码", f"「{region.parent}」不是{labels}区划")
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


def validate_tables(tables: Sequence[Table], update_existing: bool = True) -> ParsedRegister:
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
