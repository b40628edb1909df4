"""Requests from staff roles without a second factor are sent to set one up."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from allauth.mfa.models import Authenticator

from forum.selectors.roles import user_requires_mfa


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
