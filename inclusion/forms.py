"""The project's base form: strips whitespace from every text field and refuses control characters."""

from flask_wtf import FlaskForm

from inclusion.rules import CONTROL_CHARACTERS, CONTROL_CHARACTERS_MESSAGE


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _refuse_control_characters(value):
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        # A ValueError from a filter becomes the field's error message, not a 500.
        raise ValueError(CONTROL_CHARACTERS_MESSAGE)
    return value


class StripWhitespaceForm(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = list(unbound_field.kwargs.get("filters", []))
            kind = unbound_field.field_class.__name__
            if kind != "FileField":
                filters.insert(0, _refuse_control_characters)
            if kind not in {"PasswordField", "FileField"}:
                filters.insert(0, _strip)
            return unbound_field.bind(form=form, filters=filters, **options)
