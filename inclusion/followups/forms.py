"""The follow-up form: one tap for how it went, then six yes/no taps if the learner was reached."""

from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovRadioInput, GovSubmitInput
from wtforms import SubmitField
from wtforms.validators import Optional

from inclusion.followups.models import ANSWER_COLUMNS
from inclusion.form_fields import DayMonthYearField, MessageRadioField, YesNoField, date_parts, options
from inclusion.forms import StripWhitespaceForm

OUTCOME_CHOICES = [
    ("reached", "Reached: we spoke and they answered"),
    ("not-reached", "Not reached: no answer, or a message left"),
    ("declined", "Declined: they did not want to answer"),
]
QUESTIONS = {
    "still_online": "Are they still using the internet?",
    "does_more_alone": "Do they now do things online on their own that they could not do before?",
    "further_learning": "Have they gone on to further learning (a course, a class, more sessions elsewhere)?",
    "work_or_volunteering": "Have they found a job or started volunteering?",
    "has_device": "Do they have a suitable device of their own to use?",
    "has_connection": "Do they have an internet connection (home broadband or mobile data)?",
}


def _answer(column: str) -> YesNoField:
    return YesNoField(QUESTIONS[column], choose="Answer yes or no", widget=GovRadioInput(), validators=[Optional()])


class FollowUpForm(StripWhitespaceForm):
    outcome = MessageRadioField(
        "How did the follow-up go?",
        choices=options(OUTCOME_CHOICES),
        widget=GovRadioInput(),
        choose="Choose whether you reached them, did not reach them, or they declined",
    )
    followed_up_on = DayMonthYearField(
        "Date of the call or visit",
        widget=GovDateInput(),
        validators=[date_parts("Enter a real date, like 27 3 2027", required="Enter the date of the follow-up")],
    )
    still_online = _answer("still_online")
    does_more_alone = _answer("does_more_alone")
    further_learning = _answer("further_learning")
    work_or_volunteering = _answer("work_or_volunteering")
    has_device = _answer("has_device")
    has_connection = _answer("has_connection")
    submit = SubmitField("Save the follow-up", widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.outcome.data == "reached":
            for column in ANSWER_COLUMNS:
                if self[column].answer is None and not self[column].errors:
                    self[column].errors = [*self[column].errors, f"Answer yes or no: {QUESTIONS[column].lower()}"]
                    ok = False
        return ok

    def answers(self) -> dict[str, bool | None]:
        return {column: self[column].answer for column in ANSWER_COLUMNS}
