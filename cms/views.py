"""Views that serve the CMS's files: documents and images, each only to those who may see it."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve as wagtail_document_serve

from cms.file_access import FileAccess, file_access, file_is_public, stored_image_file
from cms.need_challenges import challenge_draft_from_need
from forum.models import Need
from forum.services.errors import PermissionDenied, ServiceError

# Shared caches may keep a public file but must ask again before each reuse (a cheap 304), so
# a page that is unpublished takes its files out of every cache at once.
PUBLIC_FILE_CACHE_CONTROL = "public, no-cache"
PRIVATE_FILE_CACHE_CONTROL = "private, no-store"


def _file_headers(response, *, public: bool):
    response["Cache-Control"] = PUBLIC_FILE_CACHE_CONTROL if public else PRIVATE_FILE_CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    return response


def document_serve_view(request, document_id, document_filename):
    """Wagtail's document download (the before_serve_document hook has decided who may have it),
    kept out of shared caches unless the document is public."""
    response = wagtail_document_serve(request, document_id, document_filename)
    document = get_document_model().objects.get(pk=document_id)
    return _file_headers(response, public=file_is_public(document))


def media_file_view(request, name):
    """An image's rendition or original under the media URL, for the people who may see it."""
    found = stored_image_file(name)
    if found is None:
        raise Http404
    image, stored, is_original = found
    access = file_access(request.user, image, may_be_public=not is_original)
    if access is FileAccess.NONE:
        raise Http404
    modified = int(stored.storage.get_modified_time(stored.name).timestamp())
    response = get_conditional_response(request, last_modified=modified)
    if response is None:
        content_type = mimetypes.guess_type(stored.name)[0] or "application/octet-stream"
        response = FileResponse(stored.open("rb"), content_type=content_type)
        response["Last-Modified"] = http_date(modified)
    return _file_headers(response, public=access is FileAccess.PUBLIC)


@require_POST
@login_required
def need_challenge_view(request, pk: int):
    """Turn a resident's published need into a draft challenge and open it in the editor."""
    try:
        page = challenge_draft_from_need(actor=request.user, need_id=pk)
    except Need.DoesNotExist as error:
        raise Http404 from error
    except (ServiceError, PermissionDenied) as error:
        messages.error(request, getattr(error, "message", str(error)))
        return redirect("forum:need_moderate", pk=pk)
    messages.success(
        request,
        _(
            "下書きの課題を作りました。内容を整えてから承認に回してください。住民の方にもお知らせしました。"
        ),
    )
    return redirect("wagtailadmin_pages:edit", page.pk)
