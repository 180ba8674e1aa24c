from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("jiucuo/", include("govinspect.error_reports.urls")),
    path("api/", include("govinspect.api.urls")),
    path("", include("govinspect.web.urls")),
]
