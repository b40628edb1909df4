"""Projects (プロジェクト): organisations and municipalities working on challenges together.

A project is n:n: several organisations take part with a role, several municipalities join,
one or more challenges are worked on and the accepted proposals that led there are linked.
Its stage moves from matching to proof of concept, implementation and roll-out; the history
rows are the record (the dashboard's times in each stage are computed from them), and the
progress of a project is always derived from its milestones, never stored.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from forum.models.departments import DepartmentOwned
from forum.models.proposals import PrivateAttachment
from forum.storage import private_storage


class Stage(models.TextChoices):
    """Where a project stands; discontinued can be reached from any working stage."""

    MATCHED = "matched", _("マッチング成立")
    POC_PLANNING = "poc_planning", _("実証実験の準備")
    POC = "poc", _("実証実験")
    EVALUATION = "evaluation", pgettext_lazy("project stage", "評価")
    IMPLEMENTATION = "implementation", _("社会実装")
    ROLLOUT = "rollout", _("横展開")
    DISCONTINUED = "discontinued", _("中止")


# The working stages in their order; discontinued sits outside it.
STAGE_ORDER = [
    Stage.MATCHED,
    Stage.POC_PLANNING,
    Stage.POC,
    Stage.EVALUATION,
    Stage.IMPLEMENTATION,
    Stage.ROLLOUT,
]


class Outcome(models.TextChoices):
    """What an evaluation decided (成果)."""

    ADOPTED = "adopted", _("本格導入が決定")
    BUDGETED = "budgeted", _("次年度に予算化")
    CONTINUED = "continued", _("実証実験を継続")
    STOPPED = "stopped", _("取りやめ")


class ParticipantRole(models.TextChoices):
    COORDINATOR = "coordinator", _("プロジェクトコーディネーター")
    COMPANY = "company", _("企業")
    UNIVERSITY = "university", _("大学・研究機関")
    MUNICIPALITY = "municipality", _("市町村")


class Project(DepartmentOwned):
    """A project (プロジェクト): who takes part, where, on which challenges, and how far it got."""

    title = models.CharField(_("プロジェクト名"), max_length=200)
    # The English site's name of a public project; empty where it has none.
    title_en = models.CharField(
        _("プロジェクト名（英語）"),
        max_length=200,
        blank=True,
        help_text=_("英語版サイトに表示します。空欄の間は日本語のプロジェクト名を表示します。"),
    )
    summary = models.TextField(_("概要"), max_length=3000, blank=True)
    field = models.ForeignKey(
        "forum.Field", verbose_name=_("分野"), on_delete=models.PROTECT, related_name="projects"
    )
    stage = models.CharField(
        _("ステージ"), max_length=20, choices=Stage.choices, default=Stage.MATCHED, db_index=True
    )
    municipalities = models.ManyToManyField(
        "forum.Municipality", verbose_name=_("参加市町村"), related_name="projects"
    )
    challenges = models.ManyToManyField(
        "forum.Challenge", verbose_name=_("課題"), related_name="projects"
    )
    proposals = models.ManyToManyField(
        "forum.Proposal",
        verbose_name=_("提案"),
        through="ProjectProposal",
        related_name="projects",
    )
    origin = models.ForeignKey(
        "self",
        verbose_name=_("横展開の元のプロジェクト"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rollouts",
    )
    is_public = models.BooleanField(
        _("公開する"),
        default=False,
        help_text=_("公開すると、事例紹介とステージの歩みを誰でも見られるようになります。"),
    )
    case_study = models.TextField(
        _("事例紹介（公開用）"),
        max_length=10000,
        blank=True,
        help_text=_("事務局がまとめる公開用の紹介文です。公開するプロジェクトには必須です。"),
    )
    case_study_en = models.TextField(
        _("事例紹介（英語）"),
        max_length=10000,
        blank=True,
        help_text=_("英語版サイトに表示します。空欄の間は日本語の事例紹介を表示します。"),
    )
    # When the case study's Japanese and English last changed (forum.services.projects), so the
    # secretariat's translation report can tell an English case study older than the Japanese.
    case_study_changed_at = models.DateTimeField(
        _("事例紹介の更新日時"), null=True, blank=True, editable=False
    )
    case_study_en_changed_at = models.DateTimeField(
        _("事例紹介（英語）の更新日時"), null=True, blank=True, editable=False
    )
    published_at = models.DateTimeField(
        _("初回公開日時"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("初めて公開した日時です。非公開に戻したことを差分取得に伝えるために使います。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作成者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("開始日時"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = pgettext_lazy("singular", "プロジェクト")
        verbose_name_plural = _("プロジェクト")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_public=False) | ~Q(case_study=""),
                name="project_public_needs_case_study",
                violation_error_message=_("公開するには事例紹介を入力してください。"),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.pk])


class ProjectParticipant(models.Model):
    """An organisation's part in a project; at most one coordinator per project."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("プロジェクト"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    organisation = models.ForeignKey(
        "forum.Organisation",
        verbose_name=_("団体"),
        on_delete=models.PROTECT,
        related_name="project_participations",
    )
    role = models.CharField(_("役割"), max_length=20, choices=ParticipantRole.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("参加日時"), auto_now_add=True)

    class Meta:
        ordering = ["role", "organisation__name", "pk"]
        verbose_name = _("プロジェクトの参加団体")
        verbose_name_plural = _("プロジェクトの参加団体")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation"],
                name="projectparticipant_unique_organisation",
                violation_error_message=_("この団体はすでにプロジェクトに参加しています。"),
            ),
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(role="coordinator"),
                name="projectparticipant_one_coordinator",
                violation_error_message=_("コーディネーターは1プロジェクトに1団体です。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class ProjectProposal(models.Model):
    """An accepted proposal that led to (or joined) the project; a proposal belongs to one project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="proposal_links")
    proposal = models.OneToOneField(
        "forum.Proposal", on_delete=models.PROTECT, related_name="project_link"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("プロジェクトの提案")
        verbose_name_plural = _("プロジェクトの提案")

    def __str__(self) -> str:
        return f"{self.project_id} ← {self.proposal_id}"


class ProjectStageChange(models.Model):
    """One move of a project's stage: who (in which role), when, from, to, and the note."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stage_changes")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("実行者"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_role = models.CharField(_("実行者の立場"), max_length=20, blank=True)
    from_stage = models.CharField(_("変更前"), max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("変更後"), max_length=20, choices=Stage.choices)
    note = models.TextField(_("メモ"), blank=True)
    is_override = models.BooleanField(_("事務局による修正"), default=False)
    created_at = models.DateTimeField(_("日時"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("ステージの履歴")
        verbose_name_plural = _("ステージの履歴")

    def __str__(self) -> str:
        return f"{self.project_id}: {self.from_stage} → {self.to_stage}"


class ProjectOutcome(models.Model):
    """What an evaluation decided, and what was learned; recorded with the move out of evaluation."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="outcomes")
    stage_change = models.OneToOneField(
        ProjectStageChange, on_delete=models.CASCADE, related_name="outcome"
    )
    decision = models.CharField(_("成果"), max_length=20, choices=Outcome.choices)
    lessons = models.TextField(_("学んだこと"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("実証実験の成果")
        verbose_name_plural = _("実証実験の成果")

    def __str__(self) -> str:
        return self.get_decision_display()


class ProjectMilestone(models.Model):
    """A milestone with a due date and a weight; progress is the done share of the weights."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(pgettext_lazy("singular", "マイルストーン"), max_length=200)
    due_on = models.DateField(_("期日"))
    weight = models.PositiveSmallIntegerField(
        _("重み"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("進捗率の計算に使う重み（1〜100）"),
    )
    done = models.BooleanField(_("完了"), default=False)
    done_at = models.DateTimeField(_("完了日時"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = pgettext_lazy("singular", "マイルストーン")
        verbose_name_plural = _("マイルストーン")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=100),
                name="projectmilestone_weight_range",
                violation_error_message=_("重みは1〜100で入力してください。"),
            )
        ]

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    """A periodic progress report: free text and the KPI values of its date."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reports")
    reported_on = models.DateField(_("報告日"))
    body = models.TextField(_("報告内容"), max_length=10000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("報告者"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reported_on", "-pk"]
        verbose_name = pgettext_lazy("singular", "進捗報告")
        verbose_name_plural = _("進捗報告")

    def __str__(self) -> str:
        return f"{self.project_id}: {self.reported_on}"


def project_file_path(instance, filename: str) -> str:
    """A random name under projects/, keeping only the extension of the upload."""
    return f"projects/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class ProjectDocument(PrivateAttachment):
    """A document shared inside a project: plans, minutes, evaluation reports."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(storage=private_storage, upload_to=project_file_path, max_length=300)

    class Meta(PrivateAttachment.Meta):
        verbose_name = _("プロジェクトの資料")
        verbose_name_plural = _("プロジェクトの資料")


class Follow(models.Model):
    """A member following a challenge or a project, to be told of its stage changes and reports."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    challenge = models.ForeignKey(
        "forum.Challenge",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followers",
    )
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="followers"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("フォロー")
        verbose_name_plural = _("フォロー")
        constraints = [
            models.CheckConstraint(
                condition=Q(challenge__isnull=True, project__isnull=False)
                | Q(challenge__isnull=False, project__isnull=True),
                name="follow_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "challenge"],
                condition=Q(challenge__isnull=False),
                name="follow_unique_challenge",
            ),
            models.UniqueConstraint(
                fields=["user", "project"],
                condition=Q(project__isnull=False),
                name="follow_unique_project",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.challenge_id or self.project_id}"
