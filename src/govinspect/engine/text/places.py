"""Current place names from python-stdnum's GB/T 2260 table (``stdnum/cn/loc.dat``).

The table lists every code with the years it was valid (``[1983-2016]郫县``), sometimes
several names for one code (``桥西区,[2020-]信都区``); a name without an end year is current.
We read it at run time instead of copying it.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

_ENTRY = re.compile(r'^\s+(\d{4}) county="(.+)"$')
_NAME = re.compile(r"^(?:\[(\d*)-(\d*)\])?(.+)$")  # "[2020-]信都区"; one code may list several
_PROVINCE = re.compile(r'^(\d{2}) province="(.+)"$')
_GENERIC = {"市辖区", "县", "市区", "郊区", "矿区"}


@cache
def _table() -> tuple[tuple[str, str, bool], ...]:
    """(code, name, current) for every province, city and county entry."""
    text = files("stdnum.cn").joinpath("loc.dat").read_text(encoding="utf-8")
    out: list[tuple[str, str, bool]] = []
    province = ""
    for line in text.splitlines():
        if m := _PROVINCE.match(line):
            province = m[1]
            out.append((province + "0000", m[2], True))
        elif (m := _ENTRY.match(line)) and province:
            for part in m[2].split(","):
                if n := _NAME.match(part.strip()):
                    out.append((province + m[1], n[3], not n[2]))
    return tuple(out)


@cache
def provinces() -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for code, name, current in _table() if code.endswith("0000") and current))


@cache
def province_codes() -> dict[str, str]:
    """Two-digit province code -> name (simplified form)."""
    out: dict[str, str] = {}
    for code, name, current in _table():
        if code.endswith("0000") and current:
            out[code[:2]] = name  # the county-level repeat comes last and is simplified
    return out


@cache
def province_places(province_code: str) -> tuple[str, ...]:
    """Current city and county names of one province (e.g. "51" for Sichuan)."""
    names = (
        name
        for code, name, current in _table()
        if current and code.startswith(province_code) and not code.endswith("0000") and name not in _GENERIC
    )
    return tuple(dict.fromkeys(names))


@cache
def all_place_names() -> frozenset[str]:
    """Every name the table has ever listed: a near-miss that is a real place is no error."""
    return frozenset(name for _, name, _ in _table())


@cache
def prefectures() -> dict[str, tuple[str, ...]]:
    """Two-digit province code -> current prefecture-level names (cities, prefectures, leagues)."""
    out: dict[str, list[str]] = {}
    for code, name, current in _table():
        if current and code.endswith("00") and not code.endswith("0000") and name not in _GENERIC:
            out.setdefault(code[:2], []).append(name)
    return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}
