"""The server's side of logging offline: manifest, worker, the data a device keeps, and sessions sent late."""

import json
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from inclusion.extensions import db
from inclusion.learners.merging import merge_learners
from inclusion.offline import services as offline_services
from inclusion.partners.services import set_venue_closed
from inclusion.sessions import services as session_services
from inclusion.sessions.models import Attendance, LearningSession, SkillAchievement
from tests import factories
from tests.security.support import security_header_problems, sign_in
from tests.sessions.helpers import session_form

TODAY = date(2026, 12, 2)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(offline_services, "today_in_london", lambda: TODAY)
    monkeypatch.setattr(session_services, "today_in_london", lambda: TODAY)


@pytest.fixture
def champion(login_as):
    return login_as("champion")


@pytest.fixture
def venue(champion):
    return factories.create_venue("Central Library", partner=champion.partner)


def _sessions() -> int:
    return db.session.scalar(select(func.count()).select_from(LearningSession))


def _send(client, venue, **fields):
    return client.post("/offline/sessions", data=session_form(venue, on=date(2026, 12, 1), **fields))


def test_the_manifest_names_the_app_its_icons_and_how_it_opens(client):
    response = client.get("/offline/manifest.webmanifest")
    assert response.status_code == 200 and response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data())
    assert (manifest["display"], manifest["start_url"], manifest["theme_color"]) == ("standalone", "/", "#1d4f76")
    purposes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200, icon["src"]


def test_every_page_links_the_manifest_and_a_signed_in_champion_gets_the_offline_script(client, champion):
    page = client.get("/sessions/new").get_data(as_text=True)
    assert 'rel="manifest" href="/offline/manifest.webmanifest"' in page
    assert 'name="inclusion-offline" content="' in page and "data-offline-queue" in page
    assert "data-offline-session-form" in page


def test_a_funder_gets_the_manifest_but_nothing_kept_offline(client, login_as):
    login_as("funder")
    page = client.get("/reports/").get_data(as_text=True)  # a funder's home is the dashboard
    assert 'rel="manifest"' in page and "inclusion-offline" not in page
    assert client.get("/offline/data.json").status_code == 403


