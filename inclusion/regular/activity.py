"""Champion activity: per champion, sessions logged and learners supported lately, and who has gone quiet.

Two aggregate queries whatever the number of champions: the sessions (and last date) per champion,
and the distinct learners per champion. A champion's sessions are those they are recorded on
(session_champions: the person who logged it); learners are counted once each (a merged duplicate
as the learner kept), of any age: this is about the champions' work, not a funder figure.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Date, case, distinct, func, select

from inclusion.auth.models import User
from inclusion.auth.roles import Role
from inclusion.extensions import db
from inclusion.partners.models import Partner
from inclusion.sessions.models import Attendance, LearningSession, session_champions

SILENT_DAYS = 30
LONG_DAYS = 90


@dataclass(frozen=True)
class ChampionActivity:
    user_id: int
    name: str
    partner_name: str
    sessions_30: int
    sessions_90: int
    learners_30: int
    learners_90: int
    last_logged: date | None

    def silent(self, today: date) -> bool:
        """Nothing logged in the last 30 days (or ever)."""
        return self.last_logged is None or self.last_logged <= today - timedelta(days=SILENT_DAYS)


def champion_activity(today: date, *, partner_id: int | None = None) -> list[ChampionActivity]:
    """Every active champion (of `partner_id`, or all), the silent ones first, then by name."""
    since_30 = today - timedelta(days=SILENT_DAYS - 1)
    since_90 = today - timedelta(days=LONG_DAYS - 1)
    champion = session_champions.c.user_id
    in_30 = LearningSession.session_date >= since_30
    in_90 = LearningSession.session_date >= since_90
    not_future = LearningSession.session_date <= today
    sessions = (
        select(
            champion.label("user_id"),
            func.count(case((in_30 & not_future, LearningSession.id))).label("sessions_30"),
            func.count(case((in_90 & not_future, LearningSession.id))).label("sessions_90"),
            func.max(case((not_future, LearningSession.session_date)), type_=Date).label("last_logged"),
        )
        .join(LearningSession, LearningSession.id == session_champions.c.session_id)
        .group_by(champion)
    )
    learners = (
        select(
            champion.label("user_id"),
            func.count(distinct(case((Attendance.session_date >= since_30, Attendance.learner_key)))).label("l30"),
            func.count(distinct(Attendance.learner_key)).label("l90"),
        )
        .join(Attendance, Attendance.session_id == session_champions.c.session_id)
        .where(Attendance.session_date.between(since_90, today))
        .group_by(champion)
    )
    if partner_id is not None:  # only that partner's champions' rows are aggregated
        of_partner = (User.id == champion) & (User.partner_id == partner_id)
        sessions, learners = sessions.join(User, of_partner), learners.join(User, of_partner)
    sessions, learners = sessions.subquery(), learners.subquery()
    statement = (
        select(
            User.id,
            User.name,
            Partner.name,
            func.coalesce(sessions.c.sessions_30, 0),
            func.coalesce(sessions.c.sessions_90, 0),
            func.coalesce(learners.c.l30, 0),
            func.coalesce(learners.c.l90, 0),
            sessions.c.last_logged,
        )
        .join(Partner, Partner.id == User.partner_id)
        .outerjoin(sessions, sessions.c.user_id == User.id)
        .outerjoin(learners, learners.c.user_id == User.id)
        .where(User.role == Role.CHAMPION, User.active)
        .order_by(User.name, User.id)
    )
    if partner_id is not None:
        statement = statement.where(User.partner_id == partner_id)
    rows = [ChampionActivity(*row) for row in db.session.execute(statement)]
    return sorted(rows, key=lambda row: not row.silent(today))
