"""Departments (所属・局) of a municipality organisation, and what they own.

A municipality organisation (a city, a town, or the prefecture itself) is made of departments:
大阪市 デジタル統括室 or 建設局, 大阪府 スマートシティ戦略部. Staff of the organisation belong to
one or more of them. Challenges and projects name the department that owns them and a
responsible post (責任者: a post title, optionally a user), so that each department head
answers for the progress of what is theirs (「各所属長の責任を明確に」).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    """A department (所属・局) of a municipality organisation."""

    organisation = models.ForeignKey(
        "forum.Organisation",
        verbose_name=_("団体"),
        on_delete=models.CASCADE,
        related_name="departments",
    )
    name = models.CharField(_("所属名"), max_length=100)
    name_en = models.CharField(_("所属名（英語）"), max_length=150, blank=True)
    slug = models.SlugField(
        _("スラッグ"),
        max_length=80,
        unique=True,
        help_text=_("URLと絞り込みに使う英数字の名前です（例: osaka-city-digital）。"),
    )
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=100)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("職員"),
        blank=True,
        related_name="departments",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "sort_order", "pk"]
        verbose_name = _("所属・局")
        verbose_name_plural = _("所属・局")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="department_name_unique_in_organisation",
                violation_error_message=_("この団体には同じ名前の所属がすでにあります。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner_name} {self.display_name}"

    @property
    def owner_name(self) -> str:
        """The organisation's name; on the English site a municipality's is its place's English
        name (organisations have no English name of their own)."""
        organisation = self.organisation
        english = (get_language() or "ja").startswith("en")
        if english and organisation.municipality_id is not None:
            return organisation.municipality.display_name
        return organisation.name

    @property
    def display_name(self) -> str:
        """The name in the active language (the Japanese name when no English one is given)."""
        if (get_language() or "ja").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class DepartmentOwned(models.Model):
    """The owning department and the responsible post (責任者) of a challenge or a project."""

    department = models.ForeignKey(
        Department,
        verbose_name=_("担当所属"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="%(class)ss",
    )
    responsible_post = models.CharField(
        _("責任者（役職）"),
        max_length=100,
        blank=True,
        help_text=_("例: デジタル統括室 スマートシティ担当課長"),
    )
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("責任者（ユーザー）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True
