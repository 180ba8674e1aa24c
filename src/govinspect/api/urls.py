from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from govinspect.api import views

router = DefaultRouter()
router.register("sites", views.SiteViewSet, basename="site")
router.register("accounts", views.AccountViewSet, basename="account")
router.register("inspections", views.InspectionViewSet, basename="inspection")
router.register("findings", views.FindingViewSet, basename="finding")
router.register("rectification", views.TaskViewSet, basename="task")
router.register("reports", views.ReportViewSet, basename="report")

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("token/", obtain_auth_token, name="token"),
    path("", include(router.urls)),
]
