"""The skills levels each learner reached, kept on the learner by the report-key triggers (keys.LEVELS)."""

from datetime import date

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import delete, select

from inclusion.extensions import db
from inclusion.learners.merging import merge_learners, undo_merge
from inclusion.learners.models import Learner
from inclusion.reports.selfcheck import check_report_keys
from inclusion.sessions.models import LearningSession, Skill, SkillAchievement
from tests import factories
from tests.reports.keys_support import put_back_data_version

FOUNDATION = [f"FND-{number:02d}" for number in range(1, 10)]  # the framework's nine
LIFE = ["COM-01", "HIC-01", "TRA-01", "PRB-01", "SAF-01"]


@pytest.fixture(autouse=True)
def _data_version(db):
    put_back_data_version()


def _levels(learner: Learner) -> tuple:
    """(foundation date, foundation venue id, life skills date, life skills venue id) as stored."""
    columns = (
        Learner.foundation_reached_on,
        Learner.foundation_reached_venue_id,
        Learner.life_skills_reached_on,
        Learner.life_skills_reached_venue_id,
    )
    return tuple(db.session.execute(select(*columns).where(Learner.id == learner.id)).one())


def _history():
    """Ann: eight foundation skills and four life areas on 1 August at the Library; the ninth and SAF
    on 5 September at the Hub (both levels then, there)."""
    library, hub = factories.create_venue("Library"), factories.create_venue("Hub")
    ann = factories.create_learner("Ann", age_band="25-34")
    august = factories.create_session(
        library, date(2026, 8, 1), attendees=[ann], skills={ann: FOUNDATION[:8] + LIFE[:4]}
    )
    assert _levels(ann) == (None, None, None, None)
    september = factories.create_session(hub, date(2026, 9, 5), attendees=[ann], skills={ann: ["FND-09", "SAF-01"]})
    return ann, library, hub, august, september


def test_a_learner_keeps_the_date_and_venue_of_the_session_that_completed_each_level(db):
    ann, _library, hub, _august, _september = _history()
    assert _levels(ann) == (date(2026, 9, 5), hub.id, date(2026, 9, 5), hub.id)
    assert check_report_keys().ok


def test_a_level_completed_on_one_day_is_credited_to_the_later_session_of_that_day(db):
    library, hub = factories.create_venue("Library"), factories.create_venue("Hub")
    ben = factories.create_learner("Ben", age_band="35-44")
    factories.create_session(library, date(2026, 9, 1), attendees=[ben], skills={ben: LIFE[:4]})
    factories.create_session(hub, date(2026, 9, 1), attendees=[ben], skills={ben: ["SAF-01"]})  # a higher session id
    assert _levels(ben)[2:] == (date(2026, 9, 1), hub.id)


def test_re_dating_or_moving_the_completing_session_moves_the_level_with_it(db):
    ann, library, _hub, _august, september = _history()
    september.session_date = date(2026, 9, 12)
    db.session.commit()
    assert _levels(ann) == (date(2026, 9, 12), september.venue_id, date(2026, 9, 12), september.venue_id)
    september.venue_id = library.id
    db.session.commit()
    assert _levels(ann) == (date(2026, 9, 12), library.id, date(2026, 9, 12), library.id)
    # Before August's session, that one completes both levels instead.
    september.session_date = date(2026, 7, 20)
    db.session.commit()
    assert _levels(ann) == (date(2026, 8, 1), library.id, date(2026, 8, 1), library.id)
    assert check_report_keys().ok


def test_removing_a_skill_that_completed_a_level_takes_the_level_away(db):
    ann, _library, hub, _august, september = _history()
    saf = factories.skill("SAF-01")
    db.session.execute(
        delete(SkillAchievement).where(SkillAchievement.session_id == september.id, SkillAchievement.skill_id == saf.id)
    )
    db.session.commit()
    assert _levels(ann) == (date(2026, 9, 5), hub.id, None, None)
    db.session.delete(db.session.get(LearningSession, september.id))
    db.session.commit()
    assert _levels(ann) == (None, None, None, None)
    assert check_report_keys().ok


