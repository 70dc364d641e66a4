"""Shared machinery of the security suite: the routes of the app, who may reach them, and checks.

Every view declares who may reach it: `@public`, or `@requires_role(...)`. A view with neither is
for any signed-in user, and must be listed in SIGNED_IN_VIEWS below, so that a new route is a
decision someone made rather than an accident. Routes with URL parameters take sample values
from SAMPLE_ARGS, built from the `world` fixture.
"""

import secrets
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser

from flask import url_for

from config import TestConfig
from inclusion import create_app
from inclusion.auth.models import LoginSession
from inclusion.extensions import db

PUBLIC = "public"
SIGNED_IN = "signed-in"
# Routes of the open data feed (@requires_token): a bearer token is the only credential, so every
# actor of the pages, signed in or not, gets 401; only a request with a token gets in.
TOKEN = "token"

# Views without a declaration that any signed-in user may reach, whatever their role.
# Add a view here only if every role (funders too) may see it.
SIGNED_IN_VIEWS = {
    "core.home",
    "auth.logout",
    "auth.two_factor_status",
    "auth.two_factor_setup",
    "auth.two_factor_recovery_codes",
    "auth.two_factor_turn_off",
    "auth.account",
    "auth.change_password",
    "auth.sign_out_other_devices",
}

# Views for machines, not people: exempt from sign-in (so declared @public, and probed like the other
# public views from the test client's loopback address, which they allow), but answering anyone else,
# signed in or not, as if they did not exist unless the request shows a token. They are marked by their
# guard (`scrapers_only`); tests/security/test_scrapers.py holds the list to this and probes refused
# addresses for every actor.
SCRAPER_VIEWS = {"observability.metrics"}
REFUSED_ADDRESS = "203.0.113.50"  # TEST-NET-3: never a configured scraper


def _learner(world):
    return {"reference": world.learner.reference}


def _session(world):
    return {"session_id": world.learning_session.id}


def _skill(world):
    from tests.factories import skill

    return {"skill_id": skill("FND-01").id}


def _devices(world):
    """A laptop at partner A's venue on loan to the world's learner (made once per world, on first use)."""
    if not hasattr(world, "device_loan"):
        from tests.factories import create_device, create_loan

        device = create_device(world.venue)
        world.device_loan = create_loan(device, world.learner, lent_by=world.users["champion"])
    return world.device_loan


def _device(world):
    return {"device_id": _devices(world).device_id}


def _loan(world):
    return {"loan_id": _devices(world).id}


def _signpost(world):
    """A signpost of the world's learner (made at its venue, to the other partner), made once."""
    from inclusion.signposts.models import Signpost
    from tests.factories import create_signpost

    signpost = db.session.scalar(db.select(Signpost).where(Signpost.learner_id == world.learner.id).limit(1))
    if signpost is None:
        champion = world.users["champion"]
        signpost = create_signpost(world.learner, world.venue, to_partner=world.other_partner, made_by=champion)
    return {"signpost_id": signpost.id}


def _service(world):
    from inclusion.signposts.models import SignpostService
    from tests.factories import create_service

    service = db.session.scalar(db.select(SignpostService).limit(1)) or create_service()
    return {"service_id": service.id}


