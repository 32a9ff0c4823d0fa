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
from .workflow import TransitionRecord

__all__ = [
    "ApiToken",
    "Attachment",
    "AuditEntry",
    "DocumentSequence",
    "DomainModel",
    "Jurisdiction",
    "Notification",
    "Organisation",
    "RestrictedQuerySet",
    "Role",
    "TransitionRecord",
    "User",
]
