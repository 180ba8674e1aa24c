"""The Sichuan register shipped as example data (pure Python, no Django).

The counts come from the attachment table of the quarterly notice 川办便函〔2025〕368号
(``shared/reference/sichuan-2025H2-notice.txt``): per city/prefecture one city portal, N city
department sites, M county-level portals (高新区/新区 included) and K new-media accounts, plus
46 provincial sites (the provincial portal and 45 departments) and 250 provincial accounts.

Regions are real: names and GB/T 2260 codes of the 21 cities/prefectures and their current
county-level units come from python-stdnum's bundled table (``stdnum/cn/loc.dat``). Where the
notice counts more county portals than a city has county-level units, functional zones
(高新区, 新区, 经开区) are added as county-level regions. They have no GB/T 2260 code, so they get
``<city 4 digits><71..99>``: the range the national statistics codes use for development zones,
skipping any code the GB/T 2260 history ever used for that city (so no collision, past or present).
Where the notice counts fewer, the first units in code order are taken.

Everything else (department names, URLs, ICP and public-security filing numbers, account ids) is
generated deterministically: plausible, unique, and clearly placeholders for the sandbox to map.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PROVINCE_CODE = "510000"
PROVINCE_NAME = "四川省"

CATEGORIES = (
    "provincial_portal",
    "provincial_department",
    "city_portal",
    "city_department",
    "county_portal",
    "other",
)
PLATFORMS = ("wechat", "weibo", "douyin", "toutiao", "kuaishou", "channels", "bilibili", "xiaohongshu", "app", "other")
LEVELS = ("province", "city", "county")


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: str  # "province" | "city" | "county"
    parent_code: str | None


@dataclass(frozen=True)
class OrganizerRow:
    name: str
    region_code: str


@dataclass(frozen=True)
class SiteRow:
    site_code: str
    name: str
    home_url: str
    organizer: str
    region_code: str
    category: str
    offers_services: bool
    icp: str
    police_filing: str
    status: str = "open"
    extra_hosts: tuple[str, ...] = ()


@dataclass(frozen=True)
class AccountRow:
    platform: str
    name: str
    platform_id: str
    organizer: str
    region_code: str
    status: str = "open"


@dataclass(frozen=True)
class RegisterData:
    regions: tuple[RegionRow, ...]
    organizers: tuple[OrganizerRow, ...]
    sites: tuple[SiteRow, ...]
    accounts: tuple[AccountRow, ...]


@dataclass(frozen=True)
class CityCounts:
    """One city row of the notice's attachment table."""

    name: str  # as the notice writes it: 成都, 阿坝 …
    code: str  # GB/T 2260, 6 digits
    city_portals: int
    city_departments: int
    county_portals: int
    accounts: int
    pinyin: str  # for placeholder host names

    @property
    def sites(self) -> int:
        return self.city_portals + self.city_departments + self.county_portals


@dataclass(frozen=True)
class ProvincialCounts:
    """The provincial row of the attachment table: 省直部门(含省政府门户)."""

    name: str
    code: str
    sites: int
    accounts: int


