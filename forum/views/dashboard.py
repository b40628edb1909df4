"""The 見える化 dashboard: a public version of the public numbers, and the secretariat's full one."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from forum.selectors.calls import call_get_published, call_list_published
from forum.selectors.dashboard import dashboard_figures
from forum.selectors.needs import need_figures
from forum.selectors.roles import user_is_secretariat
from forum.spreadsheets import BOM, spreadsheet_row


def _call(request):
    """The call the dashboard is narrowed to (?call=slug), or None for the whole forum."""
    slug = request.GET.get("call", "").strip()[:80]
    return call_get_published(slug) if slug else None


def dashboard_public(request):
    """Published challenges and public projects, for everyone; of one call with ?call=."""
    call = _call(request)
    return _render(request, dashboard_figures(public=True, call=call), call)


@login_required
def dashboard_secretariat(request):
    """Every project, with the stale list, for the secretariat; of one call with ?call=."""
    if not user_is_secretariat(request.user):
        raise Http404
    call = _call(request)
    return _render(request, dashboard_figures(public=False, call=call), call)


def dashboard_public_csv(request, key: str):
    """One public table as CSV."""
    return _csv(dashboard_figures(public=True), key)


@login_required
def dashboard_secretariat_csv(request, key: str):
    """One of the secretariat's tables as CSV."""
    if not user_is_secretariat(request.user):
        raise Http404
    return _csv(dashboard_figures(public=False), key)


def _render(request, dashboard, call=None):
    return render(
        request,
        "forum/dashboard.html",
        {
            "dashboard": dashboard,
            "tables": list(dashboard.tables.values()),
            "call": call,
            "calls": list(call_list_published()),
            "resident_figures": need_figures(),
        },
    )


def _csv(dashboard, key: str) -> HttpResponse:
    """The table's header and rows exactly as the page shows them, in UTF-8 with a BOM for Excel."""
    table = dashboard.tables.get(key)
    if table is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    scope = "public" if dashboard.public else "all"
    filename = f"dashboard-{scope}-{table.key}-{dashboard.today:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if not dashboard.public:
        response["Cache-Control"] = "private, no-store"
    response.write(BOM)
    writer = csv.writer(response)
    writer.writerow(table.headers)
    writer.writerows(spreadsheet_row(row) for row in table.text_rows)
    return response
