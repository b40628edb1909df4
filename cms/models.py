from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The site's front page."""

    hero_title = models.CharField(_("見出し"), max_length=200, blank=True)
    hero_text = models.TextField(_("リード文"), blank=True)
    intro = RichTextField(_("紹介文"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("intro"),
    ]

    template = "cms/home_page.html"
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    page_description = _("サイトのトップページ。フォーラムの紹介と最新情報を表示します。")

    class Meta:
        verbose_name = _("トップページ")
