"""Evidence: the responses behind findings, one gzipped WARC file per site (warcio).

Only pages a finding points at are written (bounded disk and memory); each is written once
per site. A finding then carries ``evidence_ref = {"warc": path, "record_id": …,
"offset": …}``: the byte offset of the gzip member holding the record, so a reviewer's
viewer can seek straight to it (``warcio.ArchiveIterator`` on the file from that offset).
The body stored is the one the checks read (decompressed, capped); the recorded headers
drop Content-Encoding/Transfer-Encoding and give the stored length.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from govinspect.engine.page.model import Page

_DROP = {"content-encoding", "transfer-encoding", "content-length"}
_REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 404: "Not Found", 500: "Internal Server Error"}


def warc_name(home_url: str) -> str:
    parts = urlsplit(home_url)
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", parts.netloc or "site")
    return f"{name}.warc.gz"


class SiteWarc:
    """Writes response records of one site's evidence pages; opened lazily on first write."""

    def __init__(self, directory: str | Path, home_url: str) -> None:
        self.path = Path(directory) / warc_name(home_url)
        self._fh: io.BufferedWriter | None = None
        self._writer: WARCWriter | None = None
        self._written: dict[str, dict[str, Any]] = {}
        self.records = 0

    def _open(self) -> WARCWriter:
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = open(self.path, "ab")  # noqa: SIM115 - closed in close()
            self._writer = WARCWriter(self._fh, gzip=True)
        return self._writer

    def write(self, page: Page) -> dict[str, Any]:
        """The evidence_ref of ``page``'s response record (written now, or earlier)."""
        done = self._written.get(page.url)
        if done is not None:
            return done
        writer = self._open()
        assert self._fh is not None
        headers = [(k, v) for k, v in page.headers.items() if k.lower() not in _DROP]
        headers.append(("Content-Length", str(len(page.body))))
        status = f"{page.status} {_REASONS.get(page.status, 'Response')}"
        http_headers = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        warc_headers = {}
        if page.fetched_at is not None:
            warc_headers["WARC-Date"] = page.fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        record = writer.create_warc_record(
            page.url,
            "response",
            payload=io.BytesIO(page.body),
            length=len(page.body),
            http_headers=http_headers,
            warc_headers_dict=warc_headers,
        )
        self._fh.flush()
        offset = self._fh.tell()
        writer.write_record(record)
        self._fh.flush()
        ref = {"warc": str(self.path), "record_id": record.rec_headers.get_header("WARC-Record-ID"), "offset": offset}
        self._written[page.url] = ref
        self.records += 1
        return ref

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
        self._fh = None
        self._writer = None
