"""Form fields and validators shared by the feature forms: GOV.UK date boxes, choices, numbers."""

from datetime import date, datetime

from wtforms import DateField, IntegerField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation, ValidationError

from inclusion.rules import Invalid, whole_number


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the SelectChoice objects WTForms takes (pairs are deprecated from 3.3)."""
    return [SelectChoice(value, label) for value, label in pairs]


_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y", "%Y-%m-%d", "%d/%m/%y")


def parse_date(text: str) -> date | None:
    """A date typed the ways people write them: 12/03/1950, 12-3-1950, 1950-03-12."""
    text = " ".join(text.split())
    for fmt in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return parsed if parsed.year >= 1900 else None
    return None


class DayMonthYearField(DateField):
    """A GOV.UK date input (day, month, year boxes); also takes one typed date, like 27/03/1951."""

    def process_formdata(self, valuelist):
        parts = [str(part).strip() for part in valuelist][:3]
        self.data = None
        if len(parts) == 1 and parts[0]:
            self.data = parse_date(parts[0])
            parts = self.data.strftime("%d %m %Y").split() if self.data else [parts[0], "", ""]
        elif any(parts) and len(parts) == 3 and all(part.isdigit() for part in parts) and len(parts[2]) == 4:
            try:
                self.data = date(int(parts[2]), int(parts[1]), int(parts[0]))
            except ValueError:
                self.data = None
        self.raw_data = (parts + ["", "", ""])[:3]  # the widget expects exactly three boxes


class WholeNumberField(IntegerField):
    """A box for a whole number, read by rules.whole_number: never int(), which '²' makes raise.

    Thousands separators are allowed (5,000). Anything else that is not a whole number leaves
    `data` None with `invalid` as the field's error (the validators may replace it).
    """

    def __init__(self, *args, invalid: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.invalid = invalid or f"{self.label.text} must be a whole number, like 5000"

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and str(valuelist[0]).strip():
            self.data = whole_number(str(valuelist[0]).replace(",", ""))
            if self.data is None:
                raise ValueError(self.invalid)


class MessageRadioField(RadioField):
    """A radio field whose "not one of the options" error says what to do."""

    def __init__(self, *args, choose: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.choose = choose

    def pre_validate(self, form):
        if not any(selected for _value, _label, selected, *_rest in self.iter_choices()):
            raise ValidationError(self.choose)


def yes_no(value) -> str:
    """A stored True/False as the radio's "yes"/"no"; what the form posted as it is."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


YES_NO = [("yes", "Yes"), ("no", "No")]


class YesNoField(MessageRadioField):
    """Yes or no radios; `data` is "yes" or "no" (a stored boolean shows as its answer)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", options(YES_NO))
        super().__init__(*args, coerce=yes_no, **kwargs)

    @property
    def answer(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.data)


class MessageSelectField(SelectField):
    """A select whose "not one of the options" error says what to do."""

    def __init__(self, *args, choose: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.choose = choose

    def pre_validate(self, form):
        if not any(selected for _value, _label, selected, *_rest in self.iter_choices()):
            raise ValidationError(self.choose)


def date_parts(message: str, *, required: str | None = None):
    """Day/month/year: empty is allowed (unless `required`); a part-filled or impossible date is not."""

    def check(_form, field):
        typed = [part.strip() for part in (field.raw_data or []) if part and part.strip()]
        field.errors[:] = []  # replace WTForms' own "Not a valid date value"
        if not typed:
            if required:
                raise StopValidation(required)
            raise StopValidation()
        if field.data is None:
            raise StopValidation(message)

    return check


def follows(rule, *, keep_typed: bool = False):
    """A validator that applies a rule (see inclusion/rules.py): its clean value replaces what was typed,
    unless `keep_typed` (a time shown again as typed, not as 10:30:00; the form reads it again).

    A field already in error (control characters, say) is not checked again, so it shows one message.
    """

    def check(_form, field):
        if field.errors:
            raise StopValidation()
        try:
            clean = rule(field.data)
        except Invalid as error:
            raise StopValidation(error.message) from None
        if not keep_typed:
            field.data = clean

    # The rule's longest text (rules.limited), rendered as maxlength or a character count.
    check.max_length = getattr(getattr(rule, "func", rule), "max_length", None)
    return check
