"""The device pages' forms: a device's details, moving and retiring it, lending, returning, gifting, data."""

from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovDateInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, StringField, SubmitField
from wtforms.validators import Length, StopValidation

from inclusion.devices import rules
from inclusion.form_fields import DayMonthYearField, MessageRadioField, MessageSelectField, date_parts, follows, options
from inclusion.forms import StripWhitespaceForm

KIND_LABELS = {"laptop": "Laptop", "tablet": "Tablet", "phone": "Phone", "hotspot": "Mobile hotspot", "other": "Other"}
CONDITION_LABELS = {
    "new": "New",
    "good": "Good: works, light wear",
    "fair": "Fair: works, clearly worn",
    "poor": "Poor: works with problems",
    "broken": "Broken: does not work",
}
REASON_LABELS = {
    "no-home-internet": "No internet at home",
    "cannot-afford-data": "Cannot afford data",
    "benefits-or-low-income": "On benefits or a low income",
    "job-seeking": "Looking for work",
    "referred-by-partner": "Referred by a partner",
    "other": "Another reason",
}


def _chosen(message: str):
    """A select whose first option (value 0) only asks to choose: choosing it is an error."""

    def check(_form, field):
        if not field.data:
            raise StopValidation(message)

    return check


def _venue(label: str, message: str) -> MessageSelectField:
    return MessageSelectField(label, coerce=int, widget=GovSelect(), choose=message, validators=[_chosen(message)])


def _text(label: str, limit: int, rule, hint: str | None = None) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        description=hint or "",
        validators=[Length(max=limit, message=f"{label} must be {limit} characters or fewer"), follows(rule)],
    )


def _date(label: str, *, required: str | None = None) -> DayMonthYearField:
    return DayMonthYearField(
        label, widget=GovDateInput(), validators=[date_parts("Enter a real date, like 27 3 2026", required=required)]
    )


def _condition(label: str) -> MessageRadioField:
    return MessageRadioField(
        label, choices=options(CONDITION_LABELS.items()), widget=GovRadioInput(), choose="Choose the device's condition"
    )


class DeviceForm(StripWhitespaceForm):
    asset_tag = _text("Asset tag", rules.ASSET_TAG_MAX, rules.asset_tag, "As printed on the device's label")
    kind = MessageRadioField(
        "Kind of device",
        choices=options(KIND_LABELS.items()),
        widget=GovRadioInput(),
        choose="Choose the kind of device",
    )
    make_model = _text("Make and model", rules.MAKE_MODEL_MAX, rules.make_model, "For example, Lenovo IdeaPad 3")
    serial = _text("Serial number (optional)", rules.SERIAL_MAX, rules.serial)
    source = _text(
        "Where it came from (optional)",
        rules.SOURCE_MAX,
        rules.source,
        "For example, National Device Bank batch 2026-11",
    )
    condition = _condition("Condition")
    venue_id = _venue("Venue that holds it", "Choose the venue that holds the device")
    submit = SubmitField("Save device", widget=GovSubmitInput())


class MoveForm(StripWhitespaceForm):
    venue_id = _venue("Move it to", "Choose the venue to move it to")
    submit = SubmitField("Move device", widget=GovSubmitInput())


class RetireForm(StripWhitespaceForm):
    retired_on = _date("Date it was retired", required="Enter the date it was retired")
    submit = SubmitField("Retire device", widget=GovSubmitInput(), render_kw={"class": "govuk-button--warning"})


class ImportForm(StripWhitespaceForm):
    file = FileField(
        "Spreadsheet (CSV or Excel .xlsx)",
        widget=GovFileInput(),
        validators=[FileRequired(message="Choose the spreadsheet to upload")],
    )
    check_only = BooleanField("Only check the file: add nothing yet", widget=GovCheckboxInput())
    submit = SubmitField("Upload", widget=GovSubmitInput())


class LendForm(StripWhitespaceForm):
    asset_tag = _text(
        "Asset tag of the device", rules.ASSET_TAG_MAX, rules.asset_tag, "As printed on the device's label"
    )
    lent_on = _date("Date lent", required="Enter the date the device was lent")
    due_on = _date("Due back (leave empty for the usual loan length)")
    agreement = BooleanField(widget=GovCheckboxInput())
    submit = SubmitField("Lend device", widget=GovSubmitInput())


class GiftForm(StripWhitespaceForm):
    asset_tag = _text(
        "Asset tag of the device", rules.ASSET_TAG_MAX, rules.asset_tag, "As printed on the device's label"
    )
    given_on = _date("Date given", required="Enter the date the device was given")
    submit = SubmitField("Give device", widget=GovSubmitInput())


class ReturnForm(StripWhitespaceForm):
    returned_on = _date("Date returned", required="Enter the date the device came back")
    condition = _condition("Condition it came back in")
    submit = SubmitField("Record return", widget=GovSubmitInput())


class ExtendForm(StripWhitespaceForm):
    due_on = _date("New due date", required="Enter the new due date")
    submit = SubmitField("Extend loan", widget=GovSubmitInput())


class DataGiftForm(StripWhitespaceForm):
    kind = MessageRadioField(
        "What was given?",
        choices=options([("sim", "A SIM card with data"), ("voucher", "A data voucher")]),
        widget=GovRadioInput(),
        choose="Choose a SIM or a data voucher",
    )
    network = StringField(
        "Network",
        widget=GovTextInput(),
        description="For example, Vodafone, Three or O2",
        validators=[
            Length(max=rules.NETWORK_MAX, message=f"The network must be {rules.NETWORK_MAX} characters or fewer"),
            follows(rules.network),
        ],
    )
    identifier = StringField(
        "SIM number (ICCID) or voucher code",
        widget=GovTextInput(),
        description="Only coordinators will see it",
        validators=[
            Length(
                max=rules.IDENTIFIER_MAX, message=f"The identifier must be {rules.IDENTIFIER_MAX} characters or fewer"
            ),
            follows(rules.identifier),
        ],
    )
    eligibility_reason = MessageRadioField(
        "Why was the learner eligible?",
        choices=options(REASON_LABELS.items()),
        widget=GovRadioInput(),
        choose="Choose why the learner was eligible",
    )
    venue_id = _venue("Venue", "Choose the venue where it was given")
    given_on = _date("Date given", required="Enter the date it was given")
    expires_on = _date("Expires (leave empty for six months after it was given)")
    submit = SubmitField("Save", widget=GovSubmitInput())
