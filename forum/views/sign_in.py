"""The login pages of Wagtail and Django's admin, which the site does not serve.

allauth's sign-in is the only one: it asks staff for their second factor, which the admins'
own password forms would skip. Their URLs lead there instead, keeping where to go next.
"""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, resolve_url

from allauth.account.utils import get_next_redirect_url


def _may_enter_wagtail_admin(request) -> bool:
    return request.user.has_perm("wagtailadmin.access_admin")


def _may_enter_django_admin(request) -> bool:
    return admin.site.has_permission(request)


def _may_enter_private_page(request) -> bool:
    # Wagtail sends a signed-in person to its page login only when a private page refused them.
    return False


# Each login page: the home of its area (the default `next`) and who may enter that area.
AREAS = {
    "wagtail_admin": ("wagtailadmin_home", _may_enter_wagtail_admin),
    "django_admin": ("admin:index", _may_enter_django_admin),
    "private_page": ("/", _may_enter_private_page),
}


def sign_in_redirect(request, *, area: str):
    """Send a visitor to the site's sign-in, and a signed-in person on to where they were going.

    A signed-in person whom the area turns away is refused here: sending them to sign in
    again would bring them straight back.
    """
    home, may_enter = AREAS[area]
    next_url = get_next_redirect_url(request) or resolve_url(home)
    if not request.user.is_authenticated:
        return redirect_to_login(next_url)
    if not may_enter(request):
        raise PermissionDenied
    return redirect(next_url)
