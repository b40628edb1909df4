"""Personal API tokens in the member area: list, create (shown once), revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum.forms.api_tokens import APITokenForm
from forum.selectors.api_tokens import api_token_list_for_user
from forum.services.api_tokens import api_token_create, api_token_revoke, user_may_hold_api_tokens
from forum.services.errors import PermissionDenied, ServiceError


@login_required
def api_token_list(request):
    """The person's own tokens and the form to create one; a new token is shown only here, once."""
    form = APITokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = api_token_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                expires_in_days=form.cleaned_data["expires_in_days"],
            )
        except (ServiceError, PermissionDenied) as error:
            form.add_error(None, getattr(error, "message", str(error)))
        else:
            created = {"token": token, "raw": raw}
            form = APITokenForm()
    response = render(
        request,
        "forum/api_tokens.html",
        {
            "form": form,
            "created": created,
            "tokens": api_token_list_for_user(request.user),
            "may_hold": user_may_hold_api_tokens(request.user),
        },
    )
    # The page may carry a secret shown once: never keep it in a cache or the history.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def api_token_revoke_view(request, pk: int):
    """Revoke one of the person's own tokens; another person's is 404."""
    token = api_token_list_for_user(request.user).filter(pk=pk).first()
    if token is None:
        raise Http404
    try:
        changed = api_token_revoke(actor=request.user, token=token)
    except PermissionDenied:
        raise Http404 from None
    if changed:
        messages.success(
            request, _("トークン「%(name)s」を取り消しました。") % {"name": token.name}
        )
    else:
        messages.info(request, _("このトークンはすでに取り消されています。"))
    return redirect("forum:api_tokens")
