from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Call(models.Model):
    """A call for proposals (募集回): challenges grouped under one schedule.

    The secretariat runs forum-wide calls; a municipality may run its own. Dates are days in
    Japan's calendar: intake is open from ``intake_opens_on`` to the end of ``intake_closes_on``,
    questions are taken to the end of ``question_deadline``.
    """

    slug = models.SlugField(_("スラッグ"), max_length=80, unique=True)
    title_ja = models.CharField(_("名称（日本語）"), max_length=200)
    title_en = models.CharField(_("名称（英語）"), max_length=200, blank=True)
    description_ja = models.TextField(_("説明（日本語）"), blank=True)
    description_en = models.TextField(_("説明（英語）"), blank=True)
    organisation = models.ForeignKey(
        "forum.Organisation",
        verbose_name=_("実施団体"),
        on_delete=models.PROTECT,
        related_name="calls",
        help_text=_("事務局（フォーラム全体の募集）または市町村の団体"),
    )
    intake_opens_on = models.DateField(_("受付開始日"))
    intake_closes_on = models.DateField(_("受付締切日"))
    question_deadline = models.DateField(_("質問締切日"))
    answer_date = models.DateField(_("回答予定日"), null=True, blank=True)
    selection_date = models.DateField(_("選定予定日"), null=True, blank=True)
    poc_starts_on = models.DateField(_("実証期間（開始）"), null=True, blank=True)
    poc_ends_on = models.DateField(_("実証期間（終了）"), null=True, blank=True)
    midterm_report_on = models.DateField(_("中間報告会"), null=True, blank=True)
    final_report_on = models.DateField(_("最終報告会"), null=True, blank=True)
    is_published = models.BooleanField(_("公開する"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作成者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        ordering = ["-intake_opens_on", "-pk"]
        verbose_name = _("募集回")
        verbose_name_plural = _("募集回")
        constraints = [
            models.CheckConstraint(
                condition=Q(intake_closes_on__gte=F("intake_opens_on")),
                name="call_intake_ordered",
            ),
            models.CheckConstraint(
                condition=Q(poc_starts_on__isnull=True)
                | Q(poc_ends_on__isnull=True)
                | Q(poc_ends_on__gte=F("poc_starts_on")),
                name="call_poc_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/calls/{self.slug}/"

    @property
    def title(self) -> str:
        """The title in the active language, falling back to Japanese."""
        if (get_language() or "ja").startswith("en") and self.title_en:
            return self.title_en
        return self.title_ja

    @property
    def description(self) -> str:
        """The description in the active language, falling back to Japanese."""
        if (get_language() or "ja").startswith("en") and self.description_en:
            return self.description_en
        return self.description_ja


class CallReminder(models.Model):
    """One person reminded of one deadline of a call; unique, so nobody is reminded twice."""

    class Kind(models.TextChoices):
        INTAKE_CLOSE = "intake_close", _("提案受付の締切")
        QUESTION_DEADLINE = "question_deadline", _("質問の締切")

    call = models.ForeignKey(
        Call, verbose_name=_("募集回"), on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("種類"), max_length=20, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("宛先"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("通知日時"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("締切のお知らせ")
        verbose_name_plural = _("締切のお知らせ")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "kind", "recipient"], name="callreminder_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.call_id}:{self.kind} → {self.recipient_id}"
