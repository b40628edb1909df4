"""Template tags for links to the secretariat's pages."""

from django import template

from wagtail.models import Site

from cms.selectors import footer_pages

register = template.Library()


@register.simple_tag(takes_context=True)
def footer_menu(context):
    """The plain pages the secretariat shows in menus, for the footer."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    return list(footer_pages(site))
