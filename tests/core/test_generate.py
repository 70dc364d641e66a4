"""`flask demo generate`: bulk synthetic data with the shape of a real alliance."""

from collections import Counter
from datetime import date

from sqlalchemy import delete, func, select, text

from inclusion.auth.models import User
from inclusion.core.generate import generate
from inclusion.extensions import db
from inclusion.followups.models import FollowUp
from inclusion.learners.models import Learner
from inclusion.outcomes.models import ConfidenceCheck
from inclusion.partners.models import Venue
from inclusion.reports import keys as report_keys
from inclusion.sessions.models import Attendance, LearningSession, Skill, SkillAchievement, session_champions
from inclusion.signposts.models import Signpost
from tests.factories import create_venue

UNTIL = date(2026, 10, 31)


def _quiet(_message: str) -> None:
    pass


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_it_adds_exactly_the_learners_and_sessions_asked_for(app):
    result = generate(200, 100, seed=3, until=UNTIL, progress=_quiet)

    assert (_count(Learner), _count(LearningSession)) == (200, 100)
    assert (result.learners, result.sessions) == (200, 100)
    assert _count(Attendance) == result.attendances > 0
    assert _count(SkillAchievement) == result.achievements > 0


def test_it_creates_partners_venues_and_champions_when_the_database_has_none(app):
    generate(50, 20, seed=3, until=UNTIL, progress=_quiet)

    assert _count(Venue) > 10
    assert db.session.scalar(select(func.count()).select_from(User).where(User.role == "champion")) > 0
    assert _count(session_champions) == 20


def test_it_uses_the_venues_that_already_exist(app):
    venue = create_venue("Only Library")

    generate(30, 15, seed=3, until=UNTIL, progress=_quiet)

    assert set(db.session.scalars(select(LearningSession.venue_id))) == {venue.id}


def test_most_learners_attend_one_to_five_times_and_a_few_come_dozens_of_times(app):
    generate(1000, 500, seed=5, until=UNTIL, progress=_quiet)

    visits = Counter(db.session.scalars(select(Attendance.learner_id)))
    attended = len(visits)
    assert sum(1 for n in visits.values() if n <= 5) > attended / 2
    assert any(n >= 24 for n in visits.values())


def test_nobody_attends_before_registering_and_sessions_end_on_the_last_day(app):
    generate(300, 150, seed=7, until=UNTIL, progress=_quiet)

    early = db.session.scalar(
        select(func.count())
        .select_from(Attendance)
        .join(LearningSession)
        .join(Learner)
        .where(LearningSession.session_date < Learner.registered_on)
    )
    assert early == 0
    assert db.session.scalar(select(func.max(LearningSession.session_date))) <= UNTIL


def test_august_and_christmas_are_quieter_than_other_months(app):
    generate(100, 3000, seed=11, until=UNTIL, progress=_quiet)

    months = Counter(day.strftime("%m-%d") for day in db.session.scalars(select(LearningSession.session_date)))
    august = sum(n for key, n in months.items() if key.startswith("08-"))
    october = sum(n for key, n in months.items() if key.startswith("10-"))
    christmas = sum(months.get(f"12-{day}", 0) for day in range(24, 32))
    december_before = sum(months.get(f"12-{day:02d}", 0) for day in range(1, 9))
    assert august < october * 0.7
    assert christmas < december_before / 2


def _snapshot():
    learners = db.session.execute(
        select(Learner.reference, Learner.search_name, Learner.age_band, Learner.registered_on).order_by(Learner.id)
    ).all()
    sessions = db.session.execute(
        select(LearningSession.session_date, LearningSession.venue_id, LearningSession.duration_minutes).order_by(
            LearningSession.id
        )
    ).all()
    checks = db.session.execute(
        select(
            ConfidenceCheck.learner_id, ConfidenceCheck.stage, ConfidenceCheck.checked_on, ConfidenceCheck.overall
        ).order_by(ConfidenceCheck.id)
    ).all()
    follow_ups = db.session.execute(
        select(FollowUp.learner_id, FollowUp.followed_up_on, FollowUp.outcome, FollowUp.further_learning).order_by(
            FollowUp.id
        )
    ).all()
    signposts = db.session.execute(
        select(
            Signpost.learner_id, Signpost.made_on, Signpost.venue_id, Signpost.to_venue_id, Signpost.to_service_id
        ).order_by(Signpost.id)
    ).all()
    may_contact = list(db.session.scalars(select(Learner.may_contact).order_by(Learner.id)))
    return learners, sessions, _count(Attendance), _count(SkillAchievement), checks, follow_ups, signposts, may_contact


def test_the_same_seed_generates_the_same_data(app):
    generate(120, 60, seed=42, until=UNTIL, progress=_quiet)
    first = _snapshot()
    for table in (
        FollowUp.__table__,
        Signpost.__table__,
        ConfidenceCheck.__table__,
        SkillAchievement.__table__,
        Attendance.__table__,
        session_champions,
        LearningSession.__table__,
        Learner.__table__,
    ):
        db.session.execute(delete(table))
    db.session.commit()

    generate(120, 60, seed=42, until=UNTIL, progress=_quiet)

    second = _snapshot()
    assert second == first
    assert first[5] and first[6] and not all(first[7])  # follow-ups, signposts and a few not to contact


