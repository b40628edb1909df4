"""A project's life outside its stage moves: opened by accepting a proposal, created by the
secretariat or rolled out from an implemented project, and made public with its case study."""

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.language import localized_text
from forum.models import Field, Municipality, Organisation, Project, ProjectProposal, Proposal
from forum.models.projects import ParticipantRole, Stage
from forum.rules.project_participants import participant_role_default
from forum.rules.project_stages import SECRETARIAT, TRANSITIONS
from forum.selectors.notifications import user_list_secretariat
from forum.services.audit import audit_record
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.notifications import notification_send
from forum.services.projects.common import (
    announce_change,
    municipality_organisations,
    participant_join,
    project_lock,
    require_published,
    require_role_fits,
    require_secretariat,
    start_record,
    tell_audience,
    touch,
)
from forum.services.projects.stages import stage_move
from forum.services.text import clean_text

S = Stage
R = ParticipantRole

# --- opened by accepting a proposal -----------------------------------------------------------


def _reviewing_municipality(actor, proposal: Proposal) -> Organisation:
    """The actor's municipality organisation that receives the proposal's challenge."""
    organisation = municipality_organisations(
        municipality_id=proposal.challenge.municipality_id, memberships__user=actor
    ).first()
    if organisation is None:
        raise PermissionDenied(_("この課題の市町村の職員だけが採択できます。"))
    return organisation


def _joinable_project(project_id: int, municipality_org: Organisation) -> Project:
    """A working project the reviewer's municipality takes part in, locked."""
    project = (
        Project.objects.select_for_update()
        .filter(
            pk=project_id,
            participants__organisation=municipality_org,
            participants__role=R.MUNICIPALITY,
        )
        .exclude(stage=S.DISCONTINUED)
        .first()
    )
    if project is None:
        raise ServiceError(
            _(
                "選択したプロジェクトには加えられません。あなたの市町村が参加している進行中のプロジェクトを選んでください。"
            )
        )
    return project


def _project_from_proposal(actor, proposal: Proposal) -> Project:
    """A new project named after the proposal, started by the reviewing municipality."""
    project = Project.objects.create(
        title=proposal.title,
        summary=proposal.summary,
        field_id=proposal.challenge.field_id,
        created_by=actor,
    )
    start_record(
        project,
        actor,
        role=R.MUNICIPALITY,
        note=_("提案「%(title)s」の採択により開始") % {"title": proposal.title},
    )
    return project


def _proposal_join(project: Project, proposal: Proposal, municipality_org, actor) -> None:
    """The proposal, its organisation, its challenge and the municipality join the project."""
    challenge = proposal.challenge
    participant_join(project, municipality_org, R.MUNICIPALITY, actor)
    participant_join(
        project, proposal.organisation, participant_role_default(proposal.organisation), actor
    )
    for partner in proposal.partners.filter(status="accepted").select_related("organisation"):
        participant_join(
            project, partner.organisation, participant_role_default(partner.organisation), actor
        )
    project.challenges.add(challenge)
    project.municipalities.add(challenge.municipality_id)
    ProjectProposal.objects.create(project=project, proposal=proposal)


def _tell_opened_for_proposal(project: Project, *, actor) -> None:
    tell_audience(
        project,
        actor=actor,
        verb="project.opened",
        title=lambda: (
            _("プロジェクト「%(title)s」が始まりました") % {"title": localized_text(project)}
        ),
    )
    notification_send(
        recipients=user_list_secretariat(),
        verb="project.needs_coordinator",
        title=lambda: (
            _("新しいプロジェクト「%(title)s」のコーディネーターを指定してください")
            % {"title": project.title}
        ),
        url=reverse("forum:project_manage", args=[project.pk]),
    )


def _tell_proposal_joined(project: Project, proposal: Proposal, *, actor) -> None:
    tell_audience(
        project,
        actor=actor,
        verb="project.joined",
        title=lambda: (
            _("プロジェクト「%(project)s」に提案「%(proposal)s」が加わりました")
            % {"project": project.title, "proposal": proposal.title}
        ),
        # Proposals are private: followers outside the project learn only that one joined.
        public_title=lambda: (
            _("プロジェクト「%(project)s」に新しい提案が加わりました") % {"project": project.title}
        ),
    )


