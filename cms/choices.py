"""Choices of cms models that the modules below the models use too."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistrationStatus(models.TextChoices):
    """Where a person stands for an event."""

    REGISTERED = "registered", _("参加登録済み")
    WAITLISTED = "waitlisted", _("キャンセル待ち")
    CANCELLED = "cancelled", _("キャンセル")
