"""English versions of pages: English fields kept on the Japanese page itself.

The site's language is the visitor's choice on the same URLs (forum.middleware.SiteLanguageMiddleware),
so a page's English version is a set of fields on the same page rather than a second page: one
page means one forum challenge, one search entry, one place in every list, the page's own
permissions and one moderation of both languages together (README, "Content in two languages").
"""

import copy

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, ObjectList, Panel, TabbedInterface
from wagtail.fields import StreamField
from wagtail.search import index

from cms.blocks import BodyBlock
from cms.page_forms import EnglishVersionPageForm
from cms.rules.english import STATE_CURRENT, STATE_MISSING, STATE_OUTDATED, english_outdated

ENGLISH = "en"
# Wagtail's own tab names, translated by its catalogue as on every other page type.
WAGTAIL_TABS = {"content": "Content", "promote": "Promote", "settings": "Settings"}

# What the English site shows of a page.
ENGLISH_FULL = "full"  # every part the Japanese page has is in English
ENGLISH_PARTIAL = "partial"  # some parts are still shown in Japanese
ENGLISH_NONE = "none"  # no English version: the Japanese page is shown


def _rendered(response):
    """A preview rendered now, inside the language it was asked in (a TemplateResponse would
    otherwise render later, in the admin's language)."""
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    return response


def _has_content(value) -> bool:
    if value is None:
        return False
    if hasattr(value, "raw_data"):  # a StreamField's value
        return len(value) > 0
    return bool(str(value).strip())


class EnglishOutdatedNotice(Panel):
    """A notice at the top of the page editor when the English version is older than the
    Japanese text (shown on the content and the 「英語版」 tabs)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "cms/admin/english_outdated_notice.html"

        def is_shown(self):
            return bool(getattr(self.instance, "english_outdated", False))

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["page"] = self.instance
            return context


def english_intro_field() -> models.TextField:
    """The English version of a page's lead text, alike on every page type that has one."""
    return models.TextField(_("リード文（英語）"), blank=True)


def english_body_field(verbose_name=None) -> StreamField:
    """The English version of a page's body (「本文（英語）」 unless named otherwise)."""
    if verbose_name is None:
        verbose_name = _("本文（英語）")
    return StreamField(BodyBlock(), verbose_name=verbose_name, blank=True)


def search_fields_with_english(*names: str) -> list:
    """Search entries for the Japanese fields ``names``, then the English title and their English
    versions (``<name>_en``), to follow ``Page.search_fields``."""
    return [
        *(index.SearchField(name) for name in names),
        index.SearchField("title_en"),
        *(index.SearchField(f"{name}_en") for name in names),
    ]


class EnglishVersionMixin(models.Model):
    """A page with an English version: `english_fields` maps each Japanese field to its English one.

    The English version exists once its English title is filled in; an English field left
    empty shows the Japanese text of that part, and the page says so.
    """

    title_en = models.CharField(
        _("タイトル（英語）"),
        max_length=255,
        blank=True,
        help_text=_(
            "入力すると英語版サイトで英語版が表示されます。空欄の間は日本語で表示されます。"
        ),
    )

    # When each language's text last changed in the editor (cms.page_forms), so the
    # secretariat's report and the editor can tell an English version older than the Japanese.
    english_changed_at = models.DateTimeField(
        _("英語版の更新日時"), null=True, blank=True, editable=False
    )
    japanese_changed_at = models.DateTimeField(
        _("日本語の更新日時"), null=True, blank=True, editable=False
    )

    english_fields: dict[str, str] = {"title": "title_en"}
    # Index pages whose templates give their heading in English themselves.
    heading_in_template = False

    class Meta:
        abstract = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "edit_handler" not in cls.__dict__ and "content_panels" in cls.__dict__:
            cls.edit_handler = cls.edit_handler_with_english(
                cls.content_panels, cls.promote_panels, cls.settings_panels
            )

    @classmethod
    def english_panels(cls) -> list:
        return [EnglishOutdatedNotice()] + [
            FieldPanel(name) for name in cls.english_fields.values()
        ]

    @classmethod
    def edit_handler_with_english(cls, content_panels, promote_panels, settings_panels):
        """The page editor's tabs with an 「英語版」 tab after the content."""
        return TabbedInterface(
            [
                ObjectList(
                    [EnglishOutdatedNotice(), *content_panels],
                    heading=gettext_lazy(WAGTAIL_TABS["content"]),
                ),
                ObjectList(cls.english_panels(), heading=_("英語版")),
                ObjectList(promote_panels, heading=gettext_lazy(WAGTAIL_TABS["promote"])),
                ObjectList(
                    settings_panels,
                    heading=gettext_lazy(WAGTAIL_TABS["settings"]),
                    classname="settings",
                ),
            ],
            base_form_class=getattr(cls, "base_form_class", None) or EnglishVersionPageForm,
        )

    def clean(self):
        super().clean()
        filled = [
            english
            for english in self.english_fields.values()
            if english != "title_en" and _has_content(getattr(self, english))
        ]
        if filled and not self.title_en.strip():
            raise ValidationError(
                {"title_en": _("英語版を作成するには、英語のタイトルを入力してください。")}
            )

    @property
    def has_english(self) -> bool:
        return bool(self.title_en.strip())

    @property
    def english_outdated(self) -> bool:
        """True when the Japanese text changed after the English text last did."""
        return english_outdated(self.has_english, self.english_changed_at, self.japanese_changed_at)

    def english_state(self) -> str:
        """missing, outdated or current: where the page's translation stands."""
        if not self.has_english:
            return STATE_MISSING
        return STATE_OUTDATED if self.english_outdated else STATE_CURRENT

    def title_in(self, language: str) -> str:
        """The title in the given language, the Japanese one where there is no English."""
        if language == ENGLISH and self.has_english:
            return self.title_en
        return self.title

    def value_in(self, name: str, language: str):
        """A field's value in the given language: its English one where the page has an
        English version and that part is filled in, the Japanese one otherwise."""
        english = self.english_fields.get(name)
        if language == ENGLISH and english and self.has_english:
            value = getattr(self, english)
            if _has_content(value):
                return value
        return getattr(self, name)

    def english_status(self) -> str:
        if not self.has_english:
            untranslated = [
                japanese
                for japanese in self.english_fields
                if japanese != "title" and _has_content(getattr(self, japanese))
            ]
            if self.heading_in_template and not untranslated:
                return ENGLISH_FULL
            return ENGLISH_NONE
        for japanese, english in self.english_fields.items():
            if _has_content(getattr(self, japanese)) and not _has_content(getattr(self, english)):
                return ENGLISH_PARTIAL
        return ENGLISH_FULL

    def english_view(self):
        """A copy of the page for rendering, with each filled English field in place of the
        Japanese one. Never saved."""
        view = copy.copy(self)
        for japanese, english in self.english_fields.items():
            value = getattr(self, english)
            if _has_content(value):
                setattr(view, japanese, value)
        return view

    @property
    def preview_modes(self):
        """Staff preview the page as the Japanese site or as the English site shows it,
        whatever language the admin is in."""
        return [("", _("日本語")), (ENGLISH, _("英語版"))]

    def serve_preview(self, request, mode_name):
        if mode_name != ENGLISH:
            with translation.override(settings.LANGUAGE_CODE):
                return _rendered(super().serve_preview(request, ""))
        with translation.override(ENGLISH):
            return _rendered(super().serve_preview(request, ""))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if translation.get_language() != ENGLISH:
            return context
        status = self.english_status()
        context["english_status"] = status
        if status != ENGLISH_NONE:
            view = self.english_view()
            context["page"] = context["self"] = view
        return context
