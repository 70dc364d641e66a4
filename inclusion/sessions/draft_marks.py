"""What the server knows of a session draft: who started logging which venue's session on which day.

The draft itself (attendees, skills, notes) lives only in the champion's signed session cookie
(drafts.py), so it goes when they sign out or the browser forgets it. When a champion leaves the
session form to register a new learner, a mark is noted here; it is "unsent" while that person
has saved no session at that venue on that date since. The weekly reminder lists unsent marks
(inclusion/regular/reminders.py), with a link that starts the form again for that venue and day.
"""

from datetime import date, datetime

from sqlalchemy import ForeignKey, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.timeutil import utcnow


class SessionDraftMark(db.Model):
    __tablename__ = "session_draft_marks"
    __table_args__ = (UniqueConstraint("user_id", "venue_id", "session_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"), index=True)
    session_date: Mapped[date] = mapped_column(index=True)
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)


def note_draft(user_id: int, venue_id: int | None, session_date: date | None) -> None:
    """Remember (or refresh) that `user_id` left a session form for this venue and day unsaved."""
    if not venue_id or not isinstance(session_date, date):
        return  # nothing a reminder could name
    with write_transaction():
        mark = db.session.scalar(
            select(SessionDraftMark).where(
                SessionDraftMark.user_id == user_id,
                SessionDraftMark.venue_id == venue_id,
                SessionDraftMark.session_date == session_date,
            )
        )
        if mark is None:
            db.session.add(SessionDraftMark(user_id=user_id, venue_id=venue_id, session_date=session_date))
        else:
            mark.saved_at = utcnow()


def forget_marks_before(day: date) -> int:
    """Delete marks of session dates before `day` (the reminders look back two weeks only)."""
    with write_transaction():
        result = db.session.execute(delete(SessionDraftMark).where(SessionDraftMark.session_date < day))
    return result.rowcount or 0
