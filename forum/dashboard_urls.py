from django.urls import path

from forum.views import dashboard, kpis, tags

app_name = "dashboard"

urlpatterns = [
    path("", dashboard.dashboard_public, name="public"),
    path("kpis/", kpis.kpi_rollup_page, name="kpis"),
    path("tags/", tags.tag_breakdown, name="tags"),
    path("kpis.csv", kpis.kpi_rollup_csv, name="kpis_csv"),
    path("kpis.json", kpis.kpi_rollup_json, name="kpis_json"),
    path("<slug:key>.csv", dashboard.dashboard_public_csv, name="csv"),
    path("time/", dashboard.dashboard_series_public, name="series"),
    path("time.json", dashboard.dashboard_series_public_json, name="series_json"),
    path("time/<slug:key>.csv", dashboard.dashboard_series_public_csv, name="series_csv"),
]
