"""Projects: opened by accepting a proposal or by the secretariat, tracked through their stages.

Which stage moves are legal and who may make them is one table, TRANSITIONS; every move is a
ProjectStageChange (who, in which role, when, from, to, note), and leaving an evaluation also
records its Outcome. Milestones, KPIs, progress reports and documents belong to the project's
participants; the secretariat may do everything they may, and assigns coordinators.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from forum.models import (
    Challenge,
    Field,
    Follow,
    KpiValue,
    Municipality,
    Organisation,
    ProgressReport,
    Project,
    ProjectDocument,
    ProjectKpi,
    ProjectMilestone,
    ProjectOutcome,
    ProjectParticipant,
    ProjectProposal,
    ProjectStageChange,
    Proposal,
)
from forum.models.projects import NEGATIVE_UNITS, KpiUnit, Outcome, ParticipantRole, Stage
from forum.rules.project_participants import (
    participant_role_default,
    participant_role_refusal,
)
from forum.rules.project_stages import (
    SECRETARIAT,
    TRANSITIONS,
    StageTransition,
    acting_role_for,
    role_labels,
    stage_label,
)
from forum.selectors.notifications import secretariat_users
from forum.selectors.projects import project_audience_split, project_roles, user_may_follow
from forum.selectors.roles import user_is_secretariat
from forum.services.audit import audit_record
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.files import attachment_add
from forum.services.notifications import Text, notification_send
from forum.services.text import clean_text
from forum.signals import project_changed

S = Stage
R = ParticipantRole

MAX_DOCUMENTS = 30


def _lock(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


def _require_participant(actor, project: Project, message: str) -> set[str]:
    roles = project_roles(actor, project)
    if not roles:
        raise PermissionDenied(message)
    return roles


def _require_secretariat(actor, message: str) -> None:
    if not user_is_secretariat(actor):
        raise PermissionDenied(message)


def _check_role_fits(organisation: Organisation, role: str) -> None:
    refusal = participant_role_refusal(organisation, role)
    if refusal is not None:
        raise ServiceError(refusal)


def _municipality_organisations(**filters):
    """Approved municipality organisations, narrowed by the filters."""
    return Organisation.objects.filter(
        kind=Organisation.Kind.MUNICIPALITY, status=Organisation.Status.APPROVED, **filters
    )


def _add_participant(
    project: Project, organisation: Organisation, role: str, actor
) -> ProjectParticipant:
    """Add the organisation unless it already takes part; a municipality brings its municipality."""
    participant, _created = ProjectParticipant.objects.get_or_create(
        project=project, organisation=organisation, defaults={"role": role, "added_by": actor}
    )
    if organisation.municipality_id:
        project.municipalities.add(organisation.municipality_id)
    return participant


def _record_start(project: Project, actor, *, role: str, note: str) -> ProjectStageChange:
    return ProjectStageChange.objects.create(
        project=project, actor=actor, actor_role=role, from_stage="", to_stage=S.MATCHED, note=note
    )


def _touch(project: Project) -> None:
    """Date the project as changed when something its public record shows changed
    (participants, challenges, progress), so that updated_since harvesters see it."""
    project.updated_at = timezone.now()
    Project.objects.filter(pk=project.pk).update(updated_at=project.updated_at)


def _tell_audience(
    project: Project,
    *,
    actor,
    verb: str,
    title: Text,
    body: Text = "",
    public_title: Text = "",
    public_body: Text = "",
    anchor: str = "",
) -> None:
    """Notify the project's audience. Those who see the whole project get the full notice;
    followers who see only its public page get ``public_title`` (or the title) and
    ``public_body`` alone: never a report's text, an outcome's lessons or a proposal's title.
    Texts given as functions are written in each recipient's language."""
    inside, outside = project_audience_split(project, exclude=actor)
    url = project.get_absolute_url() + anchor
    notification_send(recipients=inside, verb=verb, title=title, body=body, url=url)
    notification_send(
        recipients=outside, verb=verb, title=public_title or title, body=public_body, url=url
    )


# --- opening projects -------------------------------------------------------------------------


