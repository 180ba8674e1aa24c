from django.apps import AppConfig


class NewmediaConfig(AppConfig):
    name = "govinspect.newmedia"
    verbose_name = "政务新媒体"
    default_auto_field = "django.db.models.BigAutoField"
