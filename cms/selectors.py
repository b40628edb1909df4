"""Reads of cms pages that the API and the templates share."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.models import Page, WorkflowState
from wagtail.permission_policies.pages import PagePermissionPolicy

from cms.models import ChallengePage, EventPage, NewsPage, StandardPage
from cms.rules.english import STATE_CURRENT, STATE_MISSING, STATE_OUTDATED, english_outdated
from forum.models import Project
from forum.selectors.roles import user_is_secretariat


def events_public(*, upcoming: bool | None = None, updated_since=None):
    """Live events open to everyone (no view restriction), soonest first."""
    qs = EventPage.objects.live().public().order_by("start_at", "pk")
    if upcoming is True:
        qs = qs.filter(end_at__gte=timezone.now())
    elif upcoming is False:
        qs = qs.filter(end_at__lt=timezone.now())
    if updated_since is not None:
        qs = qs.filter(last_published_at__gte=updated_since)
    return qs


def footer_pages(site):
    """The secretariat's plain pages directly under the site's home that are marked
    「メニューに表示」 (about the forum, how to take part, policies), in tree order."""
    if site is None:
        return StandardPage.objects.none()
    return (
        StandardPage.objects.live()
        .public()
        .in_menu()
        .child_of(site.root_page)
        .order_by("path")
        .only("title", "title_en", "url_path", "path", "depth")
    )


def challenge_page_list_in_moderation(user):
    """Challenge pages submitted to the secretariat's review and not yet decided, oldest
    submission first, each with ``submitted_at``; nothing for anyone but the secretariat."""
    if not user_is_secretariat(user):
        return ChallengePage.objects.none()
    # Workflow states point at the base Page's content type, with the id as text.
    submitted = WorkflowState.objects.filter(
        status=WorkflowState.STATUS_IN_PROGRESS,
        base_content_type=ContentType.objects.get_for_model(Page),
        object_id=Cast(OuterRef("pk"), CharField()),
    )
    return (
        ChallengePage.objects.annotate(
            submitted_at=Subquery(submitted.order_by("created_at").values("created_at")[:1])
        )
        .filter(submitted_at__isnull=False)
        .order_by("submitted_at", "pk")
    )


# What the translation report lists, in its filter's order.
TRANSLATED_KINDS = {
    "challenge": (_("課題"), ChallengePage),
    "news": (pgettext_lazy("news", "お知らせ"), NewsPage),
    "event": (_("イベント"), EventPage),
    "standard": (_("一般ページ"), StandardPage),
    "case_study": (_("事例紹介"), None),
}
ENGLISH_STATES = {STATE_MISSING: _("英語版なし"), STATE_OUTDATED: _("英語版が古い")}


@dataclass(frozen=True)
class EnglishVersionRow:
    """One page or case study whose English version is missing or older than the Japanese."""

    kind: str
    title: str
    state: str
    japanese_changed_at: datetime | None
    english_changed_at: datetime | None
    edit_url: str

    @property
    def kind_label(self) -> str:
        return str(TRANSLATED_KINDS[self.kind][0])

    @property
    def state_label(self) -> str:
        return str(ENGLISH_STATES[self.state])


def _as_edited(page):
    """The page as its editor shows it: its latest draft where it has one."""
    if page.has_unpublished_changes:
        return page.get_latest_revision_as_object()
    return page


def _page_rows(user, kind: str, model) -> list[EnglishVersionRow]:
    editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    rows = []
    for stored in model.objects.filter(pk__in=editable.values("pk")).order_by("path"):
        page = _as_edited(stored)
        state = page.english_state()
        if state == STATE_CURRENT:
            continue
        rows.append(
            EnglishVersionRow(
                kind=kind,
                title=page.title,
                state=state,
                # A page written before the editor stamped its languages (the demo, an import)
                # shows when it was last saved instead of nothing.
                japanese_changed_at=page.japanese_changed_at or stored.latest_revision_created_at,
                english_changed_at=page.english_changed_at,
                edit_url=reverse("wagtailadmin_pages:edit", args=[stored.pk]),
            )
        )
    return rows


def _case_study_state(project: Project) -> str:
    if not project.case_study_en.strip():
        return STATE_MISSING
    outdated = english_outdated(
        True, project.case_study_en_changed_at, project.case_study_changed_at
    )
    return STATE_OUTDATED if outdated else STATE_CURRENT


def _case_study_rows(user) -> list[EnglishVersionRow]:
    """Case studies are the secretariat's (forum.services.projects.project_publication_update)."""
    if not user_is_secretariat(user):
        return []
    rows = []
    for project in Project.objects.exclude(case_study="").order_by("-created_at", "-pk"):
        state = _case_study_state(project)
        if state == STATE_CURRENT:
            continue
        rows.append(
            EnglishVersionRow(
                kind="case_study",
                title=project.title,
                state=state,
                japanese_changed_at=project.case_study_changed_at,
                english_changed_at=project.case_study_en_changed_at,
                edit_url=reverse("forum_project:edit", args=[project.pk]),
            )
        )
    return rows


def english_version_list(user) -> list[EnglishVersionRow]:
    """Pages the user may edit and case studies (the secretariat's) whose English version is
    missing or outdated: outdated first, then by type."""
    rows = []
    for kind, (_label, model) in TRANSLATED_KINDS.items():
        rows += _case_study_rows(user) if model is None else _page_rows(user, kind, model)
    return sorted(rows, key=lambda row: row.state != STATE_OUTDATED)
