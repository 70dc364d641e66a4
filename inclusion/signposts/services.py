"""Recording signposts, and keeping the directory of services outside the alliance: rules checked first."""

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from sqlalchemy import exists, func, select

from inclusion.audit.services import record_event
from inclusion.auth.models import User
from inclusion.auth.roles import ALLIANCE_WIDE_ROLES
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.learners.access import AccessDenied, venue_visible
from inclusion.learners.models import Learner
from inclusion.learners.services import get_learner
from inclusion.partners.models import Partner, Venue
from inclusion.rules import Invalid, plain_text
from inclusion.sessions.models import Attendance
from inclusion.sessions.services import get_session
from inclusion.signposts.models import (
    AREA_MAX_LENGTH,
    NAME_MAX_LENGTH,
    TARGET_KINDS,
    WEB_ADDRESS_MAX_LENGTH,
    Signpost,
    SignpostService,
)
from inclusion.timeutil import today_in_london, utcnow


class SignpostError(ValueError):
    """A signpost or directory entry that cannot be saved as given; `field` names the form field to blame."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class SignpostDetails:
    """Where the learner is pointed (`target`: "venue:12", "partner:3" or "service:5"), and where and when.

    With `session_id` the signpost is made at that session: its venue and date are the session's.
    """

    target: str
    venue_id: int | None = None
    made_on: date | None = None
    session_id: int | None = None


def parse_target(target: str) -> tuple[str, int]:
    kind, _, number = (target or "").partition(":")
    if kind not in TARGET_KINDS or not number.isascii() or not number.isdigit():
        raise SignpostError("Choose where you pointed them: a venue, a partner or a service", "target")
    return kind, int(number)


def _target_columns(kind: str, target_id: int, made_at: Venue) -> dict[str, int]:
    """The one target column to set, after checking the place exists and may be pointed to from `made_at`."""
    if kind == "venue":
        venue = db.session.get(Venue, target_id)
        if venue is None:
            raise SignpostError("That venue does not exist: choose one from the list", "target")
        if venue.closed_at is not None:
            raise SignpostError(f"{venue.name} has closed: choose an open venue", "target")
        if venue.id == made_at.id:
            raise SignpostError(f"They are at {venue.name} already: choose somewhere else", "target")
        return {"to_venue_id": venue.id}
    if kind == "partner":
        partner = db.session.get(Partner, target_id)
        if partner is None:
            raise SignpostError("That partner does not exist: choose one from the list", "target")
        if partner.id == made_at.partner_id:
            raise SignpostError(
                f"{made_at.name} belongs to {partner.name}: choose one of its other venues instead", "target"
            )
        return {"to_partner_id": partner.id}
    service = db.session.get(SignpostService, target_id)
    if service is None:
        raise SignpostError("That service is not in the directory: choose one from the list", "target")
    if service.retired_at is not None:
        raise SignpostError(f"{service.name} has been taken out of the directory: choose another service", "target")
    return {"to_service_id": service.id}


def _where_and_when(user: User, learner: Learner, details: SignpostDetails) -> tuple[Venue, date, int | None]:
    if details.session_id is not None:
        learning_session = get_session(user, details.session_id)  # LookupError / AccessDenied
        attended = db.session.scalar(
            select(exists().where(Attendance.session_id == learning_session.id, Attendance.learner_id == learner.id))
        )
        if not attended:
            raise SignpostError(f"{learner.full_name} is not an attendee of this session", "target")
        return learning_session.venue, learning_session.session_date, learning_session.id
    venue = db.session.scalar(select(Venue).where(Venue.id == (details.venue_id or 0), venue_visible(user)))
    if venue is None:
        raise SignpostError("Choose the venue you work at where you pointed them on", "venue_id")
    if details.made_on is None:
        raise SignpostError("Enter the date you pointed them on", "made_on")
    if details.made_on > today_in_london():
        raise SignpostError("The date cannot be in the future", "made_on")
    return venue, details.made_on, None


def record_signpost(user: User, reference: str, details: SignpostDetails) -> Signpost:
    """Record one signpost for a learner the user may see (LookupError / AccessDenied otherwise); audited."""
    learner = get_learner(user, reference)
    if learner.merged_into_id is not None:
        learner = db.session.get(Learner, learner.merged_into_id)
    if learner.anonymised_at is not None:
        raise SignpostError("This learner's record has been anonymised: no new signposts", "target")
    kind, target_id = parse_target(details.target)
    made_at, made_on, session_id = _where_and_when(user, learner, details)
    target = _target_columns(kind, target_id, made_at)
    with write_transaction():
        signpost = Signpost(
            learner_id=learner.id,
            made_on=made_on,
            venue_id=made_at.id,
            session_id=session_id,
            made_by_id=user.id,
            **target,
        )
        db.session.add(signpost)
        db.session.flush()
        record_event(
            "signpost_recorded",
            user_id=user.id,
            record_type="learner",
            record_id=learner.id,
            details={"signpost_id": signpost.id, "session_id": session_id, "venue_id": made_at.id, **target},
        )
    return signpost


def delete_signpost(user: User, signpost_id: int) -> Learner:
    """Remove a signpost recorded by mistake: its maker, or a coordinator or admin; audited."""
    signpost = db.session.get(Signpost, signpost_id)
    if signpost is None:
        raise LookupError(signpost_id)
    learner = db.session.get(Learner, signpost.learner_id)
    get_learner(user, learner.reference)
    if user.role not in ALLIANCE_WIDE_ROLES and signpost.made_by_id != user.id:
        raise AccessDenied("Only the person who recorded a signpost, or a coordinator, may remove it")
    with write_transaction():
        record_event(
            "signpost_deleted",
            user_id=user.id,
            record_type="learner",
            record_id=learner.id,
            before={
                "signpost_id": signpost.id,
                "made_on": signpost.made_on.isoformat(),
                "venue_id": signpost.venue_id,
                "session_id": signpost.session_id,
                "to_venue_id": signpost.to_venue_id,
                "to_partner_id": signpost.to_partner_id,
                "to_service_id": signpost.to_service_id,
            },
        )
        db.session.delete(signpost)
    return learner


# The directory of services outside the alliance.


@dataclass(frozen=True)
class ServiceDetails:
    name: str
    web_address: str | None = None
    area: str | None = None


def _text(value: object, field: str, limit: int, what: str) -> str | None:
    try:
        text = " ".join(plain_text(value).split())
    except Invalid as error:
        raise SignpostError(error.message, field) from None
    if len(text) > limit:
        raise SignpostError(f"{what} must be {limit} characters or fewer", field)
    return text or None


def web_address(value: object) -> str | None:
    """An http(s) address; "example.org/help" gets https:// in front."""
    text = _text(value, "web_address", WEB_ADDRESS_MAX_LENGTH, "The web address")
    if text is None:
        return None
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:  # "https://[" and the like: not an address (urlsplit raises on a bad IPv6 host)
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in text:
        raise SignpostError("Enter a web address like https://www.example.org", "web_address")
    return text


