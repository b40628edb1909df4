"""The API's views: parse parameters, call one selector or service, serialize.

``PublicReadViewSet`` is the base of every open-data list (cms's events use it too):
anonymous, read-only, strict parameters, paginated lists. ``PublicReadMixin`` carries the
open-data rules for a single object such as the public dashboard.
"""

from django.db.models import QuerySet

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from forum.api import filters
from forum.api import serializers as s
from forum.api.permissions import HasPersonalToken
from forum.selectors.challenges import challenge_list_filtered, challenge_list_published
from forum.selectors.dashboard import dashboard_figures, dashboard_last_updated
from forum.selectors.projects.lists import project_list_public, project_with_public_record
from forum.selectors.proposals import proposal_list_of_member_organisations
from forum.selectors.reference import field_list, municipality_list, technology_list
from forum.selectors.roles import organisation_list_acting_for_user
from forum.selectors.solutions import (
    organisations_public,
    solution_list_filtered,
    solutions_of_member_organisations,
    solutions_published,
)
from forum.selectors.withdrawals import withdrawal_list
from forum.services.proposals import proposal_create, proposal_transition, proposal_update
from forum.services.solutions import solution_create, solution_set_published, solution_update


class ParametersMixin:
    """Validates the query string before anything else; the schema documents the same classes.

    ``parameters`` maps an action to its parameter serializer; actions not named take none.
    """

    parameters: dict[str, type[filters.QueryParameters]] = {}
    lookup_value_regex = r"[0-9]+"

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if getattr(self, request.method.lower(), None) is None:
            return  # a method the view does not offer: dispatch answers 405 next
        parameters_class = self.parameters.get(self.action, filters.DetailParameters)
        checked = parameters_class(data=request.query_params)
        checked.is_valid(raise_exception=True)
        self.params = checked

    def param(self, name: str, default=None):
        """One validated parameter."""
        return self.params.validated_data.get(name, default)


class PublicReadMixin:
    """Open data: anyone may read, a token is optional, only GET and HEAD.

    Responses may be read by pages of other sites (the API uses no cookies, so allowing
    every origin gives away nothing that is not already public).
    """

    permission_classes = [AllowAny]
    http_method_names = ["get", "head"]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response


class PublicReadViewSet(PublicReadMixin, ParametersMixin, viewsets.ReadOnlyModelViewSet):
    """Open-data lists and their objects; lists are paginated."""

    def get_queryset(self) -> QuerySet:
        if self.action == "list":
            return self.list_queryset()
        return self.detail_queryset()

    def list_queryset(self) -> QuerySet:
        return self.detail_queryset()

    def detail_queryset(self) -> QuerySet:
        raise NotImplementedError


class ChallengeViewSet(PublicReadViewSet):
    """Published challenges, filtered like the public list (/challenges/)."""

    serializer_class = s.ChallengeSerializer
    parameters = {"list": filters.ChallengeParameters}
    docs = {
        "list": "公開中の地域課題の一覧\n課題一覧ページ（/challenges/）と同じ絞り込みができます。"
        "募集終了の課題も含みます（status で絞り込めます）。",
        "retrieve": "公開中の地域課題",
    }

    def list_queryset(self):
        return challenge_list_filtered(
            self.params.filters(), updated_since=self.param("updated_since")
        )

    def detail_queryset(self):
        return challenge_list_published()


class SolutionViewSet(PublicReadViewSet):
    """Published solutions of approved organisations, filtered like the directory."""

    serializer_class = s.SolutionSerializer
    parameters = {"list": filters.SolutionParameters}
    docs = {
        "list": "公開中のソリューションの一覧\n承認済みの会員団体が公開しているものだけです。",
        "retrieve": "公開中のソリューション",
    }

    def list_queryset(self):
        return solution_list_filtered(
            self.params.filters(),
            organisation_id=self.param("organisation"),
            updated_since=self.param("updated_since"),
        )

    def detail_queryset(self):
        return solutions_published()


class OrganisationViewSet(PublicReadViewSet):
    """Approved member organisations, with the public directory's columns only."""

    serializer_class = s.OrganisationSerializer
    parameters = {"list": filters.OrganisationParameters}
    docs = {
        "list": "会員団体の一覧\n承認済みの企業・大学などの団体です（市町村・事務局を除く）。",
        "retrieve": "会員団体",
    }

    def list_queryset(self):
        return organisations_public(
            kind=self.param("kind", ""),
            q=self.param("q", "").strip(),
            updated_since=self.param("updated_since"),
        )

    def detail_queryset(self):
        return organisations_public()


