"""Every form of the app, found on the pages each actor can open, answers random input with a page.

No form is named here: they are discovered (tests/security/support.py forms_on), so a form merged
later is fuzzed without editing this file.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.support import forms_on, readable_pages
from tests.security.test_injection import is_submitted

RANDOM_TEXT = st.one_of(
    st.text(max_size=120),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "99999999999999999999",
            "2026-02-30",
            "31/12/1899",
            "1e309",
            "NaN",
            "\x00",
            "<b>",
            "' OR 1=1 --",
            "%",
            "🙂",
            "\u202e",
            "a" * 2000,
        ]
    ),
)


def _forms(client, pages):
    found = {}
    for url in pages:
        response = client.get(url)
        if response.status_code == 200 and response.mimetype == "text/html":
            for form in forms_on(url, response.get_data(as_text=True)):
                found.setdefault((form.method, form.action), form)
        # A download streams (stream_with_context): closed now, its request context is popped in order,
        # not when the collector finds it later, inside another test's request.
        response.close()
    return [form for form in found.values() if is_submitted(form)]


# The same fixed-shape draw every example: the forms found can change between examples (an earlier
# example may have added a venue or closed one), and Hypothesis needs each example to draw alike.
FIELD_SLOTS = 48
VALUES = st.lists(RANDOM_TEXT, min_size=FIELD_SLOTS, max_size=FIELD_SLOTS)
KEEPS = st.lists(st.booleans(), min_size=FIELD_SLOTS, max_size=FIELD_SLOTS)


@pytest.mark.parametrize("actor", ["anonymous", "champion", "coordinator", "admin"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=VALUES, keeps=KEEPS)
def test_every_form_answers_random_input_without_a_server_error(
    app, world, client_as, monkeypatch, actor, texts, keeps
):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "100000 per minute")  # reach the form, not the limit
    client = client_as(actor)
    forms = _forms(client, readable_pages(app, world, actor))
    assert forms, f"no form found for {actor}"
    slot = 0
    for form in forms:
        values = dict(form.fields)
        for name in list(values) + form.text_fields:
            # Choices are sometimes kept, sometimes replaced by anything at all.
            keep = name in form.fields and keeps[slot % FIELD_SLOTS]
            values[name] = values[name] if keep else texts[slot % FIELD_SLOTS]
            slot += 1
        if form.method == "post":
            response = client.post(form.action, data=values)
        else:
            response = client.get(form.action, query_string=values)
        response.close()
        assert response.status_code < 500, f"{actor} {form} {values!r}"
