"""Project pages: the public list and page, and the member area where participants keep them up to date.

Every form posts to its own URL; on an error the management page is shown again with the
form as it was filled in and the reason, and nothing is changed.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum.forms.projects import (
    CoordinatorForm,
    DocumentForm,
    KpiForm,
    MilestoneForm,
    ParticipantForm,
    ProjectCreateForm,
    ReportForm,
    RolloutStartForm,
    StageMoveForm,
)
from forum.models import Challenge, Field, Project, ProjectDocument
from forum.models.projects import Stage
from forum.selectors.projects import (
    SECRETARIAT,
    progress_percent,
    project_for_participant,
    project_list_for_member,
    project_list_public,
    project_view,
    projects_followed_by,
)
from forum.selectors.reference import municipalities_all
from forum.selectors.roles import user_is_secretariat
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.files import content_type_for
from forum.services.projects import (
    follow_add,
    follow_remove,
    project_coordinator_assign,
    project_create,
    project_document_add,
    project_kpi_add,
    project_milestone_add,
    project_milestone_remove,
    project_milestone_set_done,
    project_move_stage,
    project_participant_add,
    project_report_submit,
    project_rollout_start,
    transitions_from,
)

# --- public -----------------------------------------------------------------------------------


def project_list(request):
    """Public projects, filtered by stage, field and municipality."""
    stage = request.GET.get("stage", "")
    stage = stage if stage in Stage.values else ""
    fields = list(Field.objects.filter(is_active=True))
    field = request.GET.get("field", "")
    field = field if field in {f.slug for f in fields} else ""
    municipalities = list(municipalities_all())
    municipality = request.GET.get("municipality", "")
    municipality = municipality if municipality in {m.code for m in municipalities} else ""
    filters = {"stage": stage, "field": field, "municipality": municipality}
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
            "filters": filters,
            "querystring": urlencode({k: v for k, v in filters.items() if v}),
        },
    )


def project_detail(request, pk: int):
    """The project page: everything for participants and the secretariat, the case study for others."""
    view = project_view(request.user, pk)
    if view is None:
        raise Http404
    return render(request, "forum/project_detail.html", {"view": view, "project": view.project})


# --- member area ------------------------------------------------------------------------------


@login_required
def member_project_list(request):
    """The projects of the member's organisations, with progress and stale flags, and those followed."""
    return render(
        request,
        "forum/project_member_list.html",
        {
            "projects": project_list_for_member(request.user),
            "followed": projects_followed_by(request.user),
            "is_secretariat": user_is_secretariat(request.user),
        },
    )


@login_required
def project_create_view(request):
    """The secretariat opens a project directly."""
    if not user_is_secretariat(request.user):
        raise Http404
    form = ProjectCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = project_create(actor=request.user, **form.cleaned_data)
        except (ServiceError, PermissionDenied) as error:
            form.add_error(None, getattr(error, "message", str(error)))
        else:
            messages.success(request, _("プロジェクトを作成しました。"))
            return redirect("forum:project_manage", pk=project.pk)
    return render(request, "forum/project_create.html", {"form": form})


def _participant(request, pk: int) -> tuple[Project, set[str]]:
    found = project_for_participant(request.user, pk)
    if found is None:
        raise Http404
    return found


def _forms(project: Project, roles: set[str], view, **bound) -> dict:
    targets = [
        (target, Stage(target).label) for target, _t in transitions_from(project.stage, roles)
    ]
    forms = {
        "stage_form": StageMoveForm(targets=targets),
        "milestone_form": MilestoneForm(),
        "kpi_form": KpiForm(),
        "report_form": ReportForm(kpis=view.kpis),
        "document_form": DocumentForm(),
    }
    if SECRETARIAT in roles:
        forms["participant_form"] = ParticipantForm()
        forms["coordinator_form"] = CoordinatorForm()
    forms.update(bound)
    return forms


def _render_manage(request, project: Project, roles: set[str], *, status: int = 200, **bound):
    view = project_view(request.user, project.pk)
    context = {
        "view": view,
        "project": view.project,
        "is_secretariat": SECRETARIAT in roles,
        "stage_targets": transitions_from(project.stage, roles),
        **_forms(project, roles, view, **bound),
    }
    return render(request, "forum/project_manage.html", context, status=status)