@transaction.atomic
def project_open_for_proposal(
    *, actor, proposal: Proposal, project_id: int | None = None
) -> Project:
    """Open a project for a proposal being accepted, or add it to one of the reviewer's projects.

    Called by proposal_transition inside its transaction, with the proposal row locked, so a
    second simultaneous accept waits and then finds the proposal already accepted.
    """
    municipality_org = _reviewing_municipality(actor, proposal)
    if ProjectProposal.objects.filter(proposal=proposal).exists():
        raise ServiceError(_("この提案はすでにプロジェクトに加わっています。"))
    created = project_id is None
    if created:
        project = _project_from_proposal(actor, proposal)
    else:
        project = _joinable_project(project_id, municipality_org)
    _proposal_join(project, proposal, municipality_org, actor)
    if not created:
        touch(project)
    announce_change(project)
    audit_record(
        actor=actor,
        verb="project.open" if created else "project.join",
        target=project,
        proposal_id=proposal.pk,
    )
    if created:
        _tell_opened_for_proposal(project, actor=actor)
    else:
        _tell_proposal_joined(project, proposal, actor=actor)
    return project


# --- created by the secretariat ---------------------------------------------------------------


@transaction.atomic
def project_create(
    *,
    actor,
    title: str,
    challenges,
    summary: str = "",
    field: Field | None = None,
    municipalities=(),
    coordinator: Organisation | None = None,
) -> Project:
    """The secretariat opens a project directly, on one or more published challenges."""
    require_secretariat(actor, _("プロジェクトを作成できるのは事務局だけです。"))
    challenges = require_published(challenges)
    title = clean_text(title, label=_("プロジェクト名"), limit=200, required=True)
    summary = clean_text(summary, label=_("概要"), limit=3000)
    if coordinator is not None:
        require_role_fits(coordinator, R.COORDINATOR)
    project = Project.objects.create(
        title=title,
        summary=summary,
        field_id=field.pk if field else challenges[0].field_id,
        created_by=actor,
    )
    start_record(project, actor, role=SECRETARIAT, note=_("事務局が作成"))
    project.challenges.set(challenges)
    project.municipalities.set(
        {c.municipality_id for c in challenges} | {m.pk for m in municipalities}
    )
    for organisation in municipality_organisations(municipality__in=project.municipalities.all()):
        participant_join(project, organisation, R.MUNICIPALITY, actor)
    if coordinator is not None:
        participant_join(project, coordinator, R.COORDINATOR, actor)
    announce_change(project)
    audit_record(actor=actor, verb="project.create", target=project)
    tell_audience(
        project,
        actor=actor,
        verb="project.opened",
        title=lambda: (
            _("プロジェクト「%(title)s」が始まりました") % {"title": localized_text(project)}
        ),
    )
    return project


# --- rolled out to another municipality ---------------------------------------------------------


def _rollout_checked(origin: Project, municipality: Municipality, challenges) -> list:
    """The roll-out's challenges, once the origin may roll out to the municipality."""
    if origin.stage not in (S.IMPLEMENTATION, S.ROLLOUT):
        raise ServiceError(_("横展開は「社会実装」か「横展開」のプロジェクトから始められます。"))
    if origin.municipalities.filter(pk=municipality.pk).exists():
        raise ServiceError(
            _("%(name)sはすでにこのプロジェクトに参加しています。") % {"name": municipality.name}
        )
    challenges = require_published(challenges)
    if any(c.municipality_id != municipality.pk for c in challenges):
        raise ServiceError(
            _("選択した課題は%(name)sの課題ではありません。") % {"name": municipality.name}
        )
    return challenges


def _rollout_participants_join(project: Project, origin: Project, municipality, actor) -> None:
    """The origin's organisations other than its municipalities, and the new municipality's."""
    for participant in origin.participants.select_related("organisation").exclude(
        role=R.MUNICIPALITY
    ):
        participant_join(project, participant.organisation, participant.role, actor)
    for organisation in municipality_organisations(municipality=municipality):
        participant_join(project, organisation, R.MUNICIPALITY, actor)


