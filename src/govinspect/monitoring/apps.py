from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "govinspect.monitoring"
    verbose_name = "监测与告警"

    def ready(self) -> None:
        from govinspect.monitoring import checks  # noqa: F401  (registers the system checks)
        from govinspect.project.celery import app, configure

        # every process that sends tasks (web, CLI, beat, workers) uses the configured app
        configure(app)
        app.set_default()
