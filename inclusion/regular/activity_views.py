"""The champion-activity page for coordinators and admins (under /reports, beside the dashboard)."""

from flask import render_template, request
from flask_login import current_user

from inclusion.auth.decorators import requires_role
from inclusion.database import row_id
from inclusion.regular import activity, services
from inclusion.routing import BlueprintRoutes
from inclusion.timeutil import today_in_london

# Added to the reports blueprint by create_app (inclusion/__init__.py): never shown to funders or champions.
routes = BlueprintRoutes()


@routes.get("/champion-activity")
@requires_role("coordinator", "admin")
def champion_activity():
    partners = services.partners_for(current_user)
    allowed = {partner.id for partner in partners}
    asked = request.args.get("partner", "")
    partner_id = row_id(asked)
    problem = None
    if asked and partner_id not in allowed:
        problem = "Choose a partner from the list: you can see only the champions of partners you work with"
        partner_id = None
    if partner_id is None and services.scope_partner_id(current_user) is not None:
        partner_id = services.scope_partner_id(current_user)
    today = today_in_london()
    rows = activity.champion_activity(today, partner_id=partner_id)
    return render_template(
        "regular/activity.html",
        rows=rows,
        today=today,
        partners=partners,
        partner_id=partner_id,
        problem=problem,
        silent=sum(1 for row in rows if row.silent(today)),
        silent_days=activity.SILENT_DAYS,
    )
