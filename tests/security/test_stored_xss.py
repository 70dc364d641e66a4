"""Script stored in any free-text field of learners and sessions is shown as text on every page.

The discovered-forms sweep (test_injection.py) types payloads into whatever a form accepts; here
each field is named, and the hostile text is also stored directly (as an import or an older
version of a form could have stored it), so a field a form validates strictly is covered too.
"""

from datetime import date

from inclusion.extensions import db
from inclusion.learners.models import Learner
from inclusion.sessions.models import Skill
from tests import factories
from tests.security.support import inline_code_problems, readable_pages

# field -> the short mark its payload carries (the narrowest column, a phone number, holds 32)
MARKS = {
    "first": "fn",
    "last": "ln",
    "email": "em",
    "phone": "ph",
    "notes": "no",
    "venue": "ve",
    "ward": "wa",
    "partner": "pa",
    "skill": "sk",
    "champion name": "ch",
}
FIELDS = tuple(MARKS)


def payload(field: str) -> str:
    return f"<script>alert('{MARKS[field]}')</script>"


def escaped(field: str) -> str:
    return f"alert(&#39;{MARKS[field]}&#39;)"


def _store_hostile_world(world) -> None:
    partner = factories.create_partner(payload("partner"))
    venue = factories.create_venue(payload("venue"), partner=partner, ward=payload("ward"))
    learner = factories.create_learner(
        payload("first"),
        payload("last"),
        partner=world.partner,
        date_of_birth=date(1961, 5, 6),
        email=payload("email"),
        phone=payload("phone"),
    )
    skill = Skill(
        code="COM-90", area="COM", title=payload("skill"), framework="local", framework_version="1", is_local=True
    )
    db.session.add(skill)
    champion = factories.create_user("champion", partner=world.partner, name=payload("champion name"))
    db.session.commit()
    learning_session = factories.create_session(
        venue, date(2026, 9, 10), attendees=[learner], skills={learner: ["COM-90"]}, created_by=champion
    )
    learning_session.notes = payload("notes")
    db.session.commit()
    world.hostile_learner = learner.reference
    world.hostile_session = learning_session.id


def _problems(body: str, where: str) -> list[str]:
    problems = [f"{where}: {field} unescaped" for field in FIELDS if payload(field) in body]
    return problems + [f"{where}: {problem}" for problem in inline_code_problems(body)]


def test_script_stored_in_every_learner_and_session_text_field_is_shown_escaped_everywhere(app, world, client_as):
    _store_hostile_world(world)
    extra = [
        f"/learners/{world.hostile_learner}",
        f"/learners/{world.hostile_learner}/edit",
        f"/sessions/{world.hostile_session}",
        f"/sessions/{world.hostile_session}/edit",
        "/learners/?q=script",
        "/sessions/",
        "/admin/venues",
        "/admin/partners",
        "/admin/skills",
    ]
    problems, shown = [], set()
    for actor in ("champion", "other_champion", "coordinator", "admin", "funder"):
        client = client_as(actor)
        for url in readable_pages(app, world, actor) + extra:
            response = client.get(url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            body = response.get_data(as_text=True)
            problems += _problems(body, f"{actor} GET {url}")
            shown |= {field for field in FIELDS if escaped(field) in body}
    assert not problems, "\n".join(problems)
    # The check above proves something only if every field was actually shown somewhere, escaped.
    assert shown == set(FIELDS), f"never shown: {set(FIELDS) - shown}"


def test_a_learner_registered_with_script_in_every_field_is_refused_or_shown_escaped(world, client_as):
    client = client_as("champion")
    data = {
        "first_name": payload("first"),
        "last_name": payload("last"),
        "postcode": "<i>P</i>",
        "email": payload("email"),
        "phone": payload("phone"),
        "lawful_basis": "consent",
        "consent_given": "y",
        "consent_method": "verbal",
        "age_band": "unknown",
        "register_anyway": "1",
    }
    response = client.post("/learners/new", data=data, follow_redirects=True)
    body = response.get_data(as_text=True)
    assert response.status_code < 500
    assert not _problems(body, "the answer") and "<i>P</i>" not in body
    assert "&lt;i&gt;P&lt;/i&gt;" in body  # the postcode is refused, and echoed as typed, escaped
    del data["postcode"], data["email"], data["phone"]  # without the strictly validated fields it is stored
    response = client.post("/learners/new", data=data, follow_redirects=True)
    body = response.get_data(as_text=True)
    stored = db.session.scalars(db.select(Learner).where(Learner.first_name == payload("first"))).one()
    assert stored.last_name == payload("last")
    assert not _problems(body, "the learner's page") and escaped("last") in body


def test_script_typed_into_a_sessions_notes_is_stored_as_text_and_shown_escaped(world, client_as):
    client = client_as("champion")
    page = client.get(f"/sessions/{world.learning_session.id}/edit").get_data(as_text=True)
    assert "notes" in page
    response = client.post(
        f"/sessions/{world.learning_session.id}/edit",
        data={
            "session_date": ["4", "9", "2026"],
            "venue_id": str(world.venue.id),
            "session_type": "drop-in",
            "duration_minutes": "60",
            "unregistered_attendees": "0",
            "attendee": str(world.learner.id),
            "notes": payload("notes"),
            "action": "save",
        },
        follow_redirects=True,
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert escaped("notes") in body and not _problems(body, "the session's page")
