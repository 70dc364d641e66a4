"""Schemathesis generates calls from the OpenAPI document: no 5xx, and every answer matches the document.

The document is read from the running app (/api/v1/openapi.json) and every operation in it gets a
bounded number of generated calls with a valid token, checked by all of schemathesis's default
checks (no server error, status code and content type documented, body valid against its schema,
headers as documented).
"""

from datetime import date

import schemathesis
from hypothesis import HealthCheck, given, settings

from tests import factories

EXAMPLES_PER_OPERATION = 25


def _check_operation(operation, headers) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    def _calls(case):
        case.call_and_validate(headers=headers)

    _calls()


def test_every_operation_answers_as_its_document_says(app, feed_token):
    venue = factories.create_venue("Central Library")
    factories.create_session(venue, date(2026, 10, 6), attendees=[factories.create_learner()])
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {operation.path for operation in operations} == {"/api/v1/months", "/api/v1/figures", "/api/v1/reports"}
    for operation in operations:
        _check_operation(operation, {"Authorization": f"Bearer {feed_token}"})
