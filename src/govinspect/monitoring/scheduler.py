"""The embedded runner for the monitoring jobs: an asyncio loop in the serving process, no broker.

Every ``tick`` seconds it turns due schedules into runs (``services.due_runs``) and executes
each in a worker thread (the job functions are synchronous and may run asyncio themselves),
at most ``concurrency`` at a time. Runs left running by a previous process are queued again
at start. Celery beat + workers do the same through ``tasks.tick`` / ``tasks.run_job_task``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from datetime import timedelta

from django.db import close_old_connections

from govinspect.monitoring import services
from govinspect.monitoring.models import JobRun

log = logging.getLogger(__name__)


class EmbeddedScheduler:
    def __init__(self, tick: float = 30.0, concurrency: int = 2) -> None:
        self.tick = tick
        self.semaphore = asyncio.Semaphore(max(1, concurrency))
        self.stopping = asyncio.Event()
        self.tasks: set[asyncio.Task] = set()
        self.loop: asyncio.AbstractEventLoop | None = None

    @staticmethod
    def _prepare() -> None:
        close_old_connections()
        services.ensure_schedules()
        services.requeue_stale_runs(timedelta(0))  # nothing else runs our jobs in embedded mode

    @staticmethod
    def _due() -> list[int]:
        close_old_connections()
        runs = services.due_runs()
        queued = JobRun.objects.filter(state=JobRun.State.QUEUED).exclude(job="site").values_list("pk", flat=True)
        return sorted({r.pk for r in runs} | set(queued))

    @staticmethod
    def _run(run_id: int) -> None:
        close_old_connections()
        try:
            services.run_job(run_id, f"embedded-{run_id}")
        except Exception:
            log.exception("job run %s failed with a transient error; queued again", run_id)
            JobRun.objects.filter(pk=run_id).update(state=JobRun.State.QUEUED, task_id="")
        finally:
            close_old_connections()

    async def _one(self, run_id: int) -> None:
        async with self.semaphore:
            await asyncio.to_thread(self._run, run_id)

    async def run(self, rounds: int | None = None) -> None:
        await asyncio.to_thread(self._prepare)
        n = 0
        started: set[int] = set()
        while not self.stopping.is_set():
            for run_id in await asyncio.to_thread(self._due):
                if run_id in started:
                    continue
                started.add(run_id)
                task = asyncio.create_task(self._one(run_id))
                self.tasks.add(task)
                task.add_done_callback(self.tasks.discard)
            n += 1
            if rounds is not None and n >= rounds:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), self.tick)
        if self.tasks:
            await asyncio.gather(*self.tasks, return_exceptions=True)

    def stop(self) -> None:
        self.stopping.set()


def start_in_thread(tick: float = 30.0, concurrency: int = 2) -> tuple[EmbeddedScheduler, threading.Thread]:
    """Run the scheduler beside a server (``govinspect serve``): its own thread and event loop.
    Call ``scheduler.loop.call_soon_threadsafe(scheduler.stop)`` then ``thread.join()`` to stop."""
    ready = threading.Event()
    holder: dict[str, EmbeddedScheduler] = {}

    def main() -> None:
        async def run() -> None:
            holder["s"] = scheduler = EmbeddedScheduler(tick=tick, concurrency=concurrency)
            scheduler.loop = asyncio.get_running_loop()
            ready.set()
            await scheduler.run()

        asyncio.run(run())

    thread = threading.Thread(target=main, name="govinspect-monitor", daemon=True)
    thread.start()
    ready.wait(10)
    return holder["s"], thread
