"""Two-step verification pages: the code at sign-in, setting it up, recovery codes, turning it off."""

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_user

from inclusion.auth import pending, services, two_factor
from inclusion.auth.decorators import public
from inclusion.auth.models import User
from inclusion.auth.two_factor_forms import CodeForm
from inclusion.extensions import db, limiter
from inclusion.routing import BlueprintRoutes

# Added to the blueprint by create_app (inclusion/__init__.py).
routes = BlueprintRoutes()


def _code_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _pending_user() -> tuple[dict, User] | tuple[None, None]:
    if current_user.is_authenticated:
        return None, None
    data = pending.current()
    user = db.session.get(User, data["user_id"]) if data else None
    return (data, user) if user else (None, None)


def _complete_sign_in(data: dict):
    """Swap the pending marker for a real sign-in; None if the sign-in session has meanwhile ended."""
    user = services.resume_login_session(data["login_session_id"])
    if user is None:
        session.pop(pending.PENDING_KEY, None)
        return None
    session.clear()
    session.permanent = True
    login_user(user)
    return user


def _sign_in_again():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    flash("Sign in again to continue.", "info")
    return redirect(url_for("auth.login"))


@routes.route("/login/two-step", methods=["GET", "POST"])
@public
@limiter.limit(_code_rate_limit, methods=["POST"])
def two_factor_code():
    data, user = _pending_user()
    if user is None:
        return _sign_in_again()
    if not user.totp_enabled:
        return redirect(url_for("auth.two_factor_enrol"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            method = two_factor.check_sign_in_code(user.id, data["login_session_id"], form.code.data)
        except two_factor.TwoFactorError as error:
            if services.resume_login_session(data["login_session_id"]) is None:
                session.pop(pending.PENDING_KEY, None)
                return _sign_in_again()
            form.code.errors.append(str(error))
        else:
            if _complete_sign_in(data) is None:
                return _sign_in_again()
            if method == "recovery":
                left = two_factor.remaining_recovery_codes(db.session.get(User, user.id))
                flash(
                    f"You used a recovery code: {left} left. You can get new ones from Two-step verification.",
                    "info",
                )
            return redirect(data.get("next") or url_for("core.home"))
    return render_template("auth/two_factor_code.html", form=form)


@routes.route("/login/two-step/set-up", methods=["GET", "POST"])
@public
@limiter.limit(_code_rate_limit, methods=["POST"])
def two_factor_enrol():
    """Setting up two-step verification in the middle of signing in, when the role requires it."""
    data, user = _pending_user()
    if user is None:
        return _sign_in_again()
    if user.totp_enabled:
        return redirect(url_for("auth.two_factor_code"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.confirm_setup(user.id, form.code.data)
        except two_factor.TwoFactorError as error:
            form.code.errors.append(str(error))
        else:
            if _complete_sign_in(data) is None:
                return _sign_in_again()
            return render_template(
                "auth/two_factor_recovery_codes.html",
                codes=codes,
                continue_to=data.get("next") or url_for("core.home"),
            )
    return _setup_page(user, form, required=True)


def _setup_page(user: User, form: CodeForm, *, required: bool):
    secret = two_factor.start_setup(user.id)
    return render_template(
        "auth/two_factor_setup.html",
        form=form,
        secret=secret,
        qr_code=two_factor.qr_code_data_uri(two_factor.provisioning_uri(user, secret)),
        required=required,
    )


@routes.get("/account/two-step")
def two_factor_status():
    return render_template(
        "auth/two_factor.html",
        required=two_factor.is_required_for(current_user),
        remaining=two_factor.remaining_recovery_codes(current_user),
    )


@routes.route("/account/two-step/set-up", methods=["GET", "POST"])
@limiter.limit(_code_rate_limit, methods=["POST"])
def two_factor_setup():
    if current_user.totp_enabled:
        return redirect(url_for("auth.two_factor_status"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.confirm_setup(current_user.id, form.code.data)
        except two_factor.TwoFactorError as error:
            form.code.errors.append(str(error))
        else:
            return render_template(
                "auth/two_factor_recovery_codes.html",
                codes=codes,
                continue_to=url_for("auth.two_factor_status"),
            )
    return _setup_page(current_user, form, required=two_factor.is_required_for(current_user))


@routes.route("/account/two-step/recovery-codes", methods=["GET", "POST"])
@limiter.limit(_code_rate_limit, methods=["POST"])
def two_factor_recovery_codes():
    if not current_user.totp_enabled:
        return redirect(url_for("auth.two_factor_status"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.replace_recovery_codes(current_user.id, form.code.data)
        except two_factor.TwoFactorError as error:
            form.code.errors.append(str(error))
        else:
            return render_template(
                "auth/two_factor_recovery_codes.html",
                codes=codes,
                continue_to=url_for("auth.two_factor_status"),
            )
    return render_template(
        "auth/two_factor_confirm.html",
        form=form,
        title="Get new recovery codes",
        intro="Your old recovery codes will stop working. Enter a code from your authenticator app.",
        button="Get new recovery codes",
    )


@routes.route("/account/two-step/turn-off", methods=["GET", "POST"])
@limiter.limit(_code_rate_limit, methods=["POST"])
def two_factor_turn_off():
    if not current_user.totp_enabled or two_factor.is_required_for(current_user):
        return redirect(url_for("auth.two_factor_status"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            two_factor.turn_off(current_user.id, form.code.data)
        except two_factor.TwoFactorError as error:
            form.code.errors.append(str(error))
        else:
            flash("Two-step verification is off.", "success")
            return redirect(url_for("auth.two_factor_status"))
    return render_template(
        "auth/two_factor_confirm.html",
        form=form,
        title="Turn off two-step verification",
        intro="Anyone who learns your password could then sign in as you. Enter a code from your "
        "authenticator app to turn it off.",
        button="Turn off two-step verification",
    )
