"""Following a project or a challenge, to hear of its stage changes and reports."""

from django.db import transaction
from django.utils.translation import gettext as _

from forum.models import Challenge, Follow, Project
from forum.selectors.follows import user_can_follow
from forum.selectors.projects.access import project_list_visible
from forum.services.errors import PermissionDenied, ServiceError


def _may_follow(actor) -> None:
    if not user_can_follow(actor):
        raise PermissionDenied(
            _(
                "フォローできるのは、承認済みの団体に所属する会員と、"
                "メールアドレスを確認済みの住民の方です。"
            )
        )


@transaction.atomic
def follow_add(
    *, actor, project: Project | None = None, challenge: Challenge | None = None
) -> bool:
    """Follow a visible project or a published challenge; False when already following."""
    _may_follow(actor)
    if (project is None) == (challenge is None):
        raise ServiceError(_("フォローする対象を1つ選んでください。"))
    if project is not None:
        if not project_list_visible(actor).filter(pk=project.pk).exists():
            raise PermissionDenied(_("このプロジェクトはフォローできません。"))
        _follow, created = Follow.objects.get_or_create(user=actor, project=project)
    else:
        if not challenge.is_published:
            raise ServiceError(_("公開されていない課題はフォローできません。"))
        _follow, created = Follow.objects.get_or_create(user=actor, challenge=challenge)
    return created


@transaction.atomic
def follow_remove(
    *, actor, project: Project | None = None, challenge: Challenge | None = None
) -> bool:
    """Stop following; False when the user was not following."""
    if not actor.is_authenticated:
        return False
    if project is not None:
        deleted, _rows = Follow.objects.filter(user=actor, project=project).delete()
    elif challenge is not None:
        deleted, _rows = Follow.objects.filter(user=actor, challenge=challenge).delete()
    else:
        raise ServiceError(_("フォローする対象を1つ選んでください。"))
    return bool(deleted)
