"""Wagtail hooks of the CMS: registrations only, the rules live in their own modules."""

from django.http import Http404

from wagtail import hooks

from cms.file_access import FileAccess, file_access


@hooks.register("before_serve_document")
def on_before_serve_document(document, request):
    """A document that is not public reaches only its editors; to anyone else it does not exist."""
    if file_access(request.user, document) is FileAccess.NONE:
        raise Http404
