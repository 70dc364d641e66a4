"""Downloading the learners, sessions and attendances lists, with their pages' filters, as CSV or XLSX."""

from flask import Blueprint, Response, abort, request, stream_with_context
from flask_login import current_user

from inclusion.auth.decorators import requires_role
from inclusion.exports import services
from inclusion.learners.filters import FilterNotAllowed, LearnerFilters
from inclusion.sessions.filters import SessionFilters
from inclusion.templating import refused_filter

blueprint = Blueprint("exports", __name__, url_prefix="/exports")
# Never funders: every export names learners or the sessions they attended.
PEOPLE = ("champion", "coordinator", "admin")
FORMAT = "<any(csv, xlsx):fmt>"


def _download(list_name: str, fmt: str, filters):
    try:
        export = services.start_export(current_user, list_name, fmt, filters)
    except FilterNotAllowed as refused:
        return refused_filter(refused)
    except LookupError:
        abort(404)
    response = Response(stream_with_context(export.chunks), mimetype=export.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{export.file_name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get(f"/learners.{FORMAT}")
@requires_role(*PEOPLE)
def learners(fmt: str):
    return _download("learners", fmt, LearnerFilters.from_args(request.args))


@blueprint.get(f"/sessions.{FORMAT}")
@requires_role(*PEOPLE)
def sessions(fmt: str):
    return _download("sessions", fmt, SessionFilters.from_args(request.args))


@blueprint.get(f"/attendances.{FORMAT}")
@requires_role(*PEOPLE)
def attendances(fmt: str):
    return _download("attendances", fmt, SessionFilters.from_args(request.args))
