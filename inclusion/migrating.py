"""Flask-Migrate (`flask db` and `app.extensions["migrate"]`), imported the first time something migrates.

Importing Flask-Migrate imports Alembic, its operations and every dialect's DDL (about 130 modules,
50-100 ms), which every web worker and every `flask` command paid at start-up although only the
migration commands, the backup commands and the schema check (`/readyz`) use it. Here the extension
and the command group are bound to the app in create_app as before, and stand in for Flask-Migrate's
own objects until one is first read (docs/performance.md, "Start-up").
"""

import functools
from collections.abc import Callable

import click


class DeferredMigrate:
    """Flask-Migrate's `Migrate`, with its `init_app`, for an app that may never migrate."""

    def init_app(self, app, db, directory: str) -> None:
        app.extensions["migrate"] = _DeferredConfig(db, directory)


class _DeferredConfig:
    """What Flask-Migrate's init_app keeps in app.extensions["migrate"] (the Migrate, the db, the
    directory, the context arguments that migrations/env.py passes on), made when first read."""

    def __init__(self, db, directory: str):
        self._db = db
        self._directory = directory

    @functools.cached_property
    def _config(self):
        # Its config class is private, but it is what its init_app stores and what its commands, our
        # env.py and schema_version.py read: built the same way, from the Migrate's own arguments
        # (tests/test_migrating.py compares the two).
        from flask_migrate import Migrate, _MigrateConfig

        migrate = Migrate(db=self._db, directory=self._directory)
        return _MigrateConfig(migrate, self._db, **migrate.alembic_ctx_kwargs)

    def __getattr__(self, name: str):
        if name.startswith("_"):  # our own attributes, absent only while the object is half made (copy)
            raise AttributeError(name)
        return getattr(self._config, name)


class MigrationCommands(click.Group):
    """`flask db`: Flask-Migrate's group, imported when a `db` command (or its help) runs.

    Until then it has its name, its help line and the commands added to it (backup, restore), all
    that `flask --help` needs to list it; then every invocation goes to Flask-Migrate's group, with
    those commands added to it and the `when_loaded` callbacks run on it once.
    """

    def __init__(self) -> None:
        super().__init__("db", help="Perform database migrations.")
        self._when_loaded: list[Callable[[click.Group], None]] = []

    def when_loaded(self, callback: Callable[[click.Group], None]) -> None:
        self._when_loaded.append(callback)

    @functools.cached_property
    def loaded(self) -> click.Group:
        from flask_migrate.cli import db

        for command in self.commands.values():
            db.add_command(command)
        for callback in self._when_loaded:
            callback(db)
        return db

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        return self.loaded.make_context(info_name, args, parent=parent, **extra)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self.loaded.get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self.loaded.list_commands(ctx)
