"""Spreadsheet import pages."""

from flask import Blueprint

blueprint = Blueprint("imports", __name__, url_prefix="/imports")
