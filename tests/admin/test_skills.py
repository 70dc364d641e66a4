"""Local skills: next free code of the area, rewording and retiring; framework skills fixed."""

from datetime import date

import pytest
from sqlalchemy import select

from inclusion.admin import skill_services
from inclusion.audit.models import AuditEvent
from inclusion.extensions import db
from inclusion.sessions.models import Skill, SkillAchievement
from tests import factories


def _skill(code: str) -> Skill:
    return db.session.scalar(select(Skill).where(Skill.code == code))


@pytest.mark.parametrize("role", ["champion", "funder"])
def test_champions_and_funders_cannot_manage_skills(client, login_as, role):
    login_as(role)

    assert client.get("/admin/skills").status_code == 403
    assert client.post("/admin/skills", data={"area": "COM", "title": "use the NHS App"}).status_code == 403


def test_a_coordinator_adds_a_local_skill_which_gets_the_next_code_of_its_area(client, login_as):
    login_as("coordinator")

    response = client.post("/admin/skills", data={"area": "COM", "title": " use  WhatsApp groups "})

    assert response.status_code == 302
    skill = _skill("COM-06")  # COM-01 to COM-05 are the framework's
    assert (skill.title, skill.area, skill.is_local, skill.framework) == (
        "use WhatsApp groups",
        "COM",
        True,
        "local",
    )
    assert "COM-06" in client.get("/admin/skills").get_data(as_text=True)


def test_codes_of_retired_local_skills_are_not_reused(login_as):
    first = skill_services.add_local_skill("TRA", "use the NHS App", acting_user_id=None)
    skill_services.set_local_skill_retired(first.id, True, acting_user_id=None)

    second = skill_services.add_local_skill("TRA", "use the council's bin collection app", acting_user_id=None)

    assert (first.code, second.code) == ("TRA-06", "TRA-07")


def test_a_skill_with_the_same_wording_in_the_same_area_is_refused(client, login_as):
    login_as("coordinator")

    response = client.post("/admin/skills", data={"area": "COM", "title": "Make a Video Call"})

    assert "There is already a skill &#39;Make a Video Call&#39; in that area (COM-03)" in response.get_data(
        as_text=True
    )
    assert _skill("COM-06") is None


def test_an_unknown_area_is_refused(client, login_as):
    login_as("coordinator")

    response = client.post("/admin/skills", data={"area": "XYZ", "title": "juggle"})

    assert "Choose one of the areas listed" in response.get_data(as_text=True)
    with pytest.raises(skill_services.SkillError, match="Unknown area"):
        skill_services.add_local_skill("XYZ", "juggle", acting_user_id=None)


def test_a_local_skill_can_be_reworded_and_the_change_is_audited(client, login_as):
    coordinator = login_as("coordinator")
    skill = skill_services.add_local_skill("TRA", "use the NHS app", acting_user_id=None)

    response = client.post(f"/admin/skills/{skill.id}/edit", data={"title": "use the NHS App to order prescriptions"})

    assert response.status_code == 302
    assert db.session.get(Skill, skill.id).title == "use the NHS App to order prescriptions"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "skill_reworded"))
    assert (event.user_id, event.before["title"]) == (coordinator.id, "use the NHS app")


def test_a_framework_skill_cannot_be_reworded_or_retired(client, login_as):
    login_as("coordinator")
    framework = _skill("FND-01")

    assert client.get(f"/admin/skills/{framework.id}/edit").status_code == 404
    assert client.post(f"/admin/skills/{framework.id}/edit", data={"title": "new words"}).status_code == 404
    page = client.post(f"/admin/skills/{framework.id}/retire", follow_redirects=True).get_data(as_text=True)
    assert "FND-01 is a framework skill" in page
    assert (_skill("FND-01").title, _skill("FND-01").retired_at) == ("turn on a device and sign in", None)
    with pytest.raises(skill_services.SkillError):
        skill_services.reword_local_skill(framework.id, "new words", acting_user_id=None)


def test_a_retired_skill_is_no_longer_offered_but_stays_in_the_list_and_in_history(client, login_as):
    login_as("coordinator")
    skill = skill_services.add_local_skill("SAF", "spot fake parcel delivery texts", acting_user_id=None)
    learner = factories.create_learner()
    factories.create_session(session_date=date(2026, 9, 4), attendees=[learner], skills={learner: ["SAF-06"]})

    client.post(f"/admin/skills/{skill.id}/retire")

    assert "SAF-06" not in [s.code for s in skill_services.offered_skills()]
    assert "SAF-06" in [s.code for s in skill_services.all_skills()]
    assert db.session.scalar(select(SkillAchievement.skill_id)) == skill.id
    assert "Retired" in client.get("/admin/skills").get_data(as_text=True)


def test_a_retired_skill_can_be_offered_again(client, login_as):
    login_as("coordinator")
    skill = skill_services.add_local_skill("SAF", "spot fake parcel delivery texts", acting_user_id=None)
    client.post(f"/admin/skills/{skill.id}/retire")

    client.post(f"/admin/skills/{skill.id}/reinstate")

    assert "SAF-06" in [s.code for s in skill_services.offered_skills()]


def test_offered_skills_come_in_area_order_then_code_order():
    skill_services.add_local_skill("FND", "charge a device", acting_user_id=None)

    codes = [s.code for s in skill_services.offered_skills()]

    assert codes[:10] == [f"FND-{n:02d}" for n in range(1, 11)]
    assert codes[10] == "COM-01"
    assert len(codes) == 32
