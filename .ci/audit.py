"""Known vulnerabilities in the pinned Python dependencies and the production npm ones; exit 1 if any.

Python: pip-audit reads requirements/lock.txt and asks PyPI's advisory data about each pinned
release. Where PyPI does not serve a release's own JSON (some mirrors and proxies serve only the
project's), the project's JSON is asked instead: its advisories are those of the latest release,
so they cover a pin only when the pin is the latest; any other pin is reported as not audited.
npm: `npm audit --omit=dev`. Accepted findings are listed in .ci/audit-allowlist.txt, each with
a review-by date; an entry past its date fails the run until someone looks again.
"""

import json
import re
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements" / "lock.txt"
ALLOWLIST = ROOT / ".ci" / "audit-allowlist.txt"
PYPI_PROJECT = "https://pypi.org/pypi/{name}/json"
NOT_ON_PYPI = "Dependency not found on PyPI"


@dataclass(frozen=True)
class Allowed:
    id: str
    review_by: date
    reason: str


@dataclass(frozen=True)
class Finding:
    id: str  # the advisory's id, or "unaudited:<package>"
    aliases: frozenset[str]
    what: str


class AuditError(Exception):
    """The audit could not be run; the message says why and what to do."""


def read_allowlist(text: str) -> list[Allowed]:
    """Lines of `ID REVIEW-BY REASON`; '#' starts a comment. A line of any other shape is an error."""
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"(\S+)\s+(\d{4}-\d{2}-\d{2})\s+(.+)", line)
        if not match:
            raise AuditError(f"{ALLOWLIST.name} line {number}: write `ID YYYY-MM-DD reason`, not {line!r}")
        entries.append(Allowed(match[1], date.fromisoformat(match[2]), match[3].strip()))
    return entries


def not_looked_up(report: dict) -> list[str]:
    """The packages pip-audit could not find a release's JSON for."""
    return [
        dependency["name"] for dependency in report["dependencies"] if NOT_ON_PYPI in dependency.get("skip_reason", "")
    ]


def pip_audit_findings(report: dict, projects: dict[str, dict]) -> list[Finding]:
    """Findings from pip-audit's JSON; those it could not look up come from their `projects` JSON."""
    findings = []
    for dependency in report["dependencies"]:
        name = dependency["name"]
        if name in projects:
            findings += _latest_release_findings(name, dependency["skip_reason"], projects[name])
            continue
        for vuln in dependency.get("vulns", []):
            what = f"{name} {dependency['version']}: {vuln['id']} (fixed in {', '.join(vuln['fix_versions']) or '-'})"
            findings.append(Finding(vuln["id"], frozenset(vuln.get("aliases", [])), what))
    return findings


def _latest_release_findings(name: str, skip_reason: str, project: dict) -> list[Finding]:
    version = re.search(r"\(([^)]+)\)\s*$", skip_reason)[1]
    latest = project["info"]["version"]
    if version != latest:
        what = f"{name} {version}: not audited (the advisory data reached covers only the latest release, {latest})"
        return [Finding(f"unaudited:{name}", frozenset(), what)]
    findings, seen = [], set()
    for vuln in project.get("vulnerabilities", []):
        aliases = frozenset(vuln.get("aliases") or [])
        if vuln.get("withdrawn") or vuln["id"] in seen:  # PyPI lists one advisory once per database
            continue
        seen |= aliases | {vuln["id"]}
        findings.append(Finding(vuln["id"], aliases, f"{name} {version}: {vuln['id']} {vuln['link']}"))
    return findings


def npm_audit_findings(report: dict) -> list[Finding]:
    if "error" in report:
        raise AuditError(f"npm audit could not reach the registry's advisory service: {report['error'].get('summary')}")
    findings = []
    for package, entry in report.get("vulnerabilities", {}).items():
        for via in entry.get("via", []):
            if isinstance(via, dict):  # a string names another package whose advisory this one inherits
                advisory = via.get("url", "").rsplit("/", 1)[-1] or str(via.get("source"))
                findings.append(Finding(advisory, frozenset(), f"npm {package}: {advisory} {via.get('title', '')}"))
    return findings


def judge(findings: list[Finding], allowed: list[Allowed], today: date) -> list[str]:
    """The problems that fail the run: findings not allowed, and allow-list entries past their review date."""
    by_id = {entry.id: entry for entry in allowed}
    problems = [
        f"{entry.id}: review-by {entry.review_by} has passed ({entry.reason})"
        for entry in allowed
        if entry.review_by < today
    ]
    for finding in findings:
        if not ({finding.id} | finding.aliases) & by_id.keys():
            problems.append(finding.what)
    return problems


def _run_pip_audit() -> dict:
    command = [sys.executable, "-m", "pip_audit", "-r", str(LOCK), "--require-hashes", "--disable-pip"]
    result = subprocess.run([*command, "--progress-spinner", "off", "-f", "json"], capture_output=True, text=True)  # noqa: S603
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError:
        raise AuditError(f"pip-audit could not reach PyPI's advisory data: {result.stderr.strip()[-500:]}") from None


def _project_json(name: str) -> dict:
    try:
        with urllib.request.urlopen(PYPI_PROJECT.format(name=name), timeout=30) as response:  # noqa: S310 (fixed https URL)
            return json.load(response)
    except OSError as error:
        raise AuditError(f"PyPI did not answer for {name}: {error}") from None


def _run_npm_audit() -> dict:
    result = subprocess.run(["npm", "audit", "--omit=dev", "--json"], cwd=ROOT, capture_output=True, text=True)  # noqa: S607
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError:
        raise AuditError(f"npm audit gave no report: {result.stderr.strip()[-500:]}") from None


def main() -> int:
    try:
        allowed = read_allowlist(ALLOWLIST.read_text(encoding="utf-8"))
        report = _run_pip_audit()
        with ThreadPoolExecutor(max_workers=8) as pool:  # one small request a package: in parallel, a few seconds
            names = not_looked_up(report)
            projects = dict(zip(names, pool.map(_project_json, names), strict=True))
        findings = pip_audit_findings(report, projects) + npm_audit_findings(_run_npm_audit())
    except AuditError as error:
        print(f"audit: {error}", file=sys.stderr)
        return 1
    problems = judge(findings, allowed, date.today())
    for problem in problems:
        print(f"audit: {problem}", file=sys.stderr)
    if problems:
        print(f"audit: {len(problems)} problem(s); fix them, or accept one in {ALLOWLIST.name} with a review-by date")
        return 1
    print(f"audit: no known vulnerabilities ({len(findings)} accepted in {ALLOWLIST.name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
