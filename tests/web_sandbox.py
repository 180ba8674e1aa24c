"""A two-site sandbox served on loopback with the world's Chengdu site pointing at a site with
same-host 404 links (the defects an organizer can fix by publishing the missing page)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from govinspect.findings import Finding as FindingRecord
from govinspect.sandbox import SandboxServer, build

SEED = 7


@dataclass
class Sandbox:
    root: Path
    server: SandboxServer
    homes: dict[str, str]  # world key -> home URL
    records: dict[str, list[FindingRecord]]  # world key -> truth findings
    fixable: list[FindingRecord]  # same-host 404 links of the Chengdu site

    def fix(self, record: FindingRecord) -> Path:
        """Publish the missing page the broken link points at (what the organizer does)."""
        code = next(s.code for s in self.server.app.sites if self.server.url_for(s.code) == record.site)
        path = self.root / "sites" / code / urlsplit(record.target or "").path.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("<html><body><p>已补充发布的页面</p></body></html>", encoding="utf-8")
        return path


@contextmanager
def served_sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    manifest = build(tmp_path, seed=SEED, sites=2, pages_per_site=20)
    codes = [s["site_code"] for s in manifest["sites"]]
    with SandboxServer(tmp_path, base_port=0) as srv:
        homes = {"zg": srv.url_for(codes[0]), "cd": srv.url_for(codes[1])}
        truth = srv.truth()
        records = {key: [f for f in truth if f.site == home] for key, home in homes.items()}
        cd_host = urlsplit(homes["cd"]).netloc
        fixable = [
            f
            for f in records["cd"]
            if f.check == "links.broken"
            and (f.detail or {}).get("status") == 404
            and urlsplit(f.target or "").netloc == cd_host
        ]
        yield Sandbox(tmp_path, srv, homes, records, fixable)
