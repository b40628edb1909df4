"""The public search page."""

from urllib.parse import urlencode

from django.shortcuts import render

from forum.models import Field
from search.selectors import SearchRequest, search_run


def search_view(request):
    """One search box over challenges and solutions."""
    search = SearchRequest.from_query(request.GET)
    result = search_run(search, page=request.GET.get("page"))
    fields = {f.slug: f for f in Field.objects.all()}
    field_facets = [
        (fields[slug], count)
        for slug, count in result["facets"].get("field", {}).items()
        if slug in fields
    ]
    params = {"q": search.query, "type": search.doc_type, "field": search.field}
    return render(
        request,
        "search/search.html",
        {
            "search": search,
            "field_facets": sorted(field_facets, key=lambda pair: pair[0].sort_order),
            "querystring": urlencode({k: v for k, v in params.items() if v}),
            **result,
        },
    )
