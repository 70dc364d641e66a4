"""Looking after one's own account: setting a password from an e-mailed link, resets, changes."""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, render_template, url_for
from sqlalchemy import select, update

from inclusion.audit.services import record_event
from inclusion.auth import tokens
from inclusion.auth.browsers import describe_browser
from inclusion.auth.models import LoginSession, User, UserToken
from inclusion.auth.passwords import hash_password, password_problem, verify_password
from inclusion.auth.services import AuthError, end_login_sessions, find_user_by_email
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.mail import MailError, send_email
from inclusion.timeutil import utcnow

LINK_NOT_VALID = "This link has expired or has already been used."
RECENT_SIGN_INS = 10


class WrongCurrentPassword(AuthError):
    """The current password given to change it was not right."""


def link_for(purpose: str, signed_token: str) -> str:
    """The absolute address of the page an e-mailed link opens."""
    endpoint = "auth.accept_invitation" if purpose == tokens.INVITE else "auth.reset_password"
    return url_for(endpoint, token=signed_token, _external=True)


@dataclass(frozen=True)
class OutgoingEmail:
    """A message ready to hand to the mail server: built during the request, sent when convenient."""

    to: str
    subject: str
    body: str
    user_id: int

    def send(self) -> None:
        """Send it (raises MailError if the server refuses)."""
        send_email(self.to, self.subject, self.body)


def link_email(user: User, purpose: str, signed_token: str) -> OutgoingEmail:
    """The invitation or reset e-mail for `user`, with its absolute link."""
    subject = (
        f"Set up your {current_app.config['ALLIANCE_NAME']} account"
        if purpose == tokens.INVITE
        else "Reset your password"
    )
    body = render_template(
        f"email/{purpose}.txt",
        user=user,
        link=link_for(purpose, signed_token),
        valid_hours=int(tokens.validity(purpose).total_seconds() // 3600),
        valid_minutes=int(tokens.validity(purpose).total_seconds() // 60),
    )
    return OutgoingEmail(to=user.email, subject=subject, body=body, user_id=user.id)


def send_link_email(user: User, purpose: str, signed_token: str) -> None:
    """E-mail `user` their invitation or reset link now (raises MailError if the server refuses)."""
    link_email(user, purpose, signed_token).send()


def request_password_reset(email: str) -> OutgoingEmail | None:
    """A reset link for `email` if it belongs to an active account, as an e-mail to send; else None.

    The caller shows the same page either way and sends the e-mail after the response has gone
    (send_quietly), so neither the page nor its timing tells anyone who has an account.
    """
    with write_transaction():
        user = find_user_by_email(email)
        if user is None or not user.active:
            return None
        signed = tokens.issue_token(user, tokens.RESET)
        record_event("password_reset_requested", user_id=user.id, record_type="user", record_id=user.id)
    return link_email(user, tokens.RESET, signed)


def send_quietly(app, outgoing: OutgoingEmail) -> None:
    """Send outside any request (after the response); a failure is logged, never shown."""
    with app.app_context():
        try:
            outgoing.send()
        except MailError:
            app.logger.exception("Could not send a password reset e-mail to user %s", outgoing.user_id)


def user_for_link(signed_token: str, purpose: str) -> User:
    """The person an unused, in-date link is for; raises AuthError otherwise. Does not use the link."""
    try:
        return tokens.find_valid_token(signed_token, purpose).user
    except tokens.TokenError as error:
        raise AuthError(LINK_NOT_VALID) from error


def set_password_with_link(signed_token: str, purpose: str, password: str) -> User:
    """Use an invitation or reset link once to set a new password; ends every sign-in of the account."""
    if problem := password_problem(password):
        raise AuthError(problem)
    with write_transaction():
        try:
            token = tokens.find_valid_token(signed_token, purpose)
        except tokens.TokenError as error:
            raise AuthError(LINK_NOT_VALID) from error
        # Mark it used only if nobody else did in the meantime: two clicks cannot both succeed.
        claimed = db.session.execute(
            update(UserToken).where(UserToken.id == token.id, UserToken.used_at.is_(None)).values(used_at=utcnow())
        ).rowcount
        if claimed != 1:
            raise AuthError(LINK_NOT_VALID)
        user = token.user
        user.password_hash = hash_password(password)
        user.failed_login_count = 0  # the e-mailed link proves who they are
        user.locked_until = None
        action = "invitation_accepted" if purpose == tokens.INVITE else "password_reset"
        record_event(action, user_id=user.id, record_type="user", record_id=user.id)
    end_login_sessions(LoginSession.user_id == user.id)
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change a signed-in user's password; their other sign-ins end, this one carries on."""
    if not verify_password(user.password_hash, current_password):
        raise WrongCurrentPassword("Your current password is not right")
    if problem := password_problem(new_password):
        raise AuthError(problem)
    if new_password == current_password:
        raise AuthError("Your new password must be different from your current one")
    with write_transaction():
        db.session.get(User, user.id).password_hash = hash_password(new_password)
        record_event("password_changed", user_id=user.id, record_type="user", record_id=user.id)
    this_session = getattr(user, "login_session_id", None)
    end_login_sessions(LoginSession.user_id == user.id, LoginSession.id != (this_session or ""))


def sign_out_other_devices(user: User) -> int:
    """End every sign-in of `user` except the current one; returns how many ended."""
    this_session = getattr(user, "login_session_id", None) or ""
    ended = end_login_sessions(LoginSession.user_id == user.id, LoginSession.id != this_session)
    with write_transaction():
        record_event(
            "signed_out_other_devices",
            user_id=user.id,
            record_type="user",
            record_id=user.id,
            details={"sessions_ended": ended},
        )
    return ended


@dataclass(frozen=True)
class SignInRow:
    login_session: LoginSession
    status: str

    @property
    def browser(self) -> str:
        """The browser in plain words ("Chrome on Android"), not its raw User-Agent string."""
        return describe_browser(self.login_session.user_agent)


def recent_sign_ins(user_id: int, this_session_id: str | None, limit: int = RECENT_SIGN_INS) -> list[SignInRow]:
    """The user's latest sign-ins, newest first, each with whether it is this one, open or over."""
    config = current_app.config
    now = utcnow()
    idle_limit = timedelta(minutes=config["SESSION_IDLE_MINUTES"])
    max_age = timedelta(hours=config["SESSION_MAX_HOURS"])
    rows = []
    for login_session in db.session.scalars(
        select(LoginSession)
        .where(LoginSession.user_id == user_id)
        .order_by(LoginSession.created_at.desc(), LoginSession.id)
        .limit(limit)
    ):
        if login_session.id == this_session_id:
            status = "This device"
        elif login_session.ended_at is not None:
            status = "Signed out"
        elif now - login_session.last_seen_at > idle_limit or now - login_session.created_at > max_age:
            status = "Timed out"
        else:
            status = "Still signed in"
        rows.append(SignInRow(login_session, status))
    return rows
