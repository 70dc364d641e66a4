"""`make bench`: build databases at alliance scale, measure, compare with the targets, write results.json.

    python -m bench.run [--scales tenth,full,double] [--backends sqlite,postgresql] [--load-seconds 60]
                        [--load-scales full] [--repeats 15] [--reuse]

PostgreSQL is measured when BENCH_DATABASE_URL is set (its database is emptied first).
"""

import argparse
import json
import os
import platform
import sqlite3
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import database, load, measures, regular, while_writing
from bench.report import growth, judge, print_table

RESULTS = Path(__file__).resolve().parent / "results.json"
ORDER = (
    "dashboard",
    "dashboard_cold",
    "dashboard_cold_all_months",
    "dashboard_partner_cold",
    "dashboard_champion_cold",
    "home_champion",
    "home_coordinator",
    "sql_floor",
    "csv_month",
    "csv_month_cold",
    "csv_download_cold",
    "csv_cli_fresh",
    "csv_cli_fresh_shared",
    "csv_cli_fresh_dev",
    "csv_year",
    "feed_figures",
    "feed_figures_cold",
    "search",
    "learner_page",
    "follow_up_queue",
    "skills_passport",
    "device_stock",
    "overdue_loans",
    "offline_data",
    "log_session",
    "champion_activity",
    "sessions_with_occurrences",
    "reminders_send",
    "session_form_browser",
    "dashboard_while_writing",
    "csv_peak_memory",
    "export_learners",
    "export_peak_memory",
    "load_test",
    "import_learners",
    "import_peak_memory",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="tenth,full,double", help="comma separated: tenth, full, double (2x full)")
    parser.add_argument(
        "--backends",
        default=None,
        help="sqlite and/or postgresql (default: sqlite, and postgresql when BENCH_DATABASE_URL is set)",
    )
    parser.add_argument("--repeats", type=int, default=15, help="timed repeats of each page")
    parser.add_argument("--load-seconds", type=int, default=60, help="length of the load test (0: skip)")
    parser.add_argument(
        "--think",
        default="0.5,1.5",
        help="a champion's pause between actions: min,max seconds (0,0: no pause, a stress test)",
    )
    parser.add_argument("--load-scales", default="full", help="scales at which to run the load test")
    parser.add_argument("--reuse", action="store_true", help="keep a database that already has the data")
    parser.add_argument("--out", type=Path, default=RESULTS)
    options = parser.parse_args(argv)
    scales = [s for s in options.scales.split(",") if s]
    backends = (
        options.backends.split(",")
        if options.backends
        else ["sqlite"] + (["postgresql"] if os.environ.get("BENCH_DATABASE_URL") else [])
    )
    unknown = [s for s in scales if s not in database.SCALES] + [
        b for b in backends if b not in ("sqlite", "postgresql")
    ]
    if unknown or ("postgresql" in backends and not os.environ.get("BENCH_DATABASE_URL")):
        print(
            f"Error: unknown scale or backend {unknown}, or postgresql without BENCH_DATABASE_URL",
            file=sys.stderr,
        )
        return 1

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    runs = []
    for target in database.targets(backends, scales):
        say(f"== {target.backend} at {target.scale} scale")
        built = database.build(target, say, reuse=options.reuse)
        run = {
            "backend": target.backend,
            "scale": target.scale,
            **built,
            "measures": measure_all(target, options, say),
        }
        judge(run)
        runs.append(run)
    results = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "options": {k: str(v) for k, v in vars(options).items()},
        "runs": runs,
        "growth": growth(runs),
    }
    options.out.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    print_table(results)
    print(f"\nWrote {options.out}")
    return 0


def measure_all(target, options, say) -> dict:
    app = database.bench_app(target.url)
    repeats = options.repeats
    plan = {
        "dashboard": (measures.dashboard, app, repeats),
        "dashboard_cold": (measures.dashboard_cold, app, repeats),
        "dashboard_cold_all_months": (measures.dashboard_cold_all_months, app, repeats),
        "dashboard_partner_cold": (measures.dashboard_partner_cold, app, repeats),
        "dashboard_champion_cold": (measures.dashboard_champion_cold, app, repeats),
        "home_champion": (measures.home_champion, app, repeats),
        "home_coordinator": (measures.home_coordinator, app, repeats),
        "csv_download_cold": (measures.csv_download_cold, app, repeats),
        "csv_cli_fresh": (measures.csv_cli_fresh, app, target.url),
        "csv_cli_fresh_shared": (measures.csv_cli_fresh_shared, app, target.url),
        "csv_cli_fresh_dev": (measures.csv_cli_fresh_dev, app, target.url),
        "dashboard_while_writing": (while_writing.dashboard_while_writing, app, repeats),
        "sql_floor": (measures.sql_floor, app, repeats),
        "csv_month_cold": (measures.csv_month_cold, app, repeats),
        "csv_month": (measures.csv_month, app, repeats),
        "csv_year": (measures.csv_year, app, repeats),
        "feed_figures": (measures.feed_figures, app, repeats),
        "feed_figures_cold": (measures.feed_figures_cold, app, repeats),
        "search": (measures.search, app, repeats),
        "learner_page": (measures.learner_page, app, repeats),
        "follow_up_queue": (measures.follow_up_queue, app, repeats),
        "skills_passport": (measures.skills_passport, app, repeats),
        "device_stock": (measures.device_stock, app, repeats),
        "overdue_loans": (measures.overdue_loans, app, repeats),
        "offline_data": (measures.offline_data, app, repeats),
        "log_session": (measures.log_session, app, repeats),
        "champion_activity": (regular.champion_activity, app, repeats),
        "sessions_with_occurrences": (regular.sessions_with_occurrences, app, repeats),
        "reminders_send": (regular.reminders_send, app, repeats),  # adds 500 champions on the slots
        "session_form_browser": (measures.session_form_browser, app, target.url),
        "csv_peak_memory": (measures.csv_peak_memory, app, target.url),
        "export_learners": (measures.export_learners, app, repeats),  # before the imports add learners
        "export_peak_memory": (measures.export_peak_memory, app, target.url),
        "import_learners": (measures.import_learners, app, repeats),  # runs last: it adds 10,000 learners
        "import_peak_memory": (measures.import_peak_memory, app, target.url),  # and this 50,000
    }
    results = {}
    for name in ORDER:
        started = time.perf_counter()
        if name == "load_test":
            if options.load_seconds <= 0 or target.scale not in options.load_scales.split(","):
                results[name] = {"status": "skipped", "note": "not run at this scale (--load-scales)"}
                continue
            results[name] = measures.run_guarded(
                lambda: {
                    "value": load.run(
                        app,
                        target.url,
                        options.load_seconds,
                        think=tuple(float(x) for x in options.think.split(",")),
                    )
                }
            )
        else:
            function, *args = plan[name]
            results[name] = measures.run_guarded(function, *args)
        shown = results[name].get("value", results[name].get("note", ""))
        say(f"   {name}: {results[name].get('status')} {shown}  ({time.perf_counter() - started:.1f} s)")
    with app.app_context():
        from inclusion.extensions import db

        db.engine.dispose()
    return results


def machine() -> dict:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "sqlite": sqlite3.sqlite_version,
        "load_average": os.getloadavg(),
    }


if __name__ == "__main__":
    sys.exit(main())
