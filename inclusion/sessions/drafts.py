"""A half-entered session kept while the champion registers a new learner, then resumed."""

from flask import session
from werkzeug.datastructures import MultiDict

DRAFT_KEY = "session_draft"
_NOT_KEPT = {"csrf_token", "action", "add", "remove", "q"}  # the search box starts empty again


def save_draft(formdata: MultiDict, return_to: str) -> None:
    """Keep the posted session form (in the signed session cookie) and where to return to."""
    pairs = [(key, value) for key, value in formdata.items(multi=True) if key not in _NOT_KEPT]
    session[DRAFT_KEY] = {"pairs": pairs, "return_to": return_to}


def has_draft() -> bool:
    return DRAFT_KEY in session


def draft_return_to() -> str | None:
    draft = session.get(DRAFT_KEY)
    return draft["return_to"] if draft else None


def load_draft() -> MultiDict | None:
    draft = session.get(DRAFT_KEY)
    return MultiDict(draft["pairs"]) if draft else None


def add_attendee_to_draft(learner_id: int) -> None:
    draft = session.get(DRAFT_KEY)
    if draft is None:
        return
    if ["attendee", str(learner_id)] not in draft["pairs"] and ("attendee", str(learner_id)) not in draft["pairs"]:
        draft["pairs"].append(("attendee", str(learner_id)))
    session[DRAFT_KEY] = draft


def clear_draft() -> None:
    session.pop(DRAFT_KEY, None)
