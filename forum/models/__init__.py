from forum.models.api import PersonalAPIToken
from forum.models.audit import AuditEvent
from forum.models.challenges import Challenge
from forum.models.datasets import CatalogDataset
from forum.models.notifications import Notification
from forum.models.organisations import Invitation, JoinRequest, Membership, Organisation
from forum.models.projects import (
    Follow,
    KpiValue,
    ProgressReport,
    Project,
    ProjectDocument,
    ProjectKpi,
    ProjectMilestone,
    ProjectOutcome,
    ProjectParticipant,
    ProjectProposal,
    ProjectStageChange,
)
from forum.models.proposals import (
    NotificationPreference,
    Proposal,
    ProposalAttachment,
    ProposalEvent,
    ProposalMessage,
    SolutionAttachment,
)
from forum.models.reference import Field, Municipality, Technology
from forum.models.solutions import SolutionProfile
from forum.models.submissions import FormSubmission, IdempotencyKey
from forum.models.tags import SdgGoal, StrategyTheme, ThemeTagging
from forum.models.users import User

__all__ = [
    "AuditEvent",
    "CatalogDataset",
    "Challenge",
    "Field",
    "Follow",
    "FormSubmission",
    "IdempotencyKey",
    "Invitation",
    "JoinRequest",
    "KpiValue",
    "Membership",
    "Municipality",
    "Notification",
    "NotificationPreference",
    "ProgressReport",
    "Project",
    "ProjectDocument",
    "ProjectKpi",
    "ProjectMilestone",
    "ProjectOutcome",
    "ProjectParticipant",
    "ProjectProposal",
    "ProjectStageChange",
    "Proposal",
    "ProposalAttachment",
    "ProposalEvent",
    "ProposalMessage",
    "SolutionAttachment",
    "Organisation",
    "PersonalAPIToken",
    "SdgGoal",
    "SolutionProfile",
    "StrategyTheme",
    "Technology",
    "ThemeTagging",
    "User",
]