@transaction.atomic
def project_open_for_proposal(
    *, actor, proposal: Proposal, project_id: int | None = None
) -> Project:
    """Open a project for a proposal being accepted, or add it to one of the reviewer's projects.

    Called by proposal_transition inside its transaction, with the proposal row locked, so a
    second simultaneous accept waits and then finds the proposal already accepted.
    """
    challenge = proposal.challenge
    municipality_org = _municipality_organisations(
        municipality_id=challenge.municipality_id, memberships__user=actor
    ).first()
    if municipality_org is None:
        raise PermissionDenied(_("この課題の市町村の職員だけが採択できます。"))
    if ProjectProposal.objects.filter(proposal=proposal).exists():
        raise ServiceError(_("この提案はすでにプロジェクトに加わっています。"))
    if project_id is not None:
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
        created = False
    else:
        project = Project.objects.create(
            title=proposal.title,
            summary=proposal.summary,
            field_id=challenge.field_id,
            created_by=actor,
        )
        _record_start(
            project,
            actor,
            role=R.MUNICIPALITY,
            note=_("提案「%(title)s」の採択により開始") % {"title": proposal.title},
        )
        created = True
    _add_participant(project, municipality_org, R.MUNICIPALITY, actor)
    _add_participant(
        project, proposal.organisation, participant_role_default(proposal.organisation), actor
    )
    project.challenges.add(challenge)
    project.municipalities.add(challenge.municipality_id)
    ProjectProposal.objects.create(project=project, proposal=proposal)
    if not created:
        _touch(project)
    _changed(project)
    audit_record(
        actor=actor,
        verb="project.open" if created else "project.join",
        target=project,
        proposal_id=proposal.pk,
    )

    def title() -> str:
        if created:
            return _("プロジェクト「%(title)s」が始まりました") % {"title": project.title}
        return _("プロジェクト「%(project)s」に提案「%(proposal)s」が加わりました") % {
            "project": project.title,
            "proposal": proposal.title,
        }

    def public_title() -> str:
        if created:
            return title()
        # Proposals are private: followers outside the project learn only that one joined.
        return _("プロジェクト「%(project)s」に新しい提案が加わりました") % {
            "project": project.title
        }

    _tell_audience(
        project,
        actor=actor,
        verb="project.opened" if created else "project.joined",
        title=title,
        public_title=public_title,
    )
    if created:
        notification_send(
            recipients=secretariat_users(),
            verb="project.needs_coordinator",
            title=lambda: (
                _("新しいプロジェクト「%(title)s」のコーディネーターを指定してください")
                % {"title": project.title}
            ),
            url=reverse("forum:project_manage", args=[project.pk]),
        )
    return project


def _check_challenges(challenges) -> list[Challenge]:
    challenges = list(challenges)
    if not challenges:
        raise ServiceError(_("課題を1件以上選んでください。"))
    if any(not c.is_published for c in challenges):
        raise ServiceError(_("公開されていない課題は選べません。"))
    return challenges


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
    _require_secretariat(actor, _("プロジェクトを作成できるのは事務局だけです。"))
    challenges = _check_challenges(challenges)
    title = clean_text(title, label=_("プロジェクト名"), limit=200, required=True)
    summary = clean_text(summary, label=_("概要"), limit=3000)
    if coordinator is not None:
        _check_role_fits(coordinator, R.COORDINATOR)
    project = Project.objects.create(
        title=title,
        summary=summary,
        field_id=field.pk if field else challenges[0].field_id,
        created_by=actor,
    )
    _record_start(project, actor, role=SECRETARIAT, note=_("事務局が作成"))
    project.challenges.set(challenges)
    project.municipalities.set(
        {c.municipality_id for c in challenges} | {m.pk for m in municipalities}
    )
    for organisation in _municipality_organisations(municipality__in=project.municipalities.all()):
        _add_participant(project, organisation, R.MUNICIPALITY, actor)
    if coordinator is not None:
        _add_participant(project, coordinator, R.COORDINATOR, actor)
    _changed(project)
    audit_record(actor=actor, verb="project.create", target=project)
    _tell_audience(
        project,
        actor=actor,
        verb="project.opened",
        title=lambda: _("プロジェクト「%(title)s」が始まりました") % {"title": project.title},
    )
    return project


