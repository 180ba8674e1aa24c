from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from govinspect.errors import ConfigError
from govinspect.web.assets import vendor_assets


class Command(BaseCommand):
    help = "Copy ECharts (installed by `npm ci --prefix frontend`) into the web app's static folder."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--node-modules", type=Path, default=None)

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        try:
            for path in vendor_assets(options["node_modules"]):
                self.stdout.write(f"copied {path}")
        except ConfigError as exc:
            raise CommandError(str(exc)) from exc
