"""The residents' pages: their own page, sending a need, public needs and their photos."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from allauth.core.ratelimit import consume

from forum.forms.residents import NeedForm
from forum.models import Challenge, Field, Municipality, Need
from forum.selectors.follows import follow_list_for_user
from forum.selectors.needs import need_get_visible, need_list_for_author, need_list_public
from forum.selectors.residents import (
    resident_label,
    resident_municipality,
    user_is_resident,
    user_is_verified_resident,
)
from forum.selectors.supports import support_list_for_user, support_state, user_is_supporting
from forum.services.errors import ServiceError
from forum.services.needs import need_submit
from forum.services.supports import support_toggle

NEEDS_PER_PAGE = 50


def _resident_only(request):
    if not user_is_resident(request.user):
        raise PermissionDenied


def rate_limited(request, action: str) -> bool:
    """True when the person or their address sent too many of these (ACCOUNT_RATE_LIMITS)."""
    return not consume(request, action=action, user=request.user)


@login_required
def resident_home(request):
    """A resident's page: the needs they sent and what became of them."""
    _resident_only(request)
    return render(
        request,
        "forum/residents/home.html",
        {
            "municipality": resident_municipality(request.user),
            "verified": user_is_verified_resident(request.user),
            "needs": need_list_for_author(request.user),
            "supports": support_list_for_user(request.user),
            "follows": follow_list_for_user(request.user),
        },
    )


@login_required
def need_submit_view(request):
    """Send a need to the resident's municipality."""
    _resident_only(request)
    form = NeedForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if rate_limited(request, "resident_need_submit"):
            form.add_error(
                None, _("送信が続いたため受付を一時的に止めています。時間をおいてお試しください。")
            )
        else:
            try:
                need = need_submit(actor=request.user, **form.cleaned_data)
            except (ServiceError, PermissionDenied) as error:
                form.add_error(None, getattr(error, "message", str(error)))
            else:
                messages.success(
                    request,
                    _("困りごとを送りました。市町村の職員が確認してから公開します。"),
                )
                return redirect("residents:need_detail", pk=need.pk)
    return render(
        request,
        "forum/residents/need_form.html",
        {"form": form, "municipality": resident_municipality(request.user)},
    )


def need_list(request):
    """Published needs, filterable by municipality and field, sortable by support."""
    needs = need_list_public()
    municipality = Municipality.objects.filter(code=request.GET.get("municipality", "")).first()
    field = Field.objects.filter(slug=request.GET.get("field", "")).first()
    if municipality:
        needs = needs.filter(municipality=municipality)
    if field:
        needs = needs.filter(field=field)
    sort = "support" if request.GET.get("sort") == "support" else "new"
    needs = needs.order_by("-support_count", "-published_at") if sort == "support" else needs
    return render(
        request,
        "forum/residents/need_list.html",
        {
            "needs": needs[:NEEDS_PER_PAGE],
            "municipalities": Municipality.objects.filter(needs__status="published").distinct(),
            "fields": Field.objects.filter(is_active=True),
            "municipality": municipality,
            "field": field,
            "sort": sort,
        },
    )


def need_detail(request, pk: int):
    """One need: public once published; before that only its resident and its moderators."""
    need = need_get_visible(request.user, pk)
    if need is None:
        raise Http404
    return render(
        request,
        "forum/residents/need_detail.html",
        {
            "need": need,
            "author_label": resident_label(need.municipality),
            "is_author": request.user.is_authenticated and need.author_id == request.user.pk,
            **support_state(request.user, need=need),
        },
    )


@require_POST
@login_required
def support_toggle_view(request, kind: str, pk: int):
    """Support (私も困っています) a published need or challenge, or take it back."""
    if kind == "need":
        target = {"need": get_object_or_404(Need, pk=pk, status=Need.Status.PUBLISHED)}
        back = reverse("residents:need_detail", args=[pk])
    elif kind == "challenge":
        challenge = get_object_or_404(Challenge, pk=pk, is_published=True)
        target = {"challenge": challenge}
        back = challenge.url or reverse("residents:need_list")
    else:
        raise Http404
    if rate_limited(request, "resident_support"):
        messages.error(
            request, _("操作が続いたため一時的に止めています。時間をおいてお試しください。")
        )
        return redirect(back)
    if request.POST.get("action") == "withdraw" and not user_is_supporting(request.user, **target):
        # A second click on 取り消す must not support again.
        messages.success(request, _("応援を取り消しました。"))
        return redirect(_next_url(request, back))
    try:
        supporting = support_toggle(actor=request.user, **target)
    except (ServiceError, PermissionDenied) as error:
        messages.error(request, getattr(error, "message", str(error)))
    else:
        messages.success(
            request,
            _("応援しました。") if supporting else _("応援を取り消しました。"),
        )
    return redirect(_next_url(request, back))


def _next_url(request, fallback: str) -> str:
    """The page the form came from (the resident's own page), when it is of this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def need_photo(request, pk: int):
    """A need's photo (already stripped of its metadata), for those who may read the need."""
    need = need_get_visible(request.user, pk)
    if need is None or not need.photo:
        raise Http404
    response = FileResponse(need.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=3600" if need.is_published else "private, no-store"
    return response
