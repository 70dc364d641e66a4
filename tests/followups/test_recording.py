"""Recording a follow-up: one short form, its errors all at once, and the rules behind it."""

from datetime import date

import pytest
from sqlalchemy import select

from inclusion.audit.models import AuditEvent
from inclusion.extensions import db
from inclusion.followups import services
from inclusion.followups.models import ANSWER_COLUMNS, FollowUp
from tests import factories
from tests.followups.conftest import ALL_YES


@pytest.fixture
def learner():
    partner = factories.create_partner("Reddish Library Partner")
    learner = factories.create_learner("Ann", "Lee", partner=partner, phone="0161 496 0001")
    factories.create_session(factories.create_venue("Reddish Library", partner), date(2026, 9, 1), attendees=[learner])
    return learner


def _post(client, learner, **data):
    return client.post(f"/followups/{learner.reference}/new", data={"followed_up_on": "15 12 2026", **data})


def _follow_ups(learner):
    return db.session.scalars(select(FollowUp).where(FollowUp.learner_id == learner.id)).all()


def test_a_reached_follow_up_saves_the_six_answers_and_is_audited(client, login_as, learner):
    user = login_as("coordinator")
    answers = {**ALL_YES, "work_or_volunteering": "no", "has_connection": "no"}
    response = _post(client, learner, outcome="reached", **answers)
    assert response.status_code == 302
    (follow_up,) = _follow_ups(learner)
    assert (follow_up.outcome, follow_up.followed_up_on, follow_up.recorded_by_id) == (
        "reached",
        date(2026, 12, 15),
        user.id,
    )
    assert [getattr(follow_up, column) for column in ANSWER_COLUMNS] == [True, True, True, False, True, False]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "follow_up_recorded"))
    assert (event.user_id, event.record_id, event.details["outcome"]) == (user.id, str(learner.id), "reached")


def test_the_form_is_one_page_with_todays_date_filled_in(client, login_as, learner):
    login_as("champion", partner=learner.registered_partner)
    page = client.get(f"/followups/{learner.reference}/new").get_data(as_text=True)
    assert 'name="followed_up_on-day" type="text" value="15"' in page or 'value="15"' in page
    for name in ("outcome", *ANSWER_COLUMNS):
        assert f'name="{name}"' in page
    assert 'href="tel:01614960001"' in page


def test_nothing_chosen_shows_the_error_summary_and_saves_nothing(client, login_as, learner):
    login_as("coordinator")
    response = _post(client, learner)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Choose whether you reached them, did not reach them, or they declined" in page
    assert _follow_ups(learner) == []


def test_reached_without_the_answers_lists_every_missing_answer_at_once(client, login_as, learner):
    login_as("coordinator")
    page = _post(client, learner, outcome="reached", still_online="yes").get_data(as_text=True)
    summary = page.split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]
    assert summary.count("Answer yes or no") == 5  # all but the one given
    assert "still using the internet" not in summary
    assert _follow_ups(learner) == []


def test_not_reached_needs_no_answers_and_any_given_are_not_kept(client, login_as, learner):
    login_as("coordinator")
    assert _post(client, learner, outcome="not-reached", still_online="yes").status_code == 302
    (follow_up,) = _follow_ups(learner)
    assert (follow_up.outcome, follow_up.still_online) == ("not-reached", None)


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("16 12 2026", "The date of the follow-up cannot be in the future"),
        ("31 8 2026", "The follow-up cannot be before their first session, 1 September 2026"),
        ("31 2 2026", "Enter a real date, like 27 3 2027"),
    ],
)
def test_a_date_in_the_future_or_before_the_first_session_is_refused(client, login_as, learner, day, message):
    login_as("coordinator")
    response = _post(client, learner, outcome="declined", followed_up_on=day)
    assert message in response.get_data(as_text=True)
    assert _follow_ups(learner) == []


def test_a_learner_who_may_not_be_contacted_has_no_form_and_the_service_refuses(client, login_as, learner):
    user = login_as("coordinator")
    learner.may_contact = False
    db.session.commit()
    page = client.get(f"/followups/{learner.reference}/new").get_data(as_text=True)
    assert "asked not to be contacted" in page
    assert 'name="outcome"' not in page
    assert _post(client, learner, outcome="reached", **ALL_YES).status_code == 200
    with pytest.raises(services.FollowUpError, match="asked not to be contacted"):
        services.record_follow_up(user, learner.reference, services.FollowUpDetails("declined", date(2026, 12, 1), {}))
    assert _follow_ups(learner) == []


def test_a_learner_who_has_not_attended_cannot_be_followed_up(client, login_as):
    user = login_as("coordinator")
    learner = factories.create_learner("Bea", "Ngo")
    with pytest.raises(services.FollowUpError, match="has not attended a session yet"):
        services.record_follow_up(user, learner.reference, services.FollowUpDetails("declined", date(2026, 12, 1), {}))


def test_a_reached_or_declined_follow_up_is_the_last_one(client, login_as, learner):
    user = login_as("coordinator")
    services.record_follow_up(user, learner.reference, services.FollowUpDetails("declined", date(2026, 12, 1), {}))
    with pytest.raises(services.FollowUpError, match="recorded as declined on 1 December 2026"):
        services.record_follow_up(
            user,
            learner.reference,
            services.FollowUpDetails("reached", date(2026, 12, 2), dict.fromkeys(ANSWER_COLUMNS, True)),
        )
    assert "nothing more is needed" in client.get(f"/followups/{learner.reference}/new").get_data(as_text=True)


def test_the_service_refuses_a_reached_follow_up_missing_an_answer(login_as, learner):
    user = login_as("coordinator")
    answers = {**dict.fromkeys(ANSWER_COLUMNS, True), "has_device": None}
    with pytest.raises(services.FollowUpError) as raised:
        services.record_follow_up(
            user, learner.reference, services.FollowUpDetails("reached", date(2026, 12, 1), answers)
        )
    assert raised.value.field == "has_device"
    with pytest.raises(services.FollowUpError):
        services.record_follow_up(user, learner.reference, services.FollowUpDetails("phoned", date(2026, 12, 1), {}))
    assert _follow_ups(learner) == []


def test_a_champion_of_another_partner_may_not_follow_up_the_learner(client, login_as, learner):
    login_as("champion")  # of a partner of their own
    assert client.get(f"/followups/{learner.reference}/new").status_code == 403
    assert _post(client, learner, outcome="declined").status_code == 403
    assert _follow_ups(learner) == []


def test_a_follow_up_of_a_merged_duplicate_is_recorded_for_the_learner_kept(client, login_as, learner):
    from inclusion.learners.merging import merge_learners

    user = login_as("coordinator")
    duplicate = factories.create_learner("Annie", "Lee", partner=learner.registered_partner)
    merge_learners(learner.id, duplicate.id, acting_user_id=user.id)
    follow_up = services.record_follow_up(
        user, duplicate.reference, services.FollowUpDetails("declined", date(2026, 12, 1), {})
    )
    assert follow_up.learner_id == learner.id


def test_the_learner_page_shows_the_follow_up_and_links_to_the_form(client, login_as, learner):
    login_as("coordinator")
    page = client.get(f"/learners/{learner.reference}").get_data(as_text=True)
    assert "Due 30 November 2026" in page
    assert f"/followups/{learner.reference}/new?from=learner" in page
    _post(client, learner, outcome="reached", **ALL_YES)
    page = client.get(f"/learners/{learner.reference}").get_data(as_text=True)
    assert "Reached on 15 December 2026" in page
    assert "further learning: yes" in page
