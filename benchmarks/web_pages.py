"""Time the main web pages and API lists on the Sichuan register (664 sites, 3722 accounts) with
one scored inspection of every site (5 findings each), as the province and a city administrator.

    .venv/bin/python benchmarks/web_pages.py [--findings-per-site 5]

Uses a throw-away SQLite database under a temporary GOVINSPECT_DATA_DIR (or GOVINSPECT_DATABASE_URL)."""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--findings-per-site", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="govinspect-webbench-") as tmp:
        os.environ.setdefault("GOVINSPECT_DATA_DIR", tmp)
        run(args)


def run(args: argparse.Namespace) -> None:
    from govinspect.cli._django import setup_django

    setup_django()
    from django.contrib.auth.models import User
    from django.test import Client
    from django.test.utils import setup_test_environment

    from govinspect.accounts.models import Profile, Role
    from govinspect.findings import Finding as FindingRecord
    from govinspect.inspections import services
    from govinspect.inspections.models import InspectionTarget
    from govinspect.inspections.services import Outcome
    from govinspect.registry.models import Region
    from govinspect.registry.services import load_sichuan

    setup_test_environment()
    t = time.perf_counter()
    load_sichuan()
    inspection = services.create_inspection("2025Q4", assess="full", accounts=False)
    outcomes = []
    for target in InspectionTarget.objects.filter(inspection=inspection).select_related("site"):
        home = target.site.home_url
        records = [
            FindingRecord(
                site=home,
                check="links.broken",
                severity="deduct",
                url=home,
                target=f"{home}x{i}.html",
                evidence="链接",
                detail={"status": 404, "where": "page", "kind": "a"},
            )
            for i in range(args.findings_per_site)
        ]
        outcomes.append(Outcome(target, records, pages=50))
    services.persist_batch(inspection, outcomes)
    services.finish(inspection)
    print(f"setup (register, {len(outcomes)} sites scored): {time.perf_counter() - t:.1f} s")

    users = {
        "province_admin": User.objects.create_user("p", password="x"),
        "city_admin": User.objects.create_user("c", password="x"),
    }
    Profile.objects.create(user=users["province_admin"], role=Role.PROVINCE_ADMIN)
    Profile.objects.create(user=users["city_admin"], role=Role.CITY_ADMIN, region=Region.objects.get(code="510100"))
    pages = [
        "/",
        "/sites/",
        "/sites/?verdict=failed",
        "/accounts/",
        "/review/",
        "/rectification/",
        f"/inspections/{inspection.pk}/",
        "/api/sites/",
        "/api/findings/?limit=200",
    ]
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        for url in pages:
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            print(f"{role:15s} {url:28s} median {statistics.median(times):7.1f} ms  max {max(times):7.1f} ms")


if __name__ == "__main__":
    main()
