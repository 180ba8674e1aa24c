"""Point the Django register at a sandbox (or back at the register's own addresses).

Needs Django set up (``govinspect sandbox point-register`` does it). Matching is by site code;
sandbox sites absent from the register are counted, not created.
"""

from __future__ import annotations

from pathlib import Path

from govinspect.sandbox.truth import load_manifest


def sandbox_addresses(directory: str | Path, base_port: int | None = None, host: str = "127.0.0.1") -> dict[str, str]:
    """site_code -> the sandbox home URL for the ports it is (to be) served on."""
    manifest = load_manifest(directory)
    base = manifest["base_port"] if base_port is None else base_port
    return {s["site_code"]: f"http://{host}:{base + s['index']}/" for s in manifest["sites"]}


def _apply(addresses: dict[str, str]) -> tuple[int, int]:
    from django.db import transaction

    from govinspect.registry.models import Site

    with transaction.atomic():
        sites = list(Site.objects.filter(site_code__in=list(addresses)))
        # home_url is unique: park the rows on unique temporary URLs first, so swapping
        # addresses between sites (a rebuilt sandbox) never collides half-way
        for site in sites:
            site.home_url = f"http://repoint.invalid/{site.site_code}/"
        Site.objects.bulk_update(sites, ["home_url"], batch_size=500)
        for site in sites:
            site.home_url = addresses[site.site_code]
        Site.objects.bulk_update(sites, ["home_url"], batch_size=500)
    return len(sites), len(addresses) - len(sites)


def point_register(directory: str | Path, base_port: int | None = None, host: str = "127.0.0.1") -> tuple[int, int]:
    """Set each registered Site.home_url to its sandbox address. Returns (changed, not in register)."""
    return _apply(sandbox_addresses(directory, base_port, host))


def restore_register() -> tuple[int, int]:
    """Put back the home URLs of the shipped Sichuan register (the placeholder government hosts)."""
    from govinspect.registry.sichuan import sichuan_register

    return _apply({s.site_code: s.home_url for s in sichuan_register().sites})
