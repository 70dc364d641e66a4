"""Form fields and validators shared by the feature forms: GOV.UK date boxes, choices, numbers."""

from datetime import date, datetime

from wtforms import DateField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation, ValidationError


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


class MessageRadioField(RadioField):
    """A radio field whose "not one of the options" error says what to do."""

    def __init__(self, *args, choose: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.choose = choose

    def pre_validate(self, form):
        if not any(selected for _value, _label, selected, *_rest in self.iter_choices()):
            raise ValidationError(self.choose)


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


def whole_number(low: int, high: int, message: str, *, required: str | None = None):
    """Replace WTForms' 'Not a valid integer value' with a message that says what to do."""

    def check(_form, field):
        typed = (field.raw_data or [""])[0].strip() if field.raw_data else ""
        field.errors[:] = []
        if not typed:
            if required:
                raise StopValidation(required)
            field.data = None
            raise StopValidation()
        if field.data is None or not low <= field.data <= high:
            raise StopValidation(message)

    return check
