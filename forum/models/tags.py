"""Strategy tags: the 17 SDGs (reference data) and the strategy themes the secretariat keeps.

Challenges and projects carry them. The tag side declares the links, so the challenge and
project models stay as they are and a republished challenge page keeps its tags (the page
writes the challenge's own columns, never these links).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from forum.models.challenges import Challenge
from forum.models.projects import Project
from forum.models.reference import BilingualNameMixin


class SdgGoal(BilingualNameMixin):
    """One of the 17 Sustainable Development Goals, loaded with the reference data."""

    number = models.PositiveSmallIntegerField(
        _("番号"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    challenges = models.ManyToManyField(
        Challenge, verbose_name=_("課題"), blank=True, related_name="sdg_goals"
    )
    projects = models.ManyToManyField(
        Project, verbose_name=_("プロジェクト"), blank=True, related_name="sdg_goals"
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("SDGsの目標")
        verbose_name_plural = _("SDGsの目標")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def code(self) -> str:
        """The goal's number as a filter value: "11"."""
        return str(self.number)


class StrategyTheme(BilingualNameMixin):
    """A strategy theme the secretariat keeps (スーパーシティ, 国家戦略特区, 万博レガシー …).

    A theme that ``asks_regulatory_relief`` wants each tagging to say which regulation
    must be relaxed (規制緩和の内容).
    """

    slug = models.SlugField(_("スラッグ"), max_length=50, unique=True)
    description = models.TextField(_("説明"), max_length=2000, blank=True)
    asks_regulatory_relief = models.BooleanField(_("必要な規制緩和を記入する"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=100)
    is_active = models.BooleanField(_("使用中"), default=True)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("戦略テーマ")
        verbose_name_plural = _("戦略テーマ")


class ThemeTagging(models.Model):
    """A strategy theme on one challenge or one project, with the regulatory relief it needs."""

    theme = models.ForeignKey(
        StrategyTheme,
        verbose_name=_("戦略テーマ"),
        on_delete=models.PROTECT,
        related_name="taggings",
    )
    challenge = models.ForeignKey(
        Challenge, null=True, blank=True, on_delete=models.CASCADE, related_name="theme_taggings"
    )
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="theme_taggings"
    )
    regulatory_relief = models.TextField(_("必要な規制緩和"), max_length=2000, blank=True)

    class Meta:
        ordering = ["theme__sort_order", "theme_id"]
        verbose_name = _("戦略テーマの設定")
        verbose_name_plural = _("戦略テーマの設定")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(challenge__isnull=True, project__isnull=False)
                | models.Q(challenge__isnull=False, project__isnull=True),
                name="themetagging_one_target",
            ),
            models.UniqueConstraint(
                fields=["theme", "challenge"], name="themetagging_unique_challenge"
            ),
            models.UniqueConstraint(
                fields=["theme", "project"], name="themetagging_unique_project"
            ),
        ]

    def __str__(self) -> str:
        return str(self.theme)
