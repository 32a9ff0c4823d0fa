"""Core models; each concern lives in its own module and is re-exported here."""

from .accounts import Role, User
from .attachments import Attachment
from .audit import AuditEntry
from .base import DomainModel, RestrictedQuerySet
from .documents import DocumentSequence
from .jurisdictions import Jurisdiction
from .notifications import Notification
from .organisations import Organisation
from .tokens import ApiToken
from .verification import IdentityVerification
from .workflow import Assignment, ClockedModel, TransitionRecord

__all__ = [
    "ApiToken",
    "Assignment",
    "Attachment",
    "AuditEntry",
    "ClockedModel",
    "DocumentSequence",
    "DomainModel",
    "IdentityVerification",
    "Jurisdiction",
    "Notification",
    "Organisation",
    "RestrictedQuerySet",
    "Role",
    "TransitionRecord",
    "User",
]
