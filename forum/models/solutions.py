from django.db import models
from django.utils.translation import gettext_lazy as _


class SolutionProfile(models.Model):
    """What an organisation offers (ソリューション). Several per organisation."""

    class Stage(models.TextChoices):
        CONCEPT = "concept", _("構想段階")
        POC_READY = "poc_ready", _("実証実験が可能")
        IN_SERVICE = "in_service", _("サービス提供中")

    class Language(models.TextChoices):
        JA = "ja", _("日本語")
        EN = "en", _("英語")

    organisation = models.ForeignKey(
        "forum.Organisation",
        verbose_name=_("団体"),
        on_delete=models.CASCADE,
        related_name="solutions",
    )
    title = models.CharField(_("名称"), max_length=200)
    summary = models.TextField(_("概要"), max_length=1000)
    description = models.TextField(_("詳細"), blank=True, max_length=20000)
    fields = models.ManyToManyField("forum.Field", verbose_name=_("分野"), related_name="solutions")
    technologies = models.ManyToManyField(
        "forum.Technology", verbose_name=_("技術"), blank=True, related_name="solutions"
    )
    stage = models.CharField(
        _("提供段階"), max_length=20, choices=Stage.choices, default=Stage.POC_READY
    )
    track_record = models.TextField(_("導入実績"), blank=True, max_length=5000)
    track_record_municipalities = models.ManyToManyField(
        "forum.Municipality",
        verbose_name=_("導入実績のある市町村"),
        blank=True,
        related_name="solutions",
    )
    price_range = models.CharField(_("価格帯"), max_length=200, blank=True)
    language = models.CharField(
        _("記載言語"), max_length=2, choices=Language.choices, default=Language.JA
    )
    is_published = models.BooleanField(_("公開中"), default=False, db_index=True)
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("ソリューション")
        verbose_name_plural = _("ソリューション")

    def __str__(self) -> str:
        return self.title
