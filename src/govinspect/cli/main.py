"""`govinspect` — the one console command.

Each module of this package that defines ``add_parser(subparsers)`` contributes a
subcommand; its parser sets ``func`` to the handler, which returns the exit code.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

import govinspect
from govinspect.errors import GovinspectError

EPILOG = """\
Start here:
  govinspect demo                      the whole demo on the simulated Sichuan province
  govinspect registry import FILE      load a register (xlsx or csv, Chinese headers)
  govinspect registry stats            the per-city table of the quarterly notice
  govinspect sandbox build / serve     the simulated province on 127.0.0.1
  govinspect inspect URL --out f.jsonl inspect sites without a database
  govinspect manage migrate            any Django management command

Settings come from GOVINSPECT_* environment variables (see README).
Exit codes: 0 ok, 1 findings or failures reported (where a command says so),
2 usage or input error, 3 configuration error, 130 interrupted.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govinspect",
        description="政府网站与政务新媒体检查 — inspection of government websites and new-media accounts.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"govinspect {govinspect.__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    import govinspect.cli as package

    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name in ("main",) or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        add = getattr(module, "add_parser", None)
        if add is not None:
            add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except GovinspectError as exc:
        from govinspect.errors import ConfigError

        print(f"govinspect: {exc}", file=sys.stderr)
        return 3 if isinstance(exc, ConfigError) else 2


if __name__ == "__main__":
    sys.exit(main())