def _clean_service(details: ServiceDetails, service_id: int | None) -> dict:
    name = _text(details.name, "name", NAME_MAX_LENGTH, "The name")
    if name is None:
        raise SignpostError("Enter the service's name", "name")
    taken = select(SignpostService.id).where(func.lower(SignpostService.name) == name.lower())
    if service_id is not None:
        taken = taken.where(SignpostService.id != service_id)
    if db.session.scalar(taken) is not None:
        raise SignpostError(f"The directory already has a service called {name}", "name")
    return {
        "name": name,
        "web_address": web_address(details.web_address),
        "area": _text(details.area, "area", AREA_MAX_LENGTH, "The area"),
    }


def _check_keeper(user: User) -> None:
    if user.role not in ALLIANCE_WIDE_ROLES:
        raise AccessDenied("Only coordinators and administrators keep the directory")


def list_services(*, include_retired: bool = True) -> list[SignpostService]:
    stmt = select(SignpostService).order_by(SignpostService.retired_at.is_not(None), SignpostService.name)
    if not include_retired:
        stmt = stmt.where(SignpostService.retired_at.is_(None))
    return list(db.session.scalars(stmt))


def add_service(user: User, details: ServiceDetails) -> SignpostService:
    _check_keeper(user)
    values = _clean_service(details, None)
    with write_transaction():
        service = SignpostService(**values, created_by_id=user.id)
        db.session.add(service)
        db.session.flush()
        record_event(
            "signpost_service_added",
            user_id=user.id,
            record_type="signpost_service",
            record_id=service.id,
            after=values,
        )
    return service


def update_service(user: User, service: SignpostService, details: ServiceDetails) -> SignpostService:
    _check_keeper(user)
    values = _clean_service(details, service.id)
    before = {key: getattr(service, key) for key in values}
    with write_transaction():
        for key, value in values.items():
            setattr(service, key, value)
        changed = {key for key in values if before[key] != values[key]}
        if changed:
            record_event(
                "signpost_service_edited",
                user_id=user.id,
                record_type="signpost_service",
                record_id=service.id,
                before={key: before[key] for key in changed},
                after={key: values[key] for key in changed},
            )
    return service


def set_retired(user: User, service: SignpostService, retired: bool) -> SignpostService:
    """Retire a service (no new signposts to it; past ones keep it) or bring it back."""
    _check_keeper(user)
    with write_transaction():
        service.retired_at = utcnow() if retired else None
        record_event(
            "signpost_service_retired" if retired else "signpost_service_restored",
            user_id=user.id,
            record_type="signpost_service",
            record_id=service.id,
        )
    return service
