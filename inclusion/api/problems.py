"""Errors of the feed as RFC 9457 problem details (application/problem+json), never an HTML page."""

from http import HTTPStatus

from flask import Response, json, request

API_PREFIX = "/api/"
MEDIA_TYPE = "application/problem+json"
# Our own problem types (documented in docs/api.md); plain HTTP errors use "about:blank".
INVALID_PARAMETER = "urn:inclusion:problem:invalid-parameter"
VERSION_NOT_AVAILABLE = "urn:inclusion:problem:version-not-available"
MONTH_NOT_AVAILABLE = "urn:inclusion:problem:month-not-available"
UNAUTHORISED = "urn:inclusion:problem:token-required"

DETAILS = {
    401: "Send a valid token of the feed: Authorization: Bearer <token>.",
    404: "There is nothing at this address. The feed's operations are listed in /api/v1/openapi.json.",
    405: "The feed is read-only: use GET.",
    429: "Too many requests with this token. Wait a little (see Retry-After), then try again.",
    500: "Sorry, there is a problem with the service. Try again later.",
}


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def problem(status: int, detail: str | None = None, *, type_: str = "about:blank", **extra) -> Response:
    body = {
        "type": type_,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail or DETAILS.get(status, HTTPStatus(status).description),
        **extra,
    }
    response = Response(json.dumps(body), status=status, mimetype=MEDIA_TYPE)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="inclusion-feed"'
    return response


def problem_for_http_error(error) -> Response:
    """An HTTPException raised under /api/ (by us, webargs, Flask-Limiter or routing) as a problem."""
    status = getattr(error, "code", None) or 500
    data = getattr(error, "data", None) or {}
    messages = data.get("messages")
    if status in (400, 422) and messages:
        # webargs' validation errors: {location: {parameter: [message, ...]}}
        errors = {name: list(texts) for location in messages.values() for name, texts in location.items()}
        first = next(iter(errors.items()))
        detail = f"{first[0]}: {' '.join(str(text) for text in first[1])}"
        return problem(400, detail, type_=INVALID_PARAMETER, errors=errors)
    response = problem(status)
    if status == 405 and getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response
