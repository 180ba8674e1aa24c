from pathlib import Path

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "govinspect.web"
    verbose_name = "网页界面"

    def ready(self) -> None:
        from django.conf import settings

        from govinspect.indicators.load import set_override_source
        from govinspect.web.thresholds import override_source

        # the province administrator's saved threshold overrides: the last layer of the catalogue
        set_override_source(override_source)

        # WhiteNoise warns about a missing STATIC_ROOT (before the first collectstatic).
        if settings.STATIC_ROOT:
            Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
