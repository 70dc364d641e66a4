"""Sign in and sign out."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from inclusion.auth import pending, services, two_factor
from inclusion.auth.decorators import public
from inclusion.auth.forms import SignInForm
from inclusion.extensions import limiter

blueprint = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: never another host, scheme or protocol-relative URL."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(char) < 32 or ord(char) == 127 for char in target):  # no header injection, no 500
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def _login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@blueprint.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_rate_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = SignInForm()
    if form.validate_on_submit():
        try:
            signed_in = services.sign_in(
                form.email.data,
                form.password.data,
                ip_address=request.remote_addr,
                user_agent=request.headers.get("User-Agent"),
            )
        except services.AuthError as error:
            form.password.errors.append(str(error))
        else:
            if two_factor.needs_second_step(signed_in.user):  # the password alone is not enough
                pending.begin(signed_in.user, safe_next(request.args.get("next")))
                return redirect(url_for("auth.two_factor_code"))
            session.clear()  # a fresh session: nothing from before sign-in carries over
            session.permanent = True
            login_user(signed_in.user)
            return redirect(safe_next(request.args.get("next")) or url_for("core.home"))
    return render_template("auth/login.html", form=form)


@blueprint.post("/logout")
def logout():
    services.sign_out(current_user)
    logout_user()
    session.clear()
    flash("You have signed out.", "success")
    response = redirect(url_for("auth.login"))
    # Shared library computers: nothing this user's browser kept (the offline copy of the session form,
    # learners' names, sessions waiting to send) outlives the sign-out (docs/offline.md).
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@blueprint.get("/logout")
@public
def logout_page():
    """A GET cannot sign anyone out (a link on another site must not), but it says how to."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return render_template("auth/logout.html")
