from django.urls import path

from forum.views import dashboard

app_name = "dashboard"

urlpatterns = [
    path("", dashboard.dashboard_public, name="public"),
    path("<slug:key>.csv", dashboard.dashboard_public_csv, name="csv"),
    path("time/", dashboard.dashboard_series_public, name="series"),
    path("time.json", dashboard.dashboard_series_public_json, name="series_json"),
    path("time/<slug:key>.csv", dashboard.dashboard_series_public_csv, name="series_csv"),
]
