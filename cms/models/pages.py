"""The site's own pages: the home page, standard pages and news."""

from datetime import date

from django.core.paginator import Paginator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from cms.blocks import BodyBlock
from cms.english import (
    EnglishVersionMixin,
    english_body_field,
    english_intro_field,
    search_fields_with_english,
)
from cms.models.events import EventPage
from cms.page_context import home_page_context


class HomePage(EnglishVersionMixin, Page):
    """The site's front page: hero, featured open challenges, news, events and key figures."""

    hero_title = models.CharField(_("見出し"), max_length=200, blank=True)
    hero_text = models.TextField(_("リード文"), blank=True)
    intro = RichTextField(_("紹介文"), blank=True)
    hero_title_en = models.CharField(_("見出し（英語）"), max_length=200, blank=True)
    hero_text_en = models.TextField(_("リード文（英語）"), blank=True)
    intro_en = RichTextField(_("紹介文（英語）"), blank=True)

    english_fields = {
        "title": "title_en",
        "hero_title": "hero_title_en",
        "hero_text": "hero_text_en",
        "intro": "intro_en",
    }

    content_panels = [
        *Page.content_panels,
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("intro"),
    ]

    template = "cms/home_page.html"
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.StandardPage",
        "cms.NewsIndexPage",
        "cms.EventIndexPage",
        "cms.ChallengeIndexPage",
    ]
    max_count = 1
    page_description = _("サイトのトップページ。フォーラムの紹介と最新情報を表示します。")

    class Meta:
        verbose_name = _("トップページ")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            home_page_context(news=NewsPage.objects.live(), events=EventPage.objects.live())
        )
        return context


class StandardPage(EnglishVersionMixin, Page):
    """A plain page: about the forum, how to take part, policies."""

    intro = models.TextField(_("リード文"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("本文"), blank=True)
    intro_en = english_intro_field()
    body_en = english_body_field()

    english_fields = {"title": "title_en", "intro": "intro_en", "body": "body_en"}
    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, *search_fields_with_english("intro", "body")]

    template = "cms/standard_page.html"
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = ["cms.StandardPage"]
    page_description = _("フォーラムの紹介や参加方法など、一般的な内容のページ。")

    class Meta:
        verbose_name = _("標準ページ")


class NewsIndexPage(EnglishVersionMixin, Page):
    """The list of news items, newest first."""

    intro = models.TextField(_("リード文"), blank=True)
    intro_en = english_intro_field()

    english_fields = {"title": "title_en", "intro": "intro_en"}
    heading_in_template = True
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    template = "cms/news_index_page.html"
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NewsPage"]
    max_count = 1
    page_description = _("お知らせの一覧ページ。")

    class Meta:
        verbose_name = _("お知らせ一覧")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news = NewsPage.objects.live().descendant_of(self).order_by("-date", "-pk")
        context["page_obj"] = Paginator(news, 12).get_page(request.GET.get("page"))
        return context


class NewsPage(EnglishVersionMixin, Page):
    """One news item."""

    date = models.DateField(_("日付"), default=date.today)
    intro = models.TextField(_("リード文"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("本文"), blank=True)
    intro_en = english_intro_field()
    body_en = english_body_field()

    english_fields = {"title": "title_en", "intro": "intro_en", "body": "body_en"}
    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, *search_fields_with_english("intro", "body")]

    template = "cms/news_page.html"
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types = []
    page_description = _("フォーラムからのお知らせ。")

    class Meta:
        verbose_name = pgettext_lazy("news", "お知らせ")