@login_required
def project_manage(request, pk: int):
    """The participants' page: stage, milestones, KPIs, reports, documents, participants."""
    project, roles = _participant(request, pk)
    return _render_manage(request, project, roles)


def _submit(request, project, roles, *, form_name: str, form, call, success: str, anchor: str):
    """Run ``call`` with the valid form's data; on refusal show the page again with the form as typed.

    ``call`` may return a message of its own to show instead of ``success``.
    """
    if form.is_valid():
        try:
            result = call(form)
        except PermissionDenied as error:
            return render(
                request,
                "403.html",
                {"message": str(error) or _("この操作を行う権限がありません。")},
                status=403,
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            if isinstance(result, str):
                messages.info(request, result)
            else:
                messages.success(request, success)
            return redirect(reverse("forum:project_manage", args=[project.pk]) + anchor)
    messages.error(request, _("入力内容を確認してください。変更は保存されていません。"))
    return _render_manage(request, project, roles, **{form_name: form})


@login_required
@require_POST
def project_stage_view(request, pk: int):
    """Move the project to another stage."""
    project, roles = _participant(request, pk)
    targets = [(s, label) for s, label in Stage.choices]
    form = StageMoveForm(request.POST, targets=targets)

    def call(form):
        data = form.cleaned_data
        changed = project_move_stage(
            actor=request.user,
            project=project,
            to_stage=data["to_stage"],
            note=data["note"],
            outcome=data["outcome"],
            lessons=data["lessons"],
        )
        return None if changed else _("このプロジェクトはすでにそのステージです。")

    return _submit(
        request,
        project,
        roles,
        form_name="stage_form",
        form=form,
        call=call,
        success=_("ステージを変更しました。"),
        anchor="#stage",
    )


@login_required
@require_POST
def project_milestone_add_view(request, pk: int):
    project, roles = _participant(request, pk)
    form = MilestoneForm(request.POST)
    return _submit(
        request,
        project,
        roles,
        form_name="milestone_form",
        form=form,
        call=lambda f: project_milestone_add(actor=request.user, project=project, **f.cleaned_data),
        success=_("マイルストーンを追加しました。"),
        anchor="#milestones",
    )


def _refusal(request, project, error, anchor: str):
    if isinstance(error, PermissionDenied):
        return render(request, "403.html", {"message": str(error)}, status=403)
    messages.error(request, error.message)
    return redirect(reverse("forum:project_manage", args=[project.pk]) + anchor)


@login_required
@require_POST
def project_milestone_done_view(request, pk: int, milestone_id: int):
    """Mark a milestone done (done=1) or not done (done=0)."""
    project, _roles = _participant(request, pk)
    done = request.POST.get("done") == "1"
    try:
        milestone = project_milestone_set_done(
            actor=request.user, project=project, milestone_id=milestone_id, done=done
        )
    except (ServiceError, PermissionDenied) as error:
        return _refusal(request, project, error, "#milestones")
    messages.success(
        request,
        (_("「%(title)s」を完了にしました。") if done else _("「%(title)s」を未完了に戻しました。"))
        % {"title": milestone.title},
    )
    return redirect(reverse("forum:project_manage", args=[project.pk]) + "#milestones")


@login_required
@require_POST
def project_milestone_remove_view(request, pk: int, milestone_id: int):
    project, _roles = _participant(request, pk)
    try:
        project_milestone_remove(actor=request.user, project=project, milestone_id=milestone_id)
    except (ServiceError, PermissionDenied) as error:
        return _refusal(request, project, error, "#milestones")
    messages.success(request, _("マイルストーンを削除しました。"))
    return redirect(reverse("forum:project_manage", args=[project.pk]) + "#milestones")


@login_required
@require_POST
def project_kpi_add_view(request, pk: int):
    project, roles = _participant(request, pk)
    form = KpiForm(request.POST)
    return _submit(
        request,
        project,
        roles,
        form_name="kpi_form",
        form=form,
        call=lambda f: project_kpi_add(actor=request.user, project=project, **f.cleaned_data),
        success=_("KPIを追加しました。"),
        anchor="#kpis",
    )


@login_required
@require_POST
def project_report_view(request, pk: int):
    """File a progress report with KPI values."""
    project, roles = _participant(request, pk)
    form = ReportForm(request.POST, kpis=project.kpis.all())
    return _submit(
        request,
        project,
        roles,
        form_name="report_form",
        form=form,
        call=lambda f: project_report_submit(
            actor=request.user,
            project=project,
            reported_on=f.cleaned_data["reported_on"],
            body=f.cleaned_data["body"],
            values=f.kpi_values(),
        ),
        success=_("進捗報告を登録しました。"),
        anchor="#reports",
    )


@login_required
@require_POST
def project_document_upload(request, pk: int):
    project, roles = _participant(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    return _submit(
        request,
        project,
        roles,
        form_name="document_form",
        form=form,
        call=lambda f: project_document_add(
            actor=request.user, project=project, upload=f.cleaned_data["file"]
        ),
        success=_("資料を登録しました。"),
        anchor="#documents",
    )


@login_required
def project_document_download(request, pk: int, document_id: int):
    """Serve a project's document to its participants and the secretariat only."""
    project, _roles = _participant(request, pk)
    document = get_object_or_404(ProjectDocument, pk=document_id, project=project)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=content_type_for(document.original_name),
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def project_participant_add_view(request, pk: int):
    project, roles = _participant(request, pk)
    form = ParticipantForm(request.POST)
    return _submit(
        request,
        project,
        roles,
        form_name="participant_form",
        form=form,
        call=lambda f: project_participant_add(
            actor=request.user, project=project, **f.cleaned_data
        ),
        success=_("参加団体を追加しました。"),
        anchor="#participants",
    )


@login_required
@require_POST
def project_coordinator_view(request, pk: int):
    project, roles = _participant(request, pk)
    form = CoordinatorForm(request.POST)
    return _submit(
        request,
        project,
        roles,
        form_name="coordinator_form",
        form=form,
        call=lambda f: project_coordinator_assign(
            actor=request.user, project=project, organisation=f.cleaned_data["organisation"]
        ),
        success=_("コーディネーターを指定しました。"),
        anchor="#participants",
    )


@login_required
def project_rollout_start_view(request, pk: int):
    """The secretariat starts a roll-out of an implemented project in another municipality."""
    if not user_is_secretariat(request.user):
        raise Http404
    origin = get_object_or_404(Project, pk=pk)
    initial = {}
    if request.method == "GET":
        code = request.GET.get("municipality", "")
        if code.isdigit():
            initial["municipality"] = code
        initial["challenges"] = [c for c in request.GET.getlist("challenge") if c.isdigit()]
    form = RolloutStartForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            project = project_rollout_start(
                actor=request.user,
                origin=origin,
                municipality=form.cleaned_data["municipality"],
                challenges=form.cleaned_data["challenges"],
                title=form.cleaned_data["title"],
            )
        except (ServiceError, PermissionDenied) as error:
            form.add_error(None, getattr(error, "message", str(error)))
        else:
            messages.success(request, _("横展開プロジェクトを作成しました。"))
            return redirect("forum:project_manage", pk=project.pk)
    return render(request, "forum/project_rollout_form.html", {"form": form, "origin": origin})


def _next_url(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_POST
def project_follow_view(request, pk: int):
    """Follow (action=follow) or stop following (action=unfollow) a project."""
    project = get_object_or_404(Project, pk=pk)
    fallback = reverse("projects:detail", args=[pk])
    try:
        if request.POST.get("action") == "unfollow":
            follow_remove(actor=request.user, project=project)
            messages.success(request, _("フォローを解除しました。"))
        else:
            follow_add(actor=request.user, project=project)
            messages.success(
                request, _("フォローしました。ステージの変更と進捗報告をお知らせします。")
            )
    except PermissionDenied as error:
        if not project.is_public and not project_for_participant(request.user, pk):
            raise Http404 from error
        messages.error(request, str(error))
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(_next_url(request, fallback))


@login_required
@require_POST
def challenge_follow_view(request, challenge_id: int):
    """Follow or stop following a published challenge."""
    challenge = get_object_or_404(Challenge, pk=challenge_id, is_published=True)
    fallback = challenge.url or reverse("forum:member_home")
    try:
        if request.POST.get("action") == "unfollow":
            follow_remove(actor=request.user, challenge=challenge)
            messages.success(request, _("フォローを解除しました。"))
        else:
            follow_add(actor=request.user, challenge=challenge)
            messages.success(
                request,
                _("フォローしました。この課題から生まれたプロジェクトの動きをお知らせします。"),
            )
    except PermissionDenied as error:
        messages.error(request, str(error))
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(_next_url(request, fallback))
