"""The feed's operations under /api/v1 (flask-smorest: the same schemas validate, serialise and document)."""

from http import HTTPStatus

from flask import Blueprint as FlaskBlueprint
from flask import Response, request
from flask_smorest import Blueprint

from inclusion.api import schemas, services
from inclusion.api.auth import current_token, rate_limit, rate_limit_key, requires_token, without_usable_token
from inclusion.api.models import FIGURES_READ
from inclusion.api.problems import MONTH_NOT_AVAILABLE, VERSION_NOT_AVAILABLE, problem
from inclusion.auth.decorators import public
from inclusion.extensions import limiter
from inclusion.reports import funder_csv, versions
from inclusion.reports.periods import PeriodError, parse_month

blueprint = Blueprint("api", __name__, url_prefix="/api/v1", description="Open data feed: the funder CSV's cells")

SECURITY = [{"bearerAuth": []}]
ETAG_HEADER = {
    "description": "The cells' version: send it back in If-None-Match to get 304 while nothing changed",
    "schema": {"type": "string"},
}


def _limited(view):
    return limiter.limit(rate_limit, key_func=rate_limit_key, exempt_when=without_usable_token, methods=["GET"])(view)


def _problems(*statuses: int):
    """Document the problem responses an operation may give (components of inclusion.api.openapi)."""

    def decorator(view):
        for status in statuses:
            view = blueprint.alt_response(status, response=HTTPStatus(status).name)(view)
        return view

    return decorator


@blueprint.get("/months")
@blueprint.response(200, schemas.Months)
@_problems(401, 429)
@blueprint.doc(security=SECURITY, operationId="listMonths")
@requires_token(FIGURES_READ)
@_limited
def months():
    """Months with figures, oldest first: from the first session's month to the current month."""
    services.record_call(current_token(FIGURES_READ), status=200)
    return {
        "months": services.months_with_figures(),
        "versions": versions.available_versions(),
        "newest_version": versions.newest_version(),
    }


@blueprint.get("/figures")
@blueprint.response(200, schemas.Figures, headers={"ETag": ETAG_HEADER})
@blueprint.alt_response(304, response="NOT_MODIFIED")
@_problems(400, 401, 404, 429)
@blueprint.doc(security=SECURITY, operationId="getFigures")
@requires_token(FIGURES_READ)
@_limited
@blueprint.arguments(schemas.FiguresQuery, location="query", error_status_code=400, as_kwargs=True)
def figures(month: str, version: int | None = None):
    """Every cell of a month's funder CSV: measure, dimension, category and value (null when suppressed)."""
    token = current_token(FIGURES_READ)
    version = version or funder_csv.default_version()  # the version funders are sent
    try:
        period = parse_month(month)
    except PeriodError as error:  # the pattern let it through, so it is a month after the current one
        services.record_call(token, status=404, month=month, version=version)
        return problem(404, str(error), type_=MONTH_NOT_AVAILABLE)
    try:
        versions.rows_builder(version)
    except versions.UnknownVersionError as error:
        services.record_call(token, status=404, month=period.key, version=version)
        return problem(404, str(error), type_=VERSION_NOT_AVAILABLE, available=versions.available_versions())
    etag = services.figures_etag(period, version)
    if etag is not None and request.if_none_match.contains_weak(etag):  # RFC 9110: weak comparison
        services.record_call(token, status=304, month=period.key, version=version)
        return _not_modified(etag)
    cells = services.cached_figure_cells(period, version, etag)
    services.record_call(token, status=200, month=period.key, version=version)
    return {"month": period.key, "version": version, "cells": cells}, 200, _etag_headers(etag)


def _etag_headers(etag: str | None) -> dict:
    return {"ETag": f'"{etag}"'} if etag else {}


def _not_modified(etag: str) -> Response:
    response = Response(status=304)
    response.headers.update(_etag_headers(etag))
    return response


@blueprint.get("/reports")
@blueprint.response(200, schemas.Reports)
@_problems(401, 429)
@blueprint.doc(security=SECURITY, operationId="listReports")
@requires_token(FIGURES_READ)
@_limited
def reports():
    """The report archive's metadata, newest first: the month, version, when generated, SHA-256, whether sent."""
    services.record_call(current_token(FIGURES_READ), status=200)
    return {"reports": services.archived_reports()}


@public
def openapi():
    """The OpenAPI 3.1 document of the feed (no token needed: it holds no figures)."""
    from inclusion.api.openapi import document

    return document()


# Added as a plain Flask route, so that the document does not describe itself as an operation.
FlaskBlueprint.add_url_rule(blueprint, "/openapi.json", "openapi", openapi, methods=["GET"])
