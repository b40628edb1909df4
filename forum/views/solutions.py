"""Solution profiles in the member area, and the public directory."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum.filters import ORGANISATION_FILTERS
from forum.forms.proposals import AttachmentForm, SolutionForm
from forum.models import Field, Municipality, Organisation, SolutionAttachment, Technology
from forum.panels import panels_for
from forum.selectors.roles import organisation_list_for_user
from forum.selectors.solutions import (
    DirectoryFilters,
    organisation_list_directory,
    organisation_list_public,
    solution_get_visible,
    solution_list_directory,
    solution_list_for_member,
)
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.solutions import (
    solution_attachment_add,
    solution_create,
    solution_set_published,
    solution_update,
)
from forum.views.files import private_file_response


def _acting_organisations(user):
    return organisation_list_for_user(user).exclude(
        kind__in=[Organisation.Kind.MUNICIPALITY, Organisation.Kind.SECRETARIAT]
    )


@login_required
def solution_list(request):
    """The member's solution profiles."""
    return render(
        request,
        "forum/solution_list.html",
        {
            "solutions": solution_list_for_member(request.user),
            "can_create": _acting_organisations(request.user).exists(),
        },
    )


@login_required
def solution_create_view(request):
    """Create a solution profile for one of the member's organisations."""
    organisations = _acting_organisations(request.user)
    if not organisations.exists():
        messages.error(
            request,
            _(
                "ソリューションを登録するには、承認済みの企業・大学などの団体に所属している必要があります。"
            ),
        )
        return redirect("forum:member_home")
    form = SolutionForm(request.POST or None)
    organisation = organisations.filter(
        pk=request.POST.get("organisation") or request.GET.get("organisation")
    ).first()
    organisation = organisation or organisations.first()
    if request.method == "POST" and form.is_valid():
        try:
            solution = solution_create(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except (ServiceError, PermissionDenied) as error:
            form.add_error(None, getattr(error, "message", str(error)))
        else:
            messages.success(
                request,
                _("ソリューションを下書きとして保存しました。内容を確認して公開してください。"),
            )
            return redirect("forum:solution_edit", pk=solution.pk)
    return render(
        request,
        "forum/solution_form.html",
        {"form": form, "organisations": organisations, "organisation": organisation},
    )


@login_required
def solution_edit_view(request, pk: int):
    """Edit a solution profile, attach files, publish or unpublish."""
    solution = solution_list_for_member(request.user).filter(pk=pk).first()
    if solution is None:
        raise Http404
    form = SolutionForm(request.POST or None, instance=solution)
    if request.method == "POST" and form.is_valid():
        try:
            solution_update(actor=request.user, solution=solution, **form.cleaned_data)
        except (ServiceError, PermissionDenied) as error:
            form.add_error(None, getattr(error, "message", str(error)))
        else:
            messages.success(request, _("保存しました。"))
            return redirect("forum:solution_edit", pk=pk)
    return render(
        request,
        "forum/solution_form.html",
        {
            "form": form,
            "solution": solution,
            "attachment_form": AttachmentForm(),
            "organisation": solution.organisation,
            "panels": panels_for("solution", request, solution=solution),
        },
    )


@login_required
@require_POST
def solution_publish_view(request, pk: int, action: str):
    """Publish or unpublish."""
    solution = solution_list_for_member(request.user).filter(pk=pk).first()
    if solution is None or action not in {"publish", "unpublish"}:
        raise Http404
    try:
        changed = solution_set_published(
            actor=request.user, solution=solution, published=action == "publish"
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        if changed:
            messages.success(
                request, _("公開しました。") if action == "publish" else _("非公開にしました。")
            )
    return redirect("forum:solution_edit", pk=pk)


@login_required
@require_POST
def solution_attachment_upload(request, pk: int):
    """Attach a file to a solution profile."""
    solution = solution_list_for_member(request.user).filter(pk=pk).first()
    if solution is None:
        raise Http404
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("添付するファイルを選択してください。"))
    else:
        try:
            solution_attachment_add(
                actor=request.user, solution=solution, upload=form.cleaned_data["file"]
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("資料を添付しました。"))
    return redirect("forum:solution_edit", pk=pk)


def solution_attachment_download(request, pk: int, attachment_id: int):
    """Serve a solution's file when the solution is visible to the requester."""
    solution = solution_get_visible(request.user, pk)
    if solution is None:
        raise Http404
    attachment = get_object_or_404(SolutionAttachment, pk=attachment_id, solution=solution)
    return private_file_response(attachment)


def solution_directory_view(request):
    """The public list of published solutions with filters."""
    filters = DirectoryFilters.from_query(request.GET)
    # The organisation directory links each organisation's published solutions here.
    raw = request.GET.get("organisation") or ""
    organisation = (
        organisation_list_public().filter(pk=int(raw)).first()
        if raw.isdigit() and len(raw) < 10
        else None
    )
    query = filters.as_query() | ({"organisation": organisation.pk} if organisation else {})
    return render(
        request,
        "forum/solution_directory.html",
        {
            "filters": filters,
            "organisation": organisation,
            "page_obj": solution_list_directory(
                filters,
                page=request.GET.get("page"),
                organisation_id=organisation.pk if organisation else None,
            ),
            "querystring": urlencode(query),
            "fields": Field.objects.filter(is_active=True),
            "technologies": Technology.objects.all(),
            "municipalities": Municipality.objects.all(),
            "kinds": [
                c for c in Organisation.Kind.choices if c[0] not in ("municipality", "secretariat")
            ],
        },
    )


def solution_detail_view(request, pk: int):
    """A published solution (or a draft for its own members)."""
    solution = solution_get_visible(request.user, pk)
    if solution is None:
        raise Http404
    return render(request, "forum/solution_detail.html", {"solution": solution})


def organisation_directory_view(request):
    """The public list of member organisations."""
    kind = ORGANISATION_FILTERS.parse(request.GET).values["kind"]
    return render(
        request,
        "forum/organisation_directory.html",
        {
            "page_obj": organisation_list_directory(kind=kind, page=request.GET.get("page")),
            "kind": kind,
            "querystring": f"kind={kind}" if kind else "",
            "kinds": [
                c for c in Organisation.Kind.choices if c[0] not in ("municipality", "secretariat")
            ],
        },
    )