class ProjectViewSet(PublicReadViewSet):
    """Projects the secretariat has made public, filtered like the public list (/projects/)."""

    serializer_class = s.ProjectSerializer
    parameters = {"list": filters.ProjectParameters}
    docs = {
        "list": "公開プロジェクトの一覧\nプロジェクト一覧ページ（/projects/）と同じ絞り込みができます。"
        "事務局が公開したプロジェクトだけで、非公開のものは含みません。",
        "retrieve": "公開プロジェクト\n事例紹介、ステージの歩みと成果、参加団体、参加市町村、"
        "公開中の課題、進捗率です。ステージを動かした人やメモ、進捗報告は含みません。",
    }

    def list_queryset(self):
        return project_with_public_record(project_list_public(**self.params.filters()))

    def detail_queryset(self):
        return project_with_public_record(project_list_public())


class DashboardView(PublicReadMixin, ParametersMixin, GenericAPIView):
    """The public dashboard's figures, the numbers /dashboard/ shows to everyone."""

    serializer_class = s.DashboardSerializer
    action = "retrieve"
    parameters = {"retrieve": filters.DashboardParameters}
    docs = {
        "retrieve": "見える化の公開数値\n見える化ページ（/dashboard/）の公開版と同じ数値です。"
        "公開中の課題、それらに届いた提案の件数（合計のみ）、公開プロジェクトから集計し、"
        "非公開のプロジェクトは含みません。1つの数値が figures の1件で、表・指標と、"
        "対象のステージ・分野・市町村（null はすべて）を持ちます。",
    }

    def get(self, request):
        dashboard = dashboard_figures(public=True)
        table = self.param("table")
        return Response(
            s.DashboardSerializer(
                {
                    "projects": dashboard.project_count,
                    "implemented": dashboard.implemented_count,
                    "implementation_rate": dashboard.implementation_rate,
                    "last_updated": dashboard_last_updated(),
                    "figures": [f for f in dashboard.figures if not table or f.table == table],
                }
            ).data
        )


