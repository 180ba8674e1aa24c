from django.apps import AppConfig


class ErrorReportsConfig(AppConfig):
    name = "govinspect.error_reports"
    verbose_name = "我为政府网站找错"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from govinspect.error_reports import checks  # noqa: F401  (registers the system checks)
        from govinspect.error_reports.services import clear_site_cache
        from govinspect.registry.models import Site

        post_save.connect(clear_site_cache, sender=Site, dispatch_uid="error_reports_site_cache_save")
        post_delete.connect(clear_site_cache, sender=Site, dispatch_uid="error_reports_site_cache_delete")
