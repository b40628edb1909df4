"""How allauth fits the forum: where people land after signing up or in, in which language
their notifications are written, and whose failed sign-ins count together."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal.ratelimit import get_ip

from forum.selectors.notifications import notification_language
from forum.selectors.residents import user_is_resident
from forum.selectors.roles import organisation_list_for_user
from forum.services.notifications import notification_preference_update


class AccountAdapter(DefaultAccountAdapter):
    """Sends residents to their page, people without an organisation to onboarding, others
    to their page.

    Failed sign-ins are limited per address and per address and account together
    (ACCOUNT_RATE_LIMITS["login_failed"]): allauth keys the second limit by account alone, so
    anyone failing five times could lock the owner out everywhere for minutes.
    """

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "ログインの失敗が続いたため、お使いのネットワークからのログインを一時的に止めています。"
            "5分ほど待ってから、もう一度お試しください。パスワードを忘れた場合は、"
            "「パスワードをお忘れですか?」から再設定できます。"
        ),
    }

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """The key of the per-account failure limit, scoped to the client's address.

        allauth uses it for every use of that limit: counting a failure, giving it back on
        success, and clearing it after a password reset (from the owner's address).
        """
        account = super()._get_login_attempts_cache_key(request, **credentials)
        # allauth's own reading of the address: trusted proxies, IPv6 networks as one address.
        return f"{get_ip(request)}:{account}"

    def get_login_redirect_url(self, request):
        user = request.user
        if user_is_resident(user):
            return reverse("residents:home")
        if (
            user.is_authenticated
            and not organisation_list_for_user(user, approved_only=False).exists()
        ):
            return reverse("forum:onboarding")
        return super().get_login_redirect_url(request)

    def save_user(self, request, user, form, commit=True):
        """A person who signs up in English receives notifications in English."""
        user = super().save_user(request, user, form, commit)
        language = translation.get_language()
        available = {code for code, _name in settings.LANGUAGES}
        if commit and language in available and language != settings.LANGUAGE_CODE:
            notification_preference_update(user=user, language=language)
        return user

    def post_login(self, request, user, **kwargs):
        """Signing in on a device that has no language chosen shows the site in the person's
        notification language (English for those who chose it)."""
        response = super().post_login(request, user, **kwargs)
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            language = notification_language(user.pk)
            if language != settings.LANGUAGE_CODE:
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    language,
                    max_age=settings.LANGUAGE_COOKIE_AGE,
                    path=settings.LANGUAGE_COOKIE_PATH,
                    domain=settings.LANGUAGE_COOKIE_DOMAIN,
                    secure=settings.LANGUAGE_COOKIE_SECURE,
                    httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                    samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                )
        return response

    def get_signup_redirect_url(self, request):
        if user_is_resident(request.user):
            return reverse("residents:home")
        return reverse("forum:onboarding")
