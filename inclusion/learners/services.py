"""Registering, finding, showing and correcting learners, within what each user may see."""

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from inclusion.audit.services import changed_fields, record_event
from inclusion.auth.models import User
from inclusion.auth.roles import ALLIANCE_WIDE_ROLES
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.learners.access import AccessDenied, require_personal_data_access, visible_learners
from inclusion.learners.constants import CONSENT_METHODS
from inclusion.learners.fields import new_reference, search_key
from inclusion.learners.models import Learner
from inclusion.learners.rules import TYPED_FIELDS, LearnerContext, clean_learner
from inclusion.partners.models import Partner
from inclusion.timeutil import today_in_london, utcnow

EDITABLE_FIELDS = TYPED_FIELDS  # what an edit may change and the audit trail compares
_REFERENCE_ATTEMPTS = 10


class LearnerError(ValueError):
    """A user mistake about a learner; `field` names the form field it belongs to."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass
class LearnerDetails:
    """What a champion enters about a learner; validated again here, whoever the caller."""

    first_name: str
    last_name: str
    date_of_birth: date | None = None
    age_band: str | None = None
    postcode: str | None = None
    email: str | None = None
    phone: str | None = None
    gender: str | None = None
    ethnicity: str | None = None
    disability: str | None = None
    heard_about: str | None = None
    lawful_basis: str | None = None
    may_contact: bool | str | None = True  # "yes"/"no" from the form and the import; empty is yes
    consent_given: bool = False
    consent_method: str | None = None
    partner_id: int | None = None


def _clean(details: LearnerDetails, registered_on: date) -> dict[str, Any]:
    """The typed fields through the learner rules; the first broken rule is the error."""
    context = LearnerContext(registered_on, today_in_london(), current_app.config["DEFAULT_LAWFUL_BASIS"])
    values, errors = clean_learner({name: getattr(details, name) for name in TYPED_FIELDS}, context)
    if errors:
        name, error = next(iter(errors.items()))
        raise LearnerError(error.message, name)
    return values


def may_choose_lawful_basis(user: User) -> bool:
    """Coordinators and admins choose a record's lawful basis; a champion's records take the setting's."""
    return user.role in ALLIANCE_WIDE_ROLES


def _with_permitted_basis(user: User, details: LearnerDetails, kept: str | None) -> LearnerDetails:
    """A champion's choice of basis is not theirs to make: the record keeps `kept` (None: the default)."""
    return details if may_choose_lawful_basis(user) else replace(details, lawful_basis=kept)


def _check_consent(details: LearnerDetails) -> None:
    if not details.consent_given:
        raise LearnerError("Confirm the learner has agreed to us keeping their details", "consent_given")
    if details.consent_method not in CONSENT_METHODS:
        raise LearnerError("Choose how the learner gave their consent", "consent_method")


def _registering_partner(user: User, partner_id: int | None) -> Partner:
    if user.role in ALLIANCE_WIDE_ROLES:
        partner = db.session.get(Partner, partner_id) if partner_id else None
        if partner is None:
            raise LearnerError("Choose the partner the learner is registering with", "partner_id")
        return partner
    if user.partner is None:
        raise AccessDenied("Only a champion of a partner may register learners")
    return user.partner


def register_learner(user: User, details: LearnerDetails) -> Learner:
    """Create a learner with a fresh reference, recording the consent taken; audited."""
    require_personal_data_access(user)
    registered_on = today_in_london()
    details = _with_permitted_basis(user, details, None)
    values = _clean(details, registered_on)
    if values["lawful_basis"] == "consent":
        _check_consent(details)
    partner = _registering_partner(user, details.partner_id)
    consent = {}
    if values["lawful_basis"] == "consent":
        consent = {
            "consent_recorded_by_id": user.id,
            "consent_recorded_at": utcnow(),
            "consent_method": details.consent_method,
            "privacy_notice_version": current_app.config["PRIVACY_NOTICE_VERSION"],
        }
    for _attempt in range(_REFERENCE_ATTEMPTS):
        try:
            with write_transaction():
                reference = new_reference()
                if db.session.scalar(select(Learner.id).where(Learner.reference == reference)):
                    continue
                learner = Learner(
                    reference=reference,
                    search_name=search_key(values["first_name"], values["last_name"]),
                    registered_on=registered_on,
                    registered_partner_id=partner.id,
                    registered_by_id=user.id,
                    **values,
                    **consent,
                )
                db.session.add(learner)
                db.session.flush()
                record_event(
                    "learner_registered",
                    user_id=user.id,
                    record_type="learner",
                    record_id=learner.id,
                    after={
                        "reference": reference,
                        "partner": partner.name,
                        "lawful_basis": values["lawful_basis"],
                        "privacy_notice_version": consent.get("privacy_notice_version"),
                    },
                )
            return learner
        except IntegrityError:  # two registrations drew the same reference at once: draw again
            continue
    raise RuntimeError("Could not find a free learner reference")


def get_learner(user: User, reference: str) -> Learner:
    """The learner with this reference, if the user may see it (merged records lead to the survivor)."""
    require_personal_data_access(user)
    learner = db.session.scalar(select(Learner).where(Learner.reference == reference.strip().upper()))
    if learner is None:
        raise LookupError(reference)
    if not db.session.scalar(select(func.count(Learner.id)).where(Learner.id == learner.id, visible_learners(user))):
        raise AccessDenied(f"{user.email} may not see learner {learner.reference}")
    return learner


def visible_learner_ids(user: User, learner_ids: list[int]) -> set[int]:
    """Which of these learners the user may see (one query)."""
    if not learner_ids:
        return set()
    return set(
        db.session.scalars(
            select(Learner.id).where(
                Learner.id.in_(learner_ids), visible_learners(user), Learner.merged_into_id.is_(None)
            )
        )
    )


def update_learner(user: User, learner: Learner, details: LearnerDetails) -> Learner:
    """Correct a learner's details; the audit event keeps the old and new values of what changed."""
    get_learner(user, learner.reference)  # the same visibility check as reading it
    if learner.anonymised_at is not None:
        raise LearnerError("This learner's record has been anonymised and cannot be changed")
    details = _with_permitted_basis(user, details, learner.lawful_basis)
    values = _clean(details, learner.registered_on)
    consent_needed = values["lawful_basis"] == "consent" and learner.consent_recorded_at is None
    if consent_needed:
        _check_consent(details)
    before = {name: getattr(learner, name) for name in EDITABLE_FIELDS}
    with write_transaction():
        for name, value in values.items():
            setattr(learner, name, value)
        learner.search_name = search_key(learner.first_name, learner.last_name)
        if consent_needed:
            learner.consent_recorded_by_id = user.id
            learner.consent_recorded_at = utcnow()
            learner.consent_method = details.consent_method
            learner.privacy_notice_version = current_app.config["PRIVACY_NOTICE_VERSION"]
        old, new = changed_fields(before, values)
        if old or new:
            record_event(
                "learner_edited",
                user_id=user.id,
                record_type="learner",
                record_id=learner.id,
                before=old,
                after=new,
            )
    return learner
