"""Partner and venue management pages (admin area)."""

from flask import Blueprint

blueprint = Blueprint("partners", __name__, url_prefix="/admin")
