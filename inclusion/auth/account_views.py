"""Account self-service: forgotten password, e-mailed links, changing a password, recent sign-ins."""

from functools import partial

from flask import current_app, flash, make_response, redirect, render_template, request, session, url_for
from flask_login import current_user, logout_user

from inclusion.auth import account_services, tokens
from inclusion.auth.account_forms import ChangePasswordForm, ForgottenPasswordForm, SetPasswordForm
from inclusion.auth.decorators import public
from inclusion.auth.services import AuthError
from inclusion.extensions import limiter
from inclusion.routing import BlueprintRoutes

# Added to the blueprint by create_app (inclusion/__init__.py).
routes = BlueprintRoutes()


def _reset_rate_limit() -> str:
    return current_app.config["PASSWORD_RESET_RATE_LIMIT"]


def _reset_address_rate_limit() -> str:
    return current_app.config["PASSWORD_RESET_ADDRESS_RATE_LIMIT"]


def _address_asked_about() -> str:
    address = (request.form.get("email") or "").strip().lower()
    # An empty form is counted against the computer, not against one shared "empty address".
    return f"reset-address:{address}" if address else f"reset-empty:{request.remote_addr}"


@routes.route("/forgotten-password", methods=["GET", "POST"])
@public
@limiter.limit(_reset_rate_limit, methods=["POST"])
@limiter.limit(_reset_address_rate_limit, methods=["POST"], key_func=_address_asked_about)
def forgotten_password():
    form = ForgottenPasswordForm()
    if form.validate_on_submit():
        outgoing = account_services.request_password_reset(form.email.data)
        # The same page whether or not there is such an account, and as quick: the e-mail goes
        # once the response has been sent.
        response = make_response(
            render_template(
                "auth/reset_link_sent.html",
                email=form.email.data,
                valid_minutes=current_app.config["RESET_VALID_MINUTES"],
            )
        )
        if outgoing is not None:
            app = current_app._get_current_object()
            response.call_on_close(partial(account_services.send_quietly, app, outgoing))
        return response
    return render_template("auth/forgotten_password.html", form=form)


def _set_password_page(signed_token: str, purpose: str):
    try:
        user = account_services.user_for_link(signed_token, purpose)
    except AuthError:
        return render_template("auth/link_not_valid.html", purpose=purpose), 410
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = account_services.set_password_with_link(signed_token, purpose, form.password.data)
        except AuthError as error:
            form.password.errors.append(str(error))
        else:
            # Every sign-in of the account has ended, this browser's included.
            logout_user()
            session.clear()
            if purpose == tokens.INVITE:
                flash(f"Your password is set. Sign in with {user.email} and your new password.", "success")
            else:
                flash("Your password has been changed. Sign in with your new password.", "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form, user=user, purpose=purpose)


@routes.route("/invitation/<token>", methods=["GET", "POST"])
@public
def accept_invitation(token: str):
    return _set_password_page(token, tokens.INVITE)


@routes.route("/reset-password/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    return _set_password_page(token, tokens.RESET)


@routes.get("/account")
def account():
    this_session = getattr(current_user, "login_session_id", None)
    return render_template(
        "auth/account.html", sign_ins=account_services.recent_sign_ins(current_user.id, this_session)
    )


@routes.post("/account/sign-out-other-devices")
def sign_out_other_devices():
    ended = account_services.sign_out_other_devices(current_user)
    flash(
        f"Signed out on {ended} other device{'s' if ended != 1 else ''}."
        if ended
        else "You were not signed in on any other device.",
        "success",
    )
    return redirect(url_for("auth.account"))


def _change_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@routes.route("/account/password", methods=["GET", "POST"])
@limiter.limit(_change_rate_limit, methods=["POST"])
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            account_services.change_password(current_user, form.current_password.data, form.new_password.data)
        except account_services.WrongCurrentPassword as error:
            form.current_password.errors.append(str(error))
        except AuthError as error:
            form.new_password.errors.append(str(error))
        else:
            flash("Your password has been changed. You have been signed out on every other device.", "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/change_password.html", form=form)
