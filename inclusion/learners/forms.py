"""The learner registration / edit form and the search box."""

from datetime import date
from functools import partial

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Optional, ValidationError

from inclusion.database import row_id
from inclusion.form_fields import (
    DayMonthYearField,
    MessageRadioField,
    MessageSelectField,
    YesNoField,
    date_parts,
    follows,
    options,
)
from inclusion.forms import StripWhitespaceForm
from inclusion.learners import rules
from inclusion.learners.constants import (
    AGE_BANDS,
    DISABILITY_ANSWERS,
    ETHNICITIES,
    GENDERS,
    HEARD_ABOUT,
    HEARD_ABOUT_LABELS,
    LAWFUL_BASES,
    LAWFUL_BASIS_LABELS,
)
from inclusion.learners.services import LearnerDetails
from inclusion.rules import Invalid
from inclusion.timeutil import today_in_london

CONSENT_METHOD_CHOICES = [
    ("verbal", "They told me (in person or by phone)"),
    ("paper-form", "They signed a paper form"),
    ("online-form", "They filled in an online form"),
]
AGE_BAND_LABELS = {"under-18": "Under 18", "unknown": "Not known", "75+": "75 or over"}


def _choices(values, blank: str | None = None):
    pairs = [(value, value[0].upper() + value[1:]) for value in values]
    return options(([("", blank)] if blank is not None else []) + pairs)


class LearnerForm(StripWhitespaceForm):
    first_name = StringField(
        "First name",
        widget=GovTextInput(),
        validators=[follows(partial(rules.name, which="first"))],
    )
    last_name = StringField(
        "Last name",
        widget=GovTextInput(),
        validators=[follows(partial(rules.name, which="last"))],
    )
    date_of_birth = DayMonthYearField(
        "Date of birth (optional)",
        widget=GovDateInput(),
        format="%d %m %Y",
        validators=[date_parts("Date of birth must be a real date, like 27 3 1951")],
        description="For example, 27 3 1951",
    )
    age_band = MessageSelectField(
        "Age band, if they would rather not give a date of birth",
        choose="Choose an age band from the list",
        widget=GovSelect(),
        choices=options((band, AGE_BAND_LABELS.get(band, band)) for band in AGE_BANDS),
        default="unknown",
    )
    postcode = StringField("Postcode (optional)", widget=GovTextInput(), validators=[follows(rules.postcode)])
    email = StringField(
        "Email address (optional)",
        widget=GovTextInput(),
        validators=[follows(rules.email)],
    )
    phone = StringField(
        "Phone number (optional)",
        widget=GovTextInput(),
        validators=[follows(rules.phone)],
    )
    gender = MessageRadioField(
        "Gender (optional)",
        choose="Choose one of the answers, or leave it blank",
        widget=GovRadioInput(),
        choices=_choices(GENDERS),
        validators=[Optional()],
    )
    ethnicity = MessageRadioField(
        "Ethnic group (optional)",
        choose="Choose one of the answers, or leave it blank",
        widget=GovRadioInput(),
        choices=_choices(ETHNICITIES),
        validators=[Optional()],
    )
    disability = MessageRadioField(
        "Do they consider themselves disabled? (optional)",
        choose="Choose one of the answers, or leave it blank",
        widget=GovRadioInput(),
        choices=_choices(DISABILITY_ANSWERS),
        validators=[Optional()],
    )
    heard_about = MessageSelectField(
        "How did they hear about us? (optional)",
        choose="Choose one of the answers, or leave it blank",
        widget=GovSelect(),
        choices=options([("", "Not asked")] + [(value, HEARD_ABOUT_LABELS[value]) for value in HEARD_ABOUT]),
        validators=[Optional()],
    )
    lawful_basis = MessageRadioField(
        "Lawful basis for keeping this record",
        choose="Choose the lawful basis for keeping this record",
        widget=GovRadioInput(),
        choices=options((basis, LAWFUL_BASIS_LABELS[basis]) for basis in LAWFUL_BASES),
        validators=[DataRequired(message="Choose the lawful basis for keeping this record")],
    )
    may_contact = YesNoField(
        "Can we contact them in about three months to ask how they are getting on?",
        choose="Choose yes if we may contact them later, or no if not",
        widget=GovRadioInput(),
        default="yes",
    )
    consent_given = BooleanField(
        "The learner has been shown the privacy notice and agrees to us keeping their details",
        widget=GovCheckboxInput(),
    )
    consent_method = MessageRadioField(
        "How did they agree?",
        choose="Choose how the learner gave their consent",
        widget=GovRadioInput(),
        choices=options(CONSENT_METHOD_CHOICES),
        default="verbal",  # how it is almost always given at a library desk: one tap fewer
        validators=[Optional()],
    )
    partner_id = SelectField(
        "Partner they are registering with",
        widget=GovSelect(),
        coerce=row_id,
        validate_choice=False,
        validators=[Optional()],
    )
    duplicate_choice = HiddenField()  # radios drawn by the template: a match's reference, or "new"
    submit = SubmitField("Register learner", widget=GovSubmitInput())

    def __init__(self, *args, consent_on_file: bool = False, registered_on: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent_on_file = consent_on_file
        self.registered_on = registered_on  # None: registering now

    def validate_date_of_birth(self, field):
        today = today_in_london()
        try:
            field.data = rules.date_of_birth(field.data, self.registered_on or today, today)
        except Invalid as error:
            raise ValidationError(error.message) from None

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.lawful_basis.data == "consent" and not self.consent_on_file:
            if not self.consent_given.data:
                self.consent_given.errors.append("Confirm the learner has agreed to us keeping their details")
                ok = False
            if not self.consent_method.data:
                self.consent_method.errors.append("Choose how the learner gave their consent")
                ok = False
        return ok

    def validate_partner_id(self, field):
        field.errors[:] = []  # not WTForms' "Invalid Choice: could not coerce"
        if self.partner_id.choices and not field.data:
            raise ValidationError("Choose the partner the learner is registering with")

    def details(self) -> LearnerDetails:
        return LearnerDetails(
            **{name: self[name].data for name in rules.TYPED_FIELDS},
            consent_given=bool(self.consent_given.data),
            consent_method=self.consent_method.data,
            partner_id=self.partner_id.data or None,
        )
