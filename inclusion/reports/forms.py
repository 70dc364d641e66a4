"""The dashboard's filters: a GET form, so the choice lives in the address and survives a reload."""

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSelect
from wtforms import BooleanField, SelectField, ValidationError

from inclusion.forms import StripWhitespaceForm


class ChoiceField(SelectField):
    """A select whose out-of-list value gets a message that says what to do."""

    def __init__(self, label: str, *, invalid_message: str, **kwargs):
        super().__init__(label, widget=GovSelect(), default="", **kwargs)
        self.invalid_message = invalid_message

    def pre_validate(self, form) -> None:
        if self.data not in {str(choice.value) for choice in self.choices}:
            raise ValidationError(self.invalid_message)


class DashboardFilterForm(StripWhitespaceForm):
    class Meta:
        csrf = False  # a read-only GET form

    month = ChoiceField("Period", invalid_message="Choose a period from the list")
    partner = ChoiceField("Partner", invalid_message="Choose a partner from the list")
    venue = ChoiceField("Venue", invalid_message="Choose a venue from the list")


class SendReportForm(StripWhitespaceForm):
    """Coordinators send a month's report to the funders from the archive page."""

    month = ChoiceField("Month to send", invalid_message="Choose a month from the list")
    resend = BooleanField("Send it again, even if this month was sent before", widget=GovCheckboxInput())
