from django.apps import AppConfig


class ErrorReportsConfig(AppConfig):
    name = "govinspect.error_reports"
    verbose_name = "我为政府网站找错"

    def ready(self) -> None:
        from govinspect.error_reports import checks  # noqa: F401  (registers the system checks)
