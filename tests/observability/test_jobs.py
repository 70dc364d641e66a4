"""Command-line jobs log a start and an end line with the outcome, and count in the metrics."""

from datetime import date

import click
import pytest
from prometheus_client import REGISTRY

from inclusion.observability.jobs import logged_job
from tests import factories
from tests.observability.support import lines_of


def _count(job: str, outcome: str) -> float:
    return REGISTRY.get_sample_value("inclusion_jobs_total", {"job": job, "outcome": outcome}) or 0.0


def test_a_job_logs_its_start_and_its_successful_end(runner, log_lines):
    before = _count("reports monthly", "succeeded")
    result = runner.invoke(args=["reports", "monthly", "--month", "2026-09"])
    assert result.exit_code == 0, result.output
    started, finished = lines_of(log_lines(), logger="inclusion.jobs")
    assert (started["message"], started["job"]) == ("job started", "reports monthly")
    assert (finished["message"], finished["outcome"], finished["exit_code"]) == ("job finished", "succeeded", 0)
    assert finished["job_id"] == started["job_id"] and finished["duration_ms"] >= 0
    assert _count("reports monthly", "succeeded") == before + 1
    last = REGISTRY.get_sample_value("inclusion_job_last_success_timestamp_seconds", {"job": "reports monthly"})
    assert last and last > 1.7e9


def test_a_job_that_exits_1_is_logged_as_failed_at_error_level(runner, log_lines):
    result = runner.invoke(args=["reports", "monthly", "--month", "not-a-month"])
    assert result.exit_code == 1
    [finished] = lines_of(log_lines(), message="job finished")
    assert (finished["level"], finished["outcome"], finished["exit_code"]) == ("ERROR", "failed", 1)


def test_the_scheduled_retention_job_is_logged_without_the_references_it_prints(runner, log_lines):
    learner = factories.create_learner("Eudora", "Pimblett", registered_on=date(2019, 1, 1))
    result = runner.invoke(args=["learners", "anonymise-inactive", "--dry-run"])
    assert learner.reference in result.output
    [finished] = lines_of(log_lines(), message="job finished", job="learners anonymise-inactive")
    assert finished["outcome"] == "succeeded"
    assert learner.reference not in "".join(log_lines(raw=True))


def test_an_exception_is_logged_by_its_class_only(log_lines):
    @logged_job("test explode")
    def explode():
        raise RuntimeError("a message that might quote someone's name")

    with pytest.raises(RuntimeError):
        explode()
    [finished] = lines_of(log_lines(), message="job finished")
    assert (finished["outcome"], finished["error"]) == ("error", "RuntimeError")
    assert "quote" not in "".join(log_lines(raw=True))


def _commands(group: click.Group):
    """(name, command) of every command of `group`, as click finds them (Flask-Migrate's `db` loaded)."""
    context = click.Context(group)
    return [(name, group.get_command(context, name)) for name in group.list_commands(context)]


def test_every_command_of_the_app_is_logged(app):
    groups = [command for command in app.cli.commands.values() if isinstance(command, click.Group)]
    unlogged = [
        f"{group.name} {name}"
        for group in groups
        for name, command in _commands(group)
        if not isinstance(command, click.Group) and not getattr(command.callback, "logged_job", None)
    ]
    assert "upgrade" in dict(_commands(app.cli.commands["db"]))
    assert not unlogged


def test_a_flask_migrate_command_is_logged_as_a_job(runner):
    before = _count("db heads", "succeeded")

    result = runner.invoke(args=["db", "heads"])

    assert result.exit_code == 0, result.output
    assert _count("db heads", "succeeded") == before + 1