def test_the_service_worker_may_control_the_whole_site_and_keeps_the_security_headers(client):
    response = client.get("/offline/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert "no-store" in response.headers["Cache-Control"]  # a new build is picked up at once
    assert security_header_problems(response, personal=False) == []
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    body = response.get_data(as_text=True)
    assert "/static/build/app." in body and "__WB_MANIFEST" not in body  # the precache list was injected


def test_the_form_and_the_data_name_the_user_they_belong_to(app, client, champion, venue):
    scope = offline_services.cache_scope(champion, app.config["SECRET_KEY"])
    assert client.get("/sessions/new").headers["Inclusion-Offline-Scope"] == scope
    assert client.get("/offline/data.json").headers["Inclusion-Offline-Scope"] == scope
    assert str(champion.id) != scope and len(scope) == 32
    other = factories.create_user("champion")
    assert offline_services.cache_scope(other, app.config["SECRET_KEY"]) != scope


def test_the_data_holds_the_partners_venues_recent_learners_and_the_skills(client, champion, venue):
    seen = factories.create_learner("Ann", "Walker", partner=champion.partner)
    long_ago = factories.create_learner("Old", "Visitor", partner=champion.partner)
    elsewhere = factories.create_learner("Zed", "Other")
    factories.create_session(venue, date(2026, 11, 20), attendees=[seen])
    factories.create_session(venue, date(2026, 6, 1), attendees=[long_ago])
    factories.create_session(factories.create_venue("Other Hub"), date(2026, 11, 20), attendees=[elsewhere])
    factories.create_venue("Shut Library", partner=champion.partner).closed_at = datetime(2026, 10, 1)
    db.session.commit()
    body = client.get("/offline/data.json").get_json()
    assert [v["name"] for v in body["venues"]] == ["Central Library"]
    assert body["learners"] == [
        {
            "id": seen.id,
            "reference": seen.reference,
            "name": "Ann Walker",
            "last_seen": "2026-11-20",
            "venue_ids": [venue.id],
        }
    ]
    assert [area["code"] for area in body["areas"]] == ["FND", "COM", "HIC", "TRA", "PRB", "SAF"]
    assert body["areas"][0]["skills"][0] == {"code": "FND-01", "title": "turn on a device and sign in"}
    assert body["csrf_token"] and body["scope"]
    assert "date_of_birth" not in json.dumps(body) and "postcode" not in json.dumps(body)


def test_a_queued_session_is_stored_and_the_same_key_again_is_the_same_session(client, champion, venue):
    ann = factories.create_learner("Ann", "Walker", partner=champion.partner)
    first = _send(client, venue, attendees=[ann], skills={ann: ["FND-01"]}, idempotency_key="device-key-1")
    assert first.status_code == 200 and first.get_json()["status"] == "saved"
    again = _send(client, venue, attendees=[ann], skills={ann: ["FND-01"]}, idempotency_key="device-key-1")
    assert again.status_code == 200 and again.get_json()["status"] == "already-saved"
    assert again.get_json()["session_id"] == first.get_json()["session_id"]
    assert "already been received" in again.get_json()["notes"][0]
    assert _sessions() == 1 and db.session.scalar(select(func.count()).select_from(SkillAchievement)) == 1


def test_another_users_key_is_refused_rather_than_taken_for_theirs(client, champion, venue):
    someone = factories.create_user("champion", partner=champion.partner)
    ann = factories.create_learner("Ann", "Walker", partner=champion.partner)
    factories.create_session(venue, date(2026, 11, 30), attendees=[ann], created_by=someone)
    stored = db.session.scalar(select(LearningSession))
    stored.idempotency_key = "shared-key"
    db.session.commit()
    response = _send(client, venue, attendees=[ann], idempotency_key="shared-key")
    assert response.status_code == 422
    assert "already used" in response.get_json()["errors"][0]["message"]
    assert _sessions() == 1


def test_a_key_that_no_form_gives_is_a_clear_error_not_a_database_failure(client, champion, venue):
    ann = factories.create_learner("Ann", "Walker", partner=champion.partner)
    response = _send(client, venue, attendees=[ann], idempotency_key="x" * 65)
    assert response.status_code == 422 and "open a new session form" in response.get_json()["errors"][0]["message"]
    assert _sessions() == 0


def test_a_learner_merged_while_the_session_waited_is_recorded_as_the_learner_kept(client, champion, venue):
    kept = factories.create_learner("Ann", "Walker", partner=champion.partner)
    duplicate = factories.create_learner("Anne", "Walker", partner=champion.partner)
    merge_learners(kept.id, duplicate.id, acting_user_id=None)
    response = _send(
        client,
        venue,
        attendees=[duplicate, kept],
        skills={duplicate: ["FND-01"], kept: ["COM-01"]},
        idempotency_key="k-merged",
    )
    assert response.status_code == 200, response.get_json()
    note = response.get_json()["notes"][0]
    assert f"Anne Walker ({duplicate.reference}) had been merged into Ann Walker ({kept.reference})" in note
    assert db.session.scalars(select(Attendance.learner_id)).all() == [kept.id]
    codes = db.session.scalars(select(SkillAchievement.learner_id)).all()
    assert codes == [kept.id, kept.id]


def test_a_venue_closed_after_the_session_took_place_still_takes_it_and_says_so(client, champion, venue):
    ann = factories.create_learner("Ann", "Walker", partner=champion.partner)
    set_venue_closed(venue.id, True)
    db.session.get(type(venue), venue.id).closed_at = datetime(2026, 12, 1, 17, 0)
    db.session.commit()
    response = _send(client, venue, attendees=[ann], idempotency_key="k-closed-after")
    assert response.status_code == 200, response.get_json()
    assert "has closed since" in response.get_json()["notes"][0]


def test_a_session_dated_after_its_venue_closed_is_an_error_the_device_keeps(client, champion, venue):
    ann = factories.create_learner("Ann", "Walker", partner=champion.partner)
    db.session.get(type(venue), venue.id).closed_at = datetime(2026, 11, 20, 9, 0)
    db.session.commit()
    response = _send(client, venue, attendees=[ann], idempotency_key="k-closed-before")
    assert response.status_code == 422
    assert response.get_json()["errors"] == [
        {"field": "venue_id", "message": "Central Library has closed: choose an open venue"}
    ]
    assert _sessions() == 0


def test_the_ordinary_form_still_refuses_a_closed_venue(client, champion, venue):
    ann = factories.create_learner("Ann", "Walker", partner=champion.partner)
    db.session.get(type(venue), venue.id).closed_at = datetime(2026, 12, 1, 17, 0)
    db.session.commit()
    response = client.post("/sessions/new", data=session_form(venue, on=date(2026, 11, 30), attendees=[ann]))
    assert response.status_code == 200 and "has closed" in response.get_data(as_text=True)
    assert _sessions() == 0


def test_every_error_of_a_queued_session_is_answered_at_once(client, champion, venue):
    response = _send(client, venue, duration_minutes="", start_time="25:99", idempotency_key="k-bad")
    assert response.status_code == 422
    fields = {error["field"] for error in response.get_json()["errors"]}
    assert {"duration_minutes", "start_time"} <= fields


def test_a_session_sent_at_once_from_the_form_shows_the_saved_message_on_its_page(client, champion, venue):
    ann = factories.create_learner("Ann", "Walker", partner=champion.partner)
    response = _send(client, venue, attendees=[ann], idempotency_key="k-live", delivery="live")
    page = client.get(response.get_json()["url"]).get_data(as_text=True)
    assert "Session saved" in page


def test_a_champion_cannot_send_a_session_for_another_partners_venue(client, champion):
    other_venue = factories.create_venue("Far Away Hub")
    ann = factories.create_learner("Ann", "Walker", partner=champion.partner)
    response = _send(client, other_venue, attendees=[ann], idempotency_key="k-other")
    assert response.status_code == 422 and response.get_json()["errors"][0]["field"] == "venue_id"


def test_signed_out_the_send_goes_to_the_sign_in_page_and_stores_nothing(client, venue):
    client.post("/logout")
    response = _send(client, venue, idempotency_key="k-anon")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert _sessions() == 0


def test_signing_out_tells_the_browser_to_clear_everything_it_kept(client, champion):
    response = client.post("/logout")
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert client.get("/login").headers.get("Clear-Site-Data") is None  # only the sign-out itself


def test_a_coordinator_gets_the_offline_data_for_every_open_venue(client):
    sign_in(client, factories.create_user("coordinator"))
    factories.create_venue("North Hub")
    factories.create_venue("South Hub")
    names = [venue["name"] for venue in client.get("/offline/data.json").get_json()["venues"]]
    assert {"North Hub", "South Hub"} <= set(names)


def test_the_ordinary_form_answers_an_overlong_key_with_a_message_not_a_failure(client, champion, venue):
    ann = factories.create_learner("Ann", "Walker", partner=champion.partner)
    response = client.post("/sessions/new", data=session_form(venue, attendees=[ann], idempotency_key="y" * 65))
    assert response.status_code == 200 and "open a new session form" in response.get_data(as_text=True)
    assert _sessions() == 0
