"""`/metrics`: the Prometheus scrape, for machines at allowed addresses or holding the token."""

from flask import Blueprint, Response
from prometheus_client import CONTENT_TYPE_LATEST

from inclusion.auth.decorators import public
from inclusion.observability import prometheus
from inclusion.observability.access import scrapers_only

blueprint = Blueprint("observability", __name__)


@blueprint.get("/metrics")
@public  # no one signs in to scrape: the address or the token decides (tests/security/support.py)
@scrapers_only
def metrics():
    return Response(prometheus.exposition(), mimetype=None, content_type=CONTENT_TYPE_LATEST)
