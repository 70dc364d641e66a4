"""Session pages."""

from flask import Blueprint

blueprint = Blueprint("sessions", __name__, url_prefix="/sessions")
