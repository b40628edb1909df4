"""Wagtail hooks of the CMS: registrations only, the rules live in their own modules."""

from django.http import Http404

from wagtail import hooks

from cms.admin_home import challenges_in_moderation_panel
from cms.file_access import FileAccess, file_access
from forum.selectors.roles import user_is_secretariat


@hooks.register("before_serve_document")
def on_before_serve_document(document, request):
    """A document that is not public reaches only its editors; to anyone else it does not exist."""
    if file_access(request.user, document) is FileAccess.NONE:
        raise Http404


@hooks.register("construct_homepage_panels")
def add_moderation_panel(request, panels):
    """The challenges waiting for the secretariat's review (its panel is empty for others)."""
    if user_is_secretariat(request.user):
        panels.append(challenges_in_moderation_panel(request.user))
