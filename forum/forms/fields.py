"""Form fields that several forms ask the same way: the vocabulary pickers and optional notes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from forum.models import Field, Municipality, Technology


def fields_choice() -> forms.ModelMultipleChoiceField:
    """Any of the active fields, as check boxes."""
    return forms.ModelMultipleChoiceField(
        label=_("分野"),
        queryset=Field.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def technologies_choice() -> forms.ModelMultipleChoiceField:
    """Any of the technologies, as check boxes."""
    return forms.ModelMultipleChoiceField(
        label=_("技術"),
        queryset=Technology.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def municipalities_choice(*, label, size: int = 8, help_text="") -> forms.ModelMultipleChoiceField:
    """Any of the municipalities, in a list box of the given height."""
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=Municipality.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": size}),
        help_text=help_text,
    )


def note_field(*, label, rows: int = 3, help_text="") -> forms.CharField:
    """An optional free text of up to 5,000 characters."""
    return forms.CharField(
        label=label,
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )
