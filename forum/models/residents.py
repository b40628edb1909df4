"""Residents (住民) and what they send to their municipality: needs (地域の困りごと) and support."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from forum.storage import private_storage


class ResidentProfile(models.Model):
    """Marks a person as a resident of one municipality. Residents belong to no organisation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ユーザー"),
        on_delete=models.CASCADE,
        related_name="resident_profile",
    )
    municipality = models.ForeignKey(
        "forum.Municipality",
        verbose_name=_("お住まいの市町村"),
        on_delete=models.PROTECT,
        related_name="residents",
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("住民")
        verbose_name_plural = _("住民")

    def __str__(self) -> str:
        return f"{self.user} ({self.municipality})"


class Need(models.Model):
    """A resident's local need sent to their municipality; private until its staff publish it.

    A need turned into a challenge keeps the draft challenge page's id; the page finds its
    need through the same column, so the link is read from both sides without a cms import.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("確認待ち")
        PUBLISHED = "published", _("公開中")
        DECLINED = "declined", _("見送り")
        MERGED = "merged", _("統合済み")

    municipality = models.ForeignKey(
        "forum.Municipality",
        verbose_name=_("市町村"),
        on_delete=models.PROTECT,
        related_name="needs",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("投稿した住民"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="needs",
    )
    title = models.CharField(_("タイトル"), max_length=100)
    description = models.TextField(_("内容"), max_length=2000)
    field = models.ForeignKey(
        "forum.Field", verbose_name=_("分野"), on_delete=models.PROTECT, related_name="needs"
    )
    place_name = models.CharField(_("場所（地名など）"), max_length=100, blank=True)
    photo = models.ImageField(
        _("写真"), upload_to="needs/%Y/%m/", storage=private_storage, blank=True
    )
    status = models.CharField(
        _("状況"), max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    decline_reason = models.TextField(_("見送りの理由"), max_length=1000, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("統合先"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_needs",
    )
    challenge_page_id = models.PositiveBigIntegerField(
        _("課題ページID"), null=True, blank=True, unique=True
    )
    created_at = models.DateTimeField(_("投稿日時"), auto_now_add=True)
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("地域の困りごと")
        verbose_name_plural = _("地域の困りごと")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False),
                name="need_merged_has_target",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Support(models.Model):
    """One resident's support (私も困っています) for one published challenge or need."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("住民"),
        on_delete=models.CASCADE,
        related_name="supports",
    )
    need = models.ForeignKey(
        Need,
        verbose_name=_("地域の困りごと"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="supports",
    )
    challenge = models.ForeignKey(
        "forum.Challenge",
        verbose_name=_("課題"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="supports",
    )
    municipality = models.ForeignKey(
        "forum.Municipality",
        verbose_name=_("応援した住民の市町村"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("応援日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("応援")
        verbose_name_plural = _("応援")
        constraints = [
            models.CheckConstraint(
                condition=Q(need__isnull=True, challenge__isnull=False)
                | Q(need__isnull=False, challenge__isnull=True),
                name="support_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "need"], condition=Q(need__isnull=False), name="support_once_need"
            ),
            models.UniqueConstraint(
                fields=["user", "challenge"],
                condition=Q(challenge__isnull=False),
                name="support_once_challenge",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.need or self.challenge}"


class TesterCall(models.Model):
    """A project's call for resident testers (モニター募集) of its proof of concept."""

    class Status(models.TextChoices):
        OPEN = "open", _("募集中")
        CLOSED = "closed", _("募集終了")

    project = models.ForeignKey(
        "forum.Project",
        verbose_name=_("プロジェクト"),
        on_delete=models.CASCADE,
        related_name="tester_calls",
    )
    title = models.CharField(_("募集の名前"), max_length=100)
    description = models.TextField(_("試していただくこと"), max_length=2000)
    place = models.CharField(_("場所"), max_length=200)
    starts_on = models.DateField(_("期間（開始）"))
    ends_on = models.DateField(_("期間（終了）"))
    places = models.PositiveSmallIntegerField(_("募集人数"))
    conditions = models.TextField(_("応募の条件"), max_length=1000, blank=True)
    status = models.CharField(
        _("状況"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作成者"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    data_purged_at = models.DateTimeField(_("応募者情報の削除日時"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("モニター募集")
        verbose_name_plural = _("モニター募集")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__lte=models.F("ends_on")), name="tester_call_period_ordered"
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="tester_call_places_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class TesterApplication(models.Model):
    """A resident's application to a tester call; personal data, deleted on withdrawal and
    when the project's test is over (forum.rules.residents.TESTER_DATA_KEPT)."""

    __test__ = False  # a model, not a test class, for pytest's collection

    class Status(models.TextChoices):
        APPLIED = "applied", _("応募中")
        SELECTED = "selected", _("選ばれました")

    call = models.ForeignKey(
        TesterCall,
        verbose_name=_("モニター募集"),
        on_delete=models.CASCADE,
        related_name="applications",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("住民"),
        on_delete=models.CASCADE,
        related_name="tester_applications",
    )
    note = models.TextField(_("ひとこと（条件に合うことなど）"), max_length=500, blank=True)
    status = models.CharField(
        _("状況"), max_length=10, choices=Status.choices, default=Status.APPLIED
    )
    created_at = models.DateTimeField(_("応募日時"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("モニターへの応募")
        verbose_name_plural = _("モニターへの応募")
        constraints = [
            models.UniqueConstraint(fields=["call", "user"], name="tester_application_once")
        ]

    def __str__(self) -> str:
        return f"{self.call} / {self.user}"
