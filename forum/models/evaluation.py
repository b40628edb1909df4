"""Evaluating a challenge's proposals (審査): published criteria, a panel, declarations of
conflicts of interest, per-criterion reviews, the decision and its public result.

Scores and private notes live only in ``Review``/``ReviewScore``; nothing public reads them.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _panel_token() -> str:
    return secrets.token_urlsafe(32)


def _panel_expiry():
    return timezone.now() + timedelta(days=14)


class Selection(models.Model):
    """A challenge's selection (選定): the scoring scale, the final decision and its public result."""

    challenge = models.OneToOneField(
        "forum.Challenge",
        verbose_name=_("課題"),
        on_delete=models.CASCADE,
        related_name="selection",
    )
    scale_min = models.PositiveSmallIntegerField(_("評点の最小値"), default=1)
    scale_max = models.PositiveSmallIntegerField(
        _("評点の最大値"), default=5, validators=[MinValueValidator(2), MaxValueValidator(10)]
    )
    decided_at = models.DateTimeField(_("決定日時"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    public_reasons = models.TextField(_("選定理由（公開）"), max_length=5000, blank=True)
    published_at = models.DateTimeField(_("結果公表日時"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("選定")
        verbose_name_plural = _("選定")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scale_min__lt=models.F("scale_max")),
                name="selection_scale_ordered",
            )
        ]

    def __str__(self) -> str:
        return str(self.challenge)

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Criterion(models.Model):
    """One weighted criterion (評価基準) of a challenge, published before intake closes."""

    challenge = models.ForeignKey(
        "forum.Challenge", verbose_name=_("課題"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("評価基準"), max_length=100)
    description = models.TextField(_("説明"), max_length=1000, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("配点"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("評価基準")
        verbose_name_plural = _("評価基準")
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "name"], name="criterion_unique_name_per_challenge"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight})"


class PanelMember(models.Model):
    """A member of a challenge's review panel (審査員).

    Municipality staff and the secretariat are added with their account; an external evaluator
    is first an invitation (email and token) and gets a user when they accept it. External
    evaluators see only the proposals assigned to them.
    """

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("市町村職員")
        SECRETARIAT = "secretariat", _("事務局")
        EXTERNAL = "external", _("外部評価者")

    challenge = models.ForeignKey(
        "forum.Challenge",
        verbose_name=_("課題"),
        on_delete=models.CASCADE,
        related_name="panel_members",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("審査員"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="panel_memberships",
    )
    kind = models.CharField(_("区分"), max_length=20, choices=Kind.choices)
    email = models.EmailField(_("メールアドレス"), blank=True)
    token = models.CharField(max_length=64, unique=True, default=_panel_token, editable=False)
    expires_at = models.DateTimeField(_("招待の有効期限"), default=_panel_expiry)
    assigned_proposals = models.ManyToManyField(
        "forum.Proposal", verbose_name=_("担当する提案"), blank=True, related_name="+"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("受諾日時"), null=True, blank=True)
    # A member taken off the panel (or an invitation withdrawn) stays on record with the reason;
    # their scores no longer count and their link no longer opens anything.
    removed_at = models.DateTimeField(_("解任日時"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    removal_reason = models.TextField(_("解任の理由"), max_length=2000, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("審査員")
        verbose_name_plural = _("審査員")
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "user"],
                condition=models.Q(user__isnull=False, removed_at__isnull=True),
                name="panel_member_once_per_challenge",
            )
        ]

    def __str__(self) -> str:
        return str(self.user or self.email)

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    @property
    def is_active(self) -> bool:
        return self.user_id is not None and self.accepted_at is not None and not self.is_removed


class ConflictDeclaration(models.Model):
    """A panel member's declaration of a conflict of interest (利益相反) for one proposal."""

    panel_member = models.ForeignKey(
        PanelMember, on_delete=models.CASCADE, related_name="declarations"
    )
    proposal = models.ForeignKey("forum.Proposal", on_delete=models.CASCADE, related_name="+")
    has_conflict = models.BooleanField(_("利益相反あり"))
    note = models.TextField(_("補足"), max_length=2000, blank=True)
    declared_at = models.DateTimeField(_("申告日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("利益相反の申告")
        verbose_name_plural = _("利益相反の申告")
        constraints = [
            models.UniqueConstraint(
                fields=["panel_member", "proposal"], name="declaration_once_per_member_proposal"
            )
        ]

    def __str__(self) -> str:
        return f"{self.panel_member} / {self.proposal_id}: {self.has_conflict}"


class Review(models.Model):
    """One panel member's review (審査) of one proposal: per-criterion scores and a private note."""

    panel_member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="reviews")
    proposal = models.ForeignKey("forum.Proposal", on_delete=models.CASCADE, related_name="+")
    note = models.TextField(_("所見（非公開）"), max_length=5000, blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("審査")
        verbose_name_plural = _("審査")
        constraints = [
            models.UniqueConstraint(
                fields=["panel_member", "proposal"], name="review_once_per_member_proposal"
            )
        ]

    def __str__(self) -> str:
        return f"{self.panel_member} / {self.proposal_id}"


class ReviewScore(models.Model):
    """A review's score on one criterion."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField(_("評点"))

    class Meta:
        verbose_name = _("評点")
        verbose_name_plural = _("評点")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "criterion"], name="review_score_once_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"


class ProposalDecision(models.Model):
    """The decision on one proposal (selected, reserve, not selected), its reason and feedback.

    ``bands`` keeps, for the proposer, their own result band per criterion as it was at the
    decision; it never holds a score.
    """

    class Outcome(models.TextChoices):
        SELECTED = "selected", _("選定")
        RESERVE = "reserve", _("補欠")
        NOT_SELECTED = "not_selected", _("非選定")

    proposal = models.OneToOneField(
        "forum.Proposal", on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(_("結果"), max_length=20, choices=Outcome.choices)
    reason = models.TextField(_("決定の理由（内部記録）"), max_length=5000)
    feedback_note = models.TextField(_("提案者へのコメント"), max_length=5000, blank=True)
    bands = models.JSONField(_("評価基準ごとの結果"), default=list, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("決定日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("提案の選定結果")
        verbose_name_plural = _("提案の選定結果")

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.outcome}"
