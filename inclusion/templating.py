"""Template globals: the navigation each role sees, and small formatting filters."""

from datetime import date, datetime

from flask import Flask, current_app, render_template, request, url_for
from flask_login import current_user

from inclusion.rules import SEARCH_MAX_LENGTH
from inclusion.timeutil import to_london

# (endpoint, label, roles). An entry appears only once its view exists.
NAVIGATION = (
    ("learners.index", "Learners", ("champion", "coordinator", "admin")),
    ("sessions.index", "Sessions", ("champion", "coordinator", "admin")),
    ("followups.index", "Follow-ups", ("champion", "coordinator", "admin")),
    ("devices.index", "Devices", ("champion", "coordinator", "admin")),
    ("regular.index", "Regular sessions", ("champion", "coordinator", "admin")),
    ("reports.dashboard", "Dashboard", ("champion", "coordinator", "funder", "admin")),
    ("reports.champion_activity", "Champion activity", ("coordinator", "admin")),
    ("imports.index", "Import", ("coordinator", "admin")),
    ("learners.duplicates", "Duplicates", ("coordinator", "admin")),
    ("partners.venues", "Venues", ("coordinator", "admin")),
    ("signposts.directory", "Signposting", ("coordinator", "admin")),
    ("admin.skills", "Skills", ("coordinator", "admin")),
    ("partners.partners", "Partners", ("admin",)),
    ("admin.users", "Users", ("admin",)),
    ("admin.milestones", "Milestones", ("admin",)),
    ("admin.audit", "Audit log", ("admin",)),
    ("admin.api_tokens", "Data feed", ("admin",)),
    ("core.help", "Help", ("champion", "coordinator", "funder", "admin")),
)


def navigation_items() -> list[dict]:
    if not current_user.is_authenticated:
        return []
    items = []
    for endpoint, label, roles in NAVIGATION:
        if current_user.role in roles and endpoint in current_app.view_functions:
            href = url_for(endpoint)
            prefix = href.rstrip("/") or "/"
            items.append({"href": href, "text": label, "active": request.path.startswith(prefix)})
    return items


def refused_filter(refused: Exception):
    """A list filter the user may not use, said plainly (403): never an emptied or widened list."""
    page = render_template("errors/error.html", status=403, title="You cannot use that filter", hint=str(refused))
    return page, 403


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return to_london(value).strftime("%-d %B %Y %H:%M")
    return value.strftime("%-d %B %Y")


def register_template_helpers(app: Flask) -> None:
    app.add_template_global(navigation_items)
    app.add_template_global(lambda: current_app.view_functions.keys(), "current_app_endpoints")
    app.add_template_filter(format_date, "date")

    @app.context_processor
    def _site():
        return {
            "alliance_name": app.config["ALLIANCE_NAME"],
            "support_email": app.config["SUPPORT_EMAIL"],
            "search_max_length": SEARCH_MAX_LENGTH,  # maxlength of the hand-written search boxes
        }
