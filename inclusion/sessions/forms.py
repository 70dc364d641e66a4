"""The session form: its own fields, plus the attendees and skills carried as plain form values."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import ValidationError

from inclusion.database import row_id
from inclusion.form_fields import DayMonthYearField, MessageRadioField, date_parts, follows, options
from inclusion.forms import StripWhitespaceForm
from inclusion.rules import Invalid, search_text
from inclusion.sessions import rules
from inclusion.sessions.constants import SESSION_TYPE_LABELS, SESSION_TYPES
from inclusion.sessions.services import SessionDetails
from inclusion.timeutil import today_in_london


class SessionForm(StripWhitespaceForm):
    session_date = DayMonthYearField(
        "Date of the session",
        widget=GovDateInput(),
        format="%d %m %Y",
        description="For example, 4 9 2026",
        validators=[date_parts("Date must be a real date, like 4 9 2026", required="Enter the date of the session")],
    )
    start_time = StringField(
        "Start time (optional)",
        widget=GovTextInput(),
        description="For example, 10:30",
        validators=[follows(rules.start_time, keep_typed=True)],
    )
    venue_id = SelectField("Venue", widget=GovSelect(), coerce=row_id, validate_choice=False)
    session_type = MessageRadioField(
        "Type of session",
        choose="Choose the type of session",
        widget=GovRadioInput(),
        default="drop-in",
        choices=options((value, SESSION_TYPE_LABELS[value]) for value in SESSION_TYPES),
    )
    duration_minutes = StringField(
        "Duration in minutes", widget=GovTextInput(), validators=[follows(rules.duration_minutes)]
    )
    unregistered_attendees = StringField(
        "People helped who did not want to register",
        widget=GovTextInput(),
        default=0,
        description="They count towards sessions and hours, never as learners",
        validators=[follows(rules.unregistered_attendees)],
    )
    notes = TextAreaField(
        "Notes (optional)",
        widget=GovTextArea(),
        validators=[follows(rules.notes)],
    )
    idempotency_key = HiddenField()
    attendees = HiddenField()  # carries errors about the attendee list (its section has id="attendees")
    q = StringField(
        "Find a learner",
        widget=GovTextInput(),
        description="Name, reference (like L-7K3QF) or date of birth",
        filters=[search_text],
    )

    def validate_session_date(self, field):
        try:
            field.data = rules.session_date(field.data, today_in_london())
        except Invalid as error:
            raise ValidationError(error.message) from None

    def validate_venue_id(self, field):
        field.errors[:] = []  # not WTForms' "Invalid Choice: could not coerce"
        if not field.data:
            raise ValidationError("Choose a venue from the list")

    def details(self, attendees: list[int], skills: dict[int, list[str]]) -> SessionDetails:
        return SessionDetails(
            session_date=self.session_date.data,
            venue_id=self.venue_id.data,
            duration_minutes=self.duration_minutes.data,
            session_type=self.session_type.data or "drop-in",
            start_time=rules.start_time(self.start_time.data),
            notes=self.notes.data or None,
            unregistered_attendees=self.unregistered_attendees.data or 0,
            attendees=attendees,
            skills=skills,
        )


def attendees_from(formdata: MultiDict) -> tuple[list[int], dict[int, list[str]]]:
    """The attendee ids and ticked skills posted with the form (`attendee` and `skills-<id>` values)."""
    attendees: list[int] = []
    for value in formdata.getlist("attendee"):
        if (learner_id := row_id(value)) and learner_id not in attendees:
            attendees.append(learner_id)
    skills = {learner_id: formdata.getlist(f"skills-{learner_id}") for learner_id in attendees}
    return attendees, skills


def form_values(
    session_date,
    start_time,
    venue_id,
    session_type,
    duration,
    notes,
    unregistered,
    key,
    attendees: list[int],
    skills: dict[int, list[str]],
) -> MultiDict:
    """Form data for a session, as if posted: how an edit starts, and how a draft is stored."""
    pairs = [
        ("session_date", str(session_date.day)),
        ("session_date", str(session_date.month)),
        ("session_date", str(session_date.year)),
        ("start_time", start_time.strftime("%H:%M") if start_time else ""),
        ("venue_id", str(venue_id or "")),
        ("session_type", session_type),
        ("duration_minutes", str(duration)),
        ("notes", notes or ""),
        ("unregistered_attendees", str(unregistered)),
        ("idempotency_key", key or ""),
    ]
    for learner_id in attendees:
        pairs.append(("attendee", str(learner_id)))
        pairs.extend((f"skills-{learner_id}", code) for code in skills.get(learner_id, []))
    return MultiDict(pairs)
