"""The forum's endpoints under /api/v1/ (config/urls.py mounts them beside cms's)."""

from django.urls import include, path

from rest_framework.routers import SimpleRouter

from forum.api import views

router = SimpleRouter()
router.register("challenges", views.ChallengeViewSet, basename="challenge")
router.register("solutions", views.SolutionViewSet, basename="solution")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("withdrawn", views.WithdrawnViewSet, basename="withdrawn")
router.register("fields", views.FieldViewSet, basename="field")
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")
router.register("technologies", views.TechnologyViewSet, basename="technology")
router.register("member/solutions", views.MemberSolutionViewSet, basename="member-solution")
router.register("member/proposals", views.MemberProposalViewSet, basename="member-proposal")

urlpatterns = [
    path("member/me/", views.MeView.as_view(), name="member-me"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("", include(router.urls)),
]
