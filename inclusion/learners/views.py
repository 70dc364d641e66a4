"""Learner pages."""

from flask import Blueprint

blueprint = Blueprint("learners", __name__, url_prefix="/learners")
