"""The dependency audit (.ci/audit.py) fails on a known advisory unless accepted, and only until its review date."""

import importlib.util
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("ci_audit", ROOT / ".ci" / "audit.py")
audit = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(audit)

TODAY = date(2026, 12, 1)
JINJA_ADVISORY = {"id": "PYSEC-2024-1", "aliases": ["CVE-2024-22195", "GHSA-h5c8-rqwp-cp95"], "fix_versions": ["3.1.3"]}


def _pip_report(*dependencies):
    return {"dependencies": list(dependencies), "fixes": []}


def test_a_pinned_release_with_an_advisory_is_a_problem_naming_the_package_and_the_fix():
    report = _pip_report({"name": "jinja2", "version": "3.1.2", "vulns": [JINJA_ADVISORY]})

    problems = audit.judge(audit.pip_audit_findings(report, {}), [], TODAY)

    assert problems == ["jinja2 3.1.2: PYSEC-2024-1 (fixed in 3.1.3)"]


def test_an_advisory_accepted_by_one_of_its_aliases_before_its_review_date_passes():
    report = _pip_report({"name": "jinja2", "version": "3.1.2", "vulns": [JINJA_ADVISORY]})
    allowed = audit.read_allowlist("GHSA-h5c8-rqwp-cp95  2026-12-31  only our own templates are rendered\n")

    assert audit.judge(audit.pip_audit_findings(report, {}), allowed, TODAY) == []


def test_an_accepted_advisory_past_its_review_date_fails_the_audit_even_when_nothing_is_found():
    allowed = audit.read_allowlist("# accepted\nCVE-2024-22195 2026-11-30 only our own templates are rendered\n")

    assert audit.judge([], allowed, TODAY) == [
        "CVE-2024-22195: review-by 2026-11-30 has passed (only our own templates are rendered)"
    ]


def test_an_allowlist_line_without_a_date_is_refused_with_the_expected_shape():
    with pytest.raises(audit.AuditError, match="line 2: write `ID YYYY-MM-DD reason`"):
        audit.read_allowlist("\nGHSA-xxxx because\n")


def test_a_release_pypi_will_not_describe_is_audited_from_the_project_once_per_advisory_when_it_is_the_latest():
    skipped = {"name": "ecdsa", "skip_reason": "Dependency not found on PyPI and could not be audited: ecdsa (0.19.2)"}
    project = {
        "info": {"version": "0.19.2"},
        "vulnerabilities": [  # one advisory, listed once for each database that has it
            {"id": "GHSA-wj6h-64fc-37mp", "aliases": ["CVE-2024-23342", "PYSEC-2026-1"], "link": "https://osv.dev/x"},
            {"id": "PYSEC-2026-1", "aliases": ["CVE-2024-23342", "GHSA-wj6h-64fc-37mp"], "link": "https://osv.dev/y"},
        ],
    }
    report = _pip_report(skipped)

    assert audit.not_looked_up(report) == ["ecdsa"]
    findings = audit.pip_audit_findings(report, {"ecdsa": project})
    assert audit.judge(findings, [], TODAY) == ["ecdsa 0.19.2: GHSA-wj6h-64fc-37mp https://osv.dev/x"]


def test_an_older_pin_that_cannot_be_looked_up_is_reported_as_not_audited():
    skipped = {"name": "redis", "skip_reason": "Dependency not found on PyPI and could not be audited: redis (6.4.0)"}
    findings = audit.pip_audit_findings(_pip_report(skipped), {"redis": {"info": {"version": "8.1.0"}}})

    assert [finding.id for finding in findings] == ["unaudited:redis"]
    assert "not audited" in findings[0].what and "8.1.0" in findings[0].what


def test_an_npm_advisory_is_a_problem_named_by_its_ghsa_id():
    report = {
        "vulnerabilities": {
            "govuk-frontend": {
                "via": [{"source": 1, "title": "XSS", "url": "https://github.com/advisories/GHSA-aaaa-bbbb-cccc"}]
            },
            "sass": {"via": ["govuk-frontend"]},
        }
    }

    assert audit.judge(audit.npm_audit_findings(report), [], TODAY) == ["npm govuk-frontend: GHSA-aaaa-bbbb-cccc XSS"]


def test_an_unreachable_npm_advisory_service_stops_the_audit_with_a_clear_message():
    with pytest.raises(audit.AuditError, match="could not reach the registry's advisory service"):
        audit.npm_audit_findings({"error": {"summary": "405 Method Not Allowed"}})


def test_the_committed_allowlist_is_well_formed():
    assert audit.read_allowlist(audit.ALLOWLIST.read_text(encoding="utf-8"))
