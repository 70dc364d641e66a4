"""Milestones pages: targets of adults helped, and which one the dashboard and CSV use."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from inclusion.admin import milestone_services
from inclusion.admin.forms import MilestoneForm
from inclusion.auth.decorators import requires_role
from inclusion.routing import BlueprintRoutes

# Added to the blueprint by create_app (inclusion/__init__.py).
routes = BlueprintRoutes()


@routes.route("/milestones", methods=["GET", "POST"])
@requires_role("admin")
def milestones():
    form = MilestoneForm()
    if form.validate_on_submit():
        try:
            milestone = milestone_services.add_milestone(
                form.name.data, form.target.data, form.start_date.data, acting_user_id=current_user.id
            )
        except milestone_services.MilestoneError as error:
            form.name.errors.append(str(error))
        else:
            flash(f"Added milestone {milestone.name}.", "success")
            return redirect(url_for("admin.milestones"))
    return render_template("admin/milestones.html", form=form, milestones=milestone_services.list_milestones())


@routes.route("/milestones/<int:milestone_id>/edit", methods=["GET", "POST"])
@requires_role("admin")
def edit_milestone(milestone_id: int):
    try:
        milestone = milestone_services.get_milestone(milestone_id)
    except LookupError:
        abort(404)
    form = MilestoneForm(data={"name": milestone.name, "target": milestone.target, "start_date": milestone.start_date})
    if form.validate_on_submit():
        try:
            milestone_services.update_milestone(
                milestone.id,
                form.name.data,
                form.target.data,
                form.start_date.data,
                acting_user_id=current_user.id,
            )
        except milestone_services.MilestoneError as error:
            form.name.errors.append(str(error))
        else:
            flash(f"Saved milestone {milestone.name}.", "success")
            return redirect(url_for("admin.milestones"))
    return render_template("admin/edit_milestone.html", form=form, milestone=milestone)


@routes.post("/milestones/<int:milestone_id>/make-current")
@requires_role("admin")
def make_milestone_current(milestone_id: int):
    try:
        milestone = milestone_services.make_current(milestone_id, acting_user_id=current_user.id)
    except LookupError:
        abort(404)
    flash(f"{milestone.name} is now the current milestone: the dashboard and monthly files use it.", "success")
    return redirect(url_for("admin.milestones"))
