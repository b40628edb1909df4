import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from forum.storage import private_storage


class Proposal(models.Model):
    """An organisation's answer to a challenge (提案). Seen only by both sides and the secretariat."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("下書き")
        SUBMITTED = "submitted", _("提出済み")
        UNDER_REVIEW = "under_review", _("審査中")
        SHORTLISTED = "shortlisted", _("候補に選定")
        ACCEPTED = "accepted", _("採択")
        DECLINED = "declined", _("不採択")
        WITHDRAWN = "withdrawn", _("取り下げ")

    LIVE_STATUSES = ("draft", "submitted", "under_review", "shortlisted", "accepted")

    challenge = models.ForeignKey(
        "forum.Challenge",
        verbose_name=_("課題"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    organisation = models.ForeignKey(
        "forum.Organisation",
        verbose_name=_("提案団体"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    solution = models.ForeignKey(
        "forum.SolutionProfile",
        verbose_name=_("関連するソリューション"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    title = models.CharField(_("提案名"), max_length=200)
    summary = models.TextField(_("提案の概要"), max_length=2000)
    approach = models.TextField(_("実施内容・方法"), max_length=10000, blank=True)
    schedule = models.TextField(_("スケジュール"), max_length=3000, blank=True)
    cost_estimate = models.PositiveIntegerField(_("概算費用（千円）"), null=True, blank=True)
    status = models.CharField(
        _("状況"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    decline_reason = models.TextField(_("不採択の理由"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作成者"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    submitted_at = models.DateTimeField(_("提出日時"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("提案")
        verbose_name_plural = _("提案")
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "organisation"],
                condition=Q(
                    status__in=["draft", "submitted", "under_review", "shortlisted", "accepted"]
                ),
                name="proposal_one_live_per_organisation_challenge",
                violation_error_message=_("この課題には、すでにこの団体の提案があります。"),
            )
        ]

    def __str__(self) -> str:
        return self.title


class ProposalPartner(models.Model):
    """A co-proposer organisation of a joint proposal (共同提案), invited by the lead organisation.

    Once accepted its members see and edit the draft like the lead's, it counts toward the one
    live proposal per organisation and challenge, and it joins the project the proposal opens.
    """

    class Status(models.TextChoices):
        INVITED = "invited", _("招待中")
        ACCEPTED = "accepted", _("参加")
        DECLINED = "declined", _("辞退")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        "forum.Organisation",
        verbose_name=_("共同提案団体"),
        on_delete=models.PROTECT,
        related_name="proposal_partnerships",
    )
    status = models.CharField(
        _("状況"), max_length=10, choices=Status.choices, default=Status.INVITED
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("招待日時"), auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("回答日時"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("共同提案団体")
        verbose_name_plural = _("共同提案団体")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "organisation"], name="proposal_partner_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.proposal}"


class ProposalEvent(models.Model):
    """One change of a proposal's status: who, when, from, to, and why."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField(max_length=20, choices=Proposal.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Proposal.Status.choices)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("提案の履歴")
        verbose_name_plural = _("提案の履歴")

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.from_status} → {self.to_status}"


class ProposalMessage(models.Model):
    """A message in the thread between the proposing organisation and the municipality."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    side = models.CharField(
        max_length=12, choices=[("proposer", _("提案者")), ("reviewer", _("市町村"))]
    )
    body = models.TextField(_("メッセージ"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("提案へのメッセージ")
        verbose_name_plural = _("提案へのメッセージ")

    def __str__(self) -> str:
        return self.body[:40]


def proposal_file_path(instance, filename: str) -> str:
    """A random name under proposals/, keeping only the extension of the upload."""
    return f"proposals/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


def solution_file_path(instance, filename: str) -> str:
    """A random name under solutions/, keeping only the extension of the upload."""
    return f"solutions/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class PrivateAttachment(models.Model):
    """A checked upload kept in private storage; subclasses say what it belongs to and where it goes."""

    original_name = models.CharField(_("ファイル名"), max_length=255)
    size = models.PositiveIntegerField(_("サイズ"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ProposalAttachment(PrivateAttachment):
    """A file attached to a proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_storage, upload_to=proposal_file_path, max_length=300)

    class Meta(PrivateAttachment.Meta):
        verbose_name = _("提案の添付資料")
        verbose_name_plural = _("提案の添付資料")


class SolutionAttachment(PrivateAttachment):
    """A brochure or case study attached to a solution profile."""

    solution = models.ForeignKey(
        "forum.SolutionProfile", on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(storage=private_storage, upload_to=solution_file_path, max_length=300)

    class Meta(PrivateAttachment.Meta):
        verbose_name = _("ソリューションの添付資料")
        verbose_name_plural = _("ソリューションの添付資料")


class NotificationPreference(models.Model):
    """How a person wants notifications: email at once or once a day, and in which language."""

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", _("すぐに受け取る")
        DAILY = "daily", _("1日1回まとめて受け取る")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_mode = models.CharField(
        _("メール通知"), max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE
    )
    language = models.CharField(
        _("お知らせとメールの言語"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="ja",
        help_text=_("お知らせとメールをこの言語で受け取ります。"),
    )

    class Meta:
        verbose_name = _("通知設定")
        verbose_name_plural = _("通知設定")

    def __str__(self) -> str:
        return f"{self.user}: {self.email_mode}"
