"""Fixtures of the core tests: a second database beside the suite's own."""

from tests.scratch_databases import scratch_database  # noqa: F401  (fixture)
