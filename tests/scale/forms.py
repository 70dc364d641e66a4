"""Fill in the session form of /sessions/new from its HTML, as a champion would.

The form belongs to the sessions feature (issue 3); field names are read from the page, and the
few that must be chosen (venue, date, attendees, skills) are matched by what they are called.
Shared by the multi-host test and the benchmark so both drive the same real form.
"""

from datetime import date
from html.parser import HTMLParser


class FormFields(HTMLParser):
    """The named controls of the first form posting to the page: inputs, selects and textareas."""

    def __init__(self):
        super().__init__()
        self.fields: list[dict] = []
        self._select: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        name = attributes.get("name")
        if tag == "input" and name:
            self.fields.append(
                {
                    "tag": "input",
                    "name": name,
                    "type": attributes.get("type", "text"),
                    "value": attributes.get("value", ""),
                    "id": attributes.get("id", ""),
                }
            )
        elif tag == "textarea" and name:
            self.fields.append({"tag": "textarea", "name": name, "type": "textarea", "value": ""})
        elif tag == "select" and name:
            self._select = {"tag": "select", "name": name, "type": "select", "options": []}
            self.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(attributes.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def fill_session_form(
    html: str,
    *,
    venue_id: int,
    on: date,
    learner_ids: list[int],
    learner_references: list[str],
    skill_codes: list[str],
    skill_ids: list[int],
):
    """Form data for a session at `venue_id` on `on` with the given attendees, each gaining the skills.

    The page's own fields are read from its HTML (the date is three inputs all named
    `session_date`, told apart by their ids); the attendees are the form's `attendee` values
    (learner ids) and each one's skills `skills-<learner id>` values (skill codes), which the
    page adds as a champion picks people, so they are added here as the browser would post them.
    """
    del learner_references, skill_ids  # the form identifies people by id and skills by code
    parser = FormFields()
    parser.feed(html)
    data: list[tuple[str, str]] = []
    chosen: set[str] = set()
    date_parts = {"day": on.day, "month": on.month, "year": on.year}
    for field in parser.fields:
        name, kind, lowered = field["name"], field["type"], field["name"].lower()
        part = (field.get("id") or "").rsplit("-", 1)[-1]
        if kind == "hidden" or lowered == "csrf_token":
            if name not in chosen:
                data.append((name, field["value"]))
        elif "date" in lowered and part in date_parts:
            data.append((name, str(date_parts[part])))
            continue
        elif "date" in lowered:
            data.append((name, on.isoformat()))
        elif "venue" in lowered:
            data.append((name, str(venue_id)))
        elif "type" in lowered and kind in ("select", "radio"):
            if name not in chosen:
                data.append((name, "drop-in"))
        elif "duration" in lowered:
            data.append((name, "60"))
        elif "time" in lowered:
            data.append((name, "10:00"))
        elif "unregistered" in lowered:
            data.append((name, "0"))
        chosen.add(name)
    for learner_id in learner_ids:
        data.append(("attendee", str(learner_id)))
        data.extend((f"skills-{learner_id}", code) for code in skill_codes)
    return data
