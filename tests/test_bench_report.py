"""The benchmark's judgement of its targets (bench/report.py) and its guard around measures."""

from bench.measures import NotAvailable, run_guarded
from bench.report import growth, judge


def _run(backend="sqlite", scale="full", **values):
    measures = {name: {"status": "ok", "value": value} for name, value in values.items()}
    return {"backend": backend, "scale": scale, "measures": measures}


def _targets(run) -> dict:
    judge(run)
    return {target["target"]: (target["value"], target["met"]) for target in run["targets"]}


def test_a_dashboard_within_one_and_a_half_times_its_floor_meets_the_ratio_target():
    targets = _targets(_run(dashboard=240.0, sql_floor=200.0))

    assert targets["dashboard at most 1.5 x its SQL floor"] == (1.2, True)
    assert targets["dashboard median under 300 ms"] == (240.0, True)


def test_a_dashboard_twice_its_floor_misses_the_ratio_target():
    targets = _targets(_run(dashboard=400.0, sql_floor=200.0))

    assert targets["dashboard at most 1.5 x its SQL floor"] == (2.0, False)
    assert targets["dashboard median under 300 ms"] == (400.0, False)


def test_a_measure_that_is_not_available_leaves_its_target_unjudged():
    run = _run(sql_floor=200.0)
    run["measures"]["dashboard"] = {"status": "not available", "note": "no dashboard"}

    assert _targets(run)["dashboard at most 1.5 x its SQL floor"] == (None, None)


def test_the_load_test_is_judged_on_session_logging_p95_and_errors():
    load = {"errors": 2, "latency_ms": {"log_session": {"p95": 180.0, "count": 300}}}
    targets = _targets(_run(load_test=load))

    assert targets["session logging p95 under 250 ms (20 users)"] == (180.0, True)
    assert targets["no errors under load"] == (2, False)


def test_growth_compares_the_full_scale_with_the_tenth():
    runs = [_run(scale="full", sql_floor=500.0, search=12.0), _run(scale="tenth", sql_floor=80.0, search=1.0)]

    rows = {row["measure"]: (row["ratio"], row["met"]) for row in growth(runs)}

    assert rows["sql_floor"] == (6.25, True)
    assert rows["search"] == (12.0, False)
    assert rows["dashboard"] == (None, None)


def test_growth_from_full_to_double_scale_is_judged_at_two_point_two_times():
    runs = [
        _run(scale="full", dashboard_cold=200.0, csv_cli_fresh=900.0),
        _run(scale="double", dashboard_cold=430.0, csv_cli_fresh=1000.0),
    ]

    rows = {row["measure"]: (row["from_scale"], row["to_scale"], row["ratio"], row["met"]) for row in growth(runs)}

    assert rows["dashboard_cold"] == ("full", "double", 2.15, True)
    assert rows["csv_cli_fresh"] == ("full", "double", 1.11, True)
    runs[1]["measures"]["dashboard_cold"]["value"] = 460.0
    assert {row["measure"]: row["met"] for row in growth(runs)}["dashboard_cold"] is False


def test_after_a_write_the_dashboard_is_judged_at_one_point_two_times_its_floor():
    targets = _targets(_run(dashboard_cold=250.0, sql_floor=200.0, dashboard_partner_cold=320.0))

    assert targets["after a write: dashboard at most 1.2 x floor"] == (1.25, False)
    assert targets["after a write: partner dashboard under 300 ms"] == (320.0, False)


def test_a_missing_feature_is_reported_as_not_available_and_a_failure_as_an_error():
    def missing():
        raise NotAvailable("no /reports/ dashboard")

    def broken():
        raise RuntimeError("GET /reports/ answered 500")

    assert run_guarded(missing) == {"status": "not available", "note": "no /reports/ dashboard"}
    assert run_guarded(broken) == {"status": "error", "note": "RuntimeError: GET /reports/ answered 500"}
    assert run_guarded(lambda: {"value": 3.0}) == {"status": "ok", "value": 3.0}


def test_the_follow_up_queue_is_judged_against_150_ms():
    targets = _targets(_run(follow_up_queue=120.0))
    assert targets["follow-up queue of the largest partner under 150 ms"] == (120.0, True)
    assert _targets(_run(follow_up_queue=151.0))["follow-up queue of the largest partner under 150 ms"][1] is False
