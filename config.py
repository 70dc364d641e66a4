"""Settings classes; every value can be overridden from the environment."""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'inclusion.sqlite3'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLITE_BUSY_TIMEOUT_MS = _env_int("SQLITE_BUSY_TIMEOUT_MS", 15000)
    # Read the database file through memory mapping: shared with the OS page cache, not copied into
    # each connection's small page cache (about 30% off report queries at 50,000 learners).
    SQLITE_MMAP_BYTES = _env_int("SQLITE_MMAP_BYTES", 256 * 1024 * 1024)
    # Report figures remembered under the database's data version (inclusion/reports/cache.py).
    REPORT_FIGURE_CACHE = _env_bool("REPORT_FIGURE_CACHE", True)

    # Figures and reports
    SUPPRESSION_THRESHOLD = _env_int("SUPPRESSION_THRESHOLD", 5)
    # The funder CSV version sent each month and downloaded by default (1 is still available on request).
    FUNDER_CSV_VERSION = _env_int("FUNDER_CSV_VERSION", 2)
    # Unset: the current Milestone row's target (5,000 as seeded). Set, it overrides that row.
    MILESTONE_TARGET = _env_int("MILESTONE_TARGET", 0) or None
    DEFAULT_LAWFUL_BASIS = os.environ.get("DEFAULT_LAWFUL_BASIS", "consent")
    PRIVACY_NOTICE_VERSION = os.environ.get("PRIVACY_NOTICE_VERSION", "2026-09")
    RETENTION_YEARS = _env_int("RETENTION_YEARS", 3)
    FUNDER_REPORT_RECIPIENTS = _env_list("FUNDER_REPORT_RECIPIENTS")

    # E-mail
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "inclusion@localhost")

    # Sign-in: library computers are shared, so sessions are short
    SESSION_IDLE_MINUTES = _env_int("SESSION_IDLE_MINUTES", 30)
    SESSION_MAX_HOURS = _env_int("SESSION_MAX_HOURS", 12)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=SESSION_MAX_HOURS)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    LOGIN_LOCKOUT_ATTEMPTS = _env_int("LOGIN_LOCKOUT_ATTEMPTS", 10)
    LOGIN_LOCKOUT_MINUTES = _env_int("LOGIN_LOCKOUT_MINUTES", 15)
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "20 per minute")
    REQUIRE_TWO_FACTOR = _env_bool("REQUIRE_TWO_FACTOR", False)
    # E-mailed links: an invitation may sit in an inbox over a weekend; a reset link should not.
    INVITE_VALID_HOURS = _env_int("INVITE_VALID_HOURS", 72)
    RESET_VALID_MINUTES = _env_int("RESET_VALID_MINUTES", 60)
    # Per computer (a library's tablets share one address) and per e-mail address asked about.
    PASSWORD_RESET_RATE_LIMIT = os.environ.get("PASSWORD_RESET_RATE_LIMIT", "10 per hour")
    PASSWORD_RESET_ADDRESS_RATE_LIMIT = os.environ.get("PASSWORD_RESET_ADDRESS_RATE_LIMIT", "3 per hour")

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Proxies (load balancer, nginx) in front of the app whose X-Forwarded-* headers to trust: without
    # it every request behind a load balancer shares the balancer's address and its rate limit.
    TRUSTED_PROXY_COUNT = _env_int("TRUSTED_PROXY_COUNT", 0)
    RATELIMIT_HEADERS_ENABLED = True

    WTF_CSRF_TIME_LIMIT = None  # a form left open on a tablet all morning must still submit
    MAX_CONTENT_LENGTH = _env_int("MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
    IMPORT_MAX_BYTES = _env_int("IMPORT_MAX_BYTES", MAX_CONTENT_LENGTH)  # spreadsheets, web and command line
    ALLIANCE_NAME = os.environ.get("ALLIANCE_NAME", "Digital Inclusion Alliance")
    SUPPORT_EMAIL = os.environ.get("SUPPORT_EMAIL", "digital.inclusion@example.org")


class DevelopmentConfig(Config):
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-not-secret")


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-only-not-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast for tests; production uses scrypt
    RATELIMIT_STORAGE_URI = "memory://"
    SERVER_NAME = "localhost"
    FUNDER_REPORT_RECIPIENTS = ["funder@example.org"]
    # Every test sees each figure computed; tests/reports/test_figure_cache.py turns the cache on.
    REPORT_FIGURE_CACHE = False


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = True
    REQUIRE_TWO_FACTOR = _env_bool("REQUIRE_TWO_FACTOR", True)


CONFIGS = {"development": DevelopmentConfig, "test": TestConfig, "production": ProductionConfig}
