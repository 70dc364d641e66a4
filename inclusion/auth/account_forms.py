"""Forms for looking after one's own account."""

from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from inclusion.auth.passwords import MAX_LENGTH, MIN_LENGTH
from inclusion.forms import StripWhitespaceForm

NEW_PASSWORD_HINT = (
    f"At least {MIN_LENGTH} characters. Three or four random words are easy to remember and hard to guess."
)


class ForgottenPasswordForm(StripWhitespaceForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired(message="Enter your email address"), Length(max=254)],
    )
    submit = SubmitField("Send me a link", widget=GovSubmitInput())


class SetPasswordForm(StripWhitespaceForm):
    password = PasswordField(
        "New password",
        description=NEW_PASSWORD_HINT,
        widget=GovPasswordInput(),
        validators=[DataRequired(message="Enter a new password"), Length(max=MAX_LENGTH)],
    )
    submit = SubmitField("Save password", widget=GovSubmitInput())


class ChangePasswordForm(StripWhitespaceForm):
    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[DataRequired(message="Enter your current password"), Length(max=MAX_LENGTH)],
    )
    new_password = PasswordField(
        "New password",
        description=NEW_PASSWORD_HINT,
        widget=GovPasswordInput(),
        validators=[DataRequired(message="Enter a new password"), Length(max=MAX_LENGTH)],
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())
