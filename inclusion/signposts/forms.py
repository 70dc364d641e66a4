"""The signpost form (where the learner was pointed on), and the directory entry form."""

from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from inclusion.database import row_id
from inclusion.form_fields import DayMonthYearField, MessageSelectField, date_parts
from inclusion.forms import StripWhitespaceForm
from inclusion.signposts.models import AREA_MAX_LENGTH, NAME_MAX_LENGTH, WEB_ADDRESS_MAX_LENGTH


class SignpostForm(StripWhitespaceForm):
    # Not checked against the choices here: a venue closed since the page was drawn gets the
    # service's own message ("… has closed"), not "not a valid choice".
    target = SelectField("Where did you point them?", widget=GovSelect(), validate_choice=False)
    venue_id = MessageSelectField(
        "Venue where you pointed them on", coerce=row_id, widget=GovSelect(), choose="Choose the venue"
    )
    made_on = DayMonthYearField(
        "Date",
        widget=GovDateInput(),
        validators=[date_parts("Enter a real date, like 27 3 2026", required="Enter the date you pointed them on")],
    )
    submit = SubmitField("Save the signpost", widget=GovSubmitInput())


class ServiceForm(StripWhitespaceForm):
    name = StringField(
        "Name of the service",
        widget=GovTextInput(),
        validators=[
            DataRequired(message="Enter the service's name"),
            Length(max=NAME_MAX_LENGTH, message=f"The name must be {NAME_MAX_LENGTH} characters or fewer"),
        ],
    )
    web_address = StringField(
        "Web address (optional)",
        widget=GovTextInput(),
        validators=[Length(max=WEB_ADDRESS_MAX_LENGTH, message="The web address is too long")],
        description="For example, https://www.citizensadvice.org.uk",
    )
    area = StringField(
        "Area it serves (optional)",
        widget=GovTextInput(),
        validators=[Length(max=AREA_MAX_LENGTH, message=f"The area must be {AREA_MAX_LENGTH} characters or fewer")],
        description="For example, Stockport, Greater Manchester or the whole country",
    )
    submit = SubmitField("Save the service", widget=GovSubmitInput())
