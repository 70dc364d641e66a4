"""The confidence check form: when, where, and seven 1–5 answers, each skippable."""

from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovRadioInput, GovSelect, GovSubmitInput
from wtforms import SubmitField

from inclusion.form_fields import DayMonthYearField, MessageRadioField, MessageSelectField, date_parts, options
from inclusion.forms import StripWhitespaceForm
from inclusion.outcomes.models import ANSWER_COLUMNS
from inclusion.outcomes.questions import SCALE

STAGE_CHOICES = [
    ("baseline", "Baseline: before or at their first session"),
    ("exit", "Exit: as they finish, or any later check"),
    ("follow-up", "Follow-up: some time after they finished"),
]
ANSWER_CHOICES = [(str(value), label) for value, label in SCALE.items()] + [("", "Skip this question")]
CHOOSE_ANSWER = "Choose an answer from 1 to 5, or skip the question"


def _answer_field() -> MessageRadioField:
    return MessageRadioField(choices=options(ANSWER_CHOICES), default="", widget=GovRadioInput(), choose=CHOOSE_ANSWER)


class ConfidenceCheckForm(StripWhitespaceForm):
    stage = MessageRadioField(
        "When is this check?",
        choices=options(STAGE_CHOICES),
        widget=GovRadioInput(),
        choose="Choose when this check is",
    )
    checked_on = DayMonthYearField(
        "Date of the check",
        widget=GovDateInput(),
        validators=[date_parts("Enter a real date, like 27 3 2026", required="Enter the date of the check")],
    )
    venue_id = MessageSelectField("Venue", coerce=int, widget=GovSelect(), choose="Choose the venue")
    overall = _answer_field()
    fnd = _answer_field()
    com = _answer_field()
    hic = _answer_field()
    tra = _answer_field()
    prb = _answer_field()
    saf = _answer_field()
    submit = SubmitField("Save the check", widget=GovSubmitInput())

    def label_questions(self, question_set) -> None:
        for column in ANSWER_COLUMNS:
            self[column].label.text = question_set.question(column)

    def answers(self) -> dict[str, int | None]:
        return {column: int(self[column].data) if self[column].data else None for column in ANSWER_COLUMNS}
