from django.urls import path

from forum.views import opendata

app_name = "opendata"

urlpatterns = [
    path("", opendata.opendata_index, name="index"),
    path("catalog.jsonld", opendata.opendata_catalog, name="catalog"),
    path("<slug:slug>.csv", opendata.opendata_csv, name="csv"),
    path("<slug:slug>.json", opendata.opendata_json, name="json"),
]
