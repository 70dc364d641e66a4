"""Settings classes; every value can be overridden from the environment."""

import os
from datetime import timedelta


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    # Unset: create_app uses a SQLite file in the instance folder (instance/ in a checkout).
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    # hide_parameters: a database error's message (logged) never carries the values, which may be names.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True, "hide_parameters": True}
    SQLITE_BUSY_TIMEOUT_MS = _env_int("SQLITE_BUSY_TIMEOUT_MS", 15000)
    # Read the database file through memory mapping: shared with the OS page cache, not copied into
    # each connection's small page cache (about 30% off report queries at 50,000 learners).
    SQLITE_MMAP_BYTES = _env_int("SQLITE_MMAP_BYTES", 256 * 1024 * 1024)
    # Report figures remembered under the database's data version (inclusion/reports/cache.py).
    REPORT_FIGURE_CACHE = _env_bool("REPORT_FIGURE_CACHE", True)
    # Unset: each worker keeps the figures it computes. A Redis URI (redis://...): every worker and
    # host shares them (inclusion/reports/shared_store.py), so a figure is computed once per write.
    FIGURE_STORE_URI = os.environ.get("FIGURE_STORE_URI") or None

    # Figures and reports
    SUPPRESSION_THRESHOLD = _env_int("SUPPRESSION_THRESHOLD", 5)
    # The funder CSV version sent each month and downloaded by default (1 is still available on request).
    FUNDER_CSV_VERSION = _env_int("FUNDER_CSV_VERSION", 2)
    # Unset: the current Milestone row's target (5,000 as seeded). Set, it overrides that row.
    MILESTONE_TARGET = _env_int("MILESTONE_TARGET", 0) or None
    DEFAULT_LAWFUL_BASIS = os.environ.get("DEFAULT_LAWFUL_BASIS", "consent")
    PRIVACY_NOTICE_VERSION = os.environ.get("PRIVACY_NOTICE_VERSION", "2026-09")
    RETENTION_YEARS = _env_int("RETENTION_YEARS", 3)
    # A learner's follow-up is due this many days after their first attendance (docs/follow-ups.md);
    # after FOLLOW_UP_ATTEMPTS calls that did not reach them they leave the queue.
    FOLLOW_UP_DAYS = _env_int("FOLLOW_UP_DAYS", 90)
    FOLLOW_UP_ATTEMPTS = _env_int("FOLLOW_UP_ATTEMPTS", 3)
    # Devices and data (docs/devices.md): a loan is due this many days after it starts unless another
    # date is entered; the loan agreement's version is recorded on every loan; a SIM or voucher
    # expires this many months after it is given unless another date is entered.
    LOAN_DAYS = _env_int("LOAN_DAYS", 28)
    LOAN_AGREEMENT_VERSION = os.environ.get("LOAN_AGREEMENT_VERSION", "2026-12")
    DATA_GIFT_MONTHS = _env_int("DATA_GIFT_MONTHS", 6)
    FUNDER_REPORT_RECIPIENTS = _env_list("FUNDER_REPORT_RECIPIENTS")
    # The address people open the app at (https://inclusion.example.org): e-mails sent by a scheduled
    # job (`flask reminders send`), with no request to take it from, build their links on it.
    APP_BASE_URL = os.environ.get("APP_BASE_URL") or None

    # E-mail
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "inclusion@localhost")
    # "smtp": through MAIL_SERVER. "outbox" (development): each message saved in instance/outbox/ and
    # announced on the console, so invitations and password resets can be completed without a mail server.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    MAIL_OUTBOX_DIR = os.environ.get("MAIL_OUTBOX_DIR") or None  # unset: instance/outbox
    # The page /dev/mail that shows the outbox: development only, never registered in production.
    DEV_MAIL_PAGE = False

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
    # The open data feed (docs/api.md): calls a token may make, and the web origins (if any) whose
    # pages may call it from a browser; none by default, so CORS stays closed.
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120 per minute")
    API_CORS_ORIGINS = _env_list("API_CORS_ORIGINS")
    # Proxies (load balancer, nginx) in front of the app whose X-Forwarded-* headers to trust: without
    # it every request behind a load balancer shares the balancer's address and its rate limit.
    TRUSTED_PROXY_COUNT = _env_int("TRUSTED_PROXY_COUNT", 0)
    RATELIMIT_HEADERS_ENABLED = True
    # /readyz remembers its answer this long per worker (load balancers poll every few seconds).
    READINESS_CACHE_SECONDS = _env_int("READINESS_CACHE_SECONDS", 5)

    WTF_CSRF_TIME_LIMIT = None  # a form left open on a tablet all morning must still submit
    MAX_CONTENT_LENGTH = _env_int("MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
    IMPORT_MAX_BYTES = _env_int("IMPORT_MAX_BYTES", MAX_CONTENT_LENGTH)  # spreadsheets, web and command line
    # Limits a spreadsheet must keep within, checked before and while it is read (docs/importing.md).
    IMPORT_MAX_ROWS = _env_int("IMPORT_MAX_ROWS", 50_000)
    IMPORT_MAX_UNCOMPRESSED_BYTES = _env_int("IMPORT_MAX_UNCOMPRESSED_BYTES", 50 * 1024 * 1024)
    ALLIANCE_NAME = os.environ.get("ALLIANCE_NAME", "Digital Inclusion Alliance")
    # Logging offline (docs/offline.md): the learners a champion's device keeps for the session form,
    # those seen at their partner's venues in the last OFFLINE_RECENT_DAYS, at most OFFLINE_RECENT_LIMIT.
    OFFLINE_RECENT_DAYS = _env_int("OFFLINE_RECENT_DAYS", 90)
    OFFLINE_RECENT_LIMIT = _env_int("OFFLINE_RECENT_LIMIT", 300)

    # Logs and metrics (docs/operations.md): JSON lines on stderr; /metrics for Prometheus.
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")  # json or text
    LOG_TO_STDERR = True
    # Taken from a request only when TRUSTED_PROXY_COUNT says a proxy (which sets it) is in front.
    REQUEST_ID_HEADER = os.environ.get("REQUEST_ID_HEADER", "X-Request-ID")
    METRICS_ALLOWED_IPS = _env_list("METRICS_ALLOWED_IPS", "127.0.0.1,::1")
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN") or None
    SUPPORT_EMAIL = os.environ.get("SUPPORT_EMAIL", "digital.inclusion@example.org")


class DevelopmentConfig(Config):
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-not-secret")
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "outbox")
    DEV_MAIL_PAGE = _env_bool("DEV_MAIL_PAGE", True)
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")


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
    FIGURE_STORE_URI = None  # tests/reports/test_shared_store.py sets its own
    # Log records still reach pytest's caplog (through the root logger), but nothing is printed.
    LOG_TO_STDERR = False


class ProductionConfig(Config):
    MAIL_BACKEND = "smtp"  # not from the environment: real mail, always
    DEV_MAIL_PAGE = False  # create_app never registers it for this class, whatever the overrides
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = True
    REQUIRE_TWO_FACTOR = _env_bool("REQUIRE_TWO_FACTOR", True)


CONFIGS = {"development": DevelopmentConfig, "test": TestConfig, "production": ProductionConfig}
