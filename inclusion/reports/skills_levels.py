"""Aggregate SQL for the skills levels: the first achievement that completed each adult's level.

Set-based over the first achievements (is_first, per counted learner): window functions rank
each learner's rows, so the database returns one row per learner who reached the level, with
the date and venue of the session that completed it (DESIGN.md, "Outcomes").
"""

from sqlalchemy import Subquery, func, select

from inclusion.reports.queries import _ACHIEVEMENTS, Scope, _adult, _within
from inclusion.sessions.constants import FOUNDATION_AREA, LIFE_SKILLS_AREAS
from inclusion.sessions.models import Skill


def framework_foundation_skills():
    """The ids of the framework's foundation skills (local ones are not needed for the level)."""
    return select(Skill.id).where(Skill.area == FOUNDATION_AREA, Skill.is_local.is_(False))


def _may_complete_in(scope: Scope) -> list:
    """Only a learner with a first achievement dated in scope can complete a level in scope (the completing
    one is such an achievement): ranking their history alone gives the same rows, and a month reads a month
    of the first-achievements index rather than the whole history. (Any skill: filtering by the level's
    skills here made SQLite read each skill's whole history instead.) No start: no filter."""
    if scope.start is None:
        return []
    facts = _ACHIEVEMENTS
    dated = select(facts.c.learner_key).where(
        facts.c.is_first, facts.c.session_date >= scope.start, facts.c.session_date <= scope.end
    )
    return [facts.c.learner_key.in_(dated)]


def _completions(firsts: Subquery, needed, scope: Scope, name: str) -> Subquery:
    """Of each learner's `firsts` rows, the latest, for learners with `needed` of them, in scope."""
    ranked = select(
        firsts.c.learner_key,
        firsts.c.session_date,
        firsts.c.venue_id,
        func.count().over(partition_by=firsts.c.learner_key).label("held"),
        func.row_number()
        .over(
            partition_by=firsts.c.learner_key,
            order_by=(firsts.c.session_date.desc(), firsts.c.session_id.desc(), firsts.c.id.desc()),
        )
        .label("latest"),
    ).subquery(f"{name}_ranked")
    stmt = select(ranked.c.learner_key, ranked.c.session_date, ranked.c.venue_id)
    stmt = stmt.where(ranked.c.latest == 1, ranked.c.held == needed)
    return _within(stmt, scope, ranked.c.session_date, ranked.c.venue_id).subquery(name)


def foundation_completions(scope: Scope) -> Subquery:
    """(learner_key, session_date, venue_id): adults who first held every framework foundation skill in scope."""
    facts = _ACHIEVEMENTS
    firsts = select(facts.c.learner_key, facts.c.session_date, facts.c.venue_id, facts.c.session_id, facts.c.id)
    foundation = facts.c.skill_id.in_(framework_foundation_skills())
    firsts = firsts.where(facts.c.is_first, _adult(facts.c.learner_key), foundation, *_may_complete_in(scope))
    needed = select(func.count()).select_from(framework_foundation_skills().subquery()).scalar_subquery()
    return _completions(firsts.subquery("foundation_firsts"), needed, scope, "foundation_completions")


def life_skills_completions(scope: Scope) -> Subquery:
    """(learner_key, session_date, venue_id): adults who first held a skill in each life-skills area in scope."""
    facts = _ACHIEVEMENTS
    in_area = (
        func.row_number()
        .over(
            partition_by=(facts.c.learner_key, Skill.area),
            order_by=(facts.c.session_date, facts.c.session_id, facts.c.id),
        )
        .label("in_area")
    )
    each = select(facts.c.learner_key, facts.c.session_date, facts.c.venue_id, facts.c.session_id, facts.c.id, in_area)
    each = each.join(Skill, Skill.id == facts.c.skill_id)
    each = each.where(facts.c.is_first, _adult(facts.c.learner_key), Skill.area.in_(LIFE_SKILLS_AREAS))
    each = each.where(*_may_complete_in(scope))
    each = each.subquery("life_area_rows")
    firsts = select(each.c.learner_key, each.c.session_date, each.c.venue_id, each.c.session_id, each.c.id)
    firsts = firsts.where(each.c.in_area == 1).subquery("life_area_firsts")  # each area's first skill
    return _completions(firsts, len(LIFE_SKILLS_AREAS), scope, "life_skills_completions")
