"""Word lists kept as data, so that an operator can update them without a release.

Packaged files live beside this module. A check option ``lexicon_dir`` (for instance
``config.check_options["text.typo"]["lexicon_dir"]``) names a directory whose files replace
the packaged files of the same name; files it does not hold come from the package.

Files:
- ``protected_terms.toml``: leaders and posts, formulations, state organs, the country,
  improper expressions (text.severe_error);
- ``misused_words.tsv``: wrong<TAB>right[<TAB>exception|exception] (text.typo);
- ``official_phrasings.txt``: one phrasing a line (text.typo);
- ``allowlist.txt``: words never flagged, one a line (both checks).
Lines starting with ``#`` and blank lines are ignored in the text formats.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from govinspect.errors import ConfigError

PROTECTED_TERMS = "protected_terms.toml"
MISUSED_WORDS = "misused_words.tsv"
OFFICIAL_PHRASINGS = "official_phrasings.txt"
ALLOWLIST = "allowlist.txt"


@dataclass(frozen=True, slots=True)
class Leader:
    name: str
    posts: frozenset[str]
    former_posts: frozenset[str]
    canonical: str


@dataclass(frozen=True, slots=True)
class ProtectedTerms:
    as_of: str
    leaders: tuple[Leader, ...]
    post_titles: tuple[str, ...]
    terms: tuple[str, ...]  # formulations, organs, country
    improper: tuple[tuple[str, str], ...]  # (wrong, right)


@dataclass(frozen=True, slots=True)
class MisusedWord:
    wrong: str
    right: str
    exceptions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Lexicons:
    protected: ProtectedTerms
    misused: tuple[MisusedWord, ...]
    phrasings: tuple[str, ...]
    allowlist: frozenset[str]


def _path(name: str, override_dir: str | None) -> Path:
    if override_dir:
        directory = Path(override_dir)
        if not directory.is_dir():
            raise ConfigError(f"lexicon_dir {override_dir!r} is not a directory")
        candidate = directory / name
        if candidate.is_file():
            return candidate
    return Path(str(files(__package__).joinpath(name)))


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read lexicon {path}: {exc}") from exc


def _lines(path: Path) -> list[str]:
    out = []
    for line in _read_text(path).splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def _str_list(data: dict[str, Any], key: str, path: Path) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{path}: {key} must be a list of non-empty strings")
    return value


def load_protected_terms(override_dir: str | None = None) -> ProtectedTerms:
    path = _path(PROTECTED_TERMS, override_dir)
    try:
        data = tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    titles = _str_list(data.get("posts", {}), "titles", path)
    leaders = []
    for i, entry in enumerate(data.get("leader", [])):
        name = entry.get("name")
        if not isinstance(name, str) or not name:
            raise ConfigError(f"{path}: leader #{i + 1} has no name")
        posts = _str_list(entry, "posts", path)
        former = _str_list(entry, "former_posts", path)
        unknown = set(posts + former) - set(titles)
        if unknown:
            raise ConfigError(f"{path}: leader {name}: posts not in [posts] titles: {', '.join(sorted(unknown))}")
        canonical = entry.get("canonical") or (posts[0] if posts else "")
        leaders.append(Leader(name, frozenset(posts), frozenset(former), canonical))
    section = data.get("terms", {})
    terms: list[str] = []
    for key in ("formulations", "organs", "country"):
        terms.extend(_str_list(section, key, path))
    improper = []
    for entry in data.get("improper", []):
        wrong, right = entry.get("wrong"), entry.get("right")
        if not (isinstance(wrong, str) and wrong and isinstance(right, str) and right):
            raise ConfigError(f"{path}: every [[improper]] needs wrong and right")
        improper.append((wrong, right))
    return ProtectedTerms(
        as_of=str(data.get("as_of", "")),
        leaders=tuple(leaders),
        post_titles=tuple(titles),
        terms=tuple(dict.fromkeys(terms)),
        improper=tuple(improper),
    )


def load_misused_words(override_dir: str | None = None) -> tuple[MisusedWord, ...]:
    path = _path(MISUSED_WORDS, override_dir)
    out = []
    for n, line in enumerate(_lines(path), start=1):
        cols = line.split("\t")
        if len(cols) < 2 or not cols[0] or not cols[1] or cols[0] == cols[1]:
            raise ConfigError(f"{path}: entry {n} ({line!r}) needs wrong<TAB>right, different")
        exceptions = tuple(e for e in cols[2].split("|") if e) if len(cols) > 2 else ()
        out.append(MisusedWord(cols[0], cols[1], exceptions))
    return tuple(out)


def load_lexicons(override_dir: str | None = None) -> Lexicons:
    return Lexicons(
        protected=load_protected_terms(override_dir),
        misused=load_misused_words(override_dir),
        phrasings=tuple(_lines(_path(OFFICIAL_PHRASINGS, override_dir))),
        allowlist=frozenset(_lines(_path(ALLOWLIST, override_dir))),
    )


@cache
def cached_lexicons(override_dir: str | None = None) -> Lexicons:
    """Lexicons loaded once per process and directory (they are read-only)."""
    return load_lexicons(override_dir)
