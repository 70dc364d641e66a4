"""The project's base form: strips whitespace from every text field and refuses control characters."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovTextArea, GovTextInput
from wtforms.validators import Length, NumberRange

from inclusion.rules import CONTROL_CHARACTERS, CONTROL_CHARACTERS_MESSAGE


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _refuse_control_characters(value):
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        # A ValueError from a filter becomes the field's error message, not a 500.
        raise ValueError(CONTROL_CHARACTERS_MESSAGE)
    return value


class LimitedCharacterCount(GovCharacterCount):
    """A text area with GOV.UK's character count, which says how many characters are left as one types."""

    def __init__(self, max_length: int):
        self.max_length = max_length

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        params.setdefault("maxlength", self.max_length)
        return params


def max_length_of(field) -> int | None:
    """The longest text a field's validators accept: a Length's max, its rule's (rules.limited), a number's."""
    limits = [v.max for v in field.validators if isinstance(v, Length) and v.max >= 0]
    limits += [v.max_length for v in field.validators if getattr(v, "max_length", None)]
    # A number up to NumberRange's max, typed with thousands separators (10,000,000).
    limits += [len(f"{v.max:,}") for v in field.validators if isinstance(v, NumberRange) and v.max is not None]
    return min(limits) if limits else None


def _show_length_limit(field) -> None:
    """Say the limit before anyone types past it: `maxlength` on a text box, a character count on a text area."""
    limit = max_length_of(field)
    if limit is None:
        return
    if isinstance(field.widget, GovTextArea):
        field.widget = LimitedCharacterCount(limit)
    elif isinstance(field.widget, GovTextInput):
        field.render_kw = {**(field.render_kw or {}), "maxlength": limit}


class StripWhitespaceForm(FlaskForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self:
            _show_length_limit(field)

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = list(unbound_field.kwargs.get("filters", []))
            kind = unbound_field.field_class.__name__
            if kind != "FileField":
                filters.insert(0, _refuse_control_characters)
            if kind not in {"PasswordField", "FileField"}:
                filters.insert(0, _strip)
            return unbound_field.bind(form=form, filters=filters, **options)
