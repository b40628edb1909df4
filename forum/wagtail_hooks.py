from wagtail import hooks
from wagtail.permissions import register_permission_policy

from forum.admin_home import organisations_panel, questions_panel, stale_projects_panel
from forum.models import Call, Challenge, Invitation, JoinRequest
from forum.selectors.roles import user_is_municipality_staff, user_is_secretariat
from forum.viewsets import CallPolicy, EditOnlyPolicy, ForumViewSetGroup, MemberAreaCreatesPolicy

# Registered before any admin code asks for the models' policies.
for _model in (JoinRequest, Invitation):
    register_permission_policy(_model, MemberAreaCreatesPolicy(_model))
register_permission_policy(Call, CallPolicy(Call))
register_permission_policy(Challenge, EditOnlyPolicy(Challenge))


@hooks.register("register_admin_viewset")
def register_forum_viewsets():
    return ForumViewSetGroup()


@hooks.register("construct_homepage_panels")
def add_secretariat_panels(request, panels):
    """What waits for the secretariat, at the top of its admin home; municipality staff get
    their own municipality's questions."""
    if user_is_secretariat(request.user):
        panels.extend([organisations_panel(request.user), stale_projects_panel(request.user)])
    if user_is_secretariat(request.user) or user_is_municipality_staff(request.user):
        panels.append(questions_panel(request.user))
