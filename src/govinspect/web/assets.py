"""Browser libraries installed from npm at set-up (frontend/package.json) and copied into the
app's static folder, so that nothing is ever loaded from a CDN."""

from __future__ import annotations

import shutil
from pathlib import Path

from govinspect.errors import ConfigError

STATIC_VENDOR = Path(__file__).resolve().parent / "static" / "web" / "vendor"
# name in static/web/vendor -> path inside node_modules
ASSETS = {"echarts.min.js": Path("echarts") / "dist" / "echarts.min.js"}


def default_node_modules() -> Path:
    return Path(__file__).resolve().parents[3] / "frontend" / "node_modules"


def missing() -> list[str]:
    return [name for name in ASSETS if not (STATIC_VENDOR / name).is_file()]


def vendor_assets(node_modules: Path | None = None) -> list[Path]:
    """Copy every asset; ConfigError names what is missing and how to install it."""
    node_modules = node_modules or default_node_modules()
    copied = []
    for name, rel in ASSETS.items():
        source = node_modules / rel
        if not source.is_file():
            raise ConfigError(f"{source} not found: run `npm ci --prefix frontend` (or npm install) first")
        STATIC_VENDOR.mkdir(parents=True, exist_ok=True)
        copied.append(Path(shutil.copyfile(source, STATIC_VENDOR / name)))
    return copied
