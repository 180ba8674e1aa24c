"""Screenshots of archived pages for reviewers, rendered by headless Chromium (Debian's
/usr/bin/chromium through Playwright): scripts disabled and every network request refused, so the
picture shows exactly the archived HTML (the response the inspection checked, read back from its
WARC record) and nothing is fetched from anywhere.

Two ways in:
- ``capture_inspection``: after an inspection's findings are stored, the pages that carry findings
  are rendered in one browser (one screenshot per distinct page, vetoes first, capped per site and
  per inspection by settings ``INSPECTION_SCREENSHOTS_PER_SITE`` / ``..._PER_INSPECTION``; off with
  ``INSPECTION_SCREENSHOTS = False``). The picture is stored under ``MEDIA_ROOT/screenshots/<inspection>/`` and
  named in each finding's ``evidence_ref["screenshot"]`` (relative to MEDIA_ROOT): it belongs to that
  archived response, so a later inspection that archives the page again replaces the reference.
- ``render``: one finding's picture on demand (the finding page's button), at ``screenshot_path``.

Without Chromium or Playwright the capture logs once and does nothing; the page says no picture.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from govinspect.errors import ConfigError
from govinspect.findings import normalize_url
from govinspect.web.evidence import Archived, read_archived

log = logging.getLogger(__name__)

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 900}
RENDER_TIMEOUT_MS = 15_000
SEVERITY_ORDER = {"veto": 0, "deduct": 1, "notice": 2}
_warned: set[str] = set()


def chromium_path() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium") or "", shutil.which("chromium-browser") or ""):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def screenshot_path(fingerprint: str) -> Path:
    """Where the on-demand picture of one finding is kept."""
    return Path(settings.MEDIA_ROOT) / "screenshots" / f"{fingerprint}.png"


def _inspection_path(finding: Any) -> Path | None:
    ref = finding.evidence_ref if isinstance(finding.evidence_ref, dict) else {}
    name = ref.get("screenshot")
    if isinstance(name, str) and name and ".." not in Path(name).parts and not Path(name).is_absolute():
        return Path(settings.MEDIA_ROOT) / name
    return None


def stored_path(finding: Any) -> Path | None:
    """The finding's picture: the one taken at inspection time (``evidence_ref["screenshot"]``),
    else one taken on demand; None when there is none on disk."""
    for path in (_inspection_path(finding), screenshot_path(finding.fingerprint)):
        if path is not None and path.is_file():
            return path
    return None


def taken_at_inspection(finding: Any) -> bool:
    path = _inspection_path(finding)
    return path is not None and path.is_file()


def render_path(finding: Any) -> Path:
    """Where an on-demand picture goes: over the inspection-time one (same archived page), else
    the finding's own."""
    return _inspection_path(finding) or screenshot_path(finding.fingerprint)


class Renderer:
    """One headless Chromium for a batch of pages (launching it costs far more than a page)."""

    def __init__(self) -> None:
        executable = chromium_path()
        if executable is None:
            raise ConfigError("未安装 Chromium（apt-get install -y chromium），无法生成截图")
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as exc:
            raise ConfigError("未安装 playwright（pip install playwright），无法生成截图") from exc
        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(
                executable_path=executable, args=CHROMIUM_ARGS, headless=True
            )
            self._context = self._browser.new_context(viewport=VIEWPORT, java_script_enabled=False)
            self._context.route("**/*", lambda route: route.abort())  # nothing leaves the machine
        except Exception:
            self._playwright.stop()
            raise
        self._page: Any = None

    def render(self, archived: Archived, out: Path) -> Path:
        """The first screen of the archived page as a PNG at ``out``. One tab serves the batch
        (scripts are off, so nothing carries over from one page to the next); a tab that failed
        is replaced."""
        html = archived.body.decode(_charset(archived.content_type), errors="replace")
        out.parent.mkdir(parents=True, exist_ok=True)
        if self._page is None:
            self._page = self._context.new_page()
        try:
            self._page.set_content(html, wait_until="domcontentloaded", timeout=RENDER_TIMEOUT_MS)
            self._page.screenshot(
                path=str(out), full_page=False, timeout=RENDER_TIMEOUT_MS, animations="disabled", caret="initial"
            )
        except Exception:
            page, self._page = self._page, None
            page.close()
            raise
        return out

    def close(self) -> None:
        try:
            self._browser.close()
        finally:
            self._playwright.stop()


@contextmanager
def renderer() -> Iterator[Renderer]:
    r = Renderer()
    try:
        yield r
    finally:
        r.close()


def render(archived: Archived, out: Path) -> Path:
    """Render one archived page (on demand). ConfigError when Chromium is missing."""
    with renderer() as r:
        return r.render(archived, out)


# --- at inspection time -------------------------------------------------------------------


@dataclass
class CaptureStats:
    pages: int = 0  # screenshots written
    findings: int = 0  # findings that now reference one
    failed: int = 0
    skipped: str = ""  # why nothing was captured
    capped: int = 0  # pages left out by the caps
    seconds: float = 0.0
    per_page_ms: list[float] = field(default_factory=list)

    @property
    def ms_per_page(self) -> float:
        return round(sum(self.per_page_ms) / len(self.per_page_ms), 1) if self.per_page_ms else 0.0


def enabled() -> bool:
    return bool(getattr(settings, "INSPECTION_SCREENSHOTS", True))


