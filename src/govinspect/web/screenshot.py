"""Screenshots of archived pages for reviewers, rendered on demand by headless Chromium (Debian's
/usr/bin/chromium through Playwright): scripts disabled and every network request refused, so the
picture shows exactly the archived HTML and nothing is fetched from anywhere."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings

from govinspect.errors import ConfigError
from govinspect.web.evidence import Archived

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


def chromium_path() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium") or "", shutil.which("chromium-browser") or ""):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def screenshot_path(fingerprint: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "screenshots" / f"{fingerprint}.png"


def render(archived: Archived, out: Path) -> Path:
    """Render the archived page to a PNG (the first screen). ConfigError when Chromium is missing."""
    executable = chromium_path()
    if executable is None:
        raise ConfigError("未安装 Chromium（apt-get install -y chromium），无法生成截图")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise ConfigError("未安装 playwright（pip install playwright），无法生成截图") from exc
    html = archived.body.decode(_charset(archived.content_type), errors="replace")
    out.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport=VIEWPORT, java_script_enabled=False)
            page = context.new_page()
            page.route("**/*", lambda route: route.abort())
            page.set_content(html, wait_until="domcontentloaded", timeout=15_000)
            page.screenshot(path=str(out), full_page=False)
        finally:
            browser.close()
    return out


def _charset(content_type: str) -> str:
    from govinspect.web.evidence import _charset as charset

    return charset(content_type)
