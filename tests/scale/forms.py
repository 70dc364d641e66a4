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
    """Form data for a session at `venue_id` on `on` with the given attendees, each gaining the skills."""
    parser = FormFields()
    parser.feed(html)
    data: list[tuple[str, str]] = []
    references = "\n".join(learner_references)
    for field in parser.fields:
        name, kind, lowered = field["name"], field["type"], field["name"].lower()
        if kind in ("hidden",) or lowered == "csrf_token":
            data.append((name, field["value"]))
        elif lowered.endswith("-day"):
            data.append((name, str(on.day)))
        elif lowered.endswith("-month"):
            data.append((name, str(on.month)))
        elif lowered.endswith("-year"):
            data.append((name, str(on.year)))
        elif "date" in lowered:
            data.append((name, on.isoformat()))
        elif "venue" in lowered:
            data.append((name, str(venue_id)))
        elif "type" in lowered and kind in ("select", "radio"):
            data.append((name, "drop-in"))
        elif "duration" in lowered:
            data.append((name, "60"))
        elif "time" in lowered:
            data.append((name, "10:00"))
        elif "unregistered" in lowered:
            data.append((name, "0"))
        elif kind == "checkbox" and ("attendee" in lowered or "learner" in lowered):
            if field["value"] in {str(i) for i in learner_ids} | set(learner_references):
                data.append((name, field["value"]))
        elif kind == "checkbox" and "skill" in lowered:
            if field["value"] in {str(i) for i in skill_ids} | set(skill_codes):
                data.append((name, field["value"]))
        elif "attendee" in lowered or "learner" in lowered or "reference" in lowered:
            data.append((name, references))
        elif "skill" in lowered and kind in ("text", "textarea"):
            data.append((name, ";".join(skill_codes)))
    return data
