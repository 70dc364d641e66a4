"""Forms of the administration pages: users, local skills and milestones."""

from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import DateField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from inclusion.auth.roles import ALL_ROLES, Role
from inclusion.database import row_id
from inclusion.form_fields import WholeNumberField, options
from inclusion.forms import StripWhitespaceForm
from inclusion.sessions.constants import SKILL_AREAS

ROLE_CHOICES = [
    (Role.CHAMPION.value, "Champion – registers learners and logs sessions for their partner"),
    (Role.COORDINATOR.value, "Coordinator – works across every partner, runs imports and reports"),
    (Role.FUNDER.value, "Funder – sees the anonymous dashboard and monthly files only"),
    (Role.ADMIN.value, "Admin – manages users, partners and the audit log"),
]


class DayMonthYearField(DateField):
    """GOV.UK date input (day, month, year boxes) with a human message for a date that does not exist."""

    def process_formdata(self, valuelist):
        # The widget needs exactly three boxes' values back, whatever a hand-made request sent.
        # Stripped, so that boxes holding only spaces count as empty for InputRequired (they made
        # data None past it: a 500 where the form should say "Enter ...").
        valuelist = [str(part).strip() for part in (list(valuelist) + ["", "", ""])[:3]]
        self.raw_data = valuelist
        if any(part.strip() for part in valuelist):
            try:
                super().process_formdata([" ".join(part.strip() for part in valuelist)])
            except ValueError as error:
                raise ValueError(f"{self.label.text} must be a real date, like 1 9 2026") from error


def optional_int(value):
    """Select values: '' means none chosen."""
    if value in (None, "", "None"):
        return None
    return row_id(value) or -1  # -1 is not one of the choices, so the field reports it


class _UserFields(StripWhitespaceForm):
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[
            DataRequired(message="Enter the person's name"),
            Length(max=120, message="Name must be 120 characters or fewer"),
        ],
    )
    role = RadioField(
        "Role",
        description="What they can see and do. Funders never see anything that identifies a learner.",
        choices=options(ROLE_CHOICES),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            InputRequired(message="Choose a role"),
            AnyOf(ALL_ROLES, message="Choose one of the roles listed"),
        ],
    )
    partner_id = SelectField(
        "Partner organisation",
        description="Champions must belong to a partner. Coordinators, funders and admins usually do not.",
        coerce=optional_int,
        widget=GovSelect(),
        validate_choice=False,
    )

    def set_partner_choices(self, partners: list[tuple[int, str]]) -> None:
        self.partner_id.choices = options([("", "No partner")] + partners)
        self._partner_ids = {partner_id for partner_id, _ in partners}

    def validate_partner_id(self, field):
        if field.data is not None and field.data not in getattr(self, "_partner_ids", set()):
            raise ValidationError("Choose a partner from the list")


class InviteUserForm(_UserFields):
    email = StringField(
        "Email address",
        description="We will send the invitation here. They sign in with this address.",
        widget=GovTextInput(),
        validators=[
            DataRequired(message="Enter the person's email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
    )
    submit = SubmitField("Send invitation", widget=GovSubmitInput())

    def validate_email(self, field):
        local, _, domain = field.data.partition("@")
        if not local or "." not in domain or " " in field.data:
            raise ValidationError("Enter an email address in the correct format, like name@example.org")


class EditUserForm(_UserFields):
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class UserFilterForm(StripWhitespaceForm):
    class Meta:
        csrf = False  # a GET search form: nothing changes

    text = StringField("Name or email", widget=GovTextInput(), validators=[Optional(), Length(max=100)])
    role = SelectField(
        "Role",
        choices=options([("", "Any role")] + [(r, Role(r).label) for r in ALL_ROLES]),
        widget=GovSelect(),
        validate_choice=False,
    )
    partner_id = SelectField("Partner", coerce=optional_int, widget=GovSelect(), validate_choice=False)
    status = SelectField(
        "Status",
        choices=options(
            [
                ("", "Any status"),
                ("active", "Active"),
                ("invited", "Invitation not accepted"),
                ("inactive", "Deactivated"),
            ]
        ),
        widget=GovSelect(),
        validate_choice=False,
    )
    submit = SubmitField("Filter", widget=GovSubmitInput())


class LocalSkillForm(StripWhitespaceForm):
    area = RadioField(
        "Area",
        choices=options(SKILL_AREAS.items()),
        widget=GovRadioInput(),
        validate_choice=False,
        validators=[
            InputRequired(message="Choose the area the skill belongs to"),
            AnyOf(list(SKILL_AREAS), message="Choose one of the areas listed"),
        ],
    )
    title = StringField(
        "What the learner can do",
        description="Start with a verb, for example: use the NHS App to order a repeat prescription",
        widget=GovTextInput(),
        validators=[
            DataRequired(message="Enter what the learner can do"),
            Length(max=200, message="The skill must be 200 characters or fewer"),
        ],
    )
    submit = SubmitField("Add skill", widget=GovSubmitInput())


class RewordSkillForm(StripWhitespaceForm):
    title = LocalSkillForm.title
    submit = SubmitField("Save wording", widget=GovSubmitInput())


class MilestoneForm(StripWhitespaceForm):
    name = StringField(
        "Name",
        widget=GovTextInput(),
        validators=[
            DataRequired(message="Enter the milestone's name"),
            Length(max=120, message="Name must be 120 characters or fewer"),
        ],
    )
    target = WholeNumberField(
        "Target number of adults",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the target as a whole number, like 5000"),
            NumberRange(min=1, max=10_000_000, message="Target must be from 1 to 10,000,000"),
        ],
    )
    start_date = DayMonthYearField(
        "Start date",
        description="When the alliance began working toward this target. For example, 1 9 2026",
        format="%d %m %Y",
        widget=GovDateInput(),
        validators=[InputRequired(message="Enter the start date as a day, month and year, like 1 9 2026")],
    )
    submit = SubmitField("Save milestone", widget=GovSubmitInput())
