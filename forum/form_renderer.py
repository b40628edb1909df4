"""Renders every Django form with the site's accessible Bootstrap markup."""

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting


class SiteBoundField(BoundField):
    """Gives each widget the Bootstrap class for its kind, whichever app built the form."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if isinstance(
            widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple
        ):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        elif isinstance(widget, forms.HiddenInput):
            return attrs
        else:
            css = "form-control"
        existing = attrs.get("class") or widget.attrs.get("class", "")
        if css not in existing.split():
            attrs["class"] = f"{existing} {css}".strip()
        if self.errors:
            attrs["class"] += " is-invalid"
        return attrs


class SiteFormRenderer(TemplatesSetting):
    """Project templates first, so forms/field.html controls labels, help and errors."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = SiteBoundField
