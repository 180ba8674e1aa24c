"""Load and validate the indicator catalogue; typed, read-only access.

``catalogue()`` returns the built-in catalogue, validated on first use and cached.
``load_catalogue(path, overrides=...)`` reads another file and applies province
override files, whose ``[[item]]`` entries (id + thresholds, optionally points/cap)
replace the national values. Any problem is a ``ConfigError`` naming the item and key.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from govinspect.errors import ConfigError
from govinspect.findings import CHECK_IDS

Kind = Literal["veto", "deduct", "bonus"]
KINDS: tuple[str, ...] = ("veto", "deduct", "bonus")
_PREFIX_KIND = {"V": "veto", "D": "deduct", "B": "bonus"}
DEFAULT_PATH = Path(__file__).with_name("catalogue.toml")


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    name: str
    kind: Kind
    points: float
    cap: float
    checks: tuple[str, ...]
    verified: bool
    thresholds: Mapping[str, float] = field(default_factory=dict)
    part: str = ""  # the section of its table (发布解读, 办事服务 …), for scoring

    def threshold(self, name: str) -> float:
        try:
            return self.thresholds[name]
        except KeyError:
            raise ConfigError(f"indicator {self.id} has no threshold {name!r}") from None

    def days(self, name: str) -> int:
        """A threshold that is a whole number of days (or a count)."""
        value = self.threshold(name)
        if value != int(value):
            raise ConfigError(f"indicator {self.id}: threshold {name!r} must be a whole number, not {value}")
        return int(value)


@dataclass(frozen=True, slots=True)
class Rule:
    """How one check's findings turn into points of one item (``[[rule]]``; first match wins)."""

    item: str
    check: str
    points: float
    when: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # detail key -> accepted values
    on: str = ""  # "home" | "page" | "" (anywhere)
    per: str = ""  # a detail key holding a list: points x its length


@dataclass(frozen=True, slots=True)
class Catalogue:
    edition: str
    version: int
    items: Mapping[str, Item]
    rules: tuple[Rule, ...] = ()
    scoring: Mapping[str, Any] = field(default_factory=dict)  # the [scoring] table

    def rules_for(self, item_id: str, check_id: str) -> list[Rule]:
        return [r for r in self.rules if r.item == item_id and r.check == check_id]

    def part_of(self, item_id: str) -> str:
        return self[item_id].part or str(self.scoring.get("part_of", {}).get(item_id, ""))

    def __getitem__(self, item_id: str) -> Item:
        try:
            return self.items[item_id]
        except KeyError:
            raise ConfigError(f"indicator {item_id!r} is not in the catalogue") from None

    def __contains__(self, item_id: object) -> bool:
        return item_id in self.items

    def of_kind(self, kind: Kind) -> list[Item]:
        return [i for i in self.items.values() if i.kind == kind]

    def for_check(self, check_id: str) -> list[Item]:
        """The items a check's findings feed."""
        return [i for i in self.items.values() if check_id in i.checks]


def _fail(where: str, message: str) -> ConfigError:
    return ConfigError(f"indicator catalogue {where}: {message}")


