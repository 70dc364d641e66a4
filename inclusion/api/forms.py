"""The admin's forms for feed tokens: issue one (name and expiry), confirm revoking one."""

from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length

from inclusion.admin.forms import DayMonthYearField
from inclusion.forms import StripWhitespaceForm


class IssueTokenForm(StripWhitespaceForm):
    name = StringField(
        "Name",
        description="Who or what will use it, for example 'Council Power BI – performance team'",
        widget=GovTextInput(),
        validators=[
            DataRequired(message="Enter a name for the token"),
            Length(max=80, message="Name must be 80 characters or fewer"),
        ],
    )
    valid_until = DayMonthYearField(
        "Works until",
        description="The last day it works, within two years. For example, 31 3 2027",
        format="%d %m %Y",
        widget=GovDateInput(),
        validators=[InputRequired(message="Enter the last day the token works")],
    )
    submit = SubmitField("Create token", widget=GovSubmitInput())


class RevokeTokenForm(StripWhitespaceForm):
    submit = SubmitField("Revoke token", widget=GovSubmitInput())
