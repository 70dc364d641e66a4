"""Forms for partners and venues."""

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from inclusion.database import row_id
from inclusion.form_fields import options
from inclusion.forms import StripWhitespaceForm


def _optional_int(value):
    return row_id(value)


class PartnerForm(StripWhitespaceForm):
    name = StringField(
        "Partner name",
        widget=GovTextInput(),
        validators=[
            DataRequired(message="Enter the partner's name"),
            Length(max=120, message="The partner's name must be 120 characters or fewer"),
        ],
    )
    submit = SubmitField("Save partner", widget=GovSubmitInput())


class VenueForm(StripWhitespaceForm):
    name = StringField(
        "Venue name",
        widget=GovTextInput(),
        validators=[
            DataRequired(message="Enter the venue's name"),
            Length(max=120, message="The venue's name must be 120 characters or fewer"),
        ],
    )
    partner_id = SelectField("Partner that runs it", coerce=_optional_int, widget=GovSelect(), validate_choice=False)
    ward = StringField(
        "Council ward (optional)",
        widget=GovTextInput(),
        validators=[Length(max=120, message="The ward must be 120 characters or fewer")],
    )
    submit = SubmitField("Save venue", widget=GovSubmitInput())

    def set_partner_choices(self, partners: list[tuple[int, str]]) -> None:
        self.partner_id.choices = options([("", "Choose a partner")] + partners)
        self._partner_ids = {partner_id for partner_id, _ in partners}

    def validate_partner_id(self, field):
        if field.data not in getattr(self, "_partner_ids", set()):
            raise ValidationError("Choose the partner that runs the venue")
