"""Each measure of DESIGN.md on small hand-built scenarios; expected figures worked out by hand."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import update

from inclusion.extensions import db
from inclusion.reports import metrics
from inclusion.reports.models import Milestone
from inclusion.reports.periods import Period
from tests import factories
from tests.reports.samples import build_samples

SEPTEMBER = Period.month(date(2026, 9, 1))
OCTOBER = Period.month(date(2026, 10, 1))


@pytest.fixture
def venue():
    return factories.create_venue("Central Library")


def adult(**fields):
    return factories.create_learner(age_band=fields.pop("age_band", "65-74"), **fields)


# The samples' worked figures (shared/samples/README.md)


def test_the_samples_september_figures_match_the_worked_example():
    build_samples()
    assert metrics.adults_helped(SEPTEMBER) == 4  # L-0004 is under 18
    assert metrics.new_learners(SEPTEMBER) == 4
    assert metrics.attendances(SEPTEMBER) == 5
    assert metrics.sessions_delivered(SEPTEMBER) == 3
    assert metrics.learner_hours(SEPTEMBER) == Decimal("5.5")  # 1 + 1 + 1.5 + 1 + 1
    assert metrics.skills_gained(SEPTEMBER) == 7  # L-0001's second FND-06 does not count again
    assert metrics.learners_gaining_skills(SEPTEMBER) == 4


def test_the_samples_october_figures_match_the_worked_example():
    build_samples()
    assert metrics.adults_helped(OCTOBER) == 3  # L-0002, L-0006, L-0003
    assert metrics.new_learners(OCTOBER) == 1  # L-0006
    assert metrics.returning_learners(OCTOBER) == 2
    assert metrics.skills_gained(OCTOBER) == 4  # L-0003's COM-03 was gained in September
    assert metrics.adults_helped_to_date(OCTOBER) == 5


# One behaviour per test


def test_a_learner_new_in_one_month_is_returning_the_next(venue):
    learner = adult()
    factories.create_session(venue, date(2026, 9, 30), attendees=[learner])
    factories.create_session(venue, date(2026, 10, 1), attendees=[learner])
    assert (metrics.new_learners(SEPTEMBER), metrics.returning_learners(SEPTEMBER)) == (1, 0)
    assert (metrics.new_learners(OCTOBER), metrics.returning_learners(OCTOBER)) == (0, 1)


def test_a_learner_with_two_sessions_in_a_month_is_one_adult_helped(venue):
    learner = adult()
    factories.create_session(venue, date(2026, 9, 4), attendees=[learner])
    factories.create_session(venue, date(2026, 9, 11), attendees=[learner])
    assert metrics.adults_helped(SEPTEMBER) == 1
    assert metrics.attendances(SEPTEMBER) == 2


def test_a_merged_duplicate_counts_once_as_the_learner_it_was_merged_into(venue):
    kept = adult(first_name="Margaret")
    duplicate = adult(first_name="Maggie")
    factories.create_session(venue, date(2026, 9, 4), attendees=[kept])
    factories.create_session(venue, date(2026, 9, 11), attendees=[duplicate])
    duplicate.merged_into = kept
    db.session.commit()
    assert metrics.adults_helped(SEPTEMBER) == 1
    assert metrics.adults_helped_to_date(SEPTEMBER) == 1
    assert metrics.new_learners(SEPTEMBER) == 1


def test_a_merged_duplicate_attending_the_same_session_counts_as_one_attendance(venue):
    kept, duplicate = adult(), adult()
    factories.create_session(venue, date(2026, 9, 4), attendees=[kept, duplicate], duration_minutes=90)
    duplicate.merged_into = kept
    db.session.commit()
    assert metrics.attendances(SEPTEMBER) == 1
    assert metrics.learner_hours(SEPTEMBER) == Decimal("1.5")


def test_a_merged_duplicate_counts_in_the_age_band_of_the_learner_kept(venue):
    kept = adult(age_band="unknown")
    duplicate = adult(age_band="under-18")  # a wrong band on the duplicate record
    factories.create_session(venue, date(2026, 9, 4), attendees=[duplicate])
    duplicate.merged_into = kept
    db.session.commit()
    assert metrics.adults_helped(SEPTEMBER, by="age_band") == {"unknown": 1}


def test_a_learners_first_attendance_under_a_merged_duplicate_makes_them_returning(venue):
    kept, duplicate = adult(), adult()
    factories.create_session(venue, date(2026, 9, 4), attendees=[duplicate])
    factories.create_session(venue, date(2026, 10, 4), attendees=[kept])
    duplicate.merged_into = kept
    db.session.commit()
    assert metrics.new_learners(OCTOBER) == 0
    assert metrics.returning_learners(OCTOBER) == 1


def test_a_skill_shown_by_a_learner_and_their_merged_duplicate_counts_once_when_first_shown(venue):
    kept, duplicate = adult(), adult()
    factories.create_session(venue, date(2026, 9, 4), attendees=[duplicate], skills={duplicate: ["SAF-01"]})
    factories.create_session(venue, date(2026, 10, 4), attendees=[kept], skills={kept: ["SAF-01", "SAF-02"]})
    duplicate.merged_into = kept
    db.session.commit()
    assert metrics.skills_gained(SEPTEMBER) == 1
    assert metrics.skills_gained(OCTOBER) == 1  # SAF-02 only: SAF-01 was gained in September


def test_an_under_18_is_not_counted_in_any_learner_figure(venue):
    young = factories.create_learner(age_band="under-18")
    factories.create_session(venue, date(2026, 9, 4), attendees=[young], skills={young: ["FND-01"]})
    assert metrics.adults_helped(SEPTEMBER) == 0
    assert metrics.attendances(SEPTEMBER) == 0
    assert metrics.skills_gained(SEPTEMBER) == 0
    assert metrics.learner_hours(SEPTEMBER) == Decimal("0.0")


def test_a_session_attended_only_by_an_under_18_is_still_delivered(venue):
    young = factories.create_learner(age_band="under-18")
    factories.create_session(venue, date(2026, 9, 4), attendees=[young])
    assert metrics.sessions_delivered(SEPTEMBER) == 1


def test_an_unknown_age_band_counts_as_an_adult(venue):
    factories.create_session(venue, date(2026, 9, 4), attendees=[adult(age_band="unknown")])
    assert metrics.adults_helped(SEPTEMBER) == 1


def test_an_anonymised_learner_still_counts(venue):
    learner = adult(anonymised_at=datetime(2026, 10, 1, 9))
    factories.create_session(venue, date(2026, 9, 4), attendees=[learner])
    assert metrics.adults_helped(SEPTEMBER) == 1


def test_a_skill_gained_twice_counts_once_in_the_month_of_its_first_achievement(venue):
    learner = adult()
    factories.create_session(venue, date(2026, 9, 4), attendees=[learner], skills={learner: ["COM-03"]})
    factories.create_session(venue, date(2026, 10, 9), attendees=[learner], skills={learner: ["COM-03"]})
    assert metrics.skills_gained(SEPTEMBER) == 1
    assert metrics.skills_gained(OCTOBER) == 0
    assert metrics.learners_gaining_skills(OCTOBER) == 0


def test_a_skill_counts_under_the_venue_and_area_where_it_was_first_shown():
    partner = factories.create_partner("Stockport Libraries")
    central = factories.create_venue("Central Library", partner)
    reddish = factories.create_venue("Reddish Library", partner)
    learner = adult()
    factories.create_session(reddish, date(2026, 9, 4), attendees=[learner], skills={learner: ["TRA-01"]})
    factories.create_session(central, date(2026, 9, 11), attendees=[learner], skills={learner: ["TRA-01", "FND-01"]})
    both = {"Reddish Library": 1, "Central Library": 1}
    assert metrics.skills_gained(SEPTEMBER, by="venue") == both
    assert metrics.skills_gained(SEPTEMBER, by="skill_area") == {"TRA": 1, "FND": 1}
    assert metrics.learners_gaining_skills(SEPTEMBER, by="venue") == both


def test_two_first_achievements_on_the_same_day_go_to_the_earlier_recorded_session():
    learner = adult()
    for name in ("Bramhall Library", "Marple Library"):  # recorded in this order, same day
        factories.create_session(
            factories.create_venue(name), date(2026, 9, 4), attendees=[learner], skills={learner: ["HIC-01"]}
        )
    assert metrics.skills_gained(SEPTEMBER, by="venue") == {"Bramhall Library": 1}


def test_a_learner_at_two_partners_appears_under_both():
    libraries = factories.create_venue("Central Library", factories.create_partner("Stockport Libraries"))
    charity = factories.create_venue("Age UK Hub", factories.create_partner("Age UK Stockport"))
    learner = adult()
    factories.create_session(libraries, date(2026, 9, 4), attendees=[learner])
    factories.create_session(charity, date(2026, 9, 18), attendees=[learner])
    assert metrics.adults_helped(SEPTEMBER, by="partner") == {"Stockport Libraries": 1, "Age UK Stockport": 1}
    assert metrics.adults_helped(SEPTEMBER) == 1
    # New under every venue attended in the month, not only the first.
    assert metrics.new_learners(SEPTEMBER, by="venue") == {"Central Library": 1, "Age UK Hub": 1}


def test_a_partner_filter_counts_only_that_partners_sessions():
    libraries = factories.create_venue("Central Library", factories.create_partner("Stockport Libraries"))
    charity = factories.create_venue("Age UK Hub", factories.create_partner("Age UK Stockport"))
    one, two = adult(), adult()
    factories.create_session(libraries, date(2026, 9, 4), attendees=[one, two])
    factories.create_session(charity, date(2026, 9, 18), attendees=[two])
    assert metrics.adults_helped(SEPTEMBER, partner_id=charity.partner_id) == 1
    assert metrics.adults_helped(SEPTEMBER, venue_id=libraries.id) == 2


def test_adults_helped_to_date_counts_attendances_up_to_the_last_day_of_the_period(venue):
    factories.create_session(venue, date(2025, 1, 10), attendees=[adult()])
    factories.create_session(venue, date(2026, 9, 30), attendees=[adult()])
    factories.create_session(venue, date(2026, 10, 1), attendees=[adult()])
    assert metrics.adults_helped_to_date(SEPTEMBER) == 2


def test_a_session_with_no_attendees_is_not_delivered(venue):
    factories.create_session(venue, date(2026, 9, 4))
    assert metrics.sessions_delivered(SEPTEMBER) == 0


def test_a_session_with_only_unregistered_attendees_is_delivered_and_adds_no_learner(venue):
    factories.create_session(venue, date(2026, 9, 4), unregistered_attendees=3)
    factories.create_session(venue, date(2026, 9, 5), unregistered_attendees=2, attendees=[adult()])
    assert metrics.sessions_delivered(SEPTEMBER) == 2
    assert metrics.unregistered_attendances(SEPTEMBER) == 5
    assert metrics.adults_helped(SEPTEMBER) == 1


def test_learner_hours_are_rounded_to_one_decimal_half_up(venue):
    # 45 + 30 minutes = 75 minutes = 1.25 hours, written 1.3.
    learner = adult()
    factories.create_session(venue, date(2026, 9, 4), attendees=[learner], duration_minutes=45)
    factories.create_session(venue, date(2026, 9, 5), attendees=[learner], duration_minutes=30)
    assert metrics.learner_hours(SEPTEMBER) == Decimal("1.3")


def test_the_milestone_target_comes_from_the_current_milestone():
    assert metrics.milestone_target() == 5000


def test_the_milestone_target_follows_a_new_current_milestone():
    db.session.execute(update(Milestone).values(is_current=False))
    db.session.add(Milestone(name="Phase two", target=8000, start_date=date(2027, 1, 1), is_current=True))
    db.session.commit()
    assert metrics.milestone_target() == 8000


def test_the_milestone_target_setting_overrides_the_milestone(app):
    app.config["MILESTONE_TARGET"] = 40
    try:
        assert metrics.milestone_target() == 40
    finally:
        app.config["MILESTONE_TARGET"] = None


def test_milestone_progress_is_a_percentage_of_adults_helped_to_date(venue, app):
    factories.create_session(venue, date(2026, 9, 4), attendees=[adult(), adult(), adult()])
    app.config["MILESTONE_TARGET"] = 7
    try:
        assert metrics.milestone_progress_percent(SEPTEMBER) == Decimal("42.9")  # 300 / 7 = 42.857…
    finally:
        app.config["MILESTONE_TARGET"] = None


def test_the_projection_needs_enough_recent_data(venue):
    factories.create_session(venue, date(2026, 9, 4), attendees=[adult()])
    projection = metrics.projected_milestone_date(date(2026, 9, 30))
    assert projection.status == "not enough data"


def test_the_projection_uses_the_trailing_90_day_rate_of_new_learners(venue, app):
    factories.create_session(venue, date(2026, 1, 5), attendees=[adult()])
    factories.create_session(venue, date(2026, 9, 4), attendees=[adult() for _ in range(9)])
    app.config["MILESTONE_TARGET"] = 20
    try:
        # 9 new in the 90 days to 30 September: 0.1 a day; 10 helped, 10 to go → 100 days later.
        projection = metrics.projected_milestone_date(date(2026, 9, 30))
    finally:
        app.config["MILESTONE_TARGET"] = None
    assert projection.status == "projected"
    assert projection.reached_on == date(2027, 1, 8)


def test_trends_by_month_count_each_month_separately(venue):
    learner = adult()
    factories.create_session(venue, date(2026, 9, 4), attendees=[learner], skills={learner: ["FND-01"]})
    factories.create_session(venue, date(2026, 10, 4), attendees=[learner, adult()])
    both = Period(date(2026, 9, 1), date(2026, 10, 31))
    assert metrics.new_learners(both, by="month") == {"2026-09": 1, "2026-10": 1}
    assert metrics.adults_helped(both, by="month") == {"2026-09": 1, "2026-10": 2}
    assert metrics.skills_gained(both, by="month") == {"2026-09": 1}
