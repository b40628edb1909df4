from django.urls import path

from forum.views import dashboard

app_name = "dashboard"

urlpatterns = [
    path("", dashboard.dashboard_public, name="public"),
    path("<slug:key>.csv", dashboard.dashboard_public_csv, name="csv"),
]
