"""Which stage moves a project may make, who may make each, and what each move needs.

One table, TRANSITIONS, says it: the project services refuse any move it does not hold, and
the management page offers only the moves it gives the user's roles. Roles are the
participant roles of ParticipantRole plus SECRETARIAT, which the forum's staff hold on every
project.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from forum.models.projects import Outcome, ParticipantRole, Stage

SECRETARIAT = "secretariat"

S = Stage
R = ParticipantRole

# Who moves the ordinary steps, who stops a project outside an evaluation, who corrects.
FORWARD = frozenset({R.COORDINATOR, R.MUNICIPALITY, SECRETARIAT})
STOP = frozenset({R.MUNICIPALITY, SECRETARIAT})
CORRECTION = frozenset({SECRETARIAT})

ROLE_LABELS = {**dict(ParticipantRole.choices), SECRETARIAT: gettext_lazy("事務局")}
# When a user holds several roles, the history names the first of these that allowed the move.
ROLE_PRECEDENCE = [R.COORDINATOR, R.MUNICIPALITY, SECRETARIAT]


@dataclass(frozen=True)
class StageTransition:
    """One legal move: who may make it, which outcomes it needs, and whether a note is required."""

    roles: frozenset
    outcomes: frozenset = frozenset()
    note_required: bool = False
    override: bool = False


def _stop() -> StageTransition:
    return StageTransition(STOP, note_required=True)


def _correction() -> StageTransition:
    return StageTransition(CORRECTION, note_required=True, override=True)


TRANSITIONS: dict[tuple[str, str], StageTransition] = {
    (S.MATCHED, S.POC_PLANNING): StageTransition(FORWARD),
    (S.POC_PLANNING, S.POC): StageTransition(FORWARD),
    (S.POC, S.EVALUATION): StageTransition(FORWARD),
    # Leaving an evaluation always records an outcome that fits where the project goes.
    (S.EVALUATION, S.IMPLEMENTATION): StageTransition(
        FORWARD, outcomes=frozenset({Outcome.ADOPTED, Outcome.BUDGETED})
    ),
    (S.EVALUATION, S.POC): StageTransition(FORWARD, outcomes=frozenset({Outcome.CONTINUED})),
    (S.EVALUATION, S.DISCONTINUED): StageTransition(FORWARD, outcomes=frozenset({Outcome.STOPPED})),
    (S.IMPLEMENTATION, S.ROLLOUT): StageTransition(FORWARD),
    # Stopping outside an evaluation is the municipality's (or the secretariat's) call, with a reason.
    (S.MATCHED, S.DISCONTINUED): _stop(),
    (S.POC_PLANNING, S.DISCONTINUED): _stop(),
    (S.POC, S.DISCONTINUED): _stop(),
    (S.IMPLEMENTATION, S.DISCONTINUED): _stop(),
    (S.ROLLOUT, S.DISCONTINUED): _stop(),
    # Corrections only the secretariat makes: one step back, or reopening a stopped project.
    (S.POC_PLANNING, S.MATCHED): _correction(),
    (S.POC, S.POC_PLANNING): _correction(),
    (S.IMPLEMENTATION, S.EVALUATION): _correction(),
    (S.ROLLOUT, S.IMPLEMENTATION): _correction(),
    (S.DISCONTINUED, S.POC_PLANNING): _correction(),
}


def transitions_from(stage: str, roles: set[str]) -> list[tuple[str, StageTransition]]:
    """The moves the given roles may make from a stage, in stage order."""
    order = {value: i for i, value in enumerate(Stage.values)}
    moves = [
        (target, t)
        for (source, target), t in TRANSITIONS.items()
        if source == stage and t.roles & roles
    ]
    return sorted(moves, key=lambda m: order[m[0]])


def acting_role_for(roles: set[str], transition: StageTransition) -> str | None:
    """The role the history names for a user with these roles making the move; None if none may."""
    return next((role for role in ROLE_PRECEDENCE if role in roles & transition.roles), None)


def role_labels(roles) -> list[str]:
    """The labels of the given roles, in order of precedence."""
    return [str(ROLE_LABELS[role]) for role in ROLE_PRECEDENCE if role in roles]


def stage_label(stage: str) -> str:
    """A stage's label, or the stored value itself when it is not a stage any more."""
    return str(Stage(stage).label) if stage in Stage.values else stage
