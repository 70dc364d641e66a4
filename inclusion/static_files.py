"""Links to the built styles and scripts by their fingerprinted names, which browsers may keep for a year."""

import json
import os

from flask import Flask, request

ONE_YEAR = 365 * 24 * 3600


def register_static_files(app: Flask) -> None:
    """`url_for('static', filename='build/app.css')` gives build/app.<hash>.css once `make assets` has run."""
    manifest_path = os.path.join(app.static_folder, "build", "manifest.json")
    try:
        with open(manifest_path, encoding="utf-8") as manifest_file:
            fingerprinted: dict[str, str] = json.load(manifest_file)
    except FileNotFoundError:  # assets not built: plain names, revalidated on every use
        fingerprinted = {}
    long_lived = set(fingerprinted.values())

    @app.url_defaults
    def _fingerprinted_name(endpoint: str, values: dict) -> None:
        if endpoint == "static" and values.get("filename") in fingerprinted:
            values["filename"] = fingerprinted[values["filename"]]

    @app.after_request
    def _cache_fingerprinted_files(response):
        # A fingerprinted name's content never changes: a new build gives a new name.
        if request.endpoint == "static" and (request.view_args or {}).get("filename") in long_lived:
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.immutable = True
            response.cache_control.no_cache = None
        return response
