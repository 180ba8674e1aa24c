"""Read a finding's archived page back from its WARC record (evidence_ref: warc, record_id, offset)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from govinspect.findings import mask

MAX_BODY = 5 * 1024 * 1024


@dataclass
class Archived:
    url: str
    status: str
    content_type: str
    body: bytes

    def text(self, limit: int = 20_000) -> str:
        """The page's visible text (masked), for the plain view."""
        from selectolax.lexbor import LexborHTMLParser

        html = self.body.decode(_charset(self.content_type), errors="replace")
        tree = LexborHTMLParser(html)
        for node in tree.css("script, style, noscript"):
            node.decompose()
        body = tree.body or tree.root
        text = body.text(separator="\n") if body is not None else ""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        return mask("\n".join(lines))[:limit]


def _charset(content_type: str) -> str:
    for part in content_type.split(";"):
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"'") or "utf-8"
    return "utf-8"


def read_archived(ref: dict[str, Any] | None) -> Archived | None:
    """The response record ``ref`` points at, or None when it is missing or unreadable."""
    if not ref or not isinstance(ref, dict) or not str(ref.get("warc", "")).endswith(".warc.gz"):
        return None
    path = Path(ref["warc"])
    if not path.is_file():
        return None
    try:
        with path.open("rb") as fh:
            fh.seek(int(ref.get("offset") or 0))
            for record in ArchiveIterator(fh):
                if record.rec_type != "response":
                    continue
                if ref.get("record_id") and record.rec_headers.get_header("WARC-Record-ID") != ref["record_id"]:
                    return None
                http = record.http_headers
                return Archived(
                    url=record.rec_headers.get_header("WARC-Target-URI") or "",
                    status=http.get_statuscode() if http else "",
                    content_type=(http.get_header("Content-Type") if http else "") or "text/html",
                    body=record.content_stream().read(MAX_BODY),
                )
    except (OSError, ValueError):
        return None
    return None
