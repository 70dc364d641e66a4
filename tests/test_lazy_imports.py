"""Starting the app (every web worker, every `flask` command, cron's `flask reports monthly`) stays light.

The heavy libraries are imported where they are used (the CSV frame, name matching, a QR code,
a spreadsheet import, the migrations and the schema check, checking an e-mail address, Redis), so
a fresh process that needs none of them never pays for them (docs/performance.md, "Start-up").
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
)


def _modules_loaded_after(code: str) -> set[str]:
    report = f"{code}\nimport sys\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    env = {**os.environ, "INCLUSION_ENV": "test", "FLASK_APP": "inclusion"}
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
