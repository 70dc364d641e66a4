"""The audit log for administrators: who did what to which record, and when."""

from flask import render_template, request

from inclusion.admin.audit_display import describe
from inclusion.admin.audit_forms import AuditFilterForm
from inclusion.audit.queries import audit_filter_choices, search_audit_events
from inclusion.auth.decorators import requires_role
from inclusion.database import page_number, row_id
from inclusion.learners.merging import MERGE_ACTION, undone_merges
from inclusion.routing import BlueprintRoutes

# Added to the blueprint by create_app (inclusion/__init__.py).
routes = BlueprintRoutes()


@routes.get("/audit")
@requires_role("admin")
def audit():
    users, record_types, actions = audit_filter_choices()
    form = AuditFilterForm(formdata=request.args or None, users=users, record_types=record_types, actions=actions)
    filters = {}
    if request.args and form.validate():
        filters = {
            "user_id": row_id(form.user.data),
            "action": form.action.data or None,
            "record_type": form.record_type.data or None,
            "record_id": form.record_id.data or None,
            "date_from": form.date_from.data,
            "date_to": form.date_to.data,
        }
    result = search_audit_events(**filters, page=page_number(request.args.get("page")))
    undone = undone_merges([event.id for event, _ in result.rows if event.action == MERGE_ACTION])
    query = {key: value for key, value in request.args.items() if key not in ("page", "submit") and value}
    return render_template(
        "admin/audit.html",
        form=form,
        result=result,
        query=query,
        merge_action=MERGE_ACTION,
        undone=undone,
        describe=describe,
    )