@transaction.atomic
def project_rollout_start(
    *,
    actor,
    origin: Project,
    municipality: Municipality,
    challenges=(),
    title: str = "",
) -> Project:
    """The secretariat starts a roll-out (横展開) of an implemented project in another municipality.

    The new project links to its origin, keeps the origin's organisations (the coordinator
    included) and works on the chosen challenges of the new municipality; the origin moves
    from implementation to roll-out.
    """
    require_secretariat(actor, _("横展開を始められるのは事務局だけです。"))
    origin = project_lock(origin)
    challenges = _rollout_checked(origin, municipality, challenges)
    title = clean_text(
        title
        or _("%(title)s（%(place)sへの横展開）")
        % {"title": origin.title, "place": municipality.name},
        label=_("プロジェクト名"),
        limit=200,
        required=True,
    )
    project = Project.objects.create(
        title=title,
        summary=origin.summary,
        field_id=origin.field_id,
        origin=origin,
        created_by=actor,
    )
    start_record(
        project,
        actor,
        role=SECRETARIAT,
        note=_("「%(title)s」からの横展開") % {"title": origin.title},
    )
    project.challenges.set(challenges)
    project.municipalities.add(municipality)
    _rollout_participants_join(project, origin, municipality, actor)
    announce_change(project)
    audit_record(actor=actor, verb="project.rollout", target=project, origin=origin.pk)
    if origin.stage == S.IMPLEMENTATION:
        stage_move(
            origin,
            actor=actor,
            to_stage=S.ROLLOUT,
            transition=TRANSITIONS[(S.IMPLEMENTATION, S.ROLLOUT)],
            acting_role=SECRETARIAT,
            note=_("横展開プロジェクト「%(title)s」を開始") % {"title": project.title},
        )
    tell_audience(
        project,
        actor=actor,
        verb="project.opened",
        title=lambda: (
            _("横展開プロジェクト「%(title)s」が始まりました") % {"title": localized_text(project)}
        ),
    )
    return project


# --- made public ----------------------------------------------------------------------------------


def _stamp_case_study_changes(project: Project, case_study: str, case_study_en: str, title_en):
    """Record which language's case study this edit changed (the translation report reads it)."""
    now = timezone.now()
    if case_study != project.case_study:
        project.case_study_changed_at = now
    if case_study_en != project.case_study_en or title_en != project.title_en:
        project.case_study_en_changed_at = now


@transaction.atomic
def project_publication_update(
    *,
    actor,
    project: Project,
    is_public: bool,
    case_study: str,
    case_study_en: str = "",
    title_en: str | None = None,
) -> Project:
    """The secretariat curates the public case study (and its English version and name) and
    decides whether the project is public; it records when either language last changed."""
    require_secretariat(actor, _("公開の設定を変更できるのは事務局だけです。"))
    project = project_lock(project)
    case_study = clean_text(case_study, label=_("事例紹介"), limit=10000)
    case_study_en = clean_text(case_study_en, label=_("事例紹介（英語）"), limit=10000)
    if is_public and not case_study:
        raise ServiceError(_("公開するには事例紹介を入力してください。"))
    title_en = (
        project.title_en
        if title_en is None
        else clean_text(title_en, label=_("プロジェクト名（英語）"), limit=200)
    )
    changed = project.is_public != is_public
    _stamp_case_study_changes(project, case_study, case_study_en, title_en)
    project.is_public = is_public
    project.case_study = case_study
    project.case_study_en = case_study_en
    project.title_en = title_en
    if is_public and project.published_at is None:
        project.published_at = timezone.now()
    project.save(
        update_fields=[
            "is_public",
            "case_study",
            "case_study_en",
            "title_en",
            "case_study_changed_at",
            "case_study_en_changed_at",
            "published_at",
            "updated_at",
        ]
    )
    if changed:
        # The public records of its origin and its roll-outs name it, or stop naming it.
        related = Project.objects.filter(Q(pk=project.origin_id) | Q(origin=project))
        related.update(updated_at=project.updated_at)
    announce_change(project)
    audit_record(
        actor=actor,
        verb="project.publication",
        target=project,
        is_public=is_public,
        changed=changed,
    )
    return project
