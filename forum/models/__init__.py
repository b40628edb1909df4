from forum.models.api import PersonalAPIToken
from forum.models.audit import AuditEvent
from forum.models.calls import Call, CallReminder
from forum.models.challenges import Challenge
from forum.models.datasets import CatalogDataset
from forum.models.departments import Department
from forum.models.evaluation import (
    ConflictDeclaration,
    Criterion,
    PanelMember,
    ProposalDecision,
    Review,
    ReviewScore,
    Selection,
)
from forum.models.kpis import KpiValue, ProjectKpi
from forum.models.notifications import Notification
from forum.models.organisations import Invitation, JoinRequest, Membership, Organisation
from forum.models.projects import (
    Follow,
    ProgressReport,
    Project,
    ProjectDocument,
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
    ProposalPartner,
    SolutionAttachment,
)
from forum.models.questions import Question
from forum.models.reference import Field, Municipality, Technology
from forum.models.residents import (
    Need,
    ResidentProfile,
    Support,
    TesterApplication,
    TesterCall,
)
from forum.models.solutions import SolutionProfile
from forum.models.submissions import FormSubmission, IdempotencyKey
from forum.models.tags import SdgGoal, StrategyTheme, ThemeTagging
from forum.models.users import User

__all__ = [
    "AuditEvent",
    "Call",
    "CallReminder",
    "CatalogDataset",
    "Challenge",
    "ConflictDeclaration",
    "Criterion",
    "PanelMember",
    "ProposalDecision",
    "Review",
    "ReviewScore",
    "Selection",
    "Department",
    "Field",
    "Follow",
    "FormSubmission",
    "IdempotencyKey",
    "Invitation",
    "JoinRequest",
    "KpiValue",
    "Membership",
    "Municipality",
    "Need",
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
    "Question",
    "ResidentProfile",
    "ProposalPartner",
    "SolutionAttachment",
    "Organisation",
    "PersonalAPIToken",
    "SdgGoal",
    "SolutionProfile",
    "StrategyTheme",
    "Support",
    "Technology",
    "TesterApplication",
    "TesterCall",
    "ThemeTagging",
    "User",
]