def test_the_command_reports_what_it_added_and_shows_progress_on_stderr(runner):
    result = runner.invoke(args=["demo", "generate", "--learners", "40", "--sessions", "20", "--until", "2026-10-31"])

    assert result.exit_code == 0, result.output
    assert "Added 40 learners, 20 sessions" in result.stdout
    assert "generate: inserted 40 learners" in result.stderr


def test_the_command_refuses_a_count_of_zero_or_less(runner):
    for args in (["--learners", "0"], ["--sessions", "-5"]):
        result = runner.invoke(args=["demo", "generate", *args])

        assert result.exit_code == 1
        assert "must both be whole numbers greater than 0" in result.stderr
    assert _count(Learner) == 0


def test_the_command_refuses_a_count_that_is_not_a_number(runner):
    result = runner.invoke(args=["demo", "generate", "--learners", "lots"])

    assert result.exit_code == 1
    assert "Error: --learners must be a whole number, not 'lots'" in result.stderr


def test_the_command_refuses_a_last_day_that_is_not_a_date(runner):
    result = runner.invoke(args=["demo", "generate", "--learners", "5", "--sessions", "5", "--until", "31/10"])

    assert result.exit_code == 1
    assert "--until must be a date like 2026-10-31" in result.stderr


def test_rows_are_written_in_time_order_as_a_live_system_would_write_them(app):
    generate(200, 100, seed=9, until=UNTIL, progress=_quiet)

    registered = list(db.session.scalars(select(Learner.registered_on).order_by(Learner.id)))
    attended = list(db.session.scalars(select(LearningSession.session_date).join(Attendance).order_by(Attendance.id)))
    assert registered == sorted(registered)
    assert attended == sorted(attended)


def test_each_session_is_logged_by_a_champion_of_the_venues_partner(app):
    generate(60, 40, seed=4, until=UNTIL, progress=_quiet)

    mismatched = db.session.scalar(
        select(func.count())
        .select_from(LearningSession)
        .join(Venue, Venue.id == LearningSession.venue_id)
        .join(User, User.id == LearningSession.created_by_id)
        .where(User.partner_id != Venue.partner_id)
    )
    assert mismatched == 0


def test_generated_rows_carry_the_report_keys_of_their_session_and_learner(app):
    generate(60, 40, seed=5, until=UNTIL, progress=_quiet)

    for model in (Attendance, SkillAchievement):
        wrong = db.session.scalar(
            select(func.count())
            .select_from(model)
            .join(LearningSession, LearningSession.id == model.session_id)
            .where(
                (model.session_date != LearningSession.session_date)
                | (model.venue_id != LearningSession.venue_id)
                | (model.learner_key != model.learner_id)
                | model.learner_key.is_(None)
            )
        )
        assert wrong == 0

    earlier = (
        select(func.count())
        .select_from(SkillAchievement.__table__.alias("other"))
        .where(
            text("other.learner_key = skill_achievements.learner_key"),
            text("other.skill_id = skill_achievements.skill_id"),
            text(
                "(other.session_date, other.session_id, other.id) < "
                "(skill_achievements.session_date, skill_achievements.session_id, skill_achievements.id)"
            ),
        )
        .scalar_subquery()
    )
    flags = db.session.execute(select(SkillAchievement.is_first, earlier)).all()
    assert flags and all(bool(is_first) == (before == 0) for is_first, before in flags)


def test_generated_learners_carry_their_first_attendance_date(app):
    generate(60, 40, seed=6, until=UNTIL, progress=_quiet)

    first = (
        select(func.min(LearningSession.session_date))
        .join(Attendance, Attendance.session_id == LearningSession.id)
        .where(Attendance.learner_id == Learner.id)
        .scalar_subquery()
    )
    rows = db.session.execute(select(Learner.first_attended_on, first)).all()
    assert rows and all(stored == expected for stored, expected in rows)


def test_the_generators_skills_levels_follow_the_same_rule_as_the_triggers(app):
    generate(300, 150, seed=7, until=UNTIL, progress=_quiet)

    # The generator works the levels out in Python (keys.levels_by_learner) so that the triggers
    # find nothing to change; over the rows as written, the rule in SQL (keys.levels_reached, which
    # the self-check applies) and what is stored must give the same learner by learner.
    columns = [getattr(SkillAchievement, name) for name in (*report_keys.LEVEL_INPUTS, "id")]
    rows = [row._asdict() for row in db.session.execute(select(*columns).order_by(SkillAchievement.id))]
    skills = {
        row.id: (row.area, row.is_local) for row in db.session.execute(select(Skill.id, Skill.area, Skill.is_local))
    }
    for level in report_keys.LEVELS:
        in_python = report_keys.levels_by_learner(level, rows, skills)
        in_sql = {
            key: (day, venue)
            for key, day, venue in db.session.execute(report_keys.levels_reached(level, SkillAchievement.__table__))
        }
        day, venue = getattr(Learner, level.reached_on), getattr(Learner, level.venue)
        stored = {
            key: (on, at) for key, on, at in db.session.execute(select(Learner.id, day, venue).where(day.is_not(None)))
        }
        assert in_python == in_sql == stored, level.name
        assert in_python, f"{level.name}: the generated data should have learners reaching it"
