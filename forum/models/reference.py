from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualNameMixin(models.Model):
    """Japanese and English names, with the one for the active language."""

    name_ja = models.CharField(_("名称（日本語）"), max_length=100)
    name_en = models.CharField(_("名称（英語）"), max_length=100, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language, falling back to Japanese."""
        if (get_language() or "ja").startswith("en") and self.name_en:
            return self.name_en
        return self.name_ja


class Field(BilingualNameMixin):
    """One of the forum's fields (分野). Seeded with seven; the secretariat may add more."""

    slug = models.SlugField(_("スラッグ"), max_length=50, unique=True)
    description = models.TextField(_("説明"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("表示順"), default=100)
    is_active = models.BooleanField(_("使用中"), default=True)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("分野")
        verbose_name_plural = _("分野")


class Municipality(models.Model):
    """A public body of Osaka: the prefecture or one of its 43 municipalities."""

    class Kind(models.TextChoices):
        PREFECTURE = "prefecture", _("府")
        CITY = "city", _("市")
        TOWN = "town", _("町")
        VILLAGE = "village", _("村")

    code = models.CharField(
        _("地方公共団体コード"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", _("6桁の数字で入力してください。"))],
    )
    name = models.CharField(_("名称"), max_length=50, unique=True)
    name_kana = models.CharField(_("よみがな"), max_length=100)
    name_en = models.CharField(_("名称（英語）"), max_length=100)
    kind = models.CharField(_("種別"), max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("市町村")
        verbose_name_plural = _("市町村")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the active language."""
        if (get_language() or "ja").startswith("en"):
            return self.name_en
        return self.name


class Technology(BilingualNameMixin):
    """A term of the controlled technology vocabulary (技術)."""

    slug = models.SlugField(_("スラッグ"), max_length=50, unique=True)

    class Meta:
        ordering = ["name_ja"]
        verbose_name = _("技術")
        verbose_name_plural = _("技術")
