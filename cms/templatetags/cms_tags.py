"""Template tags for links to the secretariat's pages."""

from django import template
from django.utils import translation

from wagtail.models import Site

from cms.selectors import footer_pages

register = template.Library()


@register.simple_tag(takes_context=True)
def footer_menu(context):
    """The plain pages the secretariat shows in menus, for the footer."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    return list(footer_pages(site))


@register.filter
def localized(page, name):
    """A page's field in the visitor's language: `{{ item|localized:"title" }}`."""
    value_in = getattr(page, "value_in", None)
    if value_in is None:
        return getattr(page, name, "")
    return value_in(name, translation.get_language())
