"""Fixtures of the backup tests: a second database to restore into."""

from tests.scratch_databases import scratch_database  # noqa: F401  (fixture)
