"""Cross-origin calls to the feed: closed unless API_CORS_ORIGINS names the origins allowed.

With origins set, only those get Access-Control-Allow-Origin (and preflight answers); the pages
of the site never get CORS headers, and no credentials (cookies) are allowed cross-origin.
"""

from flask import Flask


def register(app: Flask) -> None:
    origins = list(app.config.get("API_CORS_ORIGINS") or [])
    if not origins:
        return
    from flask_cors import CORS  # here: an app with no origins set (the default) never imports it

    CORS(
        app,
        resources={r"/api/*": {"origins": origins}},
        methods=["GET", "OPTIONS"],
        allow_headers=["Authorization", "If-None-Match"],
        expose_headers=["ETag", "Retry-After", "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"],
        supports_credentials=False,
        max_age=600,
    )