# The attachment table, in the notice's order.
CITY_TABLE: tuple[CityCounts, ...] = (
    CityCounts("成都", "510100", 1, 40, 22, 622, "chengdu"),
    CityCounts("自贡", "510300", 1, 2, 6, 87, "zigong"),
    CityCounts("攀枝花", "510400", 1, 34, 5, 89, "panzhihua"),
    CityCounts("泸州", "510500", 1, 38, 7, 197, "luzhou"),
    CityCounts("德阳", "510600", 1, 3, 6, 89, "deyang"),
    CityCounts("绵阳", "510700", 1, 36, 9, 154, "mianyang"),
    CityCounts("广元", "510800", 1, 34, 7, 218, "guangyuan"),
    CityCounts("遂宁", "510900", 1, 35, 5, 172, "suining"),
    CityCounts("内江", "511000", 1, 4, 5, 88, "neijiang"),
    CityCounts("乐山", "511100", 1, 2, 11, 169, "leshan"),
    CityCounts("南充", "511300", 1, 1, 9, 173, "nanchong"),
    CityCounts("宜宾", "511500", 1, 36, 10, 331, "yibin"),
    CityCounts("广安", "511600", 1, 2, 6, 64, "guangan"),
    CityCounts("达州", "511700", 1, 27, 7, 170, "dazhou"),
    CityCounts("巴中", "511900", 1, 32, 5, 98, "bazhong"),
    CityCounts("雅安", "511800", 1, 25, 8, 155, "yaan"),
    CityCounts("眉山", "511400", 1, 1, 6, 91, "meishan"),
    CityCounts("资阳", "512000", 1, 3, 3, 39, "ziyang"),
    CityCounts("阿坝", "513200", 1, 4, 13, 167, "aba"),
    CityCounts("甘孜", "513300", 1, 19, 18, 126, "ganzi"),
    CityCounts("凉山", "513400", 1, 34, 17, 173, "liangshan"),
)
PROVINCIAL_ROW = ProvincialCounts("省直部门(含省政府门户)", PROVINCE_CODE, 46, 250)
PROVINCIAL_ROW_LABEL = PROVINCIAL_ROW.name
# 合计 of the attachment: sites, city portals, city department sites, county portals, accounts.
NOTICE_TOTALS = {"sites": 664, "city_portals": 21, "city_departments": 412, "county_portals": 185, "accounts": 3722}

# Functional zones added as county-level units where the notice counts more county portals than
# GB/T 2260 has units. Chengdu's two are the province's own practice; others fall back to generic ones.
EXTRA_UNITS: dict[str, tuple[str, ...]] = {"510100": ("成都高新区", "天府新区")}
GENERIC_EXTRA_UNITS = ("{c}高新区", "{c}经开区", "{c}新区")

# (department, account name template ({c} = city/county short name), host label)
CITY_DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("教育局", "{c}教育", "jyj"),
    ("卫生健康委员会", "健康{c}", "wjw"),
    ("公安局", "平安{c}", "gaj"),
    ("发展和改革委员会", "{c}发改", "fgw"),
    ("经济和信息化局", "{c}经信", "jxj"),
    ("科学技术局", "{c}科技", "kjj"),
    ("民政局", "{c}民政", "mzj"),
    ("司法局", "{c}司法", "sfj"),
    ("财政局", "{c}财政", "czj"),
    ("人力资源和社会保障局", "{c}人社", "rsj"),
    ("自然资源和规划局", "{c}自然资源", "zrzyj"),
    ("生态环境局", "{c}生态环境", "sthjj"),
    ("住房和城乡建设局", "{c}住建", "zjj"),
    ("交通运输局", "{c}交通", "jtysj"),
    ("水务局", "{c}水务", "slj"),
    ("农业农村局", "{c}农业农村", "nyncj"),
    ("商务局", "{c}商务", "swj"),
    ("文化广电旅游局", "{c}文旅", "wglj"),
    ("退役军人事务局", "{c}退役军人", "tyjrj"),
    ("应急管理局", "{c}应急", "yjglj"),
    ("审计局", "{c}审计", "sjj"),
    ("人民政府国有资产监督管理委员会", "{c}国资", "gzw"),
    ("市场监督管理局", "{c}市场监管", "scjgj"),
    ("体育局", "{c}体育", "tyj"),
    ("统计局", "{c}统计", "tjj"),
    ("医疗保障局", "{c}医保", "ybj"),
    ("林业局", "{c}林业", "lyj"),
    ("城市管理局", "{c}城管", "cgj"),
    ("政务服务管理局", "{c}政务服务", "zwfwj"),
    ("投资促进局", "{c}投促", "tcj"),
    ("民族宗教事务局", "{c}民宗", "mzzjj"),
    ("信访局", "{c}信访", "xfj"),
    ("机关事务管理局", "{c}机关事务", "jgswj"),
    ("人民防空办公室", "{c}人防", "rfb"),
    ("地方志编纂委员会办公室", "{c}方志", "dfz"),
    ("粮食和物资储备局", "{c}粮储", "lscbj"),
    ("数据局", "{c}数据", "dsj"),
    ("经济合作局", "{c}经合", "jhj"),
    ("乡村振兴局", "{c}乡村振兴", "xczxj"),
    ("外事办公室", "{c}外事", "wsb"),
    ("口岸与物流办公室", "{c}口岸物流", "kawlb"),
    ("金融工作局", "{c}金融", "jrj"),
    ("供销合作社联合社", "{c}供销", "gxs"),
    ("住房公积金管理中心", "{c}公积金", "gjj"),
    ("档案馆", "{c}档案", "daj"),
)

