"""Pure helpers for learner fields: references, age bands, postcodes and search keys."""

import re
import secrets
import unicodedata
from datetime import date

from inclusion.learners.constants import REFERENCE_ALPHABET, REFERENCE_LENGTH

# The UK postcode shapes (outward code, then inward code: a digit and two letters).
_POSTCODE = re.compile(r"^(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-Z]? ?[0-9][ABD-HJLNP-UW-Z]{2})$")

_BAND_LIMITS = (
    (18, "under-18"),
    (25, "18-24"),
    (35, "25-34"),
    (45, "35-44"),
    (55, "45-54"),
    (65, "55-64"),
    (75, "65-74"),
)


def new_reference() -> str:
    """A short reference like L-7K3QF, without characters that are easily confused."""
    return "L-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def age_on(date_of_birth: date, on: date) -> int:
    return on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))


def age_band_for(date_of_birth: date | None, on: date) -> str:
    """The age band of someone born on `date_of_birth`, as of `on` (the registration date)."""
    if date_of_birth is None:
        return "unknown"
    age = age_on(date_of_birth, on)
    for limit, band in _BAND_LIMITS:
        if age < limit:
            return band
    return "75+"


def normalise_postcode(value: str | None) -> str | None:
    """Upper case with one space before the inward code; raises ValueError if not a UK postcode."""
    if value is None or not value.strip():
        return None
    compact = re.sub(r"\s+", "", value).upper()
    if not _POSTCODE.match(compact) or len(compact) < 5:
        raise ValueError("Enter a real postcode, like SK1 3XE")
    return f"{compact[:-3]} {compact[-3:]}"


def search_key(*parts: str | None) -> str:
    """Lower case, accents removed, single spaces: 'Zoë  O’Connor' -> 'zoe o'connor'."""
    text = " ".join(part for part in parts if part)
    text = unicodedata.normalize("NFKD", text).replace("’", "'")
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.casefold().split())