def _warn_once(key: str, message: str) -> None:
    if key not in _warned:
        _warned.add(key)
        log.warning("%s", message)


def _pages_of(inspection: Any, per_site: int, per_inspection: int) -> tuple[list[tuple[str, list[Any]]], int]:
    """Distinct archived pages of the inspection's findings, vetoes first: (key, findings) each."""
    from govinspect.inspections.models import Finding

    rows = (
        Finding.objects.filter(sightings__inspection=inspection, site__isnull=False, evidence_ref__isnull=False)
        .only("id", "site_id", "url", "severity", "evidence_ref")
        .order_by("id")
    )
    groups: dict[tuple[int, str], list[Any]] = {}
    rank: dict[tuple[int, str], int] = {}
    for f in rows:
        ref = f.evidence_ref if isinstance(f.evidence_ref, dict) else {}
        if not str(ref.get("warc", "")).endswith(".warc.gz"):
            continue
        key = (f.site_id, normalize_url(f.url))
        groups.setdefault(key, []).append(f)
        rank[key] = min(rank.get(key, 9), SEVERITY_ORDER.get(f.severity, 3))
    chosen: list[tuple[str, list[Any]]] = []
    per: dict[int, int] = {}
    capped = 0
    for key in sorted(groups, key=lambda k: (rank[k], groups[k][0].id)):
        site_id, url = key
        if per.get(site_id, 0) >= per_site or len(chosen) >= per_inspection:
            capped += 1
            continue
        per[site_id] = per.get(site_id, 0) + 1
        chosen.append((url, groups[key]))
    return chosen, capped


def capture_inspection(
    inspection: Any, *, per_site: int | None = None, per_inspection: int | None = None
) -> CaptureStats:
    """Render the pages carrying the inspection's findings (see the module's doc)."""
    from govinspect.inspections.models import Finding

    stats = CaptureStats()
    if not enabled():
        stats.skipped = "disabled"
        return stats
    per_site = settings.INSPECTION_SCREENSHOTS_PER_SITE if per_site is None else per_site
    per_inspection = settings.INSPECTION_SCREENSHOTS_PER_INSPECTION if per_inspection is None else per_inspection
    pages, stats.capped = _pages_of(inspection, per_site, per_inspection)
    if not pages:
        stats.skipped = "no archived pages"
        return stats
    start = time.monotonic()
    try:
        batch = Renderer()
    except ConfigError as exc:
        _warn_once("chromium", f"检查时截图已跳过：{exc}")
        stats.skipped = str(exc)
        return stats
    except Exception as exc:  # a browser that does not start must not fail the inspection
        _warn_once("launch", f"检查时截图已跳过：Chromium 无法启动（{exc}）")
        stats.skipped = f"launch failed: {exc}"
        return stats
    folder = Path(settings.MEDIA_ROOT) / "screenshots" / str(inspection.pk)
    taken: list[tuple[list[Any], str]] = []
    try:  # no database call while the browser runs: Playwright's loop makes Django refuse them
        for url, findings in pages:
            archived = read_archived(findings[0].evidence_ref)
            if archived is None:
                stats.failed += 1
                continue
            name = hashlib.sha1(f"{findings[0].site_id}\x1f{url}".encode()).hexdigest()[:20] + ".png"
            t0 = time.monotonic()
            try:
                batch.render(archived, folder / name)
            except Exception as exc:  # one bad page (a timeout) never stops the batch
                log.info("screenshot of %s failed: %s", url, exc)
                stats.failed += 1
                continue
            stats.per_page_ms.append((time.monotonic() - t0) * 1000)
            taken.append((findings, str((folder / name).relative_to(Path(settings.MEDIA_ROOT)))))
    finally:
        batch.close()
    for findings, relative in taken:
        for f in findings:
            f.evidence_ref = {**f.evidence_ref, "screenshot": relative}
        Finding.objects.bulk_update(findings, ["evidence_ref"])
        stats.pages += 1
        stats.findings += len(findings)
    stats.seconds = round(time.monotonic() - start, 2)
    log.info(
        "inspection %s: %d screenshots (%.0f ms each, %d left out by the caps, %d failed) in %.1f s",
        inspection.pk,
        stats.pages,
        stats.ms_per_page,
        stats.capped,
        stats.failed,
        stats.seconds,
    )
    return stats


def _charset(content_type: str) -> str:
    from govinspect.web.evidence import _charset as charset

    return charset(content_type)


def archive_config(config: Any, inspection: Any) -> Any:
    """The engine config with a WARC directory for the inspection (``DATA_DIR/warc/<id>``, as the
    web's inspections use) when screenshots are on and the caller archives nothing: the capture
    renders the archived pages (``govinspect run`` calls this; the demo does not)."""
    from dataclasses import replace

    if config.warc_dir or not enabled() or getattr(settings, "INSPECTION_SCREENSHOTS_PER_INSPECTION", 1) == 0:
        return config
    return replace(config, warc_dir=str(Path(settings.DATA_DIR) / "warc" / str(inspection.pk)))


def capture_after(inspection: Any) -> CaptureStats | None:
    """The capture step after an inspection; any failure is logged, never raised."""
    try:
        return capture_inspection(inspection)
    except Exception:
        log.exception("screenshots of inspection %s failed", inspection.pk)
        return None