@transaction.atomic
def project_coordinator_assign(*, actor, project: Project, organisation: Organisation) -> bool:
    """The secretariat makes a member organisation the project's coordinator; False if it already is."""
    _require_secretariat(actor, _("コーディネーターを指定できるのは事務局だけです。"))
    project = _lock(project)
    _check_role_fits(organisation, R.COORDINATOR)
    current = ProjectParticipant.objects.filter(project=project, role=R.COORDINATOR).first()
    if current is not None and current.organisation_id == organisation.pk:
        return False
    if current is not None:
        current.role = participant_role_default(current.organisation)
        current.save(update_fields=["role"])
    participant = ProjectParticipant.objects.filter(
        project=project, organisation=organisation
    ).first()
    if participant is None:
        _add_participant(project, organisation, R.COORDINATOR, actor)
    else:
        participant.role = R.COORDINATOR
        participant.save(update_fields=["role"])
    _touch(project)
    audit_record(
        actor=actor, verb="project.coordinator", target=project, organisation_id=organisation.pk
    )
    notification_send(
        recipients=[
            m.user for m in organisation.memberships.select_related("user") if m.user_id != actor.pk
        ],
        verb="project.coordinator",
        title=lambda: (
            _("プロジェクト「%(title)s」のコーディネーターに指定されました")
            % {"title": project.title}
        ),
        url=project.get_absolute_url(),
    )
    return True


@transaction.atomic
def project_participant_add(
    *, actor, project: Project, organisation: Organisation, role: str
) -> ProjectParticipant:
    """The secretariat adds an organisation to the project in a role that fits its kind."""
    _require_secretariat(actor, _("参加団体を追加できるのは事務局だけです。"))
    project = _lock(project)
    if role == R.COORDINATOR:
        raise ServiceError(_("コーディネーターは「コーディネーターを指定」から設定してください。"))
    _check_role_fits(organisation, role)
    if ProjectParticipant.objects.filter(project=project, organisation=organisation).exists():
        raise ServiceError(
            _("「%(name)s」はすでにこのプロジェクトに参加しています。")
            % {"name": organisation.name}
        )
    participant = _add_participant(project, organisation, role, actor)
    _touch(project)
    audit_record(
        actor=actor,
        verb="project.participant_add",
        target=project,
        organisation_id=organisation.pk,
        role=role,
    )
    return participant


@transaction.atomic
def project_publication_update(
    *, actor, project: Project, is_public: bool, case_study: str
) -> Project:
    """The secretariat curates the public case study and decides whether the project is public."""
    _require_secretariat(actor, _("公開の設定を変更できるのは事務局だけです。"))
    project = _lock(project)
    case_study = clean_text(case_study, label=_("事例紹介"), limit=10000)
    if is_public and not case_study:
        raise ServiceError(_("公開するには事例紹介を入力してください。"))
    changed = project.is_public != is_public
    project.is_public = is_public
    project.case_study = case_study
    if is_public and project.published_at is None:
        project.published_at = timezone.now()
    project.save(update_fields=["is_public", "case_study", "published_at", "updated_at"])
    if changed:
        # The public records of its origin and its roll-outs name it, or stop naming it.
        related = Project.objects.filter(Q(pk=project.origin_id) | Q(origin=project))
        related.update(updated_at=project.updated_at)
    _changed(project)
    audit_record(
        actor=actor,
        verb="project.publication",
        target=project,
        is_public=is_public,
        changed=changed,
    )
    return project


def _changed(project: Project) -> None:
    """Tell the index layer; a public project's search entry follows its stage and case study."""
    project_changed.send(sender=Project, instance_id=project.pk)


# --- stages -------------------------------------------------------------------------------------


