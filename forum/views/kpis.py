"""Public KPIs: the roll-up on the public dashboard (page, CSV, JSON), the participants' request
to publish a KPI, and the secretariat's decisions."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from forum.forms.projects import KpiRefusalForm
from forum.selectors.departments import department_get_by_slug, department_list
from forum.selectors.kpis import kpi_list_for_review, kpi_rollup_public, kpi_rollup_rows
from forum.selectors.projects.access import project_get_for_participant
from forum.selectors.roles import user_is_secretariat
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.projects.kpis import (
    project_kpi_publicity_decide,
    project_kpi_publicity_request,
    project_kpi_publicity_withdraw,
)
from forum.spreadsheets import BOM, spreadsheet_row

ROLLUP_COLUMNS = [
    ("unit", gettext_lazy("単位コード")),
    ("unit_label", gettext_lazy("単位")),
    ("dimension", gettext_lazy("集計の切り口")),
    ("key", gettext_lazy("コード")),
    ("label", gettext_lazy("区分")),
    ("total", gettext_lazy("合計")),
    ("kpis", gettext_lazy("KPI数")),
    ("projects", gettext_lazy("プロジェクト数")),
    ("projects_url", gettext_lazy("プロジェクト一覧")),
]


def _department(request):
    """The department ``?department=`` narrows to; an unknown slug shows the whole forum, as
    the dashboard does."""
    slug = request.GET.get("department", "").strip()[:80]
    return department_get_by_slug(slug) if slug else None


def kpi_rollup_page(request):
    """The public KPIs added up by unit: by field, municipality, department and fiscal year;
    ``?department=`` narrows every figure to the projects one department owns."""
    department = _department(request)
    context = {
        "blocks": kpi_rollup_public(department),
        "department": department,
        "departments": department_list(),
        "query": f"?department={department.slug}" if department else "",
    }
    return render(request, "forum/kpi_rollup.html", context)


def _absolute(request, row: dict) -> dict:
    return {**row, "projects_url": request.build_absolute_uri(row["projects_url"])}


def kpi_rollup_csv(request):
    """Every figure of the roll-up as CSV (UTF-8 with a BOM for Excel)."""
    department = _department(request)
    rows = [_absolute(request, r) for r in kpi_rollup_rows(kpi_rollup_public(department))]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    scope = f"-{department.slug}" if department else ""
    filename = f"dashboard-public-kpis{scope}-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write(BOM)
    writer = csv.writer(response)
    writer.writerow([str(label) for _key, label in ROLLUP_COLUMNS])
    for row in rows:
        writer.writerow(spreadsheet_row([str(row[key]) for key, _label in ROLLUP_COLUMNS]))
    return response


def kpi_rollup_json(request):
    """Every figure of the roll-up as JSON; totals are decimal strings so nothing is rounded."""
    department = _department(request)
    rows = [_absolute(request, r) for r in kpi_rollup_rows(kpi_rollup_public(department))]
    return JsonResponse(
        {
            "generated_on": timezone.localdate(),
            "department": department.slug if department else None,
            "figures": rows,
        },
        encoder=DjangoJSONEncoder,
        json_dumps_params={"ensure_ascii": False},
    )


def _refused(request, error):
    if isinstance(error, PermissionDenied):
        return render(request, "403.html", {"message": str(error)}, status=403)
    messages.error(request, error.message)
    return None


@login_required
@require_POST
def kpi_publicity_view(request, pk: int, kpi_id: int):
    """A participant asks for a KPI to be public (action=request) or takes it back (withdraw)."""
    found = project_get_for_participant(request.user, pk)
    if found is None:
        raise Http404
    project, _roles = found
    action = request.POST.get("action")
    service = {
        "request": project_kpi_publicity_request,
        "withdraw": project_kpi_publicity_withdraw,
    }.get(action)
    if service is None:
        raise Http404
    try:
        kpi = service(actor=request.user, project=project, kpi_id=kpi_id)
    except (ServiceError, PermissionDenied) as error:
        refused = _refused(request, error)
        if refused is not None:
            return refused
    else:
        done = (
            _("「%(name)s」の公開を事務局に申請しました。")
            if action == "request"
            else _("「%(name)s」を非公開にしました。")
        )
        messages.success(request, done % {"name": kpi.name})
    return redirect(reverse("forum:project_manage", args=[project.pk]) + "#kpis")


@login_required
def kpi_review(request):
    """The secretariat's queue of KPIs waiting for a decision."""
    if not user_is_secretariat(request.user):
        raise Http404
    return render(
        request,
        "forum/kpi_review.html",
        {"kpis": kpi_list_for_review(), "refusal_form": KpiRefusalForm()},
    )


@login_required
@require_POST
def kpi_decide_view(request, kpi_id: int, decision: str):
    """The secretariat approves a KPI for publication, or refuses it with a reason."""
    if not user_is_secretariat(request.user) or decision not in ("approve", "refuse"):
        raise Http404
    try:
        kpi = project_kpi_publicity_decide(
            actor=request.user,
            kpi_id=kpi_id,
            approve=decision == "approve",
            reason=request.POST.get("reason", ""),
        )
    except (ServiceError, PermissionDenied) as error:
        refused = _refused(request, error)
        if refused is not None:
            return refused
    else:
        done = (
            _("「%(name)s」の公開を承認しました。")
            if decision == "approve"
            else _("「%(name)s」の公開を見送りました。")
        )
        messages.success(request, done % {"name": kpi.name})
    return redirect("forum:kpi_review")