class WithdrawnViewSet(
    PublicReadMixin, ParametersMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """What left the open data, so that harvesters using ``updated_since`` can delete it too."""

    serializer_class = s.WithdrawnSerializer
    parameters = {"list": filters.WithdrawnParameters}
    docs = {
        "list": "非公開になった記録の一覧\n一度公開された地域課題・ソリューション・プロジェクトのうち、"
        "今は公開されていないものです（掲載終了、非公開化、団体の承認取り消しなど）。"
        "updated_since で差分を取得している場合は、ここに載った ID を手元のコピーから削除してください。"
        "古いものから順に並びます。一度も公開されていない下書きや非公開プロジェクトは含みません。",
    }

    def get_queryset(self):
        return withdrawal_list(since=self.param("since"), kind=self.param("type", ""))


class FieldViewSet(PublicReadViewSet):
    """The forum's fields (分野)."""

    serializer_class = s.FieldSerializer
    parameters = {"list": filters.ReferenceParameters}
    docs = {"list": "分野の一覧", "retrieve": "分野"}

    def detail_queryset(self):
        return field_list()


class MunicipalityViewSet(PublicReadViewSet):
    """Osaka Prefecture and its 43 municipalities."""

    serializer_class = s.MunicipalitySerializer
    parameters = {"list": filters.ReferenceParameters}
    docs = {"list": "大阪府と府内市町村の一覧", "retrieve": "市町村"}

    def detail_queryset(self):
        return municipality_list()


class TechnologyViewSet(PublicReadViewSet):
    """The technology vocabulary."""

    serializer_class = s.TechnologySerializer
    parameters = {"list": filters.ReferenceParameters}
    docs = {"list": "技術の一覧", "retrieve": "技術"}

    def detail_queryset(self):
        return technology_list()


# Members, through a personal token --------------------------------------------------------


class MemberViewSet(
    ParametersMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """A token's own organisations' objects; others' are 404, as on the web."""

    permission_classes = [HasPersonalToken]
    http_method_names = ["get", "post", "patch", "head"]

    def _fresh(self, obj, code=status.HTTP_200_OK) -> Response:
        """The object as it is now, read again through the token's own selector."""
        obj = self.get_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(obj).data, status=code)


@extend_schema_view(
    create=extend_schema(
        request=s.SolutionCreateSerializer, responses={201: s.MemberSolutionSerializer}
    ),
    partial_update=extend_schema(
        request=s.SolutionUpdateSerializer, responses={200: s.MemberSolutionSerializer}
    ),
)
class MemberSolutionViewSet(MemberViewSet):
    """The member organisations' solutions, drafts included: create, edit, publish, unpublish."""

    serializer_class = s.MemberSolutionSerializer
    parameters = {"list": filters.MemberSolutionParameters}
    docs = {
        "list": "自団体のソリューションの一覧（下書きを含む）",
        "retrieve": "自団体のソリューション",
        "create": "ソリューションを下書きとして登録する\n公開するには publish を呼んでください。",
        "partial_update": "ソリューションを編集する\n公開中のものは公開したまま内容が変わります。",
        "publish": "ソリューションを公開する\n分野が1つ以上必要です。",
        "unpublish": "ソリューションを非公開にする",
    }

    def get_queryset(self):
        qs = solutions_of_member_organisations(self.request.user)
        if self.action == "list":
            if self.param("organisation"):
                qs = qs.filter(organisation_id=self.param("organisation"))
            if self.param("updated_since"):
                qs = qs.filter(updated_at__gte=self.param("updated_since"))
        return qs

    def create(self, request, *args, **kwargs):
        data = s.SolutionCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        organisation = values.pop("organisation")
        solution = solution_create(actor=request.user, organisation=organisation, **values)
        return self._fresh(solution, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        solution = self.get_object()
        data = s.SolutionUpdateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        solution_update(actor=request.user, solution=solution, **data.validated_data)
        return self._fresh(solution)

    @extend_schema(request=None, responses={200: s.MemberSolutionSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish the solution in the directory (it needs at least one field)."""
        solution = self.get_object()
        solution_set_published(actor=request.user, solution=solution, published=True)
        return self._fresh(solution)

    @extend_schema(request=None, responses={200: s.MemberSolutionSerializer})
    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        """Take the solution out of the directory; it stays as a draft."""
        solution = self.get_object()
        solution_set_published(actor=request.user, solution=solution, published=False)
        return self._fresh(solution)


@extend_schema_view(
    create=extend_schema(request=s.ProposalCreateSerializer, responses={201: s.ProposalSerializer}),
    partial_update=extend_schema(
        request=s.ProposalUpdateSerializer, responses={200: s.ProposalSerializer}
    ),
)
class MemberProposalViewSet(MemberViewSet):
    """The member organisations' proposals: draft, edit drafts, submit, withdraw.

    The municipality's side (review, shortlist, accept, decline) is not offered: it belongs
    to staff, who must use a second factor on the web.
    """

    serializer_class = s.ProposalSerializer
    parameters = {"list": filters.MemberProposalParameters}
    docs = {
        "list": "自団体の提案の一覧",
        "retrieve": "自団体の提案（履歴つき）",
        "create": "提案を下書きとして作成する\n募集中の課題に、1つの団体につき1件まで（取り下げ・不採択のものを除く）。"
        "募集終了や締切を過ぎた課題には409が返ります。",
        "partial_update": "下書きの提案を編集する\n提出後は編集できません（409）。",
        "submit": "提案を提出する\n課題の募集が終わっている場合は409が返ります。",
        "withdraw": "提案を取り下げる",
    }

    def get_queryset(self):
        qs = proposal_list_of_member_organisations(self.request.user)
        if self.action == "list":
            for name, column in (
                ("organisation", "organisation_id"),
                ("challenge", "challenge_id"),
                ("status", "status"),
            ):
                if self.param(name):
                    qs = qs.filter(**{column: self.param(name)})
            if self.param("updated_since"):
                qs = qs.filter(updated_at__gte=self.param("updated_since"))
        return qs

    def create(self, request, *args, **kwargs):
        data = s.ProposalCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        proposal = proposal_create(
            actor=request.user,
            challenge=values.pop("challenge"),
            organisation=values.pop("organisation"),
            **values,
        )
        return self._fresh(proposal, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        proposal = self.get_object()
        data = s.ProposalUpdateSerializer(
            data=request.data, instance=proposal, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        proposal_update(actor=request.user, proposal=proposal, **data.validated_data)
        return self._fresh(proposal)

    @extend_schema(request=None, responses={200: s.ProposalSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit a draft to the municipality (the challenge must still be open)."""
        proposal = self.get_object()
        proposal_transition(actor=request.user, proposal=proposal, action="submit")
        return self._fresh(proposal)

    @extend_schema(request=s.ProposalTransitionSerializer, responses={200: s.ProposalSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw the proposal, with an optional note to the municipality."""
        proposal = self.get_object()
        data = s.ProposalTransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        proposal_transition(
            actor=request.user,
            proposal=proposal,
            action="withdraw",
            note=data.validated_data.get("note", ""),
        )
        return self._fresh(proposal)


class MeView(ParametersMixin, GenericAPIView):
    """Who the token belongs to, and the organisations it may act for."""

    permission_classes = [HasPersonalToken]
    serializer_class = s.MeSerializer
    action = "retrieve"
    docs = {"retrieve": "トークンの持ち主と、トークンで扱える団体"}

    def get(self, request):
        token = request.auth
        return Response(
            s.MeSerializer(
                {
                    "display_name": str(request.user),
                    "email": request.user.email,
                    "organisations": organisation_list_acting_for_user(request.user).order_by("pk"),
                    "token_name": token.name,
                    "token_expires_at": token.expires_at,
                }
            ).data
        )
