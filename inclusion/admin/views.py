"""Administration pages: users, skills, milestones and the audit log."""

from flask import Blueprint

blueprint = Blueprint("admin", __name__, url_prefix="/admin")
