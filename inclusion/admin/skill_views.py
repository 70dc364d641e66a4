"""Skills pages: the framework list, and local skills coordinators add, reword or retire."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from inclusion.admin import skill_services
from inclusion.admin.forms import LocalSkillForm, RewordSkillForm
from inclusion.auth.decorators import requires_role
from inclusion.routing import BlueprintRoutes
from inclusion.sessions.constants import SKILL_AREAS

# Added to the blueprint by create_app (inclusion/__init__.py).
routes = BlueprintRoutes()

SKILL_MANAGERS = ("coordinator", "admin")


@routes.route("/skills", methods=["GET", "POST"])
@requires_role(*SKILL_MANAGERS)
def skills():
    form = LocalSkillForm()
    if form.validate_on_submit():
        try:
            skill = skill_services.add_local_skill(form.area.data, form.title.data, acting_user_id=current_user.id)
        except skill_services.SkillError as error:
            form.title.errors.append(str(error))
        else:
            flash(f"Added {skill.code}: {skill.title}.", "success")
            return redirect(url_for("admin.skills"))
    by_area = {area: [] for area in SKILL_AREAS}
    for skill in skill_services.all_skills():
        by_area[skill.area].append(skill)
    return render_template("admin/skills.html", form=form, by_area=by_area, areas=SKILL_AREAS)


def _local_skill_or_404(skill_id: int):
    try:
        skill = skill_services.get_skill(skill_id)
    except LookupError:
        abort(404)
    if not skill.is_local:
        abort(404)  # framework skills have no edit page: their wording is fixed
    return skill


@routes.route("/skills/<int:skill_id>/edit", methods=["GET", "POST"])
@requires_role(*SKILL_MANAGERS)
def edit_skill(skill_id: int):
    skill = _local_skill_or_404(skill_id)
    form = RewordSkillForm(data={"title": skill.title})
    if form.validate_on_submit():
        try:
            skill_services.reword_local_skill(skill.id, form.title.data, acting_user_id=current_user.id)
        except skill_services.SkillError as error:
            form.title.errors.append(str(error))
        else:
            flash(f"Saved the wording of {skill.code}.", "success")
            return redirect(url_for("admin.skills"))
    return render_template("admin/edit_skill.html", form=form, skill=skill, area_name=SKILL_AREAS[skill.area])


@routes.post("/skills/<int:skill_id>/retire")
@requires_role(*SKILL_MANAGERS)
def retire_skill(skill_id: int):
    return _set_retired(skill_id, True)


@routes.post("/skills/<int:skill_id>/reinstate")
@requires_role(*SKILL_MANAGERS)
def reinstate_skill(skill_id: int):
    return _set_retired(skill_id, False)


def _set_retired(skill_id: int, retired: bool):
    try:
        skill = skill_services.set_local_skill_retired(skill_id, retired, acting_user_id=current_user.id)
    except LookupError:
        abort(404)
    except skill_services.SkillError as error:
        flash(str(error), "info")
    else:
        what = "is offered again"
        if retired:
            what = "is retired: it stays in history and figures but is no longer offered"
        flash(f"{skill.code} {what}.", "success")
    return redirect(url_for("admin.skills"))
