"""Plain factory functions with sensible defaults; each commits, like a finished request would."""

import itertools
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from inclusion.auth.models import User
from inclusion.auth.passwords import hash_password
from inclusion.devices.models import DataGift, Device, DeviceGift, Loan
from inclusion.extensions import db
from inclusion.learners.fields import age_band_for, search_key
from inclusion.learners.models import Learner
from inclusion.partners.models import Partner, Venue
from inclusion.sessions.models import Attendance, LearningSession, Skill, SkillAchievement

DEFAULT_PASSWORD = "correct horse battery"
_sequence = itertools.count(1)
_hashes: dict[str, str] = {}


def password_hash_for(password: str) -> str:
    """Hashing is deliberately slow; tests reuse one hash per password."""
    if password not in _hashes:
        _hashes[password] = hash_password(password)
    return _hashes[password]


def _next() -> int:
    return next(_sequence)


def create_partner(name: str | None = None) -> Partner:
    partner = Partner(name=name or f"Partner {_next()}")
    db.session.add(partner)
    db.session.commit()
    return partner


def create_venue(name: str | None = None, partner: Partner | None = None, ward: str | None = "Central") -> Venue:
    venue = Venue(name=name or f"Venue {_next()}", partner=partner or create_partner(), ward=ward)
    db.session.add(venue)
    db.session.commit()
    return venue


def create_user(
    role: str = "champion",
    email: str | None = None,
    name: str | None = None,
    partner: Partner | None = None,
    password: str = DEFAULT_PASSWORD,
    active: bool = True,
) -> User:
    if partner is None and role == "champion":
        partner = create_partner()
    number = _next()
    user = User(
        email=(email or f"{role}{number}@example.org").lower(),
        name=name or f"Test {role.title()} {number}",
        role=role,
        partner=partner,
        password_hash=password_hash_for(password),
        active=active,
    )
    db.session.add(user)
    db.session.commit()
    return user


def create_learner(
    first_name: str = "Margaret",
    last_name: str | None = None,
    *,
    reference: str | None = None,
    partner: Partner | None = None,
    date_of_birth: date | None = None,
    age_band: str | None = None,
    registered_on: date | None = None,
    postcode: str | None = None,
    **fields,
) -> Learner:
    number = _next()
    last_name = last_name or f"Hughes{number}"
    registered_on = registered_on or date(2026, 9, 1)
    learner = Learner(
        reference=reference or f"L-T{number:04d}",
        first_name=first_name,
        last_name=last_name,
        search_name=search_key(first_name, last_name),
        date_of_birth=date_of_birth,
        age_band=age_band or age_band_for(date_of_birth, registered_on),
        postcode=postcode,
        lawful_basis=fields.pop("lawful_basis", "consent"),
        consent_method=fields.pop("consent_method", "verbal"),
        consent_recorded_at=fields.pop("consent_recorded_at", datetime(2026, 9, 1, 10)),
        privacy_notice_version="2026-09",
        registered_on=registered_on,
        registered_partner=partner or create_partner(),
        **fields,
    )
    db.session.add(learner)
    db.session.commit()
    return learner


def skill(code: str) -> Skill:
    return db.session.scalar(select(Skill).where(Skill.code == code))


def create_session(
    venue: Venue | None = None,
    session_date: date = date(2026, 9, 4),
    *,
    attendees: list[Learner] = (),
    skills: dict[Learner, list[str]] | None = None,
    duration_minutes: int = 60,
    session_type: str = "drop-in",
    start_time: time | None = time(10, 0),
    unregistered_attendees: int = 0,
    created_by: User | None = None,
) -> LearningSession:
    """A session with its attendances and, per learner, the codes of the skills they gained."""
    learning_session = LearningSession(
        venue=venue or create_venue(),
        session_date=session_date,
        start_time=start_time,
        session_type=session_type,
        duration_minutes=duration_minutes,
        unregistered_attendees=unregistered_attendees,
        created_by=created_by,
    )
    db.session.add(learning_session)
    db.session.flush()
    for learner in attendees:
        db.session.add(Attendance(learning_session=learning_session, learner=learner))
    for learner, codes in (skills or {}).items():
        for code in codes:
            db.session.add(SkillAchievement(learning_session=learning_session, learner=learner, skill=skill(code)))
    db.session.commit()
    return learning_session


