"""Members, through a personal token: their own solutions and proposals, and who they are."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from forum.api import filters
from forum.api.idempotency import IdempotentWritesMixin
from forum.api.permissions import HasPersonalToken
from forum.api.serializers.member import (
    MemberSolutionSerializer,
    MeSerializer,
    ProposalCreateSerializer,
    ProposalSerializer,
    ProposalTransitionSerializer,
    ProposalUpdateSerializer,
    SolutionCreateSerializer,
    SolutionUpdateSerializer,
)
from forum.api.views.base import ParametersMixin
from forum.selectors.proposals import proposal_list_of_member_organisations
from forum.selectors.roles import organisation_list_acting_for_user
from forum.selectors.solutions import solution_list_of_member_organisations
from forum.services.proposals import proposal_create, proposal_transition, proposal_update
from forum.services.solutions import solution_create, solution_set_published, solution_update


class MemberViewSet(
    IdempotentWritesMixin,
    ParametersMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """A token's own organisations' objects; others' are 404, as on the web.

    Every write accepts an ``Idempotency-Key`` (forum.api.idempotency).
    """

    permission_classes = [HasPersonalToken]
    http_method_names = ["get", "post", "patch", "head"]

    def _fresh(self, obj, code=status.HTTP_200_OK) -> Response:
        """The object as it is now, read again through the token's own selector."""
        obj = self.get_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(obj).data, status=code)


@extend_schema_view(
    create=extend_schema(
        request=SolutionCreateSerializer, responses={201: MemberSolutionSerializer}
    ),
    partial_update=extend_schema(
        request=SolutionUpdateSerializer, responses={200: MemberSolutionSerializer}
    ),
)
class MemberSolutionViewSet(MemberViewSet):
    """The member organisations' solutions, drafts included: create, edit, publish, unpublish."""

    serializer_class = MemberSolutionSerializer
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
        qs = solution_list_of_member_organisations(self.request.user)
        if self.action == "list":
            if self.param("organisation"):
                qs = qs.filter(organisation_id=self.param("organisation"))
            if self.param("updated_since"):
                qs = qs.filter(updated_at__gte=self.param("updated_since"))
        return qs

    def create(self, request, *args, **kwargs):
        data = SolutionCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        organisation = values.pop("organisation")
        solution = solution_create(actor=request.user, organisation=organisation, **values)
        return self._fresh(solution, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        solution = self.get_object()
        data = SolutionUpdateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        solution_update(actor=request.user, solution=solution, **data.validated_data)
        return self._fresh(solution)

    @extend_schema(request=None, responses={200: MemberSolutionSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """Publish the solution in the directory (it needs at least one field)."""
        solution = self.get_object()
        solution_set_published(actor=request.user, solution=solution, published=True)
        return self._fresh(solution)

    @extend_schema(request=None, responses={200: MemberSolutionSerializer})
    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        """Take the solution out of the directory; it stays as a draft."""
        solution = self.get_object()
        solution_set_published(actor=request.user, solution=solution, published=False)
        return self._fresh(solution)


@extend_schema_view(
    create=extend_schema(request=ProposalCreateSerializer, responses={201: ProposalSerializer}),
    partial_update=extend_schema(
        request=ProposalUpdateSerializer, responses={200: ProposalSerializer}
    ),
)
class MemberProposalViewSet(MemberViewSet):
    """The member organisations' proposals: draft, edit drafts, submit, withdraw.

    The municipality's side (review, shortlist, accept, decline) is not offered: it belongs
    to staff, who must use a second factor on the web.
    """

    serializer_class = ProposalSerializer
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
        data = ProposalCreateSerializer(data=request.data, context={"request": request})
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
        data = ProposalUpdateSerializer(
            data=request.data, instance=proposal, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        proposal_update(actor=request.user, proposal=proposal, **data.validated_data)
        return self._fresh(proposal)

    @extend_schema(request=None, responses={200: ProposalSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit a draft to the municipality (the challenge must still be open)."""
        proposal = self.get_object()
        proposal_transition(actor=request.user, proposal=proposal, action="submit")
        return self._fresh(proposal)

    @extend_schema(request=ProposalTransitionSerializer, responses={200: ProposalSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw the proposal, with an optional note to the municipality."""
        proposal = self.get_object()
        data = ProposalTransitionSerializer(data=request.data)
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
    serializer_class = MeSerializer
    action = "retrieve"
    docs = {"retrieve": "トークンの持ち主と、トークンで扱える団体"}

    def get(self, request):
        token = request.auth
        return Response(
            MeSerializer(
                {
                    "display_name": str(request.user),
                    "email": request.user.email,
                    "organisations": organisation_list_acting_for_user(request.user).order_by("pk"),
                    "token_name": token.name,
                    "token_expires_at": token.expires_at,
                }
            ).data
        )
