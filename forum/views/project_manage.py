"""The member area's project pages: the member's list, opening a project or a roll-out, and the
management page where participants keep a project up to date (stage, milestones, KPIs, reports,
documents, participants, owner).

Every form posts to its own URL; on an error the management page is shown again with the
form as it was filled in and the reason, and nothing is changed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from forum.forms.projects import (
    CoordinatorForm,
    DocumentForm,
    KpiForm,
    MilestoneForm,
    ParticipantForm,
    ProjectCreateForm,
    ProjectOwnerForm,
    ReportForm,
    RolloutStartForm,
    StageMoveForm,
)
from forum.models import Project, ProjectDocument
from forum.models.projects import ParticipantRole, Stage
from forum.rules.project_progress import project_progress_refusal
from forum.rules.project_stages import SECRETARIAT, transitions_from
from forum.selectors.departments import department_list_for_project
from forum.selectors.projects.access import project_get_for_participant
from forum.selectors.projects.detail import project_get_view
from forum.selectors.projects.lists import project_list_followed, project_list_for_member
from forum.selectors.roles import user_is_secretariat
from forum.services.departments import project_owner_set
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.projects.lifecycle import project_create, project_rollout_start
from forum.services.projects.participants import project_coordinator_assign, project_participant_add
from forum.services.projects.stages import project_move_stage
from forum.services.projects.tracking import (
    project_document_add,
    project_kpi_add,
    project_milestone_add,
    project_milestone_remove,
    project_milestone_set_done,
    project_report_submit,
)
from forum.views.files import private_file_response


@login_required
def member_project_list(request):
    """The projects of the member's organisations, with progress and stale flags, and those followed."""
    return render(
        request,
        "forum/project_member_list.html",
        {
            "projects": project_list_for_member(request.user),
            "followed": project_list_followed(request.user),
            "is_secretariat": user_is_secretariat(request.user),
        },
    )


def _to_manage(project: Project, anchor: str = ""):
    return redirect(reverse("forum:project_manage", args=[project.pk]) + anchor)


def _create_from(request, form, call, success: str):
    """Run ``call`` with the valid form's data; go to the new project, or keep the form with the reason."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        project = call(form.cleaned_data)
    except (ServiceError, PermissionDenied) as error:
        form.add_error(None, getattr(error, "message", str(error)))
        return None
    messages.success(request, success)
    return redirect("forum:project_manage", pk=project.pk)


@login_required
def project_create_view(request):
    """The secretariat opens a project directly."""
    if not user_is_secretariat(request.user):
        raise Http404
    form = ProjectCreateForm(request.POST or None)
    created = _create_from(
        request,
        form,
        lambda data: project_create(actor=request.user, **data),
        _("プロジェクトを作成しました。"),
    )
    return created or render(request, "forum/project_create.html", {"form": form})


def _participant(request, pk: int) -> tuple[Project, set[str]]:
    found = project_get_for_participant(request.user, pk)
    if found is None:
        raise Http404
    return found


# Who is offered the owner form; the service (project_owner_set) decides who may save it.
OWNER_ROLES = frozenset({ParticipantRole.MUNICIPALITY, SECRETARIAT})


def _stage_form(targets, posted: StageMoveForm | None) -> StageMoveForm:
    """The stage form offering only the user's moves. A form posted back after a refusal took
    any stage (the service judges the move); shown again, it offers the same moves as before."""
    offered = StageMoveForm(targets=targets)
    if posted is None:
        return offered
    posted.fields["to_stage"].choices = offered.fields["to_stage"].choices
    return posted


def _forms(roles: set[str], view, stage_targets, **bound) -> dict:
    targets = [(target, Stage(target).label) for target, _t in stage_targets]
    forms = {
        "stage_form": _stage_form(targets, bound.pop("stage_form", None)),
        "milestone_form": MilestoneForm(),
        "kpi_form": KpiForm(),
        "report_form": ReportForm(kpis=view.kpis),
        "document_form": DocumentForm(),
    }
    if SECRETARIAT in roles:
        forms["participant_form"] = ParticipantForm()
        forms["coordinator_form"] = CoordinatorForm()
    if roles & OWNER_ROLES:
        project = view.project
        forms["owner_form"] = ProjectOwnerForm(
            departments=department_list_for_project(project),
            initial={
                "department": project.department_id,
                "responsible_post": project.responsible_post,
            },
        )
    forms.update(bound)
    return forms


def _render_manage(request, pk: int, **bound):
    """The management page as it is now; participants and the secretariat only (else 404)."""
    view = project_get_view(request.user, pk)
    if view is None or not view.full:
        raise Http404
    stage_targets = transitions_from(view.project.stage, view.roles)
    context = {
        "view": view,
        "project": view.project,
        "is_secretariat": SECRETARIAT in view.roles,
        "stage_targets": stage_targets,
        # A stopped project's record is shown read-only, with the reason.
        "closed_notice": project_progress_refusal(view.project.stage),
        **_forms(view.roles, view, stage_targets, **bound),
    }
    return render(request, "forum/project_manage.html", context)


@login_required
def project_manage(request, pk: int):
    """The participants' page: stage, milestones, KPIs, reports, documents, participants."""
    return _render_manage(request, pk)


