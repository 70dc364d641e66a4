"""The regular slot form: field formats here; the rules across fields in rules.py and services.py."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import Length, StopValidation

from inclusion.database import row_id
from inclusion.form_fields import DayMonthYearField, MessageRadioField, date_parts, follows, options
from inclusion.forms import StripWhitespaceForm
from inclusion.regular.rules import WEEKDAYS, SlotDetails
from inclusion.rules import Invalid, whole_number
from inclusion.sessions import rules as session_rules
from inclusion.sessions.constants import SESSION_TYPES
from inclusion.sessions.forms import SESSION_TYPE_LABELS

FREQUENCY_LABELS = {"weekly": "Every week", "fortnightly": "Every other week (fortnightly)"}


def _weekday(value):
    number = whole_number(value) if value not in (None, "") else None
    return number if number is not None and 0 <= number <= 6 else None


def _required_time(_form, field):
    if not (field.data or "").strip():
        raise StopValidation("Enter the time the session starts, like 10:30")


class SlotForm(StripWhitespaceForm):
    venue_id = SelectField("Venue", widget=GovSelect(), coerce=row_id, validate_choice=False)
    frequency = MessageRadioField(
        "How often does it run?",
        choose="Choose how often the session runs",
        widget=GovRadioInput(),
        default="weekly",
        choices=options(FREQUENCY_LABELS.items()),
    )
    weekday = SelectField(
        "Day of the week",
        widget=GovSelect(),
        coerce=_weekday,
        validate_choice=False,
        choices=options([("", "Choose a day")] + list(enumerate(WEEKDAYS))),
    )
    start_time = StringField(
        "Start time",
        widget=GovTextInput(),
        description="24-hour clock, for example 10:30 or 14:00",
        validators=[Length(max=8), _required_time, follows(session_rules.start_time, keep_typed=True)],
    )
    session_type = MessageRadioField(
        "Type of session",
        choose="Choose the type of session",
        widget=GovRadioInput(),
        default="drop-in",
        choices=options((value, SESSION_TYPE_LABELS[value]) for value in SESSION_TYPES),
    )
    duration_minutes = StringField(
        "Duration in minutes",
        widget=GovTextInput(),
        description="For example, 90",
        validators=[Length(max=5), follows(session_rules.duration_minutes)],
    )
    starts_on = DayMonthYearField(
        "First date",
        widget=GovDateInput(),
        format="%d %m %Y",
        description="The slot runs from this date, for example 7 12 2026",
        validators=[date_parts("First date must be a real date, like 7 12 2026", required="Enter the first date")],
    )
    ends_on = DayMonthYearField(
        "Last date (optional)",
        widget=GovDateInput(),
        format="%d %m %Y",
        description="Leave empty if it carries on. For example, 27 3 2027",
        validators=[date_parts("Last date must be a real date, like 27 3 2027")],
    )
    champion_ids = SelectMultipleField(
        "Champions who run it (optional)",
        description="They see it on their home page and are reminded when it is not logged",
        widget=GovCheckboxesInput(),
        coerce=row_id,
        validate_choice=False,
    )
    submit = SubmitField("Save regular session", widget=GovSubmitInput())

    def details(self) -> SlotDetails:
        """What was typed, with None for anything missing or not understood."""
        try:
            start = session_rules.start_time(self.start_time.data) if self.start_time.data else None
        except Invalid:
            start = None
        duration = self.duration_minutes.data if isinstance(self.duration_minutes.data, int) else None
        return SlotDetails(
            venue_id=self.venue_id.data or None,
            frequency=self.frequency.data,
            weekday=self.weekday.data,
            start_time=start,
            session_type=self.session_type.data,
            duration_minutes=duration,
            starts_on=self.starts_on.data,
            ends_on=self.ends_on.data,
            champion_ids=[champion_id for champion_id in (self.champion_ids.data or []) if champion_id],
        )

    def show_problems(self, problems: dict[str, str]) -> None:
        """Each problem under its field, unless the field already has its own error."""
        for name, message in problems.items():
            field = getattr(self, name)
            if not field.errors:
                field.errors = [message]


class RemindersForm(StripWhitespaceForm):
    """The account page's on/off switch for the weekly reminder."""

    reminders = MessageRadioField(
        "Weekly reminder e-mail",
        choose="Choose whether to get the weekly reminder",
        widget=GovRadioInput(),
        choices=options([("on", "Yes, remind me of sessions I have not logged"), ("off", "No, do not e-mail me")]),
    )
    submit = SubmitField("Save reminder setting", widget=GovSubmitInput())