# County departments: organizers of accounts only (their sites are integrated into the county portal).
COUNTY_DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("教育局", "{c}教育"),
    ("卫生健康局", "健康{c}"),
    ("公安局", "平安{c}"),
    ("市场监督管理局", "{c}市场监管"),
    ("文化广播电视和旅游局", "{c}文旅"),
    ("应急管理局", "{c}应急"),
    ("人力资源和社会保障局", "{c}人社"),
    ("农业农村局", "{c}农业农村"),
)

# (organizer, account name, host label)
PROVINCIAL_DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("四川省发展和改革委员会", "四川发改", "fgw"),
    ("四川省教育厅", "四川教育", "edu"),
    ("四川省科学技术厅", "四川科技", "kjt"),
    ("四川省经济和信息化厅", "四川经信", "jxt"),
    ("四川省民族宗教事务委员会", "四川民宗", "mzw"),
    ("四川省公安厅", "四川公安", "gat"),
    ("四川省民政厅", "四川民政", "mzt"),
    ("四川省司法厅", "四川司法", "sft"),
    ("四川省财政厅", "四川财政", "czt"),
    ("四川省人力资源和社会保障厅", "四川人社", "rst"),
    ("四川省自然资源厅", "四川自然资源", "dnr"),
    ("四川省生态环境厅", "四川生态环境", "sthjt"),
    ("四川省住房和城乡建设厅", "四川建设发布", "jst"),
    ("四川省交通运输厅", "四川交通", "jtt"),
    ("四川省水利厅", "四川水利", "slt"),
    ("四川省农业农村厅", "四川农业农村", "nynct"),
    ("四川省商务厅", "四川商务", "swt"),
    ("四川省文化和旅游厅", "四川文旅", "wlt"),
    ("四川省卫生健康委员会", "健康四川官微", "wsjkw"),
    ("四川省退役军人事务厅", "四川退役军人", "tyjrswt"),
    ("四川省应急管理厅", "四川应急", "yjt"),
    ("四川省审计厅", "四川审计", "sjt"),
    ("四川省人民政府外事办公室", "四川外事", "fao"),
    ("四川省人民政府国有资产监督管理委员会", "四川国资", "gzw"),
    ("四川省市场监督管理局", "四川市场监管", "scjgj"),
    ("四川省广播电视局", "四川广电", "gdj"),
    ("四川省体育局", "四川体育", "tyj"),
    ("四川省统计局", "四川统计", "tjj"),
    ("四川省医疗保障局", "四川医保", "ylbzj"),
    ("四川省林业和草原局", "四川林草", "lcj"),
    ("四川省机关事务管理局", "四川机关事务", "jgswglj"),
    ("四川省乡村振兴局", "四川乡村振兴", "xczxj"),
    ("四川省经济合作局", "四川经合", "jhj"),
    ("四川省粮食和物资储备局", "四川粮储", "lsj"),
    ("四川省监狱管理局", "四川监狱", "jyglj"),
    ("四川省药品监督管理局", "四川药监", "yjj"),
    ("四川省知识产权服务促进中心", "四川知识产权", "zscq"),
    ("四川省地方志工作办公室", "四川方志", "dfz"),
    ("四川省数据局", "四川数据", "sjj"),
    ("四川省能源局", "四川能源", "nyj"),
    ("四川省戒毒管理局", "四川戒毒", "jdglj"),
    ("四川省人民政府参事室", "四川参事", "css"),
    ("四川省人民防空办公室", "四川人防", "rfb"),
    ("四川省人民政府研究室", "四川政研", "yjs"),
    ("四川省政务服务和公共资源交易服务中心", "四川政务服务", "zwfw"),
)