def _submit(request, project, *, form_name: str, form, call, success: str, anchor: str):
    """Run ``call`` with the valid form; on refusal show the page again with the form as typed.

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
                messages.success(request, str(success))
            return _to_manage(project, anchor)
    messages.error(request, _("入力内容を確認してください。変更は保存されていません。"))
    return _render_manage(request, project.pk, **{form_name: form})


def _manage_form_view(
    form_class, *, form_name: str, anchor: str, success, call, doc: str, form_kwargs=None
):
    """A POST-only view of one form of the management page, calling one service.

    ``call(actor, project, form)`` makes the change; ``form_kwargs(project)`` gives the form's
    extra arguments. The page's own copy of the form is ``form_name``, shown again on refusal.
    """

    @login_required
    @require_POST
    def view(request, pk: int):
        project, _roles = _participant(request, pk)
        extra = form_kwargs(project) if form_kwargs else {}
        form = form_class(request.POST, request.FILES, **extra)
        return _submit(
            request,
            project,
            form_name=form_name,
            form=form,
            call=lambda f: call(request.user, project, f),
            success=success,
            anchor=anchor,
        )

    view.__doc__ = doc
    return view


def _move_stage(actor, project, form):
    data = form.cleaned_data
    changed = project_move_stage(
        actor=actor,
        project=project,
        to_stage=data["to_stage"],
        note=data["note"],
        outcome=data["outcome"],
        lessons=data["lessons"],
    )
    return None if changed else _("このプロジェクトはすでにそのステージです。")


project_stage_view = _manage_form_view(
    StageMoveForm,
    form_name="stage_form",
    anchor="#stage",
    success=gettext_lazy("ステージを変更しました。"),
    call=_move_stage,
    # Any stage is accepted here; the service decides which moves the user may make.
    form_kwargs=lambda project: {"targets": Stage.choices},
    doc="Move the project to another stage.",
)

project_milestone_add_view = _manage_form_view(
    MilestoneForm,
    form_name="milestone_form",
    anchor="#milestones",
    success=gettext_lazy("マイルストーンを追加しました。"),
    call=lambda actor, project, form: project_milestone_add(
        actor=actor, project=project, **form.cleaned_data
    ),
    doc="Add a milestone.",
)

project_kpi_add_view = _manage_form_view(
    KpiForm,
    form_name="kpi_form",
    anchor="#kpis",
    success=gettext_lazy("KPIを追加しました。"),
    call=lambda actor, project, form: project_kpi_add(
        actor=actor, project=project, **form.cleaned_data
    ),
    doc="Define a KPI.",
)

project_report_view = _manage_form_view(
    ReportForm,
    form_name="report_form",
    anchor="#reports",
    success=gettext_lazy("進捗報告を登録しました。"),
    call=lambda actor, project, form: project_report_submit(
        actor=actor,
        project=project,
        reported_on=form.cleaned_data["reported_on"],
        body=form.cleaned_data["body"],
        values=form.kpi_values(),
    ),
    form_kwargs=lambda project: {"kpis": project.kpis.all()},
    doc="File a progress report with KPI values.",
)

project_document_upload = _manage_form_view(
    DocumentForm,
    form_name="document_form",
    anchor="#documents",
    success=gettext_lazy("資料を登録しました。"),
    call=lambda actor, project, form: project_document_add(
        actor=actor, project=project, upload=form.cleaned_data["file"]
    ),
    doc="Share a document inside the project.",
)

project_participant_add_view = _manage_form_view(
    ParticipantForm,
    form_name="participant_form",
    anchor="#participants",
    success=gettext_lazy("参加団体を追加しました。"),
    call=lambda actor, project, form: project_participant_add(
        actor=actor, project=project, **form.cleaned_data
    ),
    doc="The secretariat adds a participating organisation.",
)


def _set_owner(actor, project, form):
    department = form.cleaned_data["department"]
    # A responsible user named in the admin stays while the owner stays in their organisation.
    same_organisation = (
        department is not None
        and project.department is not None
        and department.organisation_id == project.department.organisation_id
    )
    return project_owner_set(
        actor=actor,
        project=project,
        department=department,
        responsible_post=form.cleaned_data["responsible_post"],
        responsible_user=project.responsible_user if same_organisation else None,
    )


project_owner_view = _manage_form_view(
    ProjectOwnerForm,
    form_name="owner_form",
    anchor="#owner",
    success=gettext_lazy("担当所属と責任者を保存しました。"),
    call=_set_owner,
    form_kwargs=lambda project: {"departments": department_list_for_project(project)},
    doc="The municipality's staff or the secretariat name the owning department and post.",
)

project_coordinator_view = _manage_form_view(
    CoordinatorForm,
    form_name="coordinator_form",
    anchor="#participants",
    success=gettext_lazy("コーディネーターを指定しました。"),
    call=lambda actor, project, form: project_coordinator_assign(
        actor=actor, project=project, organisation=form.cleaned_data["organisation"]
    ),
    doc="The secretariat assigns the coordinator.",
)


def _refusal(request, project, error, anchor: str):
    if isinstance(error, PermissionDenied):
        return render(request, "403.html", {"message": str(error)}, status=403)
    messages.error(request, error.message)
    return _to_manage(project, anchor)


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
    return _to_manage(project, "#milestones")


@login_required
@require_POST
def project_milestone_remove_view(request, pk: int, milestone_id: int):
    """Delete a milestone."""
    project, _roles = _participant(request, pk)
    try:
        project_milestone_remove(actor=request.user, project=project, milestone_id=milestone_id)
    except (ServiceError, PermissionDenied) as error:
        return _refusal(request, project, error, "#milestones")
    messages.success(request, _("マイルストーンを削除しました。"))
    return _to_manage(project, "#milestones")


@login_required
def project_document_download(request, pk: int, document_id: int):
    """Serve a project's document to its participants and the secretariat only."""
    project, _roles = _participant(request, pk)
    document = get_object_or_404(ProjectDocument, pk=document_id, project=project)
    return private_file_response(document)


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
    created = _create_from(
        request,
        form,
        lambda data: project_rollout_start(
            actor=request.user,
            origin=origin,
            municipality=data["municipality"],
            challenges=data["challenges"],
            title=data["title"],
        ),
        _("横展開プロジェクトを作成しました。"),
    )
    return created or render(
        request, "forum/project_rollout_form.html", {"form": form, "origin": origin}
    )
