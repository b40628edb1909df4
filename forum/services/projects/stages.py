"""Moving a project along its stages, with the outcome when it leaves an evaluation.

Which moves are legal, who may make them and what each needs is TRANSITIONS in
forum.rules.project_stages; every move is a ProjectStageChange (who, in which role, when,
from, to, note), and leaving an evaluation also records its ProjectOutcome.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from forum.language import localized_text
from forum.models import Project, ProjectOutcome, ProjectStageChange
from forum.models.projects import Outcome, Stage
from forum.rules.project_stages import (
    TRANSITIONS,
    StageTransition,
    acting_role_for,
    role_labels,
    stage_label,
)
from forum.services.audit import audit_record
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.projects.common import (
    announce_change,
    project_lock,
    require_participant,
    tell_audience,
)
from forum.services.text import clean_text


def stage_move(
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
    """Move the project and record the move, its outcome and who made it; the caller checked it."""
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
    announce_change(project)
    audit_record(
        actor=actor,
        verb="project.stage",
        target=project,
        from_stage=previous,
        to_stage=to_stage,
        role=acting_role,
        outcome=outcome,
    )
    _tell_moved(
        project, actor=actor, to_stage=to_stage, note=note, outcome=outcome, lessons=lessons
    )
    return change


def _tell_moved(
    project: Project, *, actor, to_stage: str, note: str, outcome: str, lessons: str
) -> None:
    """Tell the audience of the move; followers outside the project never read the note."""

    # The outcome and its lessons are on the public page; the note is for participants only.
    def public() -> str:
        if not outcome:
            return ""
        return _("成果: %(outcome)s\n学んだこと: %(lessons)s") % {
            "outcome": Outcome(outcome).label,
            "lessons": lessons,
        }

    # A note that only repeats the lessons (as a stop's reason often does) is said once.
    own_note = "" if outcome and note.strip() == lessons.strip() else note

    def body() -> str:
        return "\n".join(part for part in (public(), own_note) if part)[:1000]

    tell_audience(
        project,
        actor=actor,
        verb="project.stage_changed",
        title=lambda: (
            _("プロジェクト「%(title)s」のステージが「%(stage)s」になりました")
            % {"title": localized_text(project), "stage": stage_label(to_stage)}
        ),
        body=body,
        public_body=lambda: public()[:1000],
    )


def _legal_transition(from_stage: str, to_stage: str) -> StageTransition:
    """The table's entry for the move, or a refusal naming both stages."""
    transition = TRANSITIONS.get((from_stage, to_stage))
    if transition is None:
        raise ServiceError(
            _("「%(from)s」から「%(to)s」へは移せません。")
            % {"from": stage_label(from_stage), "to": stage_label(to_stage)}
        )
    return transition


def _acting_role(
    roles: set[str], transition: StageTransition, from_stage: str, to_stage: str
) -> str:
    """The role the history records for the move, or a refusal naming who may make it."""
    acting = acting_role_for(roles, transition)
    if acting is None:
        raise PermissionDenied(
            _("「%(from)s」から「%(to)s」への変更は、%(who)sだけが行えます。")
            % {
                "from": stage_label(from_stage),
                "to": stage_label(to_stage),
                "who": "・".join(role_labels(transition.roles)),
            }
        )
    return acting


def _checked_note(note: str, transition: StageTransition) -> str:
    """The cleaned note, required with a reason for stopping and for a correction."""
    note = clean_text(note, label=_("メモ"), limit=5000)
    if transition.note_required and not note:
        if transition.override:
            raise ServiceError(_("事務局による修正には、理由をメモに入力してください。"))
        raise ServiceError(_("中止する理由をメモに入力してください。"))
    return note


def _checked_outcome(
    transition: StageTransition, to_stage: str, outcome: str, lessons: str
) -> tuple[str, str]:
    """The outcome and lessons of an evaluation being left, checked against where it goes."""
    outcome = (outcome or "").strip()
    if outcome not in Outcome.values:
        raise ServiceError(
            _(
                "評価を終えるには、成果（評価の結論）を選んでください。実証実験の結果を記録せずに次へは進めません。"
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
    lessons = clean_text((lessons or "").strip(), label=_("学んだこと"), limit=5000, required=True)
    return outcome, lessons


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
    project = project_lock(project)
    roles = require_participant(actor, project, _("このプロジェクトを操作する権限がありません。"))
    if to_stage not in Stage.values:
        raise ServiceError(_("移行先のステージを選んでください。"))
    if project.stage == to_stage:
        return False
    transition = _legal_transition(project.stage, to_stage)
    acting = _acting_role(roles, transition, project.stage, to_stage)
    note = _checked_note(note, transition)
    if project.stage == Stage.EVALUATION:
        outcome, lessons = _checked_outcome(transition, to_stage, outcome, lessons)
    else:
        outcome, lessons = "", ""
    stage_move(
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
