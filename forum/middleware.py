"""Middleware: staff without a second factor, the site's language, forms sent twice, and
database outages answered with 503."""

import re
import time

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from allauth.mfa.models import Authenticator

from forum.selectors.roles import user_requires_mfa
from forum.selectors.submissions import form_submission_redirect
from forum.services.submissions import (
    StillRunning,
    form_submission_answer,
    form_submission_claim,
    form_submission_release,
)

FORM_TOKEN_FIELD = "form_token"
_FORM_TOKEN = re.compile(r"[0-9a-f]{32}")
REDIRECTS = frozenset({301, 302, 303, 307, 308})
# A second POST that arrives while the first is still running (a double click) waits this
# long for the first one's answer, so that the page the browser shows is the first result.
WAIT_FOR_FIRST = 5.0


class RequireStaffMFAMiddleware:
    """Secretariat and municipality staff must activate TOTP before anything else.

    Account pages (sign-out, email, the MFA set-up itself), static files and the language
    switch stay reachable so that the person can complete the set-up. The API is left
    alone too: it never reads the session, so a signed-in browser is anonymous there.
    Uploaded files are not: a draft's images and documents reach staff only after the set-up.
    """

    allowed_prefixes = ("/accounts/", "/static/", "/i18n/", "/favicon.ico", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._needs_setup(request):
            messages.warning(
                request,
                _("事務局・市町村職員のアカウントには二要素認証（認証アプリ）の設定が必要です。"),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def _needs_setup(self, request) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if request.path.startswith(self.allowed_prefixes):
            return False
        if not user_requires_mfa(user):
            return False
        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class SiteLanguageMiddleware:
    """Japanese unless the person chose another language with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language; the forum speaks
    Japanese first, so only the language cookie set by the switcher changes it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        available = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary = response.get("Vary", "")
        if "Cookie" not in patch_vary:
            response["Vary"] = f"{patch_vary}, Cookie" if patch_vary else "Cookie"
        return response


class SubmitOnceMiddleware:
    """A web form POSTed twice leads to the first POST's result instead of writing again.

    Forms that create things carry a one-time token (``{% form_token %}``, rendered fresh
    with each page). The first POST of a signed-in person with a token claims it; when it
    ends in a redirect (the forms' way of saying it worked), where it led is recorded, and
    a later POST of the same rendered form (a double click, the back button and resend, a
    retry after a timeout) is sent there with a message. A POST that shows the form again
    (its errors) or fails frees the token. Runs after the CSRF check (process_view).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        claimed = getattr(request, "_form_submission", None)
        if claimed is not None:
            if response.status_code in REDIRECTS:
                form_submission_answer(row=claimed, redirect_to=response["Location"])
            else:
                form_submission_release(row=claimed)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        token = self._token(request)
        if token is None:
            return None
        try:
            row, claimed = form_submission_claim(user=request.user, token=token, path=request.path)
        except StillRunning as error:
            target = self._wait_for_first(request, token)
            if not target:
                return render(
                    request, "forum/form_in_progress.html", {"message": error.message}, status=409
                )
        else:
            if claimed:
                request._form_submission = row
                return None
            target = row.redirect_to
        messages.info(
            request,
            _(
                "このフォームはすでに送信されています。二重に登録しないよう、最初の送信の結果を表示しています。"
            ),
        )
        return redirect(self._safe(request, target))

    @staticmethod
    def _token(request) -> str | None:
        if request.method != "POST" or not request.user.is_authenticated:
            return None
        token = request.POST.get(FORM_TOKEN_FIELD, "")
        return token if _FORM_TOKEN.fullmatch(token) else None

    @staticmethod
    def _wait_for_first(request, token: str) -> str:
        deadline = time.monotonic() + WAIT_FOR_FIRST
        while time.monotonic() < deadline:
            time.sleep(0.25)
            target = form_submission_redirect(user=request.user, token=token)
            if target:
                return target
        return ""

    @staticmethod
    def _safe(request, target: str) -> str:
        allowed = url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        return target if allowed else reverse("forum:member_home")


class DatabaseOutageMiddleware:
    """A view that cannot reach the database answers 503 with Retry-After, not a 500.

    Placed last in MIDDLEWARE, so its process_exception is the first to see what a view
    raised, Wagtail's page serving included. Errors raised before the view runs (a session
    read by an earlier middleware) reach the 500 handler, which answers the same way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from forum.views.errors import DATABASE_ERRORS, database_unavailable

        if isinstance(exception, DATABASE_ERRORS):
            return database_unavailable(request, exception)
        return None
