"""The project's base form: strips surrounding whitespace from every text field, refuses control characters."""

import re

from flask_wtf import FlaskForm

# Invisible characters nobody types on purpose; NUL also makes PostgreSQL refuse the whole query.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _refuse_control_characters(value):
    if isinstance(value, str) and _CONTROL_CHARACTERS.search(value):
        raise ValueError("Remove the invisible control characters from this answer")  # a form error, not a 500
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
