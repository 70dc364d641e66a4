"""The project's base form: strips whitespace from every text field and refuses control characters."""

import re

from flask_wtf import FlaskForm

# Invisible characters nobody types on purpose; NUL also makes PostgreSQL refuse the whole query.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _refuse_control_characters(value):
    if isinstance(value, str) and _CONTROL_CHARACTERS.search(value):
        # A ValueError from a filter becomes the field's error message, not a 500.
        raise ValueError("Remove the invisible control characters from this answer")
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
