"""Renders every Django form with the site's accessible Bootstrap markup."""

from django.forms.renderers import TemplatesSetting


class SiteFormRenderer(TemplatesSetting):
    """Project templates first, so forms/field.html controls labels, help and errors."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
