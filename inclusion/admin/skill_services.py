"""The skills list: framework skills as seeded, and local skills coordinators add, reword or retire."""

import re

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from inclusion.audit.services import record_event
from inclusion.auth.permissions import require_actor_role
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.sessions.constants import LOCAL_FRAMEWORK_NAME, SKILL_AREAS
from inclusion.sessions.models import Skill
from inclusion.timeutil import utcnow

LOCAL_FRAMEWORK_VERSION = "local"
_CODE = re.compile(r"^([A-Z]{3})-(\d+)$")


class SkillError(ValueError):
    """A user mistake with a message fit to show them."""


def all_skills() -> list[Skill]:
    """Every skill, retired ones included, in area order then code order."""
    area_order = list(SKILL_AREAS)
    skills = db.session.scalars(select(Skill)).all()
    return sorted(skills, key=lambda s: (area_order.index(s.area), _code_number(s.code), s.code))


def offered_skills() -> list[Skill]:
    """The skills a session form offers: all but retired ones, in area order then code order.

    Retired skills stay in history and in every figure; they are only no longer offered.
    """
    return [skill for skill in all_skills() if skill.retired_at is None]


def _code_number(code: str) -> int:
    match = _CODE.match(code)
    return int(match.group(2)) if match else 0


def next_code(area: str) -> str:
    """The next free code of an area: one more than the highest ever used (retired codes are not reused)."""
    codes = db.session.scalars(select(Skill.code).where(Skill.area == area)).all()
    return f"{area}-{max((_code_number(code) for code in codes), default=0) + 1:02d}"


def _clean_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise SkillError("Enter what the learner can do")
    if len(title) > 200:
        raise SkillError("The skill must be 200 characters or fewer")
    return title


def _check_unique_title(area: str, title: str, except_id: int | None = None) -> None:
    query = select(Skill.code).where(Skill.area == area, func.lower(Skill.title) == func.lower(title))
    if except_id is not None:
        query = query.where(Skill.id != except_id)
    if (code := db.session.scalar(query)) is not None:
        raise SkillError(f"There is already a skill '{title}' in that area ({code})")


def add_local_skill(area: str, title: str, *, acting_user_id: int | None) -> Skill:
    """Add a local skill under an area with the area's next free code."""
    if area not in SKILL_AREAS:
        raise SkillError(f"Unknown area '{area}': choose one of {', '.join(SKILL_AREAS)}")
    title = _clean_title(title)
    for attempt in range(3):
        try:
            with write_transaction():
                require_actor_role(acting_user_id, "coordinator", "admin")
                _check_unique_title(area, title)
                skill = Skill(
                    code=next_code(area),
                    area=area,
                    title=title,
                    framework=LOCAL_FRAMEWORK_NAME,
                    framework_version=LOCAL_FRAMEWORK_VERSION,
                    is_local=True,
                )
                db.session.add(skill)
                db.session.flush()
                record_event(
                    "skill_added",
                    user_id=acting_user_id,
                    record_type="skill",
                    record_id=skill.id,
                    after={"code": skill.code, "area": area, "title": title},
                )
            return skill
        except IntegrityError:
            # Someone else took the same code at the same moment: count again.
            if attempt == 2:
                raise SkillError("Someone else added a skill at the same moment: try again") from None
    raise AssertionError("unreachable")


def _local_skill(skill_id: int) -> Skill:
    skill = db.session.get(Skill, skill_id)
    if skill is None:
        raise LookupError(skill_id)
    if not skill.is_local:
        raise SkillError(f"{skill.code} is a framework skill: its wording is fixed and it cannot be retired")
    return skill


def get_skill(skill_id: int) -> Skill:
    skill = db.session.get(Skill, skill_id)
    if skill is None:
        raise LookupError(skill_id)
    return skill


def reword_local_skill(skill_id: int, title: str, *, acting_user_id: int | None) -> Skill:
    title = _clean_title(title)
    with write_transaction():
        require_actor_role(acting_user_id, "coordinator", "admin")
        skill = _local_skill(skill_id)
        _check_unique_title(skill.area, title, except_id=skill.id)
        if title != skill.title:
            record_event(
                "skill_reworded",
                user_id=acting_user_id,
                record_type="skill",
                record_id=skill.id,
                before={"title": skill.title},
                after={"title": title},
            )
            skill.title = title
    return skill


def set_local_skill_retired(skill_id: int, retired: bool, *, acting_user_id: int | None) -> Skill:
    """Retire a local skill (no longer offered; history and figures keep it) or bring it back."""
    with write_transaction():
        require_actor_role(acting_user_id, "coordinator", "admin")
        skill = _local_skill(skill_id)
        if (skill.retired_at is not None) == retired:
            raise SkillError(f"{skill.code} is already {'retired' if retired else 'offered'}")
        skill.retired_at = utcnow() if retired else None
        record_event(
            "skill_retired" if retired else "skill_reinstated",
            user_id=acting_user_id,
            record_type="skill",
            record_id=skill.id,
            details={"code": skill.code},
        )
    return skill
