from forum.models.api import PersonalAPIToken
from forum.models.audit import AuditEvent
from forum.models.challenges import Challenge
from forum.models.notifications import Notification
from forum.models.organisations import Invitation, JoinRequest, Membership, Organisation
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
from forum.models.users import User

__all__ = [
    "AuditEvent",
    "Challenge",
    "Field",
    "Invitation",
    "JoinRequest",
    "Membership",
    "Municipality",
    "Notification",
    "NotificationPreference",
    "Proposal",
    "ProposalAttachment",
    "ProposalEvent",
    "ProposalMessage",
    "SolutionAttachment",
    "Organisation",
    "PersonalAPIToken",
    "SolutionProfile",
    "Technology",
    "User",
]
