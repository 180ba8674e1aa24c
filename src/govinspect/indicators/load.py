"""Load and validate the indicator catalogue; typed, read-only access.

``national_catalogue()`` is the built-in catalogue, validated on first use and cached.
``load_catalogue(path, overrides=...)`` reads another file and applies overrides — province
files or ``Override`` data of the same shape — whose ``[[item]]`` entries (id + thresholds,
optionally points/cap) and ``[scoring]`` keys replace the national values. Any problem is a
``ConfigError`` naming the item and key (an unknown threshold or scoring key too: a typo must
not be silently ignored).

The effective catalogue of a province is national → ``provinces/<code>.toml`` → the overrides
the province administrator saved in the web application, in that order:
``province_catalogue(code, at=...)``. This package imports no Django: the web application
registers the source of its saved overrides with ``set_override_source`` when it starts.

The engine's checks call ``catalogue()``: the national catalogue, unless a runner made another
one active for the inspection it runs (``active(cat)``, a context variable, so each inspection
of a process sees its own and asyncio tasks created inside inherit it).
"""

from __future__ import annotations

import threading
import tomllib
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
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


@dataclass(frozen=True, slots=True)
class Override:
    """Overrides of the national values in the shape of a province file, from wherever they come."""

    source: str  # named in error messages (a file path, "web settings version 12" …)
    data: Mapping[str, Any]

    @classmethod
    def from_toml(cls, text: str, source: str) -> Override:
        try:
            return cls(source, tomllib.loads(text))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"indicator overrides {source} are not valid TOML: {exc}") from exc

    @classmethod
    def of(cls, value: str | Path | Override) -> Override:
        return value if isinstance(value, Override) else cls(str(value), _read(Path(value)))


OVERRIDABLE_ITEM_KEYS = ("thresholds", "points", "cap", "verified", "name")


def _apply_override(items: dict[str, dict[str, Any]], override: Override) -> None:
    unknown = set(override.data) - {"item", "scoring"}
    if unknown:
        raise _fail(override.source, f"unknown tables {sorted(unknown)}")
    entries = override.data.get("item", [])
    if not isinstance(entries, list):
        raise _fail(override.source, "item must be an array of tables ([[item]])")
    for n, raw in enumerate(entries, start=1):
        where = f"{override.source} item {n}"
        item_id = raw.get("id") if isinstance(raw, Mapping) else None
        if item_id not in items:
            raise _fail(where, f"overrides unknown indicator {item_id!r}")
        base = items[item_id]
        for key, value in raw.items():
            if key == "thresholds":
                if not isinstance(value, Mapping):
                    raise _fail(where, "thresholds must be a table")
                known = base.get("thresholds", {})
                extra = sorted(set(value) - set(known))
                if extra:
                    raise _fail(where, f"{item_id} has no thresholds {extra}")
                base["thresholds"] = {**known, **value}
            elif key in OVERRIDABLE_ITEM_KEYS:
                base[key] = value
            elif key != "id":
                raise _fail(where, f"cannot override {key!r}")


def _apply_scoring(scoring: dict[str, Any], override: Override) -> None:
    table = override.data.get("scoring", {})
    if not isinstance(table, Mapping):
        raise _fail(override.source, "scoring must be a table")
    extra = sorted(set(table) - set(scoring) | ({"part_of"} & set(table)))
    if extra:
        raise _fail(override.source, f"cannot override scoring keys {extra}")
    scoring.update(table)


def load_catalogue(path: str | Path = DEFAULT_PATH, overrides: Iterable[str | Path | Override] = ()) -> Catalogue:
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
    layers = [Override.of(o) for o in overrides]
    for override in layers:
        _apply_override(by_id, override)
    items = {item_id: _item(raw, f"{path} item {item_id}") for item_id, raw in by_id.items()}
    version = data.get("version", 1)
    if not isinstance(version, int):
        raise _fail(str(path), "version must be an integer")
    rules = tuple(_rule(raw, n, items) for n, raw in enumerate(data.get("rule", []), start=1))
    scoring = dict(data.get("scoring", {}))
    for override in layers:  # a province may change the scoring bounds too
        _apply_scoring(scoring, override)
    return Catalogue(
        edition=str(data.get("edition", "")),
        version=version,
        items=MappingProxyType(items),
        rules=rules,
        scoring=MappingProxyType(scoring),
    )


@cache
def national_catalogue() -> Catalogue:
    """The built-in national catalogue (validated once, cached)."""
    return load_catalogue(DEFAULT_PATH)


_ACTIVE: ContextVar[Catalogue | None] = ContextVar("govinspect_active_catalogue", default=None)


def catalogue() -> Catalogue:
    """The catalogue the checks read: the one a runner made active, else the national one."""
    cat = _ACTIVE.get()
    return national_catalogue() if cat is None else cat


@contextmanager
def active(cat: Catalogue) -> Iterator[Catalogue]:
    """Make ``cat`` what ``catalogue()`` returns in this context (an inspection's run)."""
    token = _ACTIVE.set(cat)
    try:
        yield cat
    finally:
        _ACTIVE.reset(token)


PROVINCES_DIR = Path(__file__).with_name("provinces")

# code, at -> (a key naming that version of the overrides, the overrides) or None when there are none
OverrideSource = Callable[[str, datetime | None], tuple[Hashable, Override] | None]
_source: OverrideSource | None = None
_built: OrderedDict[tuple[str, Hashable], Catalogue] = OrderedDict()
_built_lock = threading.Lock()
_BUILT_MAX = 32


def set_override_source(source: OverrideSource | None) -> None:
    """Where ``province_catalogue`` finds the saved overrides (the web application's versions)."""
    global _source
    _source = source
    with _built_lock:
        _built.clear()


def province_file(code: str) -> Path | None:
    path = PROVINCES_DIR / f"{str(code)[:2]}.toml"
    return path if path.is_file() else None


@cache
def province_file_catalogue(code: str) -> Catalogue:
    """The national catalogue with ``provinces/<code>.toml`` applied when that file exists."""
    path = province_file(code)
    return load_catalogue(DEFAULT_PATH, overrides=[path] if path else [])


def province_catalogue(code: str, at: datetime | None = None) -> Catalogue:
    """The effective catalogue of a province: national → ``provinces/<code>.toml`` → the saved
    overrides in force at ``at`` (the latest when None). ``code``: the province's 2-digit GB/T 2260
    prefix (``51``) or its 6-digit code."""
    code = str(code)[:2]
    found = _source(code, at) if _source is not None else None
    if found is None:
        return province_file_catalogue(code)
    key, override = found
    with _built_lock:
        cat = _built.get((code, key))
        if cat is not None:
            _built.move_to_end((code, key))
            return cat
    path = province_file(code)
    cat = load_catalogue(DEFAULT_PATH, overrides=[*([path] if path else []), override])
    with _built_lock:
        _built[(code, key)] = cat
        while len(_built) > _BUILT_MAX:
            _built.popitem(last=False)
    return cat