PLATFORM_SUFFIX = {"app": "APP"}
# Average number of accounts an account-holding organizer runs; decides how many organizers a
# city's accounts are spread over (the rest of the pool holds none).
ACCOUNTS_PER_ORGANIZER = 3.5
CITY_OFFICE = "人民政府办公室"
COUNTY_OFFICE = "人民政府办公室"


# --------------------------------------------------------------------------- GB/T 2260 regions


def _loc_dat_path() -> Path:
    import stdnum

    return Path(stdnum.__file__).resolve().parent / "cn" / "loc.dat"


_ITEM = re.compile(r"^(?:\[(\d*)-(\d*)\])?(.+)$")


@cache
def gbt2260_province(prefix: str = "51") -> tuple[dict[str, str], frozenset[str]]:
    """Current names by 6-digit code for one province, and every code its history ever used.

    A loc.dat entry like ``0104 county="[1990-]锦江区"`` is current when its last period is
    open-ended (or has no period at all); several periods are separated by commas.
    """
    current: dict[str, str] = {}
    used: set[str] = set()
    inside = False
    for line in _loc_dat_path().read_text(encoding="utf-8").splitlines():
        if not line.startswith(" "):
            inside = line.startswith(f"{prefix} ")
            continue
        if not inside:
            continue
        suffix, _, rest = line.strip().partition(" ")
        match = re.match(r'county="(.*)"', rest)
        if not match:
            continue
        code = prefix + suffix
        used.add(code)
        last = _ITEM.match(match.group(1).split(",")[-1])
        if last and not last.group(2):
            current[code] = last.group(3)
    if not current:
        raise LookupError(f"province {prefix} not found in {_loc_dat_path()}")
    return current, frozenset(used)


def _county_units(city: CityCounts) -> list[tuple[str, str]]:
    """(code, name) of the county-level units that get a county portal, exactly city.county_portals."""
    current, used = gbt2260_province(city.code[:2])
    real = sorted(
        (code, name)
        for code, name in current.items()
        if code[:4] == city.code[:4] and code[4:] != "00" and name != "市辖区"
    )
    wanted = city.county_portals
    if len(real) >= wanted:
        return real[:wanted]
    names = list(EXTRA_UNITS.get(city.code, ()))
    names += [t.format(c=city.name) for t in GENERIC_EXTRA_UNITS if t.format(c=city.name) not in names]
    free = (f"{city.code[:4]}{n}" for n in range(71, 100) if f"{city.code[:4]}{n}" not in used)
    extra = [(next(free), name) for name in names[: wanted - len(real)]]
    if len(real) + len(extra) < wanted:
        raise ValueError(f"{city.name}: not enough county-level units for {wanted} county portals")
    return real + extra


def city_full_name(city: CityCounts) -> str:
    current, _ = gbt2260_province(city.code[:2])
    return current[city.code]


def city_prefix(city: CityCounts) -> str:
    """The name organizers use: 成都市, 阿坝州 (the short form of 阿坝藏族羌族自治州)."""
    full = city_full_name(city)
    return f"{city.name}州" if full.endswith("自治州") else full


def _short(unit: str) -> str:
    """锦江区 → 锦江, 北川羌族自治县 → 北川, 荣县 → 荣县, 成都高新区 → 成都高新."""
    if unit.endswith("自治县"):
        return unit[:2]
    if unit.endswith("新区"):
        return unit
    return unit[:-1] if len(unit) > 2 else unit


def _pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(text)).replace("ü", "v").lower()


