"""Public project pages: the list with its filters, and the project page (the case study for visitors).

The participants' own pages, where they keep a project up to date, are in forum.views.project_manage.
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from forum.filters import PROJECT_FILTERS
from forum.models import CatalogDataset, Field, SdgGoal
from forum.models.kpis import KpiUnit
from forum.models.projects import Stage
from forum.rules.fiscal_year import fiscal_year_label
from forum.rules.project_progress import progress_percent
from forum.selectors.departments import department_list
from forum.selectors.projects.detail import project_get_view
from forum.selectors.projects.lists import project_list_public
from forum.selectors.reference import municipality_list
from forum.selectors.tags import strategy_theme_list_active


def project_list(request):
    """Public projects, filtered by stage, field and municipality."""
    values = PROJECT_FILTERS.parse(request.GET).values
    filters = {
        name: values[name]
        for name in (
            "stage",
            "field",
            "municipality",
            "department",
            "sdg",
            "theme",
            "dataset",
            "kpi_unit",
            "kpi_year",
        )
    }
    fields = list(Field.objects.filter(is_active=True))
    municipalities = list(municipality_list())
    page = Paginator(project_list_public(**filters), 12).get_page(request.GET.get("page"))
    for project in page.object_list:
        project.progress = progress_percent(project.weight_done, project.weight_total)
    return render(
        request,
        "forum/project_list.html",
        {
            "page_obj": page,
            "stages": Stage.choices,
            "fields": fields,
            "municipalities": municipalities,
            "departments": department_list(),
            "sdgs": SdgGoal.objects.all(),
            "themes": strategy_theme_list_active(),
            "datasets": CatalogDataset.objects.filter(is_active=True),
            "filters": filters,
            "kpi_narrowing": _kpi_narrowing(filters),
            "querystring": urlencode({k: v for k, v in filters.items() if v}),
        },
    )


def _kpi_narrowing(filters: dict) -> str:
    """How the list says it shows the projects behind a KPI roll-up figure: 「時間・令和6年度」."""
    if not filters["kpi_unit"]:
        return ""
    label = str(KpiUnit(filters["kpi_unit"]).label)
    if filters["kpi_year"]:
        label += "・" + fiscal_year_label(int(filters["kpi_year"]))
    return label


def project_detail(request, pk: int):
    """The project page: everything for participants and the secretariat, the case study for others."""
    view = project_get_view(request.user, pk)
    if view is None:
        raise Http404
    return render(request, "forum/project_detail.html", {"view": view, "project": view.project})
