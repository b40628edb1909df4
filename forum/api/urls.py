"""The forum's endpoints under /api/v1/ (config/urls.py mounts them beside cms's)."""

from django.urls import include, path

from rest_framework.routers import SimpleRouter

from forum.api.views import calls, evaluation, kpis, member, needs, projects, public, reference

router = SimpleRouter()
router.register("challenges", public.ChallengeViewSet, basename="challenge")
router.register("calls", calls.CallViewSet, basename="call")
router.register(
    r"challenges/(?P<challenge_id>[0-9]+)/questions",
    calls.ChallengeAnswerViewSet,
    basename="challenge-question",
)
router.register("solutions", public.SolutionViewSet, basename="solution")
router.register("organisations", public.OrganisationViewSet, basename="organisation")
router.register("projects", projects.ProjectViewSet, basename="project")
router.register("needs", needs.NeedViewSet, basename="need")
router.register("results", evaluation.ResultViewSet, basename="result")
router.register("withdrawn", public.WithdrawnViewSet, basename="withdrawn")
router.register("fields", reference.FieldViewSet, basename="field")
router.register("municipalities", reference.MunicipalityViewSet, basename="municipality")
router.register("technologies", reference.TechnologyViewSet, basename="technology")
router.register("member/solutions", member.MemberSolutionViewSet, basename="member-solution")
router.register("member/proposals", member.MemberProposalViewSet, basename="member-proposal")

urlpatterns = [
    path("member/me/", member.MeView.as_view(), name="member-me"),
    path("dashboard/", public.DashboardView.as_view(), name="dashboard"),
    path("dashboard/series/", public.DashboardSeriesView.as_view(), name="dashboard_series"),
    path("dashboard/kpis/", kpis.KpiRollupView.as_view(), name="dashboard-kpis"),
    path("", include(router.urls)),
]
