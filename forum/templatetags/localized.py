"""`{{ obj|localized }}`: a title or summary in the visitor's language (forum/language.py)."""

from django import template

from forum import language

register = template.Library()


@register.filter
def localized(obj, name: str = "title"):
    """The field in the visitor's language; on the English site a Japanese fallback is marked."""
    if obj is None or obj == "":
        return ""
    return language.localized(obj, name)


@register.filter
def localized_text(obj, name: str = "title") -> str:
    """The same text, unmarked, for attributes and page titles."""
    if obj is None or obj == "":
        return ""
    return language.localized_text(obj, name)


@register.filter
def localized_lang(obj, name: str = "title") -> str:
    """The language the field is shown in ("ja" or "en"), for a `lang` attribute."""
    if obj is None or obj == "":
        return ""
    return language.localized(obj, name).lang
