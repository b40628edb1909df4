from wagtail import hooks
from wagtail.permissions import register_permission_policy

from forum.models import Invitation, JoinRequest
from forum.viewsets import ForumViewSetGroup, MemberAreaCreatesPolicy

# Registered before any admin code asks for the models' policies.
for _model in (JoinRequest, Invitation):
    register_permission_policy(_model, MemberAreaCreatesPolicy(_model))


@hooks.register("register_admin_viewset")
def register_forum_viewsets():
    return ForumViewSetGroup()
