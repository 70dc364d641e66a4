"""The one set of rules for what is typed about a learner: the web form, the services and the import.

Each rule takes the value as typed (text, or a date once the form or the spreadsheet has read
one) and returns it clean, or raises `Invalid` with the sentence the form shows and, where a
spreadsheet needs other words after `row N: column:`, the import's. `clean_learner` applies them
all, in the order of TYPED_FIELDS, which is also the order the form, the import and the
subject-access export list the fields in.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from inclusion.learners.constants import AGE_BANDS, DISABILITY_ANSWERS, ETHNICITIES, GENDERS, HEARD_ABOUT, LAWFUL_BASES
from inclusion.learners.fields import age_band_for, normalise_postcode
from inclusion.rules import Invalid, limited, plain_text

# What a person types about a learner: what an edit may change and the audit trail compares.
TYPED_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "age_band",
    "postcode",
    "email",
    "phone",
    "gender",
    "ethnicity",
    "disability",
    "heard_about",
    "lawful_basis",
    "may_contact",
)
# What the application records about the record itself, after what was typed (subject access shows both).
RECORD_FIELDS = (
    "consent_method",
    "consent_recorded_by",
    "consent_recorded_at",
    "privacy_notice_version",
    "registered_on",
    "registered_partner",
    "registered_by",
    "merged_into",
    "anonymised_at",
    "created_at",
    "updated_at",
)
NAME_MAX_LENGTH = 100
EMAIL_MAX_LENGTH = 254
PHONE_MAX_LENGTH = 32
POSTCODE_MAX_LENGTH = 10  # the longest, 'SW1A 1AA', is 8; a little room for stray spaces
EARLIEST_BIRTH_YEAR = 1900
_PHONE = re.compile(r"^\+?[0-9 ()-]{6,}$")


@dataclass(frozen=True)
class LearnerContext:
    """What the rules need besides the typed values: the day of registration, today, the default basis."""

    registered_on: date
    today: date
    default_basis: str


@limited(NAME_MAX_LENGTH)
def name(value: object, which: str) -> str:
    """A first or last name: required, single spaces, at most 100 characters."""
    text = " ".join(plain_text(value).split())
    if not text:
        raise Invalid(f"Enter the learner's {which} name", cell="is required")
    if len(text) > NAME_MAX_LENGTH:
        raise Invalid(f"{which.capitalize()} name must be {NAME_MAX_LENGTH} characters or fewer")
    return text


def date_of_birth(value: date | None, registered_on: date, today: date) -> date | None:
    """Neither in the future nor after the registration date, and not before 1900."""
    if value is None:
        return None
    if value > min(registered_on, today):
        if registered_on >= today:
            raise Invalid("Date of birth must be in the past", cell="is after the registration date")
        raise Invalid(
            f"Date of birth must be on or before the registration date, {registered_on.day} {registered_on:%B %Y}",
            cell="is after the registration date",
        )
    if value.year < EARLIEST_BIRTH_YEAR:
        raise Invalid(f"Enter a date of birth after {EARLIEST_BIRTH_YEAR}")
    return value


def age_band(value: object, born: date | None, registered_on: date) -> str:
    """A date of birth decides the band (the age on the registration date); otherwise the band given."""
    if born is not None:
        return age_band_for(born, registered_on)
    band = plain_text(value).lower() or "unknown"
    if band not in AGE_BANDS:
        raise Invalid(
            "Choose an age band from the list",
            cell=f"'{value}' is not an age band; use one of {', '.join(AGE_BANDS)}",
        )
    return band


@limited(POSTCODE_MAX_LENGTH)
def postcode(value: object) -> str | None:
    try:
        return normalise_postcode(plain_text(value))
    except ValueError as error:
        raise Invalid(str(error)) from None


@limited(EMAIL_MAX_LENGTH)
def email(value: object) -> str | None:
    """Lower case: the same address however it was typed."""
    text = plain_text(value)
    if not text:
        return None
    if len(text) > EMAIL_MAX_LENGTH:
        raise Invalid(f"Email address must be {EMAIL_MAX_LENGTH} characters or fewer")
    # Imported here, not at start-up: email_validator compiles its grammar when imported (~20 ms),
    # which every `flask` command and web worker would pay (tests/test_lazy_imports.py).
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        raise Invalid("Enter an email address like name@example.com") from None
    return text.lower()


@limited(PHONE_MAX_LENGTH)
def phone(value: object) -> str | None:
    text = plain_text(value)
    if not text:
        return None
    if len(text) > PHONE_MAX_LENGTH:
        raise Invalid(f"Phone number must be {PHONE_MAX_LENGTH} characters or fewer")
    if not _PHONE.match(text):
        raise Invalid("Enter a phone number, like 0161 480 4949")
    return text


def _answer(allowed: tuple[str, ...]) -> Callable[[object], str | None]:
    """An optional answer from a fixed list, whatever its case and spacing."""

    def rule(value: object) -> str | None:
        answer = " ".join(plain_text(value).lower().split())
        if answer and answer not in allowed:
            raise Invalid(
                "Choose one of the answers, or leave it blank",
                cell=f"'{value}' is not one of {', '.join(allowed)}",
            )
        return answer or None

    return rule


gender, ethnicity, disability = _answer(GENDERS), _answer(ETHNICITIES), _answer(DISABILITY_ANSWERS)
heard_about = _answer(HEARD_ABOUT)


def lawful_basis(value: object, default: str) -> str:
    basis = plain_text(value).lower() or default
    if basis not in LAWFUL_BASES:
        raise Invalid(
            "Choose the lawful basis for keeping this record",
            cell=f"'{value}' is not one of {', '.join(LAWFUL_BASES)}",
        )
    return basis


YES_ANSWERS, NO_ANSWERS = ("yes", "y", "true", "1"), ("no", "n", "false", "0")


def may_contact(value: object) -> bool:
    """May we contact them later (the follow-up)? Yes unless they said no; empty is yes (the default)."""
    if isinstance(value, bool):
        return value
    answer = plain_text(value).lower()
    if not answer or answer in YES_ANSWERS:
        return True
    if answer in NO_ANSWERS:
        return False
    raise Invalid(
        "Choose yes if we may contact them later, or no if not",
        cell=f"'{value}' is not yes or no (leave it empty for yes)",
    )


def registered_on(value: date, today: date) -> date:
    if value > today:
        raise Invalid("The registration date must be today or in the past", cell="cannot be in the future")
    return value


_RULES: dict[str, Callable[[object, dict, LearnerContext], object]] = {
    "first_name": lambda value, _clean, _context: name(value, "first"),
    "last_name": lambda value, _clean, _context: name(value, "last"),
    "date_of_birth": lambda value, _clean, context: date_of_birth(value, context.registered_on, context.today),
    "age_band": lambda value, clean, context: age_band(value, clean.get("date_of_birth"), context.registered_on),
    "postcode": lambda value, _clean, _context: postcode(value),
    "email": lambda value, _clean, _context: email(value),
    "phone": lambda value, _clean, _context: phone(value),
    "gender": lambda value, _clean, _context: gender(value),
    "ethnicity": lambda value, _clean, _context: ethnicity(value),
    "disability": lambda value, _clean, _context: disability(value),
    "heard_about": lambda value, _clean, _context: heard_about(value),
    "lawful_basis": lambda value, _clean, context: lawful_basis(value, context.default_basis),
    "may_contact": lambda value, _clean, _context: may_contact(value),
}


def clean_learner(typed: Mapping[str, object], context: LearnerContext) -> tuple[dict, dict[str, Invalid]]:
    """Every typed field made clean, and what broke a rule, by field (a field in error is None)."""
    clean: dict = {}
    errors: dict[str, Invalid] = {}
    for field, rule in _RULES.items():
        try:
            clean[field] = rule(typed.get(field), clean, context)
        except Invalid as error:
            clean[field], errors[field] = None, error
    return clean, errors
