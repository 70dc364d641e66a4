"""Admin pages for the feed's tokens (under /admin): issue one and see it once, revoke one."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from inclusion.api import tokens
from inclusion.api.forms import IssueTokenForm, RevokeTokenForm
from inclusion.auth.decorators import requires_role
from inclusion.routing import BlueprintRoutes
from inclusion.timeutil import utcnow

# Added to the admin blueprint by create_app (inclusion/__init__.py).
routes = BlueprintRoutes()


@routes.route("/api-tokens", methods=["GET", "POST"])
@requires_role("admin")
def api_tokens():
    form = IssueTokenForm()
    if form.validate_on_submit():
        try:
            issued = tokens.issue_token(form.name.data, form.valid_until.data, acting_user_id=current_user.id)
        except tokens.TokenError as error:
            field = form.valid_until if "expiry" in str(error) else form.name
            field.errors.append(str(error))
        else:
            # Shown in this answer only (never put in the session or a link): its hash is all we keep.
            return render_template("api/token_issued.html", issued=issued)
    return render_template("api/tokens.html", form=form, tokens=tokens.list_tokens(), now=utcnow())


@routes.route("/api-tokens/<int:token_id>/revoke", methods=["GET", "POST"])
@requires_role("admin")
def revoke_api_token(token_id: int):
    try:
        token = tokens.get_token(token_id)
    except LookupError:
        abort(404)
    form = RevokeTokenForm()
    if form.validate_on_submit():
        tokens.revoke_token(token.id, acting_user_id=current_user.id)
        flash(f"Revoked the token '{token.name}': every call with it is now refused.", "success")
        return redirect(url_for("admin.api_tokens"))
    return render_template("api/revoke_token.html", form=form, token=token)