def test_a_merge_gives_the_learner_kept_the_levels_the_two_reach_together_and_undo_takes_them_back(db):
    library, hub = factories.create_venue("Library"), factories.create_venue("Hub")
    cat = factories.create_learner("Cat", age_band="55-64")
    duplicate = factories.create_learner("Cat", age_band="55-64")
    factories.create_session(library, date(2026, 8, 3), attendees=[cat], skills={cat: FOUNDATION[:8]})
    factories.create_session(hub, date(2026, 9, 9), attendees=[duplicate], skills={duplicate: ["FND-09"]})
    assert _levels(cat) == _levels(duplicate) == (None, None, None, None)

    event = merge_learners(cat.id, duplicate.id, acting_user_id=None)
    assert _levels(cat) == (date(2026, 9, 9), hub.id, None, None)
    assert _levels(duplicate) == (None, None, None, None)  # merged away: nothing counts as them
    assert check_report_keys().ok

    undo_merge(event.id, acting_user_id=None)
    assert _levels(cat) == _levels(duplicate) == (None, None, None, None)
    assert check_report_keys().ok


def test_a_framework_foundation_skill_added_takes_foundation_away_until_it_is_held_and_a_local_one_does_not(db):
    ann, _library, hub, _august, _september = _history()
    local = Skill(code="FND-91", area="FND", title="Local", framework="local", framework_version="1", is_local=True)
    db.session.add(local)
    db.session.commit()
    assert _levels(ann) == (date(2026, 9, 5), hub.id, date(2026, 9, 5), hub.id)

    tenth = Skill(code="FND-10", area="FND", title="A tenth", framework="EDS", framework_version="2", is_local=False)
    db.session.add(tenth)
    db.session.commit()
    assert _levels(ann) == (None, None, date(2026, 9, 5), hub.id)
    assert check_report_keys().ok

    db.session.delete(tenth)
    db.session.commit()
    assert _levels(ann) == (date(2026, 9, 5), hub.id, date(2026, 9, 5), hub.id)
    assert check_report_keys().ok


def test_a_skill_moved_to_another_area_changes_the_levels_it_counted_for(db):
    ann, _library, hub, _august, _september = _history()
    saf = factories.skill("SAF-01")
    saf.area = "COM"  # Ann holds no SAF skill now, and COM already
    db.session.commit()
    assert _levels(ann) == (date(2026, 9, 5), hub.id, None, None)
    saf.area = "SAF"
    db.session.commit()
    assert _levels(ann) == (date(2026, 9, 5), hub.id, date(2026, 9, 5), hub.id)


def test_the_check_finds_a_level_changed_by_hand_and_the_repair_puts_it_back(db):
    ann, _library, hub, _august, _september = _history()
    db.session.execute(
        Learner.__table__.update().where(Learner.id == ann.id).values(life_skills_reached_on=date(2026, 1, 1))
    )
    db.session.commit()
    found = check_report_keys()
    assert found.disagreement_count == 1
    assert (
        str(found.disagreements[0])
        == f"learners id {ann.id} life_skills_reached_on: stored 2026-01-01, expected 2026-09-05"
    )
    check_report_keys(repair=True)
    assert _levels(ann) == (date(2026, 9, 5), hub.id, date(2026, 9, 5), hub.id)
    assert check_report_keys().ok


def test_upgrading_a_database_with_history_works_out_the_levels_already_reached(db):
    """Migration 5d8e2f1a7c34 adds the columns; the snapshot after it fills them in from the records."""
    ann, _library, hub, _august, _september = _history()
    ann_id, hub_id = ann.id, hub.id
    db.session.remove()

    downgrade(revision="a2fec43e05f9")  # before the levels: the columns and their triggers go
    upgrade()

    levels = db.session.execute(
        select(
            Learner.foundation_reached_on, Learner.foundation_reached_venue_id, Learner.life_skills_reached_on
        ).where(Learner.id == ann_id)
    ).one()
    assert tuple(levels) == (date(2026, 9, 5), hub_id, date(2026, 9, 5))
    assert check_report_keys().ok
