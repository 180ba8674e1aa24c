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


def serve(args: argparse.Namespace) -> int:
    prepare()
    from waitress import serve as waitress_serve

    from govinspect.project.wsgi import application

    print(f"govinspect: http://{args.host}:{args.port}/ (Ctrl-C to stop)")
    waitress_serve(application, host=args.host, port=args.port, threads=max(1, args.threads), ident="govinspect")
    return 0
