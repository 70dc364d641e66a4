"""Forms of the duplicate queue and the data-rights pages."""

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from inclusion.database import row_id
from inclusion.forms import StripWhitespaceForm


class PairForm(StripWhitespaceForm):
    """Two learners of a suggested pair; for a merge, `keep` says which record stays."""

    first_id = HiddenField(filters=[row_id], validators=[DataRequired()])
    second_id = HiddenField(filters=[row_id], validators=[DataRequired()])
    keep = HiddenField()


class UndoMergeForm(StripWhitespaceForm):
    """Only the CSRF token: the merge is named in the address."""


class AnonymiseForm(StripWhitespaceForm):
    confirmation = StringField(
        "Type the learner's reference to confirm",
        widget=GovTextInput(),
        validators=[DataRequired(message="Type the learner's reference to confirm"), Length(max=20)],
    )
    submit = SubmitField("Erase this learner's personal details", widget=GovSubmitInput())
