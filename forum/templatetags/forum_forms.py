"""Template tags for the site's forms."""

import uuid

from django import template
from django.utils.html import format_html

from forum.middleware import FORM_TOKEN_FIELD

register = template.Library()


@register.simple_tag
def form_token() -> str:
    """A hidden one-time token: a second POST of this rendered form leads to the first's result.

    Put it in every form that creates something (see forum.middleware.SubmitOnceMiddleware).
    """
    return format_html(
        '<input type="hidden" name="{}" value="{}">', FORM_TOKEN_FIELD, uuid.uuid4().hex
    )
