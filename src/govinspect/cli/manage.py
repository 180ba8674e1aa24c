"""`govinspect manage ARGS…`: any Django management command (migrate, createsuperuser …)."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("manage", help="run a Django management command (migrate, createsuperuser, …)")
    p.add_argument("args", nargs=argparse.REMAINDER, help="the management command and its arguments")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from govinspect.cli._django import setup_django

    setup_django(migrate=False)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["govinspect manage", *(args.args or ["help"])])
    return 0
