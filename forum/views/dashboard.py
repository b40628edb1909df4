"""The 見える化 dashboard: a public version of the public numbers, and the secretariat's full one.

Either can be narrowed to one department (``?department=<slug>``); an unknown slug is ignored,
so an old shared link still shows the whole forum.
"""

import csv
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from forum.selectors.calls import call_get_published, call_list_published
from forum.selectors.dashboard import dashboard_figures, dashboard_stale_list
from forum.selectors.dashboard_series import dashboard_series
from forum.selectors.departments import department_get_by_slug, department_list
from forum.selectors.roles import user_is_secretariat
from forum.spreadsheets import BOM, spreadsheet_row

STALE_PER_PAGE = 50


def _call(request):
    """The call the dashboard is narrowed to (?call=slug), or None for the whole forum."""
    slug = request.GET.get("call", "").strip()[:80]
    return call_get_published(slug) if slug else None


def _department(request):
    slug = request.GET.get("department", "").strip()[:80]
    return department_get_by_slug(slug) if slug else None


def _figures(request, *, public: bool):
    """The dashboard narrowed as the query string asks: to one call, one department or both."""
    department, call = _department(request), _call(request)
    dashboard = dashboard_figures(
        public=public, call=call, department_id=department.pk if department else None
    )
    return dashboard, department, call


def dashboard_public(request):
    """Published challenges and public projects, for everyone; of one call with ?call=, of
    one department with ?department=."""
    return _render(request, *_figures(request, public=True))


@login_required
def dashboard_secretariat(request):
    """Every project, with the stale list, for the secretariat; of one call with ?call=."""
    if not user_is_secretariat(request.user):
        raise Http404
    return _render(request, *_figures(request, public=False))


@login_required
def dashboard_stale(request):
    """Every stale project, paginated, for the secretariat (the dashboard names only the first)."""
    _secretariat_only(request)
    department, call = _department(request), _call(request)
    today = timezone.localdate()
    stale = dashboard_stale_list(
        call=call, department_id=department.pk if department else None, today=today
    )
    page = Paginator(stale, STALE_PER_PAGE).get_page(request.GET.get("page"))
    for project in page:
        project.quiet_days = (today - project.quiet_since).days
    response = render(
        request,
        "forum/dashboard_stale.html",
        {
            "page_obj": page,
            "department": department,
            "call": call,
            "query": _query(department, call),
            "querystring": _query(department, call).lstrip("?"),
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


def dashboard_public_csv(request, key: str):
    """One public table as CSV."""
    dashboard, department, _narrowed_call = _figures(request, public=True)
    return _csv(dashboard, department, key)


@login_required
def dashboard_secretariat_csv(request, key: str):
    """One of the secretariat's tables as CSV."""
    if not user_is_secretariat(request.user):
        raise Http404
    dashboard, department, _narrowed_call = _figures(request, public=False)
    return _csv(dashboard, department, key)


def _query(department, call=None, **extra) -> str:
    """The query string that keeps the page's narrowing on its CSV links."""
    values = {
        **extra,
        "department": department.slug if department else "",
        "call": call.slug if call else "",
    }
    values = {k: v for k, v in values.items() if v}
    return "?" + urlencode(values) if values else ""


def _render(request, dashboard, department, call=None):
    return render(
        request,
        "forum/dashboard.html",
        {
            "dashboard": dashboard,
            "tables": list(dashboard.tables.values()),
            "call": call,
            "calls": list(call_list_published()),
            "department": department,
            "query": _query(department, call),
            "departments": department_list(),
        },
    )


# --- the figures over time --------------------------------------------------------------------


def _series(request, *, public: bool):
    department = _department(request)
    by_quarter = request.GET.get("grain") == "quarter"
    series = dashboard_series(
        public=public,
        by_quarter=by_quarter,
        department_id=department.pk if department else None,
    )
    return series, department


def _secretariat_only(request):
    if not user_is_secretariat(request.user):
        raise Http404


def dashboard_series_public(request):
    """Every public figure over time, by fiscal year or quarter."""
    return _render_series(request, *_series(request, public=True))


@login_required
def dashboard_series_secretariat(request):
    """Every project's figures over time, for the secretariat."""
    _secretariat_only(request)
    return _render_series(request, *_series(request, public=False))


def dashboard_series_public_csv(request, key: str):
    series, department = _series(request, public=True)
    return _csv(series, department, key)


@login_required
def dashboard_series_secretariat_csv(request, key: str):
    _secretariat_only(request)
    series, department = _series(request, public=False)
    return _csv(series, department, key)


def dashboard_series_public_json(request):
    series, _department = _series(request, public=True)
    return JsonResponse(series_json(series), json_dumps_params={"ensure_ascii": False})


@login_required
def dashboard_series_secretariat_json(request):
    _secretariat_only(request)
    series, _department = _series(request, public=False)
    response = JsonResponse(series_json(series), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response


def series_json(series) -> dict:
    """The points of every series: period key and label, table, measure, stage and value."""
    return {
        "grain": "quarter" if series.by_quarter else "year",
        "periods": [{"key": p.key, "label": p.label()} for p in series.periods],
        "points": [
            {
                "table": point.table,
                "measure": point.measure,
                "stage": point.stage or None,
                "period": point.period.key,
                "value": point.value,
            }
            for point in series.points
        ],
    }


def _render_series(request, series, department):
    return render(
        request,
        "forum/dashboard_series.html",
        {
            "series": series,
            "dashboard": series,
            "department": department,
            "query": _query(department, grain="quarter" if series.by_quarter else ""),
            "departments": department_list(),
            "tables": list(series.tables.values()),
            "grain": "quarter" if series.by_quarter else "year",
        },
    )


def _csv(dashboard, department, key: str) -> HttpResponse:
    """The table's header and rows exactly as the page shows them, in UTF-8 with a BOM for Excel."""
    table = dashboard.tables.get(key)
    if table is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    scope = "public" if dashboard.public else "all"
    if getattr(dashboard, "by_quarter", None) is not None:
        scope += "-by-quarter" if dashboard.by_quarter else "-by-year"
    if department is not None:
        scope += f"-{department.slug}"
    filename = f"dashboard-{scope}-{table.key}-{dashboard.today:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if not dashboard.public:
        response["Cache-Control"] = "private, no-store"
    response.write(BOM)
    writer = csv.writer(response)
    writer.writerow(table.headers)
    writer.writerows(spreadsheet_row(row) for row in table.text_rows)
    return response