# endpoint -> (function of the world giving the URL's values, whether the record belongs to a partner:
# a champion of another partner must then get 403 or 404).
SAMPLE_ARGS = {
    "static": (lambda world: {"filename": "build/app.css"}, False),
    "learners.detail": (_learner, True),
    "learners.edit": (_learner, True),
    "learners.anonymise": (_learner, True),
    "learners.subject_access_export": (_learner, True),
    "outcomes.new_check": (_learner, True),
    "followups.record": (_learner, True),
    "outcomes.skills_passport": (_learner, True),
    "signposts.new": (_learner, True),
    "signposts.delete": (_signpost, True),
    "signposts.edit_service": (_service, False),
    "signposts.retire_service": (_service, False),
    # Lists, not records: another partner's champion gets their own partner's (empty) list.
    "exports.learners": (lambda world: {"fmt": "csv"}, False),
    "exports.sessions": (lambda world: {"fmt": "xlsx"}, False),
    "exports.attendances": (lambda world: {"fmt": "csv"}, False),
    "learners.undo_merge": (lambda world: {"event_id": world.merge_event_id}, False),
    "sessions.detail": (_session, True),
    "sessions.edit": (_session, True),
    "sessions.delete": (_session, True),
    "reports.monthly_csv": (lambda world: {"month": world.month}, False),
    "reports.run_download": (lambda world: {"run_id": world.report_run.id}, False),
    "imports.preview": (lambda world: {"token": world.upload_token}, False),
    "imports.confirm": (lambda world: {"token": world.upload_token}, False),
    "imports.cancel": (lambda world: {"token": world.upload_token}, False),
    "auth.accept_invitation": (lambda world: {"token": world.invitation_token}, False),
    "auth.reset_password": (lambda world: {"token": world.reset_token}, False),
    "admin.user": (lambda world: {"user_id": world.target_user.id}, False),
    "admin.deactivate_user": (lambda world: {"user_id": world.target_user.id}, False),
    "admin.reactivate_user": (lambda world: {"user_id": world.target_user.id}, False),
    "admin.resend_invitation": (lambda world: {"user_id": world.target_user.id}, False),
    "admin.edit_skill": (_skill, False),
    "admin.retire_skill": (_skill, False),
    "admin.reinstate_skill": (_skill, False),
    "admin.edit_milestone": (lambda world: {"milestone_id": world.milestone.id}, False),
    "admin.make_milestone_current": (lambda world: {"milestone_id": world.milestone.id}, False),
    "partners.edit_partner": (lambda world: {"partner_id": world.partner.id}, False),
    "partners.edit_venue": (lambda world: {"venue_id": world.venue.id}, False),
    "partners.close_venue": (lambda world: {"venue_id": world.venue.id}, False),
    "partners.reopen_venue": (lambda world: {"venue_id": world.venue.id}, False),
    "devices.detail": (_device, True),
    "devices.edit": (_device, True),
    "devices.move": (_device, True),
    "devices.retire": (_device, True),
    "devices.venue_stock": (lambda world: {"venue_id": world.venue.id}, True),
    "devices.overdue": (lambda world: {"venue_id": world.venue.id}, True),
    "devices.lend": (_learner, True),
    "devices.gift": (_learner, True),
    "devices.data_gift": (_learner, True),
    "devices.return_loan": (_loan, True),
    "devices.extend_loan": (_loan, True),
    "regular.edit": (lambda world: {"slot_id": world.regular_session.id}, True),
    "regular.delete": (lambda world: {"slot_id": world.regular_session.id}, True),
    "regular.log": (lambda world: {"slot_id": world.regular_session.id}, True),
    "admin.revoke_api_token": (lambda world: {"token_id": world.api_token.token.id}, False),
}

ACTORS = ("anonymous", "champion", "other_champion", "coordinator", "funder", "admin")


@dataclass(frozen=True)
class Route:
    endpoint: str
    rule: str
    method: str
    arguments: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.method} {self.rule}"


@cache
def route_app():
    """An app built only to read its URL map and views at collection time (it never connects)."""
    return create_app(TestConfig, SQLALCHEMY_DATABASE_URI="sqlite://")


def discovered_routes() -> list[Route]:
    routes = []
    for rule in route_app().url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append(Route(rule.endpoint, rule.rule, method, tuple(sorted(rule.arguments))))
    return sorted(routes, key=lambda route: (route.rule, route.method))


def post_routes() -> list[Route]:
    return [route for route in discovered_routes() if route.method == "POST"]


def declared_access(app, endpoint: str):
    """PUBLIC, SIGNED_IN, TOKEN or the tuple of allowed roles; None if the view declares nothing."""
    if endpoint == "static":
        return PUBLIC
    view = app.view_functions[endpoint]
    if getattr(view, "token_scope", None):
        return TOKEN
    if getattr(view, "is_public", False):
        return PUBLIC
    roles = getattr(view, "allowed_roles", None)
    if roles:
        return tuple(str(role) for role in roles)
    return SIGNED_IN if endpoint in SIGNED_IN_VIEWS else None


def url_for_route(route: Route, world) -> str:
    """The route's path, with sample values for its parameters (fails if it has none in SAMPLE_ARGS)."""
    values = {}
    if route.arguments:
        if route.endpoint not in SAMPLE_ARGS:
            raise AssertionError(
                f"{route.endpoint} ({route.rule}) takes {', '.join(route.arguments)}: add sample values "
                f"for it to SAMPLE_ARGS in tests/security/support.py"
            )
        values = SAMPLE_ARGS[route.endpoint][0](world)
    return url_for(route.endpoint, **values)


def is_partner_scoped(endpoint: str) -> bool:
    return SAMPLE_ARGS.get(endpoint, (None, False))[1]


def sign_in(client, user) -> str:
    """Sign a test client in as `user` without the (deliberately slow) password check."""
    login_session = LoginSession(id=secrets.token_urlsafe(32), user_id=user.id)
    db.session.add(login_session)
    db.session.commit()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = login_session.id
        flask_session["_fresh"] = True
        flask_session.permanent = True
    return login_session.id


