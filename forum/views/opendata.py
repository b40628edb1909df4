"""The open data page and its downloads."""

import json

from django.conf import settings
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_GET

from forum.api.serializers.common import absolute_url
from forum.opendata import (
    DATASETS,
    PUBLISHER,
    attribution,
    csv_stream,
    license_for_visitor,
)
from forum.request_origin import origin_of
from forum.selectors.datasets import dataset_catalog_jsonld, dataset_list_public


def _dataset(slug: str):
    dataset = DATASETS.get(slug)
    if dataset is None:
        raise Http404
    return dataset


def _last_modified(request, slug: str):
    dataset = DATASETS.get(slug)
    return dataset.last_updated() if dataset else None


def rate_label(rate: str | None) -> str:
    """A rate such as 60/min in words: 1分あたり60回."""
    if not rate:
        return _("上限なし")
    number, period = rate.split("/")
    unit = {"s": _("1秒"), "m": _("1分"), "h": _("1時間"), "d": _("1日")}[period[0]]
    return _("%(unit)sあたり%(n)s回") % {"unit": unit, "n": number}


@require_GET
def opendata_index(request):
    """Every dataset with its size, last change, formats and licence."""
    datasets = [
        {"dataset": d, "count": d.count(), "last_updated": d.last_updated()}
        for d in DATASETS.values()
    ]
    dates = [item["last_updated"] for item in datasets if item["last_updated"]]
    return render(
        request,
        "forum/opendata.html",
        {
            "datasets": datasets,
            "catalog": dataset_list_public(),
            "license": license_for_visitor(),
            "attribution": attribution(
                english=(get_language() or "ja").startswith("en"), origin=origin_of(request)
            ),
            "last_updated": max(dates, default=None),
            "rates": {
                scope: rate_label(rate) for scope, rate in settings.API_THROTTLE_RATES.items()
            },
        },
    )


@require_GET
@condition(last_modified_func=_last_modified)
def opendata_csv(request, slug: str):
    """The dataset as CSV, UTF-8 with a byte order mark so that Excel shows the Japanese."""
    dataset = _dataset(slug)
    english = request.GET.get("headers") == "en"
    response = StreamingHttpResponse(
        (piece.encode("utf-8") for piece in csv_stream(dataset, english_headers=english)),
        content_type="text/csv; charset=utf-8",
    )
    name = f"osaka-forum-{slug}-en" if english else f"osaka-forum-{slug}"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@require_GET
@condition(last_modified_func=_last_modified)
def opendata_json(request, slug: str):
    """The dataset as one JSON document with its licence and dates."""
    dataset = _dataset(slug)
    response = HttpResponse(
        json.dumps(dataset.as_json(), ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="osaka-forum-{slug}.json"'
    return response


@require_GET
def opendata_catalog(request):
    """The data catalogue (the datasets challenges and projects use) as DCAT in JSON-LD."""
    catalog = dataset_catalog_jsonld(
        catalog_url=absolute_url(reverse("opendata:catalog")),
        publisher=PUBLISHER,
        homepage=absolute_url(reverse("opendata:index")),
    )
    return HttpResponse(
        json.dumps(catalog, ensure_ascii=False, indent=1),
        content_type="application/ld+json; charset=utf-8",
    )
