"""The findings contract (DESIGN.md): one JSON object a line, public and stable.

Extend, never break: required keys are ``site``, ``check``, ``severity``, ``url``;
``indicator``, ``target``, ``evidence``, ``detail`` and ``evidence_ref`` are optional.

A finding's *fingerprint* names the problem independently of when it was seen:
(site, check, normalised url, key), where the key is the target or the offending
text named per check in ``FINGERPRINT_KEYS``. The scorer, the database and the
rectification loop all use this one function.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

Severity = Literal["veto", "deduct", "notice"]
SEVERITIES: tuple[str, ...] = ("veto", "deduct", "notice")

# check id -> the detail key (or "target") that tells two findings on one page apart.
# None: one finding per (site, check, url).
FINGERPRINT_KEYS: dict[str, str | None] = {
    "availability.unreachable": None,
    "update.homepage_stale": None,
    "update.column_stale": "column",
    "update.column_blank": "column",
    "links.broken": "target",
    "text.severe_error": "wrong",
    "text.typo": "wrong",
    "security.sensitive": "word",
    "security.hidden_link": "target",
    "privacy.leak": "masked",
    "policy.missing_elements": None,
    "policy.interpretation_unlinked": "interpretation",
    "interaction.no_channel": None,
    "interaction.unanswered": "asked",
    "interaction.perfunctory": "target",
    "service.guide_incomplete": None,
    "search.missing": None,
    "search.no_pinyin": None,
    "search.no_typo_tolerance": None,
    "search.title_not_found": "query",
    "identity.missing": "item",
    "meta.missing_tags": None,
    # new-media checks (issue 10) extend this table in their own module
    "newmedia.stale": None,
    "newmedia.no_interaction": None,
    "newmedia.duplicate_account": "target",
    "newmedia.unfiled": "target",
    "newmedia.closed_but_active": None,
    "newmedia.low_frequency": None,
    "crawl.trap": "target",
    "crawl.error": "target",
}

CHECK_IDS: frozenset[str] = frozenset(FINGERPRINT_KEYS)


@dataclass(frozen=True, slots=True)
class Finding:
    site: str
    check: str
    severity: Severity
    url: str
    indicator: str | None = None
    target: str | None = None
    evidence: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    evidence_ref: dict[str, Any] | None = None  # {"warc": file, "record_id": …, "offset": …}

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, not {self.severity!r}")
        if not self.site or not self.check or not self.url:
            raise ValueError("site, check and url are required")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "site": self.site,
            "check": self.check,
            "severity": self.severity,
            "indicator": self.indicator,
            "url": self.url,
        }
        if self.target is not None:
            out["target"] = self.target
        if self.evidence is not None:
            out["evidence"] = self.evidence
        out["detail"] = dict(self.detail)
        if self.evidence_ref is not None:
            out["evidence_ref"] = dict(self.evidence_ref)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        missing = [k for k in ("site", "check", "severity", "url") if not data.get(k)]
        if missing:
            raise ValueError(f"finding lacks required keys: {', '.join(missing)}")
        return cls(
            site=data["site"],
            check=data["check"],
            severity=data["severity"],
            url=data["url"],
            indicator=data.get("indicator"),
            target=data.get("target"),
            evidence=data.get("evidence"),
            detail=dict(data.get("detail") or {}),
            evidence_ref=data.get("evidence_ref"),
        )

    @property
    def key(self) -> str:
        return fingerprint_key(self.check, self.target, self.detail)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.site, self.check, self.url, self.key)


def fingerprint_key(check: str, target: str | None, detail: dict[str, Any]) -> str:
    name = FINGERPRINT_KEYS.get(check, "target")
    if name is None:
        return ""
    if name == "target":
        return normalize_url(target) if target else ""
    value = detail.get(name)
    if value is None and target:
        return normalize_url(target)
    return str(value) if value is not None else ""


def fingerprint(site: str, check: str, url: str, key: str = "") -> str:
    raw = "\x1f".join((normalize_url(site), check, normalize_url(url), key))
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()


_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalize_url(url: str) -> str:
    """Normalise a URL for identity: lower-case scheme and host, no default port,
    no fragment, sorted query, '/' for an empty path. Not for fetching."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port if parts.port and parts.port != _DEFAULT_PORTS.get(scheme) else None
    netloc = f"{host}:{port}" if port else host
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    path = parts.path or "/"
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return urlunsplit((scheme, netloc, path, query, ""))


# --- masking ---------------------------------------------------------------------------

def mask_id_card(number: str) -> str:
    """510104199001011234 -> 510104********1234 (first 6, last 4)."""
    n = number.strip()
    return n[:6] + "*" * (len(n) - 10) + n[-4:] if len(n) > 10 else "*" * len(n)


def mask_mobile(number: str) -> str:
    """13812345678 -> 138****5678."""
    n = re.sub(r"\D", "", number)
    return n[:3] + "****" + n[-4:] if len(n) == 11 else "*" * len(n)


def mask_bank_card(number: str) -> str:
    """First 6 and last 4 digits kept."""
    n = re.sub(r"\D", "", number)
    return n[:6] + "*" * (len(n) - 10) + n[-4:] if len(n) > 10 else "*" * len(n)


_MASKERS = {"id_card": mask_id_card, "mobile": mask_mobile, "bank_card": mask_bank_card}

# Candidates only: the privacy checks validate; mask() is a last line of defence that
# hides anything shaped like a personal number in free text (evidence, logs, notes).
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])")
_ID15_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{6})(\d{3})(?![0-9A-Za-z])")
_MOBILE_RE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
_CARD_RE = re.compile(r"(?<!\d)(62\d{4}|[3-6]\d{5})(\d{6,9})(\d{4})(?!\d)")


def mask_value(kind: str, value: str) -> str:
    try:
        return _MASKERS[kind](value)
    except KeyError:
        raise ValueError(f"unknown personal-data kind {kind!r}") from None


def mask(text: str) -> str:
    """Mask every ID-card-, mobile- or bank-card-shaped number in free text."""
    if not text:
        return text
    text = _ID_RE.sub(lambda m: m[1] + "*" * (len(m[0]) - 10) + m[0][-4:], text)
    text = _CARD_RE.sub(lambda m: m[1] + "*" * len(m[2]) + m[3], text)
    text = _ID15_RE.sub(lambda m: m[1] + "*****" + m[0][-4:], text)
    return _MOBILE_RE.sub(lambda m: m[1] + "****" + m[3], text)


def excerpt(text: str, start: int, end: int, width: int = 30) -> str:
    """A masked excerpt of ``text`` around [start, end) with ``width`` characters each side."""
    lo = max(0, start - width)
    hi = min(len(text), end + width)
    out = text[lo:hi].replace("\n", " ")
    return mask(("…" if lo > 0 else "") + out + ("…" if hi < len(text) else ""))


# --- JSONL ------------------------------------------------------------------------------

def write_jsonl(findings: Iterable[Finding], out: IO[str]) -> int:
    n = 0
    for f in findings:
        out.write(json.dumps(f.to_dict(), ensure_ascii=False, sort_keys=False) + "\n")
        n += 1
    return n


def read_jsonl(path: str | Path) -> Iterator[Finding]:
    """Read findings; a malformed line raises ValueError naming its line number."""
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                yield Finding.from_dict(json.loads(line))
            except (ValueError, TypeError) as exc:
                raise ValueError(f"{path}:{lineno}: {exc}") from exc
