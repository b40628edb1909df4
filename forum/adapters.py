"""How allauth fits the forum: where people land after signing up or in."""

from django.urls import reverse

from allauth.account.adapter import DefaultAccountAdapter

from forum.selectors.roles import organisations_for_user


class AccountAdapter(DefaultAccountAdapter):
    """Sends people without an organisation to onboarding; others to their page."""

    def get_login_redirect_url(self, request):
        user = request.user
        if user.is_authenticated and not organisations_for_user(user, approved_only=False).exists():
            return reverse("forum:onboarding")
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request):
        return reverse("forum:onboarding")