def create_device(
    venue: Venue | None = None,
    *,
    asset_tag: str | None = None,
    kind: str = "laptop",
    status: str = "in-stock",
    condition: str = "good",
    make_model: str = "Lenovo IdeaPad 3",
) -> Device:
    """A device in a venue's stock (status as given: use create_loan for one on loan)."""
    device = Device(
        asset_tag=asset_tag or f"DIA-{_next():05d}",
        kind=kind,
        make_model=make_model,
        condition=condition,
        status=status,
        venue=venue or create_venue(),
    )
    db.session.add(device)
    db.session.commit()
    return device


def create_loan(
    device: Device,
    learner: Learner,
    *,
    lent_on: date = date(2026, 10, 1),
    due_on: date | None = None,
    returned_on: date | None = None,
    venue: Venue | None = None,
    lent_by: User | None = None,
) -> Loan:
    """A loan of the device (at its venue unless given), open unless `returned_on`; the device's status follows."""
    loan = Loan(
        device_id=device.id,
        learner_id=learner.id,
        venue_id=(venue or device.venue).id,
        lent_by_id=lent_by.id if lent_by else None,
        lent_on=lent_on,
        due_on=due_on or lent_on + timedelta(days=28),
        agreement_version="2026-12",
        returned_on=returned_on,
        return_condition="good" if returned_on else None,
    )
    db.session.add(loan)
    device.status = "in-stock" if returned_on else "on-loan"
    db.session.commit()
    return loan


def create_device_gift(device: Device, learner: Learner, *, given_on: date = date(2026, 10, 1)) -> DeviceGift:
    gift = DeviceGift(device_id=device.id, learner_id=learner.id, venue_id=device.venue_id, given_on=given_on)
    db.session.add(gift)
    device.status = "gifted"
    db.session.commit()
    return gift


def create_data_gift(
    learner: Learner, venue: Venue, *, given_on: date = date(2026, 10, 1), kind: str = "sim", identifier: str = "8944"
) -> DataGift:
    gift = DataGift(
        learner_id=learner.id,
        venue_id=venue.id,
        kind=kind,
        network="Vodafone",
        identifier=identifier,
        eligibility_reason="no-home-internet",
        given_on=given_on,
        expires_on=given_on + timedelta(days=182),
    )
    db.session.add(gift)
    db.session.commit()
    return gift


def create_regular_session(
    venue: Venue | None = None,
    *,
    weekday: int = 0,
    starts_on: date = date(2026, 9, 7),
    ends_on: date | None = None,
    frequency: str = "weekly",
    start_time: time = time(10, 0),
    session_type: str = "drop-in",
    duration_minutes: int = 90,
    champions: list[User] = (),
):
    """A repeating slot (Mondays from 7 September 2026 by default), as the slot form would save it."""
    from inclusion.regular.models import RegularSession
    from inclusion.regular.rules import first_occurrence

    slot = RegularSession(
        venue=venue or create_venue(),
        weekday=weekday,
        starts_on=starts_on,
        ends_on=ends_on,
        frequency=frequency,
        start_time=start_time,
        session_type=session_type,
        duration_minutes=duration_minutes,
        first_day=first_occurrence(starts_on, weekday).toordinal(),
        champions=list(champions),
    )
    db.session.add(slot)
    db.session.commit()
    return slot


def create_signpost(
    learner: Learner,
    venue: Venue,
    made_on: date = date(2026, 9, 4),
    *,
    to_venue: Venue | None = None,
    to_partner: Partner | None = None,
    to_service=None,
    learning_session: LearningSession | None = None,
    made_by: User | None = None,
):
    """A signpost made at `venue` (or at `learning_session`) to exactly one of a venue, partner or service."""
    from inclusion.signposts.models import Signpost

    signpost = Signpost(
        learner_id=learner.id,
        made_on=made_on,
        venue_id=venue.id,
        session_id=learning_session.id if learning_session else None,
        to_venue_id=to_venue.id if to_venue else None,
        to_partner_id=to_partner.id if to_partner else None,
        to_service_id=to_service.id if to_service else None,
        made_by_id=made_by.id if made_by else None,
    )
    db.session.add(signpost)
    db.session.commit()
    return signpost


def create_service(name: str = "Citizens Advice Stockport", web_address: str | None = "https://example.org", area=None):
    from inclusion.signposts.models import SignpostService

    service = SignpostService(name=name, web_address=web_address, area=area)
    db.session.add(service)
    db.session.commit()
    return service
