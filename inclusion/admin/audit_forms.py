"""The audit log's filter form (a GET form: no CSRF token needed to read)."""

from functools import partial

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import DateField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from inclusion.audit.models import AuditEvent
from inclusion.forms import StripWhitespaceForm
from inclusion.rules import search_text


class AuditFilterForm(StripWhitespaceForm):
    class Meta:
        csrf = False

    user = SelectField("User", widget=GovSelect(), validators=[Optional()])
    action = SelectField("Action", widget=GovSelect(), validators=[Optional()])
    record_type = SelectField("Record type", widget=GovSelect(), validators=[Optional()])
    record_id = StringField(
        "Record number",
        widget=GovTextInput(),
        filters=[partial(search_text, max_length=AuditEvent.record_id.type.length)],
        validators=[Optional()],
    )
    date_from = DateField("From", widget=GovTextInput(), validators=[Optional()], render_kw={"type": "date"})
    date_to = DateField("To", widget=GovTextInput(), validators=[Optional()], render_kw={"type": "date"})
    submit = SubmitField("Filter", widget=GovSubmitInput())

    def __init__(self, *args, users=(), record_types=(), actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user.choices = _choices("Anyone", [(str(user_id), name) for user_id, name in users])
        self.action.choices = _choices("Any action", [(action, action.replace("_", " ")) for action in actions])
        self.record_type.choices = _choices("Any record", [(kind, kind.replace("_", " ")) for kind in record_types])


def _choices(anything: str, options: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice("", anything), *(SelectChoice(value, label) for value, label in options)]
