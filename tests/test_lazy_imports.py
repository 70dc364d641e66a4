"""Starting the app (every web worker, every `flask` command, cron's `flask reports monthly`) stays light.

The heavy libraries are imported where they are used (name matching, a QR code, a spreadsheet
import, the migrations and the schema check, checking an e-mail address, Redis, cross-origin
headers once origins are set), so a fresh process that needs none of them never pays for them;
the funder CSV needs no pandas at all (docs/performance.md, "Start-up" and "CLI start-up").
"""

import os
import subprocess
import sys

HEAVY = (
    "pandas",
    "numpy",
    "openpyxl",
    "rapidfuzz",
    "qrcode",
    "alembic",  # with Flask-Migrate, Mako and Pygments: inclusion/migrating.py
    "flask_migrate",
    "mako",
    "email_validator",
    "redis",
    "flask_cors",  # only with API_CORS_ORIGINS set
)


def _modules_loaded_after(code: str, **environment: str) -> set[str]:
    report = f"{code}\nimport sys\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    env = {**os.environ, "INCLUSION_ENV": "test", "FLASK_APP": "inclusion", **environment}
    result = subprocess.run([sys.executable, "-c", report], capture_output=True, text=True, env=env, check=True)
    return set(result.stdout.split())


def test_importing_inclusion_and_creating_the_app_imports_no_heavy_library():
    loaded = _modules_loaded_after("from inclusion import create_app\ncreate_app()")

    assert "inclusion" in loaded
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_a_flask_command_s_help_imports_no_heavy_library():
    # As `flask reports --help` runs (the app made, every command and plugin command listed), its
    # help text kept out of the module list printed after it.
    loaded = _modules_loaded_after(
        "import contextlib, io\n"
        "from flask.cli import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    cli.main(['reports', '--help'], prog_name='flask')"
    )

    assert "inclusion" in loaded
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_the_monthly_csv_command_imports_no_heavy_library(app, tmp_path):
    # What cron runs, in a fresh interpreter, against this run's migrated test database: every
    # figure of version 2 (and so of version 1) computed and written, and still no pandas.
    out = tmp_path / "monthly.csv"
    loaded = _modules_loaded_after(
        "import contextlib, io\n"
        "from flask.cli import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        f"    cli.main(['reports', 'monthly', '--month', '2026-10', '--version', '2', '--out', {str(out)!r}],"
        " prog_name='flask')",
        TEST_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
    )

    assert out.read_bytes().startswith(b"month,measure,dimension,category,value\n2026-10,")
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))
