from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from forum.models.departments import DepartmentOwned


class DesiredStage(models.TextChoices):
    POC = "poc", _("実証実験")
    IMPLEMENTATION = "implementation", _("社会実装")


def closing_day(deadline, call):
    """The last day a challenge takes proposals: its deadline, or its call's intake end if that
    is earlier; None when it has neither (the published record and the page both read this)."""
    days = [deadline, call.intake_closes_on if call is not None else None]
    return min((day for day in days if day is not None), default=None)


class Challenge(DepartmentOwned):
    """The published snapshot of a municipality's challenge (課題).

    Challenges are written and moderated as CMS pages; publishing one writes this row,
    which is what proposals, search, matching and the dashboard read. Drafts never reach it.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("募集中")
        CLOSED = "closed", _("募集終了")

    page_id = models.PositiveBigIntegerField(_("ページID"), null=True, blank=True, unique=True)
    url = models.CharField(_("URL"), max_length=500, blank=True)
    title = models.CharField(_("課題名"), max_length=200)
    summary = models.TextField(_("概要"), max_length=1000)
    # The page's English version, for the English site's lists; empty where it has none.
    title_en = models.CharField(_("課題名（英語）"), max_length=255, blank=True)
    summary_en = models.TextField(_("概要（英語）"), max_length=1000, blank=True)
    background = models.TextField(_("背景"), blank=True)
    wanted = models.TextField(_("求める解決策"), blank=True)
    data_available = models.TextField(_("提供可能なデータ"), blank=True)
    body_text = models.TextField(_("本文（テキスト）"), blank=True)
    municipality = models.ForeignKey(
        "forum.Municipality",
        verbose_name=_("市町村"),
        on_delete=models.PROTECT,
        related_name="challenges",
    )
    organisation = models.ForeignKey(
        "forum.Organisation",
        verbose_name=_("掲載団体"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="challenges",
    )
    field = models.ForeignKey(
        "forum.Field", verbose_name=_("分野"), on_delete=models.PROTECT, related_name="challenges"
    )
    technologies = models.ManyToManyField(
        "forum.Technology", verbose_name=_("技術"), blank=True, related_name="challenges"
    )
    call = models.ForeignKey(
        "forum.Call",
        verbose_name=_("募集回"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="challenges",
    )
    desired_stage = models.CharField(
        _("目指す段階"), max_length=20, choices=DesiredStage.choices, default=DesiredStage.POC
    )
    budget_min = models.PositiveIntegerField(_("予算（下限・千円）"), null=True, blank=True)
    budget_max = models.PositiveIntegerField(_("予算（上限・千円）"), null=True, blank=True)
    deadline = models.DateField(_("募集締切"), null=True, blank=True)
    contact = models.CharField(_("問い合わせ先"), max_length=300, blank=True)
    status = models.CharField(
        _("募集状況"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    is_published = models.BooleanField(_("公開中"), default=False, db_index=True)
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("課題")
        verbose_name_plural = _("課題")
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_min__isnull=True)
                | Q(budget_max__isnull=True)
                | Q(budget_min__lte=models.F("budget_max")),
                name="challenge_budget_range_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.url

    @property
    def closes_on(self):
        """The last day proposals are taken: the deadline, or its call's intake end if earlier.

        The list, the proposal form, the API and open data all show this one date.
        """
        return closing_day(self.deadline, self.call if self.call_id else None)

    @property
    def has_english(self) -> bool:
        """The challenge has an English version once its English title is filled in."""
        return bool(self.title_en)

    def value_in(self, name: str, language: str) -> str:
        """The title or summary in the given language, Japanese where there is no English."""
        if language == "en" and self.title_en and name in {"title", "summary"}:
            return getattr(self, f"{name}_en") or getattr(self, name)
        return getattr(self, name)
