"""The feed's OpenAPI 3.1 document, built by flask-smorest (apispec) from the views and their schemas.

flask-smorest's own error handling is left out: it would answer every HTTP error of the whole site
in JSON. The feed's errors are problem details (inclusion/api/problems.py), documented here.
"""

import http

from flask import Flask, current_app
from flask_smorest import Api

from inclusion.api import schemas
from inclusion.api.problems import MEDIA_TYPE

# The errors a feed operation can answer with, each documented as a problem response.
PROBLEM_STATUSES = (400, 401, 404, 405, 429, 500)


class FeedApi(Api):
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_error_handlers(self):
        """Errors are answered by inclusion.api.problems for paths under /api/ only."""

    def _register_responses(self):
        for status in PROBLEM_STATUSES:
            phrase = http.HTTPStatus(status)
            content = {MEDIA_TYPE: {"schema": schemas.Problem}}
            self.spec.components.response(phrase.name, {"description": phrase.phrase, "content": content}, lazy=True)
        self.spec.components.response(
            "NOT_MODIFIED", {"description": "Not modified: the cells are unchanged"}, lazy=True
        )


def register(app: Flask) -> FeedApi:
    app.config.setdefault("API_TITLE", f"{app.config.get('ALLIANCE_NAME', 'Inclusion')} open data feed")
    app.config.setdefault("API_VERSION", "1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    feed = FeedApi(
        app,
        spec_kwargs={
            "info": {
                "description": (
                    "The cells of the monthly funder CSV as JSON, for BI tools: aggregate figures only, "
                    "small numbers suppressed. Every operation but this document needs a bearer token "
                    "with the scope figures:read."
                )
            }
        },
    )
    feed.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "A token issued by an admin"}
    )
    from inclusion.api.views import blueprint

    feed.register_blueprint(blueprint)
    return feed


def document() -> dict:
    return current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
