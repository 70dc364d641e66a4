"""The Prometheus metrics: defined once here, counted by the code that knows what happened.

Labels take only values from a fixed set (endpoint names, methods, status codes, outcomes), so
the number of series stays bounded whatever requests arrive. Under gunicorn, set
PROMETHEUS_MULTIPROC_DIR (before the app starts) and every worker writes its counts there; the
scrape adds them up (inclusion.observability.views, docs/operations.md).
"""

import os
import time

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, generate_latest, multiprocess

REQUESTS = Counter(
    "inclusion_http_requests_total",
    "HTTP requests answered, by endpoint, method and status.",
    ["endpoint", "method", "status"],
)
REQUEST_SECONDS = Histogram(
    "inclusion_http_request_duration_seconds",
    "Time to answer an HTTP request, by endpoint and method.",
    ["endpoint", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
DATABASE_ERRORS = Counter(
    "inclusion_database_errors_total", "Errors raised by the database driver, by SQLAlchemy error class.", ["error"]
)
IMPORT_JOBS = Counter(
    "inclusion_import_jobs_total",
    "Spreadsheet imports: succeeded (written), refused (invalid rows), failed (collision), checked (dry run).",
    ["kind", "outcome"],
)
REPORT_JOBS = Counter(
    "inclusion_report_jobs_total",
    "Report jobs: monthly_csv generated; send_monthly sent, skipped or failed.",
    ["job", "outcome"],
)
FIGURE_CACHE = Counter("inclusion_figure_cache_total", "Figure cache look-ups, by result (hit or miss).", ["result"])
SECURITY_EVENTS = Counter("inclusion_security_events_total", "Security events logged, by event.", ["event"])
JOBS = Counter("inclusion_jobs_total", "Command-line jobs run, by command and outcome.", ["job", "outcome"])
JOB_LAST_SUCCESS = Gauge(
    "inclusion_job_last_success_timestamp_seconds",
    "When a command-line job last succeeded (Unix time).",
    ["job"],
    multiprocess_mode="max",
)


def count_import(kind: str, outcome: str) -> None:
    IMPORT_JOBS.labels(kind=kind, outcome=outcome).inc()


def count_report_job(job: str, outcome: str) -> None:
    REPORT_JOBS.labels(job=job, outcome=outcome).inc()


def count_figure_cache(hit: bool) -> None:
    FIGURE_CACHE.labels(result="hit" if hit else "miss").inc()


def count_job(job: str, outcome: str) -> None:
    JOBS.labels(job=job, outcome=outcome).inc()
    if outcome == "succeeded":
        JOB_LAST_SUCCESS.labels(job=job).set(time.time())


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def prepare_multiprocess_dir() -> None:
    """Create PROMETHEUS_MULTIPROC_DIR if missing: a command-line job may run before gunicorn ever has."""
    directory = multiprocess_dir()
    if directory:
        try:
            os.makedirs(directory, exist_ok=True)
        except OSError as error:
            raise RuntimeError(f"PROMETHEUS_MULTIPROC_DIR {directory} cannot be created: {error.strerror}") from None


def exposition() -> bytes:
    """The text a scrape returns: this process's metrics, or every worker's in multiprocess mode."""
    if multiprocess_dir():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)