def _number(where: str, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _fail(where, f"{key} must be a number, not {value!r}")
    if value < 0:
        raise _fail(where, f"{key} must not be negative ({value})")
    return float(value) if isinstance(value, float) else value


def _item(raw: Mapping[str, Any], where: str) -> Item:
    allowed = {"id", "name", "kind", "points", "cap", "checks", "verified", "thresholds", "part"}
    unknown = set(raw) - allowed
    if unknown:
        raise _fail(where, f"unknown keys {sorted(unknown)}")
    for key in ("id", "name", "kind"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise _fail(where, f"{key} is required (a non-empty string)")
    item_id, kind = raw["id"], raw["kind"]
    where = f"{where} ({item_id})"
    if kind not in KINDS:
        raise _fail(where, f"kind must be one of {KINDS}, not {kind!r}")
    parts = item_id.split("-")
    if len(parts) == 2 and parts[1][:1] in _PREFIX_KIND and _PREFIX_KIND[parts[1][0]] != kind:
        raise _fail(where, f"id says {_PREFIX_KIND[parts[1][0]]} but kind is {kind}")
    points = _number(where, "points", raw.get("points", 0))
    cap = _number(where, "cap", raw.get("cap", 0))
    if kind == "veto" and (points or cap):
        raise _fail(where, "a veto item has no points or cap")
    if kind != "veto" and cap < points:
        raise _fail(where, f"cap {cap} is below points {points}")
    checks = raw.get("checks", [])
    if not isinstance(checks, list) or not all(isinstance(c, str) for c in checks):
        raise _fail(where, "checks must be a list of check ids")
    unknown_checks = sorted(set(checks) - CHECK_IDS)
    if unknown_checks:
        raise _fail(where, f"unknown check ids {unknown_checks}")
    verified = raw.get("verified", False)
    if not isinstance(verified, bool):
        raise _fail(where, "verified must be true or false")
    thresholds = raw.get("thresholds", {})
    if not isinstance(thresholds, Mapping):
        raise _fail(where, "thresholds must be a table")
    values = {k: _number(where, f"thresholds.{k}", v) for k, v in thresholds.items()}
    return Item(
        id=item_id,
        name=raw["name"],
        kind=kind,
        points=points,
        cap=cap,
        checks=tuple(checks),
        verified=verified,
        thresholds=MappingProxyType(values),
        part=str(raw.get("part", "")),
    )


def _rule(raw: Mapping[str, Any], n: int, items: Mapping[str, Item]) -> Rule:
    where = f"rule {n}"
    unknown = set(raw) - {"item", "check", "points", "when", "on", "per"}
    if unknown:
        raise _fail(where, f"unknown keys {sorted(unknown)}")
    item_id, check = raw.get("item"), raw.get("check")
    if item_id not in items:
        raise _fail(where, f"names unknown indicator {item_id!r}")
    if check not in items[item_id].checks:
        raise _fail(where, f"check {check!r} does not feed {item_id}")
    when = raw.get("when", {})
    if not isinstance(when, Mapping):
        raise _fail(where, "when must be a table")
    on = raw.get("on", "")
    if on not in ("", "home", "page"):
        raise _fail(where, f"on must be home or page, not {on!r}")
    values = {k: tuple(map(str, v)) if isinstance(v, list) else (str(v),) for k, v in when.items()}
    return Rule(
        item=item_id,
        check=check,
        points=_number(where, "points", raw.get("points", 0)),
        when=MappingProxyType(values),
        on=on,
        per=str(raw.get("per", "")),
    )


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"cannot read indicator catalogue {path}: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"indicator catalogue {path} is not valid TOML: {exc}") from exc


def _apply_override(items: dict[str, dict[str, Any]], path: Path) -> None:
    data = _read(path)
    for n, raw in enumerate(data.get("item", []), start=1):
        item_id = raw.get("id")
        if item_id not in items:
            raise _fail(f"{path} item {n}", f"overrides unknown indicator {item_id!r}")
        base = items[item_id]
        for key, value in raw.items():
            if key == "thresholds":
                base["thresholds"] = {**base.get("thresholds", {}), **value}
            elif key in ("points", "cap", "verified", "name"):
                base[key] = value
            elif key != "id":
                raise _fail(f"{path} item {n}", f"cannot override {key!r}")


def load_catalogue(path: str | Path = DEFAULT_PATH, overrides: Iterable[str | Path] = ()) -> Catalogue:
    path = Path(path)
    data = _read(path)
    raw_items = data.get("item")
    if not isinstance(raw_items, list) or not raw_items:
        raise _fail(str(path), "no [[item]] entries")
    by_id: dict[str, dict[str, Any]] = {}
    for n, raw in enumerate(raw_items, start=1):
        item_id = raw.get("id")
        if item_id in by_id:
            raise _fail(f"{path} item {n}", f"duplicate id {item_id!r}")
        by_id[str(item_id)] = dict(raw)
    for override in overrides:
        _apply_override(by_id, Path(override))
    items = {item_id: _item(raw, f"{path} item {item_id}") for item_id, raw in by_id.items()}
    version = data.get("version", 1)
    if not isinstance(version, int):
        raise _fail(str(path), "version must be an integer")
    rules = tuple(_rule(raw, n, items) for n, raw in enumerate(data.get("rule", []), start=1))
    scoring = dict(data.get("scoring", {}))
    for override in overrides:  # a province may change the scoring bounds too
        scoring.update({k: v for k, v in _read(Path(override)).get("scoring", {}).items() if k != "part_of"})
    return Catalogue(
        edition=str(data.get("edition", "")),
        version=version,
        items=MappingProxyType(items),
        rules=rules,
        scoring=MappingProxyType(scoring),
    )


@cache
def catalogue() -> Catalogue:
    """The built-in national catalogue (validated once, cached)."""
    return load_catalogue(DEFAULT_PATH)


PROVINCES_DIR = Path(__file__).with_name("provinces")


@cache
def province_catalogue(code: str) -> Catalogue:
    """The national catalogue with ``provinces/<code>.toml`` applied when that file exists.
    ``code``: the province's 2-digit GB/T 2260 prefix (``51``) or its 6-digit code."""
    code = str(code)[:2]
    path = PROVINCES_DIR / f"{code}.toml"
    return load_catalogue(DEFAULT_PATH, overrides=[path] if path.is_file() else [])
