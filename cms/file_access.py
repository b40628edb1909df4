"""Who may fetch a file the CMS holds: a Wagtail document, or an image's original or renditions.

A file is public while a live page that everyone may view uses it, as Wagtail's reference
index records it (attachments of a challenge, document and image blocks, rich text links).
The index follows a page's current content: a file added in a draft that is not published
yet, or used only by a draft, in moderation or unpublished challenge, is not public. Such a
file reaches only the people who may manage files in its collection, or who may edit a page
using it and choose files from its collection (the challenge's municipality staff, the
secretariat); anyone else gets a 404, as if it did not exist. Editing a page is not enough on
its own: Wagtail's choosers accept any id that is posted, so staff could otherwise attach another
municipality's private file to their own draft and read it from there. An image's original is never public: pages show renditions, and the original keeps its
full size and whatever metadata the camera wrote into it.
"""

from enum import Enum

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.db.models.fields.files import FieldFile

from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex
from wagtail.permissions import policy_registry


class FileAccess(Enum):
    """How a file may be served to one person."""

    PUBLIC = "public"  # to anyone; shared caches may keep it
    PRIVATE = "private"  # to this person only; never kept by shared caches
    NONE = "none"  # not at all (404)


def pages_using(obj: Model) -> QuerySet[Page]:
    """The pages whose current content refers to the document or image."""
    page_type = ContentType.objects.get_for_model(Page)
    ids = (
        ReferenceIndex.get_references_to(obj)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    )
    return Page.objects.filter(pk__in=[int(pk) for pk in ids])


def file_is_public(obj: Model) -> bool:
    """Whether a live page without view restrictions uses the document or image."""
    return pages_using(obj).live().public().exists()


def user_may_manage_file(user, obj: Model) -> bool:
    """Whether the person may change the file in its collection, or may choose it there and
    edit a page that uses it."""
    if not (user.is_authenticated and user.is_active):
        return False
    policy = policy_registry.get(obj)
    if policy.user_has_permission_for_instance(user, "change", obj):
        return True
    if not policy.user_has_permission_for_instance(user, "choose", obj):
        return False
    return any(page.permissions_for_user(user).can_edit() for page in pages_using(obj))


def file_access(user, obj: Model, *, may_be_public: bool = True) -> FileAccess:
    """How the document or image may be served to this person."""
    if may_be_public and file_is_public(obj):
        return FileAccess.PUBLIC
    if user_may_manage_file(user, obj):
        return FileAccess.PRIVATE
    return FileAccess.NONE


def stored_image_file(name: str) -> tuple[Model, FieldFile, bool] | None:
    """The image that the media file `name` belongs to, the file, and whether it is the original;
    None for any other name (documents are served only through their own URL)."""
    image_model = get_image_model()
    image = image_model.objects.filter(file=name).first()
    if image is not None:
        return image, image.file, True
    rendition = (
        image_model.get_rendition_model().objects.filter(file=name).select_related("image").first()
    )
    return (rendition.image, rendition.file, False) if rendition else None
