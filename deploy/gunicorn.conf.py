"""Gunicorn settings for Inclusion: `gunicorn --config /etc/inclusion/gunicorn.conf.py` (inclusion.service).

Each value can be overridden from the environment file the unit reads (/etc/inclusion/inclusion.env),
so gunicorn, the scheduled jobs and `flask` by hand take their settings from one place.
"""

import multiprocessing
import os

wsgi_app = "inclusion:create_app()"

# nginx on the same machine forwards to this address; nothing else should reach it.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Two sync workers per core, and one more (gunicorn's advice). Each holds at most one database
# connection at a time (two during `send-monthly` from the web), so PostgreSQL's max_connections
# must exceed hosts x workers plus the scheduled jobs (docs/deployment.md).
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() * 2 + 1)

# The slowest page (a year's dashboard at alliance scale) answers in a few seconds; a worker stuck
# for a minute is killed and replaced. Workers finish in-flight requests for up to 30 s on reload.
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 60)
graceful_timeout = 30
keepalive = 5  # seconds an idle connection from nginx is kept open

# Replace each worker after about a thousand requests: memory a worker has grown (report frames)
# goes back to the system, and workers do not all restart at once.
max_requests = 1000
max_requests_jitter = 100

# The app writes its own structured request lines; gunicorn's access log would say it twice.
# Gunicorn's own messages (worker start, timeout, crash) go to standard error: the journal.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Not preloaded: each worker builds the app, and its own database connections, after the fork.
preload_app = False

# Worker heartbeats on tmpfs (inclusion.service sets /run/inclusion, its RuntimeDirectory): a slow or
# full disk then never makes gunicorn think a worker hung.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or None

# The proxy headers are read by the app (TRUSTED_PROXY_COUNT), not by gunicorn; gunicorn's own
# default trusts X-Forwarded-Proto from 127.0.0.1 only, which is nginx on this machine.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
