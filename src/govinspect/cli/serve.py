"""`govinspect serve`: the web application and API on a real WSGI server (waitress), static files
(CSS, ECharts) served by the application itself through WhiteNoise."""

from __future__ import annotations

import argparse
import logging


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="serve the web interface and the REST API (waitress)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")
    p.add_argument(
        "--no-monitor",
        action="store_true",
        help="do not run the schedules (probes, freshness, alerts) beside the server; "
        "with GOVINSPECT_RUNNER=celery they run in `govinspect beat`/`worker` anyway",
    )
    p.set_defaults(func=serve)


def prepare() -> None:
    """Migrate, vendor the npm assets when they are installed but not copied, collect static files."""
    from govinspect.cli._django import setup_django

    setup_django()
    from django.core.management import call_command

    from govinspect.web import assets

    if assets.missing() and assets.default_node_modules().is_dir():
        assets.vendor_assets()
    if assets.missing():
        logging.getLogger(__name__).warning(
            "charts disabled: %s missing (npm ci --prefix frontend && govinspect manage vendor_assets)",
            ", ".join(assets.missing()),
        )
    call_command("collectstatic", interactive=False, verbosity=0)


def make_server(host: str, port: int, threads: int = 8):  # type: ignore[no-untyped-def]
    """A waitress server for the Django application (port 0: an ephemeral port, see .effective_port)."""
    from django.core.wsgi import get_wsgi_application
    from waitress.server import create_server

    # A fresh handler: its middleware (WhiteNoise) reads the static files as they are now.
    return create_server(get_wsgi_application(), host=host, port=port, threads=max(1, threads), ident="govinspect")


def start_monitor(no_monitor: bool = False):  # type: ignore[no-untyped-def]
    """With the embedded runner, the schedules run in a thread beside the web server (the same
    jobs `govinspect beat` sends to Celery workers). Returns (scheduler, thread) or None."""
    from django.conf import settings

    if no_monitor or settings.RUNNER != "embedded":
        return None
    from govinspect.monitoring.scheduler import start_in_thread

    return start_in_thread()


def stop_monitor(started) -> None:  # type: ignore[no-untyped-def]
    if started is not None:
        scheduler, thread = started
        scheduler.loop.call_soon_threadsafe(scheduler.stop)
        thread.join(30)


def serve(args: argparse.Namespace) -> int:
    prepare()
    server = make_server(args.host, args.port, args.threads)
    monitor = start_monitor(args.no_monitor)
    print(f"govinspect: http://{args.host}:{server.effective_port}/ (Ctrl-C to stop)")
    if monitor is not None:
        print("govinspect: schedules (probes, freshness, alerts) run beside the server; --no-monitor turns them off")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        stop_monitor(monitor)
    return 0
