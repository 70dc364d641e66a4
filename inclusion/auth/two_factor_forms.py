"""Forms for two-step verification."""

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from inclusion.forms import StripWhitespaceForm


class CodeForm(StripWhitespaceForm):
    code = StringField(
        "Code",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter the code"), Length(max=40, message="Enter the code")],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())
