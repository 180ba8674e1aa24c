"""Reading the sandbox manifest, truth and negatives, with their origins rewritten to the ports served.

Truth decision: ``truth.jsonl`` and ``negatives.jsonl`` are written with the default origins
``http://127.0.0.1:{base_port + index}`` of the build (base_port 8101 unless given). When the
sandbox is served elsewhere (another ``--base-port``, ephemeral ports in tests, another host), the
server rewrites every ``127.0.0.1:PORT`` in pages on the fly, and ``load_truth(dir, ports=…)``
rewrites the truth the same way, so truth and pages always agree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from govinspect.errors import ConfigError
from govinspect.findings import Finding, read_jsonl

_ORIGIN_RE = re.compile(r"127\.0\.0\.1(:|%3A)(\d{2,5})")
_ORIGIN_RE_B = re.compile(rb"127\.0\.0\.1(:|%3A)(\d{2,5})")


def load_manifest(directory: str | Path) -> dict[str, Any]:
    path = Path(directory) / "sites.json"
    if not path.is_file():
        raise ConfigError(f"{directory} holds no sandbox (no sites.json); run `govinspect sandbox build` first")
    return json.loads(path.read_text(encoding="utf-8"))


def default_ports(manifest: dict[str, Any]) -> dict[int, int]:
    """index -> port in the built files (the external host has index len(sites))."""
    base = manifest["base_port"]
    return {i: base + i for i in range(len(manifest["sites"]) + 1)}


def port_map(manifest: dict[str, Any], ports: dict[int, int]) -> dict[int, int]:
    """built port -> served port."""
    built = default_ports(manifest)
    return {built[i]: ports[i] for i in built if i in ports}


def make_rewriter(mapping: dict[int, int], host: str = "127.0.0.1") -> Callable[[str], str] | None:
    if host == "127.0.0.1" and all(a == b for a, b in mapping.items()):
        return None

    def sub(m: re.Match[str]) -> str:
        port = int(m[2])
        return f"{host}{m[1]}{mapping.get(port, port)}"

    return lambda text: _ORIGIN_RE.sub(sub, text)


def make_bytes_rewriter(mapping: dict[int, int], host: str = "127.0.0.1") -> Callable[[bytes], bytes] | None:
    if host == "127.0.0.1" and all(a == b for a, b in mapping.items()):
        return None
    hb = host.encode()

    def sub(m: re.Match[bytes]) -> bytes:
        port = int(m[2])
        return hb + m[1] + str(mapping.get(port, port)).encode()

    return lambda data: _ORIGIN_RE_B.sub(sub, data)


def _load(path: Path, rewrite: Callable[[str], str] | None) -> list[Finding]:
    if rewrite is None:
        return list(read_jsonl(path))
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                out.append(Finding.from_dict(json.loads(rewrite(line))))
    return out


def load_truth(
    directory: str | Path,
    *,
    base_port: int | None = None,
    ports: dict[int, int] | None = None,
    host: str = "127.0.0.1",
    negatives: bool = False,
) -> list[Finding]:
    """Truth (or negatives) of a built sandbox, for the ports it is served on.

    ``base_port``: served with ``sandbox serve --base-port``; ``ports``: index -> port (ephemeral).
    """
    directory = Path(directory)
    manifest = load_manifest(directory)
    if ports is None and base_port is not None:
        ports = {i: base_port + i for i in range(len(manifest["sites"]) + 1)}
    rewrite = make_rewriter(port_map(manifest, ports), host) if ports else None
    return _load(directory / ("negatives.jsonl" if negatives else "truth.jsonl"), rewrite)
