"""Every model, imported in one place so Alembic and the app see the whole schema."""

from inclusion.api.models import ApiToken
from inclusion.audit.models import AuditEvent
from inclusion.auth.models import LoginSession, User, UserToken
from inclusion.devices.models import DataGift, Device, DeviceGift, Loan
from inclusion.followups.models import FollowUp
from inclusion.imports.models import ImportUpload
from inclusion.learners.models import DuplicateDismissal, Learner
from inclusion.outcomes.models import ConfidenceCheck, ConfidenceQuestionSet
from inclusion.partners.models import Partner, Venue
from inclusion.regular.models import RegularSession, ReminderOptOut, ReminderSend, regular_session_champions
from inclusion.reports.models import Milestone, ReportRun
from inclusion.sessions.draft_marks import SessionDraftMark
from inclusion.sessions.models import Attendance, LearningSession, Skill, SkillAchievement, session_champions
from inclusion.signposts.models import Signpost, SignpostService

__all__ = [
    "ApiToken",
    "Attendance",
    "AuditEvent",
    "ConfidenceCheck",
    "ConfidenceQuestionSet",
    "DataGift",
    "Device",
    "DeviceGift",
    "DuplicateDismissal",
    "FollowUp",
    "Learner",
    "LearningSession",
    "Loan",
    "LoginSession",
    "Milestone",
    "Partner",
    "ReportRun",
    "Skill",
    "SkillAchievement",
    "User",
    "UserToken",
    "Venue",
    "session_champions",
    "Signpost",
    "SignpostService",
    "ImportUpload",
    "RegularSession",
    "ReminderOptOut",
    "ReminderSend",
    "SessionDraftMark",
    "regular_session_champions",
]
