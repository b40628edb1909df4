"""Saved interests in the member area: list, create, edit, switch on or off, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum.selectors.roles import organisation_list_for_user
from forum.services.errors import PermissionDenied, ServiceError
from matching.alerts import interests_for_user
from matching.forms import InterestForm
from matching.services import interest_create, interest_delete, interest_set_active, interest_update


def _own(request, pk: int):
    interest = interests_for_user(request.user).filter(pk=pk).first()
    if interest is None:
        raise Http404
    return interest


@login_required
def interest_list(request):
    """The member's saved interests with how often each has alerted."""
    interests = interests_for_user(request.user).annotate(
        alerts=Count("deliveries"), last_alert=Max("deliveries__created_at")
    )
    return render(
        request,
        "matching/interest_list.html",
        {"interests": interests, "can_save": organisation_list_for_user(request.user).exists()},
    )


def _save(request, form: InterestForm, interest=None):
    data = form.cleaned_data
    values = {
        "name": data["name"],
        "fields": data["fields"],
        "technologies": data["technologies"],
        "municipalities": data["municipalities"],
        "keywords": data["keywords"],
        "is_active": data["is_active"],
    }
    if interest is None:
        return interest_create(actor=request.user, **values)
    return interest_update(actor=request.user, interest=interest, **values)


@login_required
def interest_create_view(request):
    """Save a new interest."""
    if not organisation_list_for_user(request.user).exists():
        messages.error(
            request, _("関心を登録するには、承認済みの団体に所属している必要があります。")
        )
        return redirect("interests:list")
    form = InterestForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            _save(request, form)
        except (ServiceError, PermissionDenied) as error:
            form.add_error(None, getattr(error, "message", str(error)))
        else:
            messages.success(
                request, _("関心を保存しました。合う課題が公開されるとお知らせします。")
            )
            return redirect("interests:list")
    return render(request, "matching/interest_form.html", {"form": form})


@login_required
def interest_edit_view(request, pk: int):
    """Change an interest."""
    interest = _own(request, pk)
    form = InterestForm(request.POST or None, initial=InterestForm.initial_for(interest))
    if request.method == "POST" and form.is_valid():
        try:
            _save(request, form, interest)
        except (ServiceError, PermissionDenied) as error:
            form.add_error(None, getattr(error, "message", str(error)))
        else:
            messages.success(request, _("関心を保存しました。"))
            return redirect("interests:list")
    return render(request, "matching/interest_form.html", {"form": form, "interest": interest})


@login_required
@require_POST
def interest_toggle_view(request, pk: int):
    """Switch an interest's alerts on or off."""
    interest = _own(request, pk)
    active = request.POST.get("active") == "1"
    if interest_set_active(actor=request.user, interest=interest, active=active):
        messages.success(
            request,
            _("「%(name)s」の通知をオンにしました。") % {"name": interest.name}
            if active
            else _("「%(name)s」の通知をオフにしました。") % {"name": interest.name},
        )
    return redirect("interests:list")


@login_required
def interest_delete_view(request, pk: int):
    """Confirm, then delete an interest."""
    interest = _own(request, pk)
    if request.method == "POST":
        interest_delete(actor=request.user, interest=interest)
        messages.success(request, _("「%(name)s」を削除しました。") % {"name": interest.name})
        return redirect("interests:list")
    return render(request, "matching/interest_confirm_delete.html", {"interest": interest})
