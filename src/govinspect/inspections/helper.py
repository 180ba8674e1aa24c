"""Entry point of a runner helper process. Spawned processes import this module before Django
is set up, so it imports no model at module level."""

from __future__ import annotations

from typing import Any


def helper_main(inspection_id: int, config: Any, concurrency: int, count_pages: bool) -> None:
    import asyncio

    from govinspect.cli._django import setup_django

    setup_django(migrate=False)
    from govinspect.inspections.models import Inspection
    from govinspect.inspections.runner import EmbeddedRunner

    inspection = Inspection.objects.get(pk=inspection_id)
    runner = EmbeddedRunner(inspection, config, concurrency=concurrency, count_pages=count_pages, helper=True)
    asyncio.run(runner.run())