def _move(
    project: Project,
    *,
    actor,
    to_stage: str,
    transition: StageTransition,
    acting_role: str,
    note: str,
    outcome: str = "",
    lessons: str = "",
) -> ProjectStageChange:
    previous = project.stage
    change = ProjectStageChange.objects.create(
        project=project,
        actor=actor,
        actor_role=acting_role,
        from_stage=previous,
        to_stage=to_stage,
        note=note,
        is_override=transition.override,
    )
    if outcome:
        ProjectOutcome.objects.create(
            project=project, stage_change=change, decision=outcome, lessons=lessons
        )
    project.stage = to_stage
    project.save(update_fields=["stage", "updated_at"])
    _changed(project)
    audit_record(
        actor=actor,
        verb="project.stage",
        target=project,
        from_stage=previous,
        to_stage=to_stage,
        role=acting_role,
        outcome=outcome,
    )

    # The outcome and its lessons are on the public page; the note is for participants only.
    def public() -> str:
        if not outcome:
            return ""
        return _("成果: %(outcome)s\n学んだこと: %(lessons)s") % {
            "outcome": Outcome(outcome).label,
            "lessons": lessons,
        }

    def body() -> str:
        return "\n".join(part for part in (public(), note) if part)[:1000]

    _tell_audience(
        project,
        actor=actor,
        verb="project.stage_changed",
        title=lambda: (
            _("プロジェクト「%(title)s」のステージが「%(stage)s」になりました")
            % {"title": project.title, "stage": stage_label(to_stage)}
        ),
        body=body,
        public_body=lambda: public()[:1000],
    )
    return change


@transaction.atomic
def project_move_stage(
    *,
    actor,
    project: Project,
    to_stage: str,
    note: str = "",
    outcome: str = "",
    lessons: str = "",
) -> bool:
    """Move a project along TRANSITIONS; False when it is already there (a repeated request).

    Leaving an evaluation needs an outcome that fits the target and the lessons learned.
    """
    project = _lock(project)
    roles = _require_participant(actor, project, _("このプロジェクトを操作する権限がありません。"))
    if to_stage not in Stage.values:
        raise ServiceError(_("移行先のステージを選んでください。"))
    if project.stage == to_stage:
        return False
    transition = TRANSITIONS.get((project.stage, to_stage))
    if transition is None:
        raise ServiceError(
            _("「%(from)s」から「%(to)s」へは移せません。")
            % {"from": stage_label(project.stage), "to": stage_label(to_stage)}
        )
    acting = acting_role_for(roles, transition)
    if acting is None:
        raise PermissionDenied(
            _("「%(from)s」から「%(to)s」への変更は、%(who)sだけが行えます。")
            % {
                "from": stage_label(project.stage),
                "to": stage_label(to_stage),
                "who": "・".join(role_labels(transition.roles)),
            }
        )
    note = clean_text(note, label=_("メモ"), limit=5000)
    if transition.note_required and not note:
        if transition.override:
            raise ServiceError(_("事務局による修正には、理由をメモに入力してください。"))
        raise ServiceError(_("中止する理由をメモに入力してください。"))
    outcome = (outcome or "").strip()
    lessons = (lessons or "").strip()
    if project.stage == S.EVALUATION:
        if outcome not in Outcome.values:
            raise ServiceError(
                _(
                    "評価を終えるには、成果（判断）を選んでください。実証実験の結果を記録せずに次へは進めません。"
                )
            )
        if outcome not in transition.outcomes:
            raise ServiceError(
                _(
                    "成果「%(outcome)s」は「%(to)s」への移行に合いません。「%(allowed)s」を選んでください。"
                )
                % {
                    "outcome": Outcome(outcome).label,
                    "to": stage_label(to_stage),
                    "allowed": "」か「".join(
                        str(Outcome(o).label) for o in Outcome.values if o in transition.outcomes
                    ),
                }
            )
        lessons = clean_text(lessons, label=_("学んだこと"), limit=5000, required=True)
    else:
        outcome, lessons = "", ""
    _move(
        project,
        actor=actor,
        to_stage=to_stage,
        transition=transition,
        acting_role=acting,
        note=note,
        outcome=outcome,
        lessons=lessons,
    )
    return True


# --- milestones, KPIs, reports, documents ----------------------------------------------------------


@transaction.atomic
def project_milestone_add(
    *, actor, project: Project, title: str, due_on: date, weight: int = 1
) -> ProjectMilestone:
    """Add a milestone with a due date and a weight (1–100)."""
    project = _lock(project)
    _require_participant(
        actor, project, _("このプロジェクトのマイルストーンを編集する権限がありません。")
    )
    title = clean_text(title, label=_("マイルストーン"), limit=200, required=True)
    if due_on is None:
        raise ServiceError(_("期日を入力してください。"))
    if weight is None or not 1 <= int(weight) <= 100:
        raise ServiceError(_("重みは1〜100で入力してください。"))
    milestone = ProjectMilestone.objects.create(
        project=project, title=title, due_on=due_on, weight=int(weight), created_by=actor
    )
    _touch(project)
    audit_record(actor=actor, verb="project.milestone_add", target=project, milestone=milestone.pk)
    return milestone


