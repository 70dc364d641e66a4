"""Error pages in the site's layout, never a traceback."""

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError

from inclusion.api.problems import is_api_request, problem_for_http_error

MESSAGES = {
    400: ("Sorry, there is a problem with that request", "Go back, reload the page and try again."),
    403: (
        "You do not have permission to see this page",
        "If you think you should, ask your coordinator or the alliance's administrator.",
    ),
    404: ("Page not found", "If you typed the web address, check it is correct."),
    405: ("Sorry, that action is not allowed here", "Go back and try again."),
    413: ("That file is too large", "Upload a smaller file, or split it into several."),
    429: ("Too many attempts", "Wait a minute, then try again."),
    500: ("Sorry, there is a problem with the service", "Try again later. Nothing you entered was saved."),
}


class _Status:
    def __init__(self, code: int):
        self.code = code


def register(app: Flask) -> None:
    def render_error(status: int, detail: str | None = None, error=None):
        if is_api_request():  # the feed's callers are programs: problem details, never a page
            return problem_for_http_error(error if error is not None else _Status(status))
        title, hint = MESSAGES[status]
        return render_template("errors/error.html", status=status, title=title, hint=detail or hint), status

    for status in MESSAGES:
        app.register_error_handler(status, lambda error, status=status: render_error(status, error=error))

    @app.errorhandler(CSRFError)
    def _csrf_error(error):
        if is_api_request() and request.routing_exception is not None:
            # The feed has no form to protect: a POST there names no operation (404 or 405), whatever its token.
            return problem_for_http_error(request.routing_exception)
        return render_error(400, "The form had expired or was sent from another site. Reload the page and try again.")
