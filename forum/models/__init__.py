from forum.models.audit import AuditEvent
from forum.models.challenges import Challenge
from forum.models.notifications import Notification
from forum.models.organisations import Invitation, JoinRequest, Membership, Organisation
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
    "Organisation",
    "SolutionProfile",
    "Technology",
    "User",
]
