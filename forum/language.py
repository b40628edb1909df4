"""Text in the visitor's language: the one helper every list uses for a title or a summary.

Content that can have an English version keeps it beside the Japanese in a field named
``<name>_en`` (``Challenge.title_en``, ``Project.case_study_en``, a page's ``title_en``; a page
may map its fields otherwise in ``english_fields``). ``localized(obj, "title")`` gives the
English where there is one on the English site and the Japanese otherwise, marked as a
fallback: rendered in a template it is the Japanese text in ``lang="ja"`` followed by a
「日本語のみ」 badge, so an English reader sees plainly which lines are not translated.

Templates: ``{% load localized %}`` then ``{{ challenge|localized }}``,
``{{ project|localized:"case_study" }}``; ``{{ challenge|localized_text }}`` where only plain
text fits (an attribute, the page title). Python (notifications, feeds): ``localized_text``.
"""

from collections.abc import Mapping

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

ENGLISH = "en"


def is_english(language: str | None = None) -> bool:
    """True when the given (or the active) language is English."""
    return (language or get_language() or "ja").startswith(ENGLISH)


def _read(obj, name: str, default=None):
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _has_content(value) -> bool:
    if value is None:
        return False
    if hasattr(value, "raw_data"):  # a StreamField's value
        return len(value) > 0
    return bool(str(value).strip())


_MISSING = object()


def english_of(obj, name: str):
    """The English of an object's field, "" where it has none yet, or None where the field
    has no English at all (a member's own text: a proposal, a solution, a resident's need).

    A page (or a challenge) has an English version only once its English title is filled in;
    until then none of its English parts is shown.
    """
    fields = _read(obj, "english_fields")
    english_name = fields.get(name) if fields else f"{name}_en"
    value = _MISSING if english_name is None else _read(obj, english_name, _MISSING)
    if value is _MISSING:
        return None
    if _read(obj, "has_english", True) is False:
        return ""
    return value if _has_content(value) else ""


class Localized(str):
    """A text in the visitor's language that knows whether it fell back to Japanese.

    As a string it is the plain text; a template renders it through ``__html__``, which marks
    a fallback on the English site.
    """

    lang: str
    fallback: bool

    def __new__(cls, text, *, lang: str = "ja", fallback: bool = False):
        value = super().__new__(cls, "" if text is None else text)
        value.lang = lang
        value.fallback = fallback
        value.safe = isinstance(text, SafeData)
        return value

    def __html__(self) -> str:
        # Text marked safe (a search highlight's <mark>) stays markup inside the fallback span.
        inner = mark_safe(str(self)) if self.safe else conditional_escape(str(self))
        if not self.fallback or not str(self):
            return str(inner)
        return format_html(
            '<span lang="ja">{}</span> <span class="badge text-bg-light border fw-normal '
            'localized-fallback">{}</span>',
            inner,
            _("日本語のみ"),
        )


def localized(obj, name: str = "title", language: str | None = None) -> Localized:
    """An object's field in the visitor's language, marked where it falls back to Japanese."""
    japanese = _read(obj, name, "")
    if not is_english(language):
        return Localized(japanese, lang="ja")
    english = english_of(obj, name)
    if english:
        return Localized(english, lang=ENGLISH)
    return Localized(japanese, lang="ja", fallback=english is not None)


def localized_text(
    obj, name: str = "title", language: str | None = None, *, marked: bool = False
) -> str:
    """The same text as plain text (attributes, emails, feeds); ``marked`` adds 「（日本語のみ）」
    to a Japanese fallback where no markup can say it (a feed's item title)."""
    text = localized(obj, name, language)
    if marked and text.fallback and str(text):
        return _("%(text)s（日本語のみ）") % {"text": str(text)}
    return str(text)


def localized_as(text, *, english: bool, fallback_possible: bool = True) -> Localized:
    """An already chosen text (a search highlight) marked like ``localized``'s."""
    if not is_english():
        return Localized(text, lang="ja")
    if english:
        return Localized(text, lang=ENGLISH)
    return Localized(text, lang="ja", fallback=fallback_possible)