class _InlineCodeFinder(HTMLParser):
    DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_title = False

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        line = self.getpos()[0]
        if self._in_title:  # browsers show it as text: a block of the layout was filled with markup
            self.problems.append(f"line {line}: <{tag}> inside <title>")
        if tag == "title":
            self._in_title = True
        if tag == "script" and not attributes.get("src") and attributes.get("type") not in self.DATA_SCRIPT_TYPES:
            self.problems.append(f"line {line}: inline <script> (put it in assets/js)")
        if tag == "style":
            self.problems.append(f"line {line}: inline <style> block (put it in assets/scss)")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"line {line}: event handler attribute {name} on <{tag}>")
            if name == "style":
                self.problems.append(f"line {line}: style attribute on <{tag}>")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"line {line}: javascript: URL in {name} of <{tag}>")


def inline_code_problems(html: str) -> list[str]:
    """What in a page the Content-Security-Policy would block: inline scripts, handlers, styles."""
    finder = _InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


def _csp_directives(policy: str) -> dict[str, list[str]]:
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def holds_personal_data(route: Route) -> bool:
    """Whether a route's answers may hold personal data (and so must never be stored by a browser).

    Static files and the open data feed (aggregate figures only, kept by BI tools to revalidate
    with an ETag) do not.
    """
    return route.endpoint != "static" and not route.rule.startswith("/api/")


def security_header_problems(response, *, personal: bool = True) -> list[str]:
    """Missing or weak security headers on one response."""
    headers = response.headers
    problems = []
    policy = headers.get("Content-Security-Policy")
    if not policy:
        problems.append("no Content-Security-Policy")
    else:
        directives = _csp_directives(policy)
        scripts = directives.get("script-src", directives.get("default-src", []))
        if not scripts:
            problems.append("CSP has neither script-src nor default-src")
        for weak in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"):
            if weak in scripts:
                problems.append(f"CSP script-src allows {weak}")
        for directive in ("object-src", "base-uri"):
            if directives.get(directive) != ["'none'"]:
                problems.append(f"CSP {directive} is not 'none'")
        if "frame-ancestors" not in directives:
            problems.append("CSP has no frame-ancestors")
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("X-Content-Type-Options is not nosniff")
    if not headers.get("Referrer-Policy"):
        problems.append("no Referrer-Policy")
    if personal and "no-store" not in headers.get("Cache-Control", ""):
        problems.append("Cache-Control lacks no-store")
    return problems


@dataclass
class Form:
    page: str
    method: str
    action: str
    fields: dict[str, str]  # name -> default value
    text_fields: list[str]  # names of fields a person types free text into

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.action} (on {self.page})"


class _FormFinder(HTMLParser):
    TEXT_TYPES = {"text", "email", "search", "tel", "url", "password", "number", "date", "time", ""}

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            action = attributes.get("action") or self.page
            self.forms.append(Form(self.page, attributes.get("method", "get").lower(), action, {}, []))
            return
        if not self.forms or "name" not in attributes:
            if tag == "option" and self._select and self.forms and not self.forms[-1].fields.get(self._select):
                self.forms[-1].fields[self._select] = attributes.get("value", "")  # the first real choice
            return
        form, name = self.forms[-1], attributes["name"]
        if tag == "textarea":
            form.text_fields.append(name)
        elif tag == "select":
            self._select = name
        elif tag == "input":
            kind = attributes.get("type", "").lower()
            if kind in self.TEXT_TYPES:
                form.text_fields.append(name)
            elif kind in {"radio", "checkbox"}:
                form.fields.setdefault(name, attributes.get("value", "on"))
            elif kind not in {"submit", "button", "file", "image", "reset"}:
                form.fields[name] = attributes.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def forms_on(page_url: str, html: str) -> list[Form]:
    finder = _FormFinder(page_url)
    finder.feed(html)
    finder.close()
    return finder.forms


def readable_pages(app, world, actor: str) -> list[str]:
    """The URLs of every GET route the actor may open (sample values filled in), static files aside."""
    role = "champion" if actor == "other_champion" else actor
    urls = []
    for route in discovered_routes():
        if route.method != "GET" or route.endpoint == "static":
            continue
        access = declared_access(app, route.endpoint)
        if access == TOKEN:  # not a page: no actor of the pages reaches it (see test_access.py)
            continue
        if access == PUBLIC or (actor != "anonymous" and (access == SIGNED_IN or role in (access or ()))):
            urls.append(url_for_route(route, world))
    return urls
