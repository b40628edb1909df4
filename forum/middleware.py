"""Middleware: staff who have not passed their second factor, the site's language, forms sent
twice, and database outages answered with 503."""

import re
import time

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import DisallowedHost, PermissionDenied
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from allauth.account.authentication import get_authentication_records

from forum.page_cache import page_cached, page_keep, request_cacheable, response_cacheable
from forum.request_origin import origin_of, origin_reset, origin_set
from forum.rules.residents import resident_may_open
from forum.rules.second_factor import has_second_factor, second_factor_step
from forum.selectors.residents import user_is_resident
from forum.selectors.roles import authenticator_types, user_requires_mfa
from forum.selectors.submissions import form_submission_redirect
from forum.services.submissions import (
    StillRunning,
    form_submission_answer,
    form_submission_claim,
    form_submission_release,
)
from forum.views.errors import DATABASE_ERRORS, database_unavailable

FORM_TOKEN_FIELD = "form_token"
_FORM_TOKEN = re.compile(r"[0-9a-f]{32}")
REDIRECTS = frozenset({301, 302, 303, 307, 308})
# A second POST that arrives while the first is still running (a double click) waits this
# long for the first one's answer, so that the page the browser shows is the first result.
WAIT_FOR_FIRST = 5.0


def session_passed_second_factor(request) -> bool:
    """True when this session's sign-in included the person's second factor.

    allauth records every step of a sign-in on the session; its authenticate stage (and the
    code step that asks again) add an "mfa" record. A password given to any other form adds none.
    """
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


class RequireStaffMFAMiddleware:
    """Secretariat and municipality staff reach nothing until their session passed a second factor.

    Staff without an authenticator app or passkey are sent to set one up; the account pages stay
    open for that. Staff who have one but whose session never gave it (a password taken by some
    other form, a session older than this rule) are sent to the code step and may otherwise
    only sign out: the account pages would let a password alone add a passkey.
    Static files and the language switch stay reachable; the API never reads the session, so a
    signed-in browser is anonymous there. Uploaded files are not: a draft's images and documents
    reach staff only after the second factor.
    """

    open_prefixes = ("/static/", "/i18n/", "/favicon.ico", "/api/")
    setup_prefix = "/accounts/"
    # Reachable before the code: the code steps themselves and every sign-out.
    second_factor_urls = (
        "mfa_reauthenticate",
        "mfa_reauthenticate_webauthn",
        "account_logout",
        "wagtailadmin_logout",
        "admin:logout",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self._refusal(request) or self.get_response(request)

    def _refusal(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.path.startswith(self.open_prefixes) or not user_requires_mfa(user):
            return None
        types = authenticator_types(user)
        if not has_second_factor(types):
            return None if request.path.startswith(self.setup_prefix) else self._to_setup(request)
        if session_passed_second_factor(request) or request.path in self._second_factor_paths():
            return None
        return self._to_second_factor(request, types)

    def _second_factor_paths(self) -> set[str]:
        paths = set()
        for name in self.second_factor_urls:
            try:
                paths.add(reverse(name))
            except NoReverseMatch:
                continue
        return paths

    def _to_setup(self, request):
        messages.warning(
            request,
            _(
                "事務局・市町村職員のアカウントには二要素認証（認証アプリまたはパスキー）の"
                "設定が必要です。"
            ),
        )
        return redirect(reverse("mfa_index"))

    def _to_second_factor(self, request, types: frozenset[str]):
        messages.info(
            request, _("事務局・市町村職員の画面を開くには、二要素認証での確認が必要です。")
        )
        query = QueryDict(mutable=True)
        query["next"] = request.get_full_path()
        return redirect(f"{reverse(second_factor_step(types))}?{query.urlencode(safe='/')}")


class RequestOriginMiddleware:
    """Keeps the origin of the request being served for the links of the emails it causes.

    After SecurityMiddleware, so that the host has been checked against ALLOWED_HOSTS when it
    is read, and the scheme follows the trusted proxy header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            origin = origin_of(request)
        except DisallowedHost:
            origin = ""
        token = origin_set(origin)
        try:
            return self.get_response(request)
        finally:
            origin_reset(token)


class ResidentAreaMiddleware:
    """Residents reach nothing of the member area but their notices and following
    (forum.rules.residents); its front page sends them to their own page. The admin and the
    secretariat's screens refuse them on their own (no staff flag, no admin permission)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not request.path.startswith(reverse("forum:member_home")):
            return None
        if not user_is_resident(request.user) or resident_may_open(match.view_name):
            return None
        if match.view_name == "forum:member_home":
            return redirect("residents:home")
        raise PermissionDenied


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
        if isinstance(exception, DATABASE_ERRORS):
            return database_unavailable(request, exception)
        return None


class AnonymousPageCacheMiddleware:
    """Answer visitors who are not signed in from the page cache (forum/page_cache.py).

    Placed after the authentication, messages and language middleware, which it relies on to
    tell who asks and in which language; signed-in people never reach the cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request_cacheable(request):
            return self.get_response(request)
        key, kept = page_cached(request)
        if kept is not None:
            return kept
        response = self.get_response(request)
        if key is not None and response_cacheable(request, response):
            page_keep(key, response)
        return response
