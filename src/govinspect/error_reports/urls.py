from django.contrib.auth import views as auth_views
from django.urls import path

from govinspect.error_reports import views

app_name = "error_reports"

urlpatterns = [
    path("", views.report, name="report"),
    path("lookup/", views.lookup, name="lookup"),
    path("manage/login/", views.LoginView.as_view(), name="login"),
    path("manage/logout/", auth_views.LogoutView.as_view(next_page="error_reports:login"), name="logout"),
    path("manage/", views.manage, name="manage"),
    path("manage/<str:ticket>/", views.detail, name="detail"),
    path("manage/<str:ticket>/screenshot/", views.screenshot, name="screenshot"),
    path("manage/<str:ticket>/<str:action>/", views.act, name="act"),
]
