"""The rules a device's details pass, whichever door they came in by: the forms, the services, the spreadsheet."""

import re

from inclusion.devices.models import CONDITIONS, KINDS
from inclusion.rules import Invalid, plain_text

ASSET_TAG_MAX, MAKE_MODEL_MAX, SERIAL_MAX, SOURCE_MAX = 40, 120, 80, 120
NETWORK_MAX, IDENTIFIER_MAX = 40, 40
_ASSET_TAG = re.compile(r"^[A-Z0-9][A-Z0-9 ._/-]*$")
_IDENTIFIER = re.compile(r"^[A-Za-z0-9 -]+$")


def asset_tag(value: object) -> str:
    """Upper case, as printed on the label; letters, digits, spaces and . _ / - only."""
    text = " ".join(plain_text(value).upper().split())
    if not text:
        raise Invalid("Enter the asset tag on the device's label", "is required")
    if len(text) > ASSET_TAG_MAX:
        raise Invalid(f"The asset tag must be {ASSET_TAG_MAX} characters or fewer")
    if not _ASSET_TAG.match(text):
        raise Invalid("The asset tag may hold only letters, numbers, spaces and . _ / -")
    return text


def kind(value: object) -> str:
    text = plain_text(value).lower()
    if text not in KINDS:
        raise Invalid("Choose the kind of device", f"'{text}' is not a kind of device; use one of: {', '.join(KINDS)}")
    return text


def condition(value: object) -> str:
    text = plain_text(value).lower()
    if text not in CONDITIONS:
        raise Invalid(
            "Choose the device's condition", f"'{text}' is not a condition; use one of: {', '.join(CONDITIONS)}"
        )
    return text


def _bounded(value: object, limit: int, what: str, *, required: str | None = None) -> str | None:
    text = " ".join(plain_text(value).split())
    if not text:
        if required:
            raise Invalid(required, "is required")
        return None
    if len(text) > limit:
        raise Invalid(f"{what} must be {limit} characters or fewer")
    return text


def make_model(value: object) -> str:
    return _bounded(
        value, MAKE_MODEL_MAX, "The make and model", required="Enter the make and model, like Lenovo IdeaPad 3"
    )


def serial(value: object) -> str | None:
    return _bounded(value, SERIAL_MAX, "The serial number")


def source(value: object) -> str | None:
    return _bounded(value, SOURCE_MAX, "Where it came from")


def network(value: object) -> str:
    return _bounded(value, NETWORK_MAX, "The network", required="Enter the network, like Vodafone or Three")


def identifier(value: object) -> str:
    text = _bounded(value, IDENTIFIER_MAX, "The identifier", required="Enter the SIM's ICCID or the voucher code")
    if not _IDENTIFIER.match(text):
        raise Invalid("The identifier may hold only letters, numbers, spaces and hyphens")
    return text
