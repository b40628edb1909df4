"""The data catalogue: datasets the forum's challenges and projects use (ORDEN, the
prefecture's open data …), kept by the secretariat and published as DCAT.

The dataset side declares the links, so challenges and projects keep their own columns and
a republished challenge page keeps its datasets.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from forum.models.challenges import Challenge
from forum.models.projects import Project
from forum.models.reference import BilingualNameMixin


class Licence(models.TextChoices):
    """Licences a public dataset is commonly offered under; OTHER names its terms by URL."""

    CC_BY_4 = "cc-by-4.0", _("クリエイティブ・コモンズ 表示 4.0 国際（CC BY 4.0）")
    CC_BY_21_JP = "cc-by-2.1-jp", _("クリエイティブ・コモンズ 表示 2.1 日本（CC BY 2.1 JP）")
    CC0 = "cc0-1.0", _("CC0 1.0（パブリック・ドメイン）")
    PDL = "pdl-1.0", _("公共データ利用規約（第1.0版）（PDL1.0）")
    OTHER = "other", _("個別の利用規約")


LICENCE_URLS = {
    Licence.CC_BY_4: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_21_JP: "https://creativecommons.org/licenses/by/2.1/jp/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
    Licence.PDL: "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0",
}


class CatalogDataset(BilingualNameMixin):
    """A dataset of the catalogue: who publishes it, where, under which licence, in what form."""

    slug = models.SlugField(_("スラッグ"), max_length=50, unique=True)
    description = models.TextField(_("説明"), max_length=2000, blank=True)
    publisher = models.CharField(_("提供者"), max_length=200)
    url = models.URLField(_("URL"), max_length=500)
    licence = models.CharField(_("ライセンス"), max_length=20, choices=Licence.choices)
    licence_url = models.URLField(
        _("利用規約のURL"),
        max_length=500,
        blank=True,
        help_text=_("「個別の利用規約」のとき、その規約のURL"),
    )
    formats = models.CharField(
        _("形式"), max_length=200, help_text=_("カンマ区切り（例：CSV, JSON, API）")
    )
    is_active = models.BooleanField(_("掲載中"), default=True)
    challenges = models.ManyToManyField(
        Challenge, verbose_name=_("課題"), blank=True, related_name="datasets"
    )
    projects = models.ManyToManyField(
        Project, verbose_name=_("プロジェクト"), blank=True, related_name="datasets"
    )
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        ordering = ["name_ja", "pk"]
        verbose_name = _("データセット")
        verbose_name_plural = _("データセット")

    @property
    def licence_link(self) -> str:
        """The URL of the licence's terms."""
        return self.licence_url or LICENCE_URLS.get(self.licence, "")

    @property
    def format_list(self) -> list[str]:
        return [f.strip() for f in self.formats.split(",") if f.strip()]
