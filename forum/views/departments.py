"""Department pages: what a department (所属・局) owns, for the public and for its staff."""

from django.http import Http404
from django.shortcuts import render

from forum.selectors.departments import department_get_by_slug, department_list, department_page
from forum.selectors.roles import user_is_secretariat


def department_index(request):
    """Every department, by organisation."""
    return render(request, "forum/department_index.html", {"departments": department_list()})


def department_detail(request, slug: str):
    """Its challenges and public projects; for its organisation's staff and the secretariat,
    everything it owns, what is stale and what is due."""
    department = department_get_by_slug(slug)
    if department is None:
        raise Http404
    page = department_page(request.user, department)
    context = {"page": page, "secretariat": page.internal and user_is_secretariat(request.user)}
    response = render(request, "forum/department_detail.html", context)
    if page.internal:
        response["Cache-Control"] = "private, no-store"
    return response
