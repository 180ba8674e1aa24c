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


def serve(args: argparse.Namespace) -> int:
    prepare()
    server = make_server(args.host, args.port, args.threads)
    print(f"govinspect: http://{args.host}:{server.effective_port}/ (Ctrl-C to stop)")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0
