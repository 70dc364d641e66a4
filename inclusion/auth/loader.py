"""Flask-Login wiring: a cookie names a sign-in session, which must still be live."""

from flask import current_app, request
from flask_login import current_user

from inclusion.auth import services
from inclusion.extensions import login_manager

login_manager.login_view = "auth.login"
login_manager.login_message = "Sign in to continue."
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(login_session_id: str):
    return services.resume_login_session(login_session_id)


def _require_sign_in():
    """Every page needs a signed-in user unless its view is marked public."""
    if request.endpoint is None or request.endpoint == "static":
        return None
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "is_public", False) or current_user.is_authenticated:
        return None
    return login_manager.unauthorized()


def register(app) -> None:
    app.before_request(_require_sign_in)
