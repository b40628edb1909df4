"""The secretariat's progress sheet: export every project's progress as CSV or Excel, and
import it back with a dry run that shows every change and every row error first."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.progress_files import SheetUnreadable, sheet_csv, sheet_read, sheet_xlsx
from forum.rules.progress_sheet import HEADERS
from forum.selectors.progress_sheet import progress_sheet_rows
from forum.selectors.roles import user_is_secretariat
from forum.services.projects.progress_import import project_progress_import

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _secretariat(request) -> None:
    if not user_is_secretariat(request.user):
        raise Http404


@login_required
def progress_export(request, fmt: str):
    """Every project's progress in the sheet's format (the same one the import reads)."""
    _secretariat(request)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    rows = progress_sheet_rows()
    stamp = f"{timezone.localdate():%Y%m%d}"
    if fmt == "xlsx":
        response = HttpResponse(sheet_xlsx(rows), content_type=XLSX)
    else:
        response = HttpResponse(sheet_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="project-progress-{stamp}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _read_upload(request):
    upload = request.FILES.get("file")
    if upload is not None:
        return sheet_read(upload.read())
    text = request.POST.get("sheet", "")
    if not text:
        raise SheetUnreadable(_("ファイルを選んでください。"))
    return sheet_read(text.encode("utf-8"))


@login_required
def progress_import(request):
    """Upload → dry run (nothing written) → confirm → applied, all or nothing."""
    _secretariat(request)
    context = {"headers": HEADERS}
    if request.method == "POST":
        confirm = request.POST.get("confirm") == "1"
        try:
            sheet = _read_upload(request)
        except SheetUnreadable as error:
            context["file_error"] = str(error)
            return render(request, "forum/progress_import.html", context, status=400)
        result = project_progress_import(
            actor=request.user, raw_rows=sheet.rows, dry_run=not confirm
        )
        if result.applied:
            messages.success(
                request,
                _("進捗を取り込みました（変更 %(n)s件）。") % {"n": len(result.changes)},
            )
            return redirect("forum:progress_import")
        context.update({"result": result, "sheet": sheet.text, "confirmed": confirm})
    return render(request, "forum/progress_import.html", context)
