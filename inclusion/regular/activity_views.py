"""The champion-activity page for coordinators and admins (under /reports, beside the dashboard)."""

from flask import render_template, request
from flask_login import current_user

from inclusion.auth.decorators import requires_role
from inclusion.database import page_number, row_id
from inclusion.paging import Page, page_within
from inclusion.regular import activity, services
from inclusion.routing import BlueprintRoutes
from inclusion.timeutil import today_in_london

# Added to the reports blueprint by create_app (inclusion/__init__.py): never shown to funders or champions.
routes = BlueprintRoutes()
PER_PAGE = 100  # champions a page: the aggregates are for all of them; drawing 500 rows is what costs


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
    page = page_within(page_number(request.args.get("page")), len(rows), PER_PAGE)
    results = Page(rows=rows[(page - 1) * PER_PAGE : page * PER_PAGE], total=len(rows), page=page, per_page=PER_PAGE)
    return render_template(
        "regular/activity.html",
        results=results,
        today=today,
        partners=partners,
        partner_id=partner_id,
        problem=problem,
        silent=sum(1 for row in rows if row.silent(today)),
        silent_days=activity.SILENT_DAYS,
    )