def _lock_milestone(actor, project: Project, milestone_id) -> ProjectMilestone:
    """One of the project's milestones, locked with its project, for a participant to change."""
    project = _lock(project)
    _require_participant(
        actor, project, _("このプロジェクトのマイルストーンを編集する権限がありません。")
    )
    milestone = (
        ProjectMilestone.objects.select_for_update()
        .filter(pk=milestone_id, project=project)
        .first()
    )
    if milestone is None:
        raise ServiceError(_("指定されたマイルストーンはこのプロジェクトにありません。"))
    return milestone


@transaction.atomic
def project_milestone_set_done(
    *, actor, project: Project, milestone_id: int, done: bool
) -> ProjectMilestone:
    """Mark one of the project's milestones done or not done."""
    milestone = _lock_milestone(actor, project, milestone_id)
    if milestone.done != done:
        milestone.done = done
        milestone.done_at = timezone.now() if done else None
        milestone.save(update_fields=["done", "done_at"])
        _touch(project)
        audit_record(
            actor=actor,
            verb="project.milestone_done" if done else "project.milestone_reopen",
            target=project,
            milestone=milestone.pk,
        )
    return milestone


@transaction.atomic
def project_milestone_remove(*, actor, project: Project, milestone_id: int) -> None:
    """Delete one of the project's milestones."""
    milestone = _lock_milestone(actor, project, milestone_id)
    audit_record(
        actor=actor, verb="project.milestone_remove", target=project, title=milestone.title
    )
    milestone.delete()
    _touch(project)


def _check_sign(value: Decimal, unit: str, *, name: str) -> None:
    if value < 0 and unit not in NEGATIVE_UNITS:
        raise ServiceError(
            _("「%(name)s」の単位（%(unit)s）では負の値は使えません。0以上の値を入力してください。")
            % {"name": name, "unit": KpiUnit(unit).label}
        )


@transaction.atomic
def project_kpi_add(
    *, actor, project: Project, name: str, unit: str, target: Decimal | None = None
) -> ProjectKpi:
    """Define a KPI for the project: name, unit and an optional target."""
    project = _lock(project)
    _require_participant(actor, project, _("このプロジェクトのKPIを編集する権限がありません。"))
    name = clean_text(name, label=_("KPI名"), limit=100, required=True)
    if unit not in KpiUnit.values:
        raise ServiceError(_("単位を選んでください。"))
    if target is not None:
        _check_sign(Decimal(target), unit, name=_("目標値"))
    if ProjectKpi.objects.filter(project=project, name=name).exists():
        raise ServiceError(_("「%(name)s」というKPIはすでにあります。") % {"name": name})
    kpi = ProjectKpi.objects.create(project=project, name=name, unit=unit, target=target)
    audit_record(actor=actor, verb="project.kpi_add", target=project, kpi=kpi.pk)
    return kpi


@transaction.atomic
def project_report_submit(
    *,
    actor,
    project: Project,
    reported_on: date,
    body: str,
    values: dict[int, Decimal] | None = None,
) -> ProgressReport:
    """File a progress report with the values of the project's KPIs; the date may not be in the future."""
    project = _lock(project)
    _require_participant(actor, project, _("このプロジェクトに報告する権限がありません。"))
    if reported_on is None:
        raise ServiceError(_("報告日を入力してください。"))
    today = timezone.localdate()
    if reported_on > today:
        raise ServiceError(
            _(
                "報告日に未来の日付（%(date)s）は指定できません。今日（%(today)s）以前の日付にしてください。"
            )
            % {
                "date": date_format(reported_on),
                "today": date_format(today),
            }
        )
    body = clean_text(body, label=_("報告内容"), limit=10000, required=True)
    values = {int(k): v for k, v in (values or {}).items() if v is not None}
    kpis = {k.pk: k for k in ProjectKpi.objects.filter(project=project, pk__in=list(values))}
    if set(values) - set(kpis):
        raise ServiceError(_("指定されたKPIはこのプロジェクトのものではありません。"))
    for kpi_id, value in values.items():
        _check_sign(Decimal(value), kpis[kpi_id].unit, name=kpis[kpi_id].name)
    report = ProgressReport.objects.create(
        project=project, reported_on=reported_on, body=body, author=actor
    )
    KpiValue.objects.bulk_create(
        [KpiValue(report=report, kpi_id=kpi_id, value=value) for kpi_id, value in values.items()]
    )
    audit_record(actor=actor, verb="project.report", target=project, report=report.pk)
    _tell_audience(
        project,
        actor=actor,
        verb="project.report",
        title=lambda: (
            _("プロジェクト「%(title)s」に進捗報告（%(date)s）が届きました")
            % {"title": project.title, "date": date_format(reported_on)}
        ),
        body=body[:300],
        anchor="#timeline",
    )
    return report


