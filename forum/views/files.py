"""Downloads of private attachments, served only after the view has checked who may see them."""

from django.http import FileResponse

from forum.services.files import content_type_for


def private_file_response(attachment) -> FileResponse:
    """The attachment as a download under its original name, never kept by shared caches."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=content_type_for(attachment.original_name),
    )
    response["Cache-Control"] = "private, no-store"
    return response
