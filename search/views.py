"""The public search page."""

from django.shortcuts import render

from search.selectors import SearchRequest, search_run


def search_view(request):
    """One search box over challenges and solutions."""
    search = SearchRequest.from_query(request.GET)
    result = search_run(search, page=request.GET.get("page"))
    return render(
        request,
        "search/search.html",
        {"search": search, "querystring": search.querystring(), **result},
    )
