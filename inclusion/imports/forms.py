"""The upload form of the import page."""

from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovRadioInput, GovSubmitInput
from wtforms import RadioField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from inclusion.forms import StripWhitespaceForm


class UploadForm(StripWhitespaceForm):
    kind = RadioField(
        "What does the spreadsheet hold?",
        choices=[
            SelectChoice("learners", "Learners: one row per person to register"),
            SelectChoice("attendance", "Attendance: one row per learner at a session, with the skills they gained"),
        ],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Choose learners or attendance")],
    )
    file = FileField(
        "Spreadsheet (CSV or Excel .xlsx)",
        widget=GovFileInput(),
        validators=[FileRequired(message="Choose the spreadsheet to upload")],
    )
    submit = SubmitField("Upload and check", widget=GovSubmitInput())


class ConfirmForm(StripWhitespaceForm):
    """Only the CSRF token: the upload is named in the address."""

    submit = SubmitField("Import", widget=GovSubmitInput())
