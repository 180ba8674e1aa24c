"""Driver for the distributed tests: each step runs in its own process against the database of
GOVINSPECT_DATABASE_URL (the workers share it), prints one JSON line. Not a test module."""

from __future__ import annotations

import json
import sys
import time
from datetime import date


def main() -> None:
    from govinspect.cli._django import setup_django

    setup_django()
    from django.db import OperationalError, close_old_connections

    from govinspect.inspections import services
    from govinspect.inspections.models import Finding, Inspection, InspectionTarget, Sighting
    from govinspect.monitoring.models import JobRun
    from govinspect.registry.models import Site

    step, arg = sys.argv[1], json.loads(sys.argv[2])
    if step == "setup":
        from govinspect.registry.services import load_sichuan

        if not Site.objects.exists():
            load_sichuan()
        for code, url in arg["urls"].items():
            Site.objects.filter(site_code=code).update(home_url=url)
        out = {"sites": len(arg["urls"])}
    elif step == "embedded":
        from govinspect.inspections.runner import run_inspection

        ins = services.create_inspection(
            arg["period"], as_of=date.fromisoformat(arg["as_of"]), sites=arg["codes"], accounts=False
        )
        run_inspection(ins, concurrency=3)
        out = {"inspection": ins.pk}
    elif step == "dispatch":
        from govinspect.monitoring.distributed import dispatch_inspection

        ins = services.create_inspection(
            arg["period"], as_of=date.fromisoformat(arg["as_of"]), sites=arg["codes"], accounts=False
        )
        out = {"inspection": ins.pk, "tasks": dispatch_inspection(ins.pk)}
    elif step == "wait":
        deadline = time.monotonic() + arg["seconds"]
        while time.monotonic() < deadline:
            try:
                if Inspection.objects.get(pk=arg["inspection"]).status == Inspection.Status.DONE:
                    break
            except OperationalError:  # the database restarting under a fault test
                close_old_connections()
            time.sleep(0.5)
        ins = Inspection.objects.get(pk=arg["inspection"])
        out = {"status": ins.status, "sites_done": ins.sites_done, "findings_seen": ins.findings_seen}
    elif step == "running":
        out = {"running": JobRun.objects.filter(job="site", state="running").count()}
    elif step == "result":
        ins = Inspection.objects.get(pk=arg["inspection"])
        fps = sorted(Finding.objects.filter(sightings__inspection=ins).values_list("fingerprint", flat=True))
        targets = InspectionTarget.objects.filter(inspection=ins)
        out = {
            "status": ins.status,
            "sites_done": ins.sites_done,
            "findings_seen": ins.findings_seen,
            "sightings": Sighting.objects.filter(inspection=ins).count(),
            "fingerprints": fps,
            "failed": targets.filter(state="failed").count(),
            "attempts": sorted(targets.values_list("attempts", flat=True)),
            "runs": sorted(
                JobRun.objects.filter(job="site", params__inspection=ins.pk).values_list("attempts", flat=True)
            ),
        }
    elif step == "shards":
        runs = JobRun.objects.filter(job="site-shard", params__inspection=arg["inspection"])
        parents = JobRun.objects.filter(job="site", params__inspection=arg["inspection"])
        out = {
            "shards": [
                {"state": r.state, "attempts": r.attempts, "shard": r.params["shard"], "result": r.result} for r in runs
            ],
            "parents": [{"state": r.state, "shards": r.params.get("shards", 1)} for r in parents],
        }
    else:
        raise SystemExit(f"unknown step {step}")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
