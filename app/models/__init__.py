"""The laptop's data model: one module per aggregate. Importing this package registers every table."""

from app.db import LocalSession
from app.models.assignment import VisitAssignment
from app.models.attachment import Attachment, Blob
from app.models.audit import Answer, AnswerStatus, Audit, AuditModule, AuditStatus
from app.models.base import Base, new_id, utcnow
from app.models.campaign import Campaign
from app.models.coordinator import Coordinator
from app.models.draft import Draft
from app.models.enterprise import Enterprise, RiskIndicator
from app.models.history import ChangeHistory
from app.models.notice import Notice, NoticeSequence, NoticeStatus
from app.models.publication import Publication
from app.models.rectification import Finding, FollowUp, ItemStatus, RectificationItem
from app.models.retention import ArchivedAudit
from app.models.setting import AppSettings, Setting, load_settings, save_settings
from app.models.shared_item import SharedItemStatus
from app.models.sync import ConflictLog, OutboxEntry, SyncCursor, install_outbox
from app.models.template import Template, TemplateRejection
from app.models.wage_check import WageCheck, WageSheetProfile

install_outbox(LocalSession)

__all__ = [
    "Answer",
    "AnswerStatus",
    "AppSettings",
    "ArchivedAudit",
    "Attachment",
    "Audit",
    "AuditModule",
    "AuditStatus",
    "Base",
    "Blob",
    "Campaign",
    "ChangeHistory",
    "ConflictLog",
    "Coordinator",
    "Draft",
    "Enterprise",
    "Finding",
    "FollowUp",
    "ItemStatus",
    "Notice",
    "NoticeSequence",
    "NoticeStatus",
    "OutboxEntry",
    "Publication",
    "RectificationItem",
    "RiskIndicator",
    "Setting",
    "SharedItemStatus",
    "SyncCursor",
    "Template",
    "TemplateRejection",
    "VisitAssignment",
    "WageCheck",
    "WageSheetProfile",
    "load_settings",
    "new_id",
    "save_settings",
    "utcnow",
]
