"""Where private files live: outside the public media URL, served only through permission checks."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible(path="forum.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT (read at use, so settings changes apply), with no URL."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError(
            "Private files have no public URL; serve them through a permission-checked view."
        )


def private_storage() -> PrivateStorage:
    """The storage for proposal and solution files (a callable, so migrations stay stable)."""
    return PrivateStorage()
