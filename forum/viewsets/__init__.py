"""Wagtail admin screens through which the secretariat manages the forum's members.

Each module holds one group of screens: ``members`` (organisations, memberships, join requests,
invitations), ``vocabulary`` (fields, technologies, municipalities, strategy themes, catalogue
datasets), ``projects``, ``calls``, ``departments``; ``base`` the create, edit and delete views
that save through the services.
"""

from django.utils.translation import gettext_lazy

from wagtail.admin.viewsets.base import ViewSetGroup

from forum.viewsets.calls import CallPolicy, CallViewSet
from forum.viewsets.departments import ChallengeOwnerViewSet, DepartmentViewSet, EditOnlyPolicy
from forum.viewsets.members import (
    InvitationViewSet,
    JoinRequestViewSet,
    MemberAreaCreatesPolicy,
    MembershipViewSet,
    OrganisationViewSet,
)
from forum.viewsets.projects import ProjectViewSet
from forum.viewsets.vocabulary import (
    CatalogDatasetViewSet,
    FieldViewSet,
    MunicipalityViewSet,
    StrategyThemeViewSet,
    TechnologyViewSet,
)

__all__ = ["CallPolicy", "EditOnlyPolicy", "ForumViewSetGroup", "MemberAreaCreatesPolicy"]


class ForumViewSetGroup(ViewSetGroup):
    """One admin menu for everything about the forum's members and vocabulary."""

    menu_label = gettext_lazy("フォーラム")
    menu_icon = "group"
    menu_order = 150
    items = (
        OrganisationViewSet,
        MembershipViewSet,
        JoinRequestViewSet,
        InvitationViewSet,
        FieldViewSet,
        TechnologyViewSet,
        MunicipalityViewSet,
        ProjectViewSet,
        CallViewSet,
        DepartmentViewSet,
        ChallengeOwnerViewSet,
        StrategyThemeViewSet,
        CatalogDatasetViewSet,
    )