@transaction.atomic
def project_document_add(*, actor, project: Project, upload) -> ProjectDocument:
    """Share a checked file inside the project."""
    project = _lock(project)
    _require_participant(actor, project, _("このプロジェクトに資料を追加する権限がありません。"))
    document = attachment_add(
        project.documents,
        upload=upload,
        actor=actor,
        limit=MAX_DOCUMENTS,
        full=_("登録できる資料は%(n)s件までです。"),
    )
    audit_record(actor=actor, verb="project.document_add", target=project, document=document.pk)
    return document


# --- followers ------------------------------------------------------------------------------------


def _may_follow(actor) -> None:
    if not user_may_follow(actor):
        raise PermissionDenied(_("フォローできるのは承認済みの団体に所属する会員です。"))


@transaction.atomic
def follow_add(
    *, actor, project: Project | None = None, challenge: Challenge | None = None
) -> bool:
    """Follow a visible project or a published challenge; False when already following."""
    _may_follow(actor)
    if (project is None) == (challenge is None):
        raise ServiceError(_("フォローする対象を1つ選んでください。"))
    if project is not None:
        from forum.selectors.projects import projects_visible_to

        if not projects_visible_to(actor).filter(pk=project.pk).exists():
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


# --- roll-out -------------------------------------------------------------------------------------


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
    _require_secretariat(actor, _("横展開を始められるのは事務局だけです。"))
    origin = _lock(origin)
    if origin.stage not in (S.IMPLEMENTATION, S.ROLLOUT):
        raise ServiceError(_("横展開は「社会実装」か「横展開」のプロジェクトから始められます。"))
    if origin.municipalities.filter(pk=municipality.pk).exists():
        raise ServiceError(
            _("%(name)sはすでにこのプロジェクトに参加しています。") % {"name": municipality.name}
        )
    challenges = _check_challenges(challenges)
    if any(c.municipality_id != municipality.pk for c in challenges):
        raise ServiceError(
            _("選択した課題は%(name)sの課題ではありません。") % {"name": municipality.name}
        )
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
    _record_start(
        project,
        actor,
        role=SECRETARIAT,
        note=_("「%(title)s」からの横展開") % {"title": origin.title},
    )
    project.challenges.set(challenges)
    project.municipalities.add(municipality)
    for participant in origin.participants.select_related("organisation").exclude(
        role=R.MUNICIPALITY
    ):
        _add_participant(project, participant.organisation, participant.role, actor)
    for organisation in _municipality_organisations(municipality=municipality):
        _add_participant(project, organisation, R.MUNICIPALITY, actor)
    _changed(project)
    audit_record(actor=actor, verb="project.rollout", target=project, origin=origin.pk)
    if origin.stage == S.IMPLEMENTATION:
        _move(
            origin,
            actor=actor,
            to_stage=S.ROLLOUT,
            transition=TRANSITIONS[(S.IMPLEMENTATION, S.ROLLOUT)],
            acting_role=SECRETARIAT,
            note=_("横展開プロジェクト「%(title)s」を開始") % {"title": project.title},
        )
    _tell_audience(
        project,
        actor=actor,
        verb="project.opened",
        title=lambda: _("横展開プロジェクト「%(title)s」が始まりました") % {"title": project.title},
    )
    return project
