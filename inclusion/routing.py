"""Views written in their own module for a blueprint defined elsewhere, added by create_app explicitly."""

from collections.abc import Callable

from flask import Blueprint, Flask


class BlueprintRoutes:
    """Collects a module's views (`@routes.get("/audit")`); `add_to(app, blueprint)` adds them to the app.

    They are added under the blueprint's name and URL prefix, so endpoints (`admin.audit`), URLs
    and the blueprint's request hooks are exactly those of views declared on the blueprint itself.
    Adding them to the app, not to the (module-level) blueprint, lets every app built by the
    factory add them again: a blueprint takes no new views once an app has registered it.
    """

    def __init__(self) -> None:
        self._rules: list[tuple[str, Callable, dict]] = []

    def route(self, rule: str, **options) -> Callable[[Callable], Callable]:
        def decorator(view: Callable) -> Callable:
            self._rules.append((rule, view, options))
            return view

        return decorator

    def get(self, rule: str, **options) -> Callable[[Callable], Callable]:
        return self.route(rule, methods=["GET"], **options)

    def post(self, rule: str, **options) -> Callable[[Callable], Callable]:
        return self.route(rule, methods=["POST"], **options)

    def add_to(self, app: Flask, blueprint: Blueprint) -> None:
        prefix = (blueprint.url_prefix or "").rstrip("/")
        for rule, view, options in self._rules:
            options = dict(options)
            endpoint = options.pop("endpoint", None) or view.__name__
            app.add_url_rule(prefix + rule, f"{blueprint.name}.{endpoint}", view, **options)
