"""How allauth fits the forum: where people land after signing up or in, and in which
language their notifications are written."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from allauth.account.adapter import DefaultAccountAdapter

from forum.selectors.notifications import notification_language
from forum.selectors.roles import organisations_for_user
from forum.services.notifications import notification_preference_update


class AccountAdapter(DefaultAccountAdapter):
    """Sends people without an organisation to onboarding; others to their page."""

    def get_login_redirect_url(self, request):
        user = request.user
        if user.is_authenticated and not organisations_for_user(user, approved_only=False).exists():
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
        return reverse("forum:onboarding")
