"""Coordinators' record-keeping pages: the duplicate queue, subject access and erasure."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from inclusion.auth.decorators import requires_role
from inclusion.database import row_id
from inclusion.learners import duplicates, merging, privacy, subject_access
from inclusion.learners.records_forms import AnonymiseForm, PairForm, UndoMergeForm
from inclusion.routing import BlueprintRoutes
from inclusion.sessions.history import learner_evidence

# Added to the blueprint by create_app (inclusion/__init__.py).
routes = BlueprintRoutes()

COORDINATORS = ("coordinator", "admin")


@routes.get("/duplicates", endpoint="duplicates")
@requires_role(*COORDINATORS)
def duplicates_queue():
    pairs = duplicates.find_duplicate_pairs()
    evidence = learner_evidence([learner.id for pair in pairs for learner in (pair.first, pair.second)])
    return render_template(
        "learners/duplicates.html",
        pairs=pairs,
        evidence=evidence,
        form=None,
        pair_form=PairForm(),
        merges=merging.recent_merges(),
    )


def _pair_or_400() -> PairForm:
    form = PairForm()
    if not form.validate_on_submit():
        abort(400)
    return form


@routes.post("/duplicates/merge")
@requires_role(*COORDINATORS)
def merge_pair():
    form = _pair_or_400()
    ids = {form.first_id.data, form.second_id.data}
    keep_id = row_id(form.keep.data)
    if keep_id not in ids:
        flash("Choose which record to keep.")
        return redirect(url_for("learners.duplicates"))
    (duplicate_id,) = ids - {keep_id} or (keep_id,)
    try:
        event = merging.merge_learners(keep_id, duplicate_id, acting_user_id=current_user.id)
    except merging.MergeError as error:
        flash(str(error))
    else:
        flash(
            f"Merged {event.details['merged_reference']} into {event.details['kept_reference']}. "
            "You can undo this below.",
            "success",
        )
    return redirect(url_for("learners.duplicates"))


@routes.post("/duplicates/dismiss")
@requires_role(*COORDINATORS)
def dismiss_pair():
    form = _pair_or_400()
    try:
        duplicates.dismiss_pair(form.first_id.data, form.second_id.data, acting_user_id=current_user.id)
    except duplicates.DuplicateError as error:
        flash(str(error))
    else:
        flash("Marked as different people. The pair will not be suggested again.", "success")
    return redirect(url_for("learners.duplicates"))


@routes.post("/merges/<int:event_id>/undo")
@requires_role(*COORDINATORS)
def undo_merge(event_id: int):
    if not UndoMergeForm().validate_on_submit():
        abort(400)
    try:
        learner = merging.undo_merge(event_id, acting_user_id=current_user.id)
    except merging.MergeError as error:
        flash(str(error))
    else:
        flash(f"The merge was undone: {learner.reference} is a separate record again.", "success")
    target = request.form.get("next", "")
    return redirect(
        target if target.startswith("/") and not target.startswith("//") else url_for("learners.duplicates")
    )


@routes.get("/<reference>/export")
@requires_role(*COORDINATORS)
def subject_access_export(reference: str):
    try:
        filename, content = subject_access.subject_access_export(
            reference, acting_user=current_user, alliance=current_app.config["ALLIANCE_NAME"]
        )
    except privacy.PrivacyError:
        abort(404)
    return (
        content,
        200,
        {
            "Content-Type": "application/zip",
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@routes.route("/<reference>/anonymise", methods=["GET", "POST"])
@requires_role(*COORDINATORS)
def anonymise(reference: str):
    learner = privacy.find_learner(reference) or abort(404)
    form = AnonymiseForm()
    if learner.anonymised_at is None and form.validate_on_submit():
        try:
            privacy.anonymise_learner(reference, form.confirmation.data, acting_user=current_user)
        except privacy.PrivacyError as error:
            form.confirmation.errors.append(str(error))
        else:
            flash(
                f"The personal details of {learner.reference} were erased. Attendance and skills are kept "
                "for the alliance's figures.",
                "success",
            )
            return redirect(url_for("learners.anonymise", reference=learner.reference))
    return render_template("learners/anonymise.html", learner=learner, form=form)
