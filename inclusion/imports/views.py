"""Spreadsheet import pages: upload, check and preview, then confirm."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from inclusion.auth.decorators import requires_role
from inclusion.imports import services, uploads
from inclusion.imports.cli import LABELS
from inclusion.imports.forms import ConfirmForm, UploadForm
from inclusion.imports.parsing import ImportFileError
from inclusion.imports.summary import import_summary

blueprint = Blueprint("imports", __name__, url_prefix="/imports")
PREVIEW_ROWS = 10


@blueprint.route("/", methods=["GET", "POST"])
@requires_role("coordinator", "admin")
def index():
    form = UploadForm()
    if form.validate_on_submit():
        data = form.file.data.read(services.max_import_bytes() + 1)
        filename = form.file.data.filename or "upload"
        try:
            table = services.read_upload_table(data, filename)  # an unreadable file is reported here, not stored
        except ImportFileError as error:
            form.file.errors.append(str(error))
        else:
            token = uploads.store_upload(form.kind.data, table, filename, current_user.id)
            return redirect(url_for("imports.preview", token=token))
    return render_template("imports/index.html", form=form, recent=services.recent_imports(), labels=LABELS)


def _gone(expired: bool):
    """An upload that is past its lifetime (410), or not there at all: imported, discarded, purged (404)."""
    page = render_template("imports/gone.html", expired=expired, lifetime=uploads.UPLOAD_LIFETIME)
    return page, 410 if expired else 404


@blueprint.get("/<token>")
@requires_role("coordinator", "admin")
def preview(token: str):
    try:
        upload = uploads.find_upload(token, current_user.id)
    except uploads.UploadExpired:
        return _gone(expired=True)
    if upload is None:
        return _gone(expired=False)
    table = uploads.unpack_table(upload.parsed_table)
    result = services.import_table(upload.kind, table, filename=upload.filename, dry_run=True)
    return render_template(
        "imports/preview.html",
        upload=upload,
        table=table,
        rows=table.rows[:PREVIEW_ROWS],
        result=result,
        labels=LABELS,
        form=ConfirmForm(),
        token=token,
    )


@blueprint.post("/<token>")
@requires_role("coordinator", "admin")
def confirm(token: str):
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        result = services.confirm_upload(token, current_user.id)
    except uploads.UploadExpired:
        return _gone(expired=True)
    except ImportFileError as error:
        flash(str(error))
        return redirect(url_for("imports.index"))
    if result is None:
        return _gone(expired=False)
    if not result.written:
        flash("The file has problems now (the records it refers to may have changed). Nothing was imported.")
        return redirect(url_for("imports.preview", token=token))
    flash(import_summary(result.rows, result.counts), "success")
    return redirect(url_for("imports.index"))


@blueprint.post("/<token>/cancel")
@requires_role("coordinator", "admin")
def cancel(token: str):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    uploads.discard_upload(token, current_user.id)
    flash("The upload was discarded. Nothing was imported.")
    return redirect(url_for("imports.index"))
