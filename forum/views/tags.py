"""Strategy tags: setting them on a project or a challenge, and the public breakdown by tag."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from forum.forms.projects import TagsForm
from forum.models import Challenge, SdgGoal
from forum.selectors.datasets import dataset_list_public
from forum.selectors.projects.access import project_get_for_participant
from forum.selectors.tags import (
    challenge_tags_of,
    project_tags_of,
    strategy_theme_list_active,
    tag_breakdown_public,
    user_can_tag_challenge,
)
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.tags import challenge_tags_set, project_tags_set


def tag_breakdown(request):
    """Published challenges and public projects by SDG, by strategy theme and by dataset."""
    rows = tag_breakdown_public()
    return render(
        request,
        "forum/tag_breakdown.html",
        {
            "sdg_rows": [r for r in rows if r.kind == "sdg"],
            "theme_rows": [r for r in rows if r.kind == "theme"],
            "dataset_rows": [r for r in rows if r.kind == "dataset"],
        },
    )


def _initial(goals, taggings) -> dict:
    initial = {"sdgs": [g.code for g in goals], "themes": [t.theme.slug for t in taggings]}
    initial |= {f"relief_{t.theme.slug}": t.regulatory_relief for t in taggings}
    return initial


def _tag_page(request, *, target, tags_of, service, back: str, title: str):
    """Show the tags form for ``target``; on a valid POST call ``service`` and go ``back``."""
    form = TagsForm(
        request.POST or None,
        goals=SdgGoal.objects.all(),
        themes=strategy_theme_list_active(),
        datasets=dataset_list_public(),
        initial={**_initial(*tags_of(target)), "datasets": [d.slug for d in target.datasets.all()]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            service(actor=request.user, **form.tag_values())
        except PermissionDenied as error:
            return render(request, "403.html", {"message": str(error)}, status=403)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("SDGs・戦略テーマ・利用するデータセットを保存しました。"))
            return redirect(back)
    return render(request, "forum/tags_form.html", {"form": form, "title": title, "back": back})


@login_required
def project_tags_view(request, pk: int):
    """A project's participants set its SDGs and strategy themes."""
    found = project_get_for_participant(request.user, pk)
    if found is None:
        raise Http404
    project, _roles = found
    return _tag_page(
        request,
        target=project,
        tags_of=project_tags_of,
        service=lambda **kw: project_tags_set(project=project, **kw),
        back=reverse("forum:project_manage", args=[project.pk]),
        title=project.title,
    )


@login_required
def challenge_tags_view(request, challenge_id: int):
    """The secretariat or the municipality's staff set a challenge's SDGs and themes."""
    challenge = get_object_or_404(Challenge, pk=challenge_id, is_published=True)
    if not user_can_tag_challenge(request.user, challenge):
        raise Http404
    return _tag_page(
        request,
        target=challenge,
        tags_of=challenge_tags_of,
        service=lambda **kw: challenge_tags_set(challenge=challenge, **kw),
        back=challenge.get_absolute_url(),
        title=challenge.title,
    )