def _digest(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _platform_id(platform: str, organizer: str, region: str) -> str:
    h = _digest(platform, organizer, region)
    number = str(int(h[:15], 16))[:10].rjust(10, "1")
    ids = {
        "wechat": f"gh_{h[:12]}",
        "weibo": f"https://weibo.com/u/{number}",
        "douyin": f"https://www.douyin.com/user/MS4wLjABAAAA{h[:20]}",
        "toutiao": f"https://www.toutiao.com/c/user/{number}/",
        "kuaishou": f"https://www.kuaishou.com/profile/3x{h[:13]}",
        "channels": f"sph{h[:10]}",
        "bilibili": f"https://space.bilibili.com/{number[:9]}",
        "xiaohongshu": f"https://www.xiaohongshu.com/user/profile/{h[:24]}",
        "app": f"cn.gov.sc.app{h[:8]}",
        "other": f"https://m.gov.cn/{h[:16]}",
    }
    return ids[platform]


# --------------------------------------------------------------------------- building the register


class _Builder:
    def __init__(self) -> None:
        self.regions: list[RegionRow] = []
        self.organizers: dict[tuple[str, str], OrganizerRow] = {}
        self.sites: list[SiteRow] = []
        self.accounts: list[AccountRow] = []
        self.hosts: set[str] = set()
        self.site_seq: dict[str, int] = {}
        self.platform_ids: set[str] = set()

    def organizer(self, name: str, region: str) -> str:
        self.organizers.setdefault((name, region), OrganizerRow(name, region))
        return name

    def host(self, *candidates: str) -> str:
        for host in candidates:
            if host not in self.hosts:
                self.hosts.add(host)
                return host
        raise ValueError(f"no free host among {candidates}")

    def site(
        self, name: str, host: str, organizer: str, region: str, category: str, police_region: str, *, services: bool
    ) -> None:
        self.organizer(organizer, region)
        seq = self.site_seq[region] = self.site_seq.get(region, 0) + 1
        index = len(self.sites)
        extra: tuple[str, ...] = ()
        if host.startswith("www.") and host[4:] not in self.hosts:
            self.hosts.add(host[4:])
            extra = (host[4:],)
        self.sites.append(
            SiteRow(
                site_code=f"{region}{seq:04d}",
                name=name,
                home_url=f"http://{host}/",
                organizer=organizer,
                region_code=region,
                category=category,
                offers_services=services,
                icp=f"蜀ICP备{5003300 + index * 1931:08d}号",
                police_filing=f"川公网安备 {police_region}02{507 + index * 37:06d}号",
                extra_hosts=extra,
            )
        )

    def accounts_for(self, pool: list[tuple[str, str, str]], total: int) -> None:
        """Spread `total` accounts over the head of `pool` ((organizer, region, account name) triples).

        Each used organizer gets an even share, at most one account per platform: WeChat first, then
        the other platforms in an order rotated by the organizer's position.
        """
        used = min(len(pool), max(1, math.ceil(total / ACCOUNTS_PER_ORGANIZER)))
        if used * len(PLATFORMS) < total:
            raise ValueError(f"{total} accounts do not fit {used} organizers with one account per platform")
        base, remainder = divmod(total, used)
        for i, (organizer, region, name) in enumerate(pool[:used]):
            self.organizer(organizer, region)
            others = PLATFORMS[1:]
            platforms = (PLATFORMS[0], *others[i % len(others) :], *others[: i % len(others)])
            for platform in platforms[: base + (1 if i < remainder else 0)]:
                pid = _platform_id(platform, organizer, region)
                if pid in self.platform_ids:
                    raise ValueError(f"platform id collision {pid}")
                self.platform_ids.add(pid)
                self.accounts.append(
                    AccountRow(platform, name + PLATFORM_SUFFIX.get(platform, ""), pid, organizer, region)
                )


def _ambiguous_units() -> set[str]:
    seen: dict[str, int] = {}
    for city in CITY_TABLE:
        for _, unit in _county_units(city):
            seen[unit] = seen.get(unit, 0) + 1
    return {unit for unit, n in seen.items() if n > 1}


def _build_province(b: _Builder) -> None:
    b.regions.append(RegionRow(PROVINCE_CODE, PROVINCE_NAME, "province", None))
    police = "510104"  # the provincial offices sit in Chengdu's 锦江区
    office = "四川省人民政府办公厅"
    b.site("四川省人民政府", b.host("www.sc.gov.cn"), office, PROVINCE_CODE, "provincial_portal", police, services=True)
    pool = [(office, PROVINCE_CODE, "四川发布")]
    for i, (organizer, account, label) in enumerate(PROVINCIAL_DEPARTMENTS[: PROVINCIAL_ROW.sites - 1]):
        b.site(
            organizer,
            b.host(f"{label}.sc.gov.cn", f"{label}{i}.sc.gov.cn"),
            organizer,
            PROVINCE_CODE,
            "provincial_department",
            police,
            services=True,
        )
        pool.append((organizer, PROVINCE_CODE, account))
    if len(b.sites) != PROVINCIAL_ROW.sites:
        raise ValueError("not enough provincial departments for the provincial row")
    b.accounts_for(pool, PROVINCIAL_ROW.accounts)


def _build_city(b: _Builder, city: CityCounts, ambiguous: set[str]) -> None:
    full, prefix, c = city_full_name(city), city_prefix(city), city.name
    b.regions.append(RegionRow(city.code, full, "city", PROVINCE_CODE))
    units = _county_units(city)
    police = units[0][0]
    office = f"{prefix}{CITY_OFFICE}"
    portal_name = f"{full}人民政府"
    b.site(portal_name, b.host(f"www.{city.pinyin}.gov.cn"), office, city.code, "city_portal", police, services=True)
    pool_with_sites = [(office, city.code, f"{c}发布")]
    pool_without = []
    for i, (dept, account, label) in enumerate(CITY_DEPARTMENTS):
        organizer = f"{prefix}{dept}"
        entry = (organizer, city.code, account.format(c=c))
        if i < city.city_departments:
            host = b.host(f"{label}.{city.pinyin}.gov.cn", f"{label}{i}.{city.pinyin}.gov.cn")
            b.site(organizer, host, organizer, city.code, "city_department", police, services=i % 3 != 2)
            pool_with_sites.append(entry)
        else:
            pool_without.append(entry)
    if b.site_seq[city.code] != 1 + city.city_departments:
        raise ValueError(f"{c}: not enough department names for {city.city_departments} department sites")
    county_depts = []
    for code, unit in units:
        b.regions.append(RegionRow(code, unit, "county", city.code))
        named = f"{prefix}{unit}" if unit in ambiguous else unit
        short = f"{c}{_short(unit)}" if unit in ambiguous else _short(unit)
        is_zone = unit.endswith(("高新区", "新区", "经开区"))
        portal = f"{named}管理委员会" if is_zone else f"{named}人民政府"
        organizer = f"{named}管委会办公室" if is_zone else f"{named}{COUNTY_OFFICE}"
        py = _pinyin(_short(unit))
        host = b.host(f"www.{py}.gov.cn", f"www.{city.pinyin}{py}.gov.cn", f"{py}.{city.pinyin}.gov.cn")
        b.site(portal, host, organizer, code, "county_portal", code, services=True)
        pool_with_sites.append((organizer, code, f"{short}发布"))
        county_depts += [(f"{named}{dept}", code, account.format(c=short)) for dept, account in COUNTY_DEPARTMENTS]
    b.accounts_for(pool_with_sites + pool_without + county_depts, city.accounts)


@cache
def sichuan_register() -> RegisterData:
    """The whole Sichuan register; deterministic (same rows, same order, every call)."""
    b = _Builder()
    _build_province(b)
    ambiguous = _ambiguous_units()
    for city in CITY_TABLE:
        _build_city(b, city, ambiguous)
    return RegisterData(tuple(b.regions), tuple(b.organizers.values()), tuple(b.sites), tuple(b.accounts))
