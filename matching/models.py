from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Interest(models.Model):
    """A member's saved interest (関心): the challenges they want to hear about when published.

    Every criterion that is filled in must hold; within one criterion any listed value is
    enough. The rule is built from these fields by matching.alerts and runs either in process
    or as a stored percolator query, whichever backend the site uses.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登録者"),
        on_delete=models.CASCADE,
        related_name="interests",
    )
    name = models.CharField(_("名前"), max_length=100)
    fields = models.ManyToManyField(
        "forum.Field", verbose_name=_("分野"), blank=True, related_name="+"
    )
    technologies = models.ManyToManyField(
        "forum.Technology", verbose_name=_("技術"), blank=True, related_name="+"
    )
    municipalities = models.ManyToManyField(
        "forum.Municipality", verbose_name=_("市町村"), blank=True, related_name="+"
    )
    keywords = models.JSONField(_("キーワード"), default=list, blank=True)
    is_active = models.BooleanField(_("通知する"), default=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("関心")
        verbose_name_plural = _("関心")
        indexes = [models.Index(fields=["owner", "is_active"])]

    def __str__(self) -> str:
        return self.name


class ChallengeAlert(models.Model):
    """Marks that a challenge's first publication has been matched against saved interests.

    One row per challenge: later edits and re-publications send the same signal, and this row
    is what makes them alert nobody.
    """

    challenge = models.OneToOneField(
        "forum.Challenge",
        verbose_name=_("課題"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    matched = models.PositiveIntegerField(_("通知した人数"), default=0)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("新着課題の通知")
        verbose_name_plural = _("新着課題の通知")

    def __str__(self) -> str:
        return f"challenge#{self.challenge_id}"


class AlertDelivery(models.Model):
    """One person told about one newly published challenge; unique, so a rerun tells nobody twice."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("宛先"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    challenge = models.ForeignKey(
        "forum.Challenge", verbose_name=_("課題"), on_delete=models.CASCADE, related_name="+"
    )
    interest = models.ForeignKey(
        Interest,
        verbose_name=_("関心"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
    )
    notification = models.ForeignKey(
        "forum.Notification",
        verbose_name=_("お知らせ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("通知日時"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("関心の通知")
        verbose_name_plural = _("関心の通知")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "challenge"], name="alertdelivery_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} ← challenge#{self.challenge_id}"


class SuggestionFeedback(models.Model):
    """Whether a person found a suggested challenge ↔ solution pairing useful; one vote per pair."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("評価した人"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    challenge = models.ForeignKey(
        "forum.Challenge", verbose_name=_("課題"), on_delete=models.CASCADE, related_name="+"
    )
    solution = models.ForeignKey(
        "forum.SolutionProfile",
        verbose_name=_("ソリューション"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    useful = models.BooleanField(_("役に立つ"))
    # The clauses (matching.query.CLAUSE_LABELS) whose reasons the voter was shown, so that the
    # secretariat can read the useful rate per kind of reason.
    reasons = models.JSONField(_("表示された理由"), default=list, blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("マッチング候補の評価")
        verbose_name_plural = _("マッチング候補の評価")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "challenge", "solution"], name="suggestionfeedback_one_vote"
            )
        ]
        indexes = [models.Index(fields=["challenge", "solution"])]

    def __str__(self) -> str:
        return f"{self.challenge} ↔ {self.solution}"

    @property
    def verdict(self) -> str:
        """The vote in words."""
        return str(_("役に立つ") if self.useful else _("役に立たない"))


class EvaluationRun(models.Model):
    """One run of evaluate_matching on a labelled set, kept for the secretariat's matching page."""

    dataset = models.CharField(_("データセット"), max_length=200)
    backend = models.CharField(_("検索エンジン"), max_length=30)
    commit = models.CharField(_("コミット"), max_length=40, blank=True)
    scores = models.JSONField(_("結果"), default=dict)
    created_at = models.DateTimeField(_("実行日時"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("マッチングの評価")
        verbose_name_plural = _("マッチングの評価")

    def __str__(self) -> str:
        return f"{self.dataset} ({self.created_at:%Y-%m-%d})"
