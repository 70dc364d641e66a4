"""Checking and writing a learners spreadsheet (columns of DESIGN.md, "Spreadsheet import")."""

import re
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import insert, select

from inclusion.extensions import db
from inclusion.imports.cells import with_control_character_problems, without_control_characters
from inclusion.imports.parsing import CellError, Problem, Table, check_columns, header_stops_row_checks, parse_date
from inclusion.learners import rules
from inclusion.learners.fields import new_reference, search_key
from inclusion.learners.models import Learner
from inclusion.partners.models import Partner
from inclusion.rules import Invalid
from inclusion.timeutil import today_in_london

COLUMNS = ("reference", *rules.TYPED_FIELDS, "consent", "registered_on", "partner")
REQUIRED = ("first_name", "last_name", "partner")
CHUNK = 500
_REFERENCE = re.compile(r"^[A-Za-z0-9-]{1,20}$")


@dataclass
class LearnerPlan:
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    new_learners: list[dict] = field(default_factory=list)
    already_present: int = 0

    @property
    def counts(self) -> dict[str, int]:
        return {"learners_added": len(self.new_learners), "learners_already_present": self.already_present}


def plan_learners(table: Table, progress=None) -> LearnerPlan:
    """Every problem in the file, or the learner rows to insert (nothing is written)."""
    plan = LearnerPlan(rows=len(table.rows), problems=check_columns(table, COLUMNS, REQUIRED))
    if header_stops_row_checks(plan.problems):
        return plan
    partners = {name.lower(): partner_id for partner_id, name in db.session.execute(select(Partner.id, Partner.name))}
    existing = _existing_references([values.get("reference", "").upper() for _, values in table.rows])
    seen_references: dict[str, int] = {}
    today = today_in_london()
    default_basis = current_app.config["DEFAULT_LAWFUL_BASIS"]
    for position, (number, values) in enumerate(table.rows, start=1):
        problems_before = len(plan.problems)
        learner = _learner_row(number, values, partners, today, default_basis, plan.problems)
        reference = learner.get("reference")
        if reference:
            if reference in seen_references:
                plan.problems.append(
                    Problem(number, "reference", f"{reference} is also on row {seen_references[reference]}")
                )
            seen_references.setdefault(reference, number)
        if len(plan.problems) == problems_before:
            if reference and reference in existing:
                # The same person imported before is skipped; another person with that reference is an error.
                if existing[reference] == learner["search_name"]:
                    plan.already_present += 1
                else:
                    plan.problems.append(
                        Problem(number, "reference", f"another learner already has the reference {reference}")
                    )
            else:
                plan.new_learners.append(learner)
        if progress and position % 200 == 0:
            progress(200)
    if progress:
        progress(len(table.rows) % 200)
    return plan


def _existing_references(references: list[str]) -> dict[str, str]:
    wanted = sorted({reference for reference in references if reference})
    found: dict[str, str] = {}
    for start in range(0, len(wanted), CHUNK):
        query = select(Learner.reference, Learner.search_name).where(
            Learner.reference.in_(wanted[start : start + CHUNK])
        )
        found.update(dict(db.session.execute(query).all()))
    return found


def _learner_row(number, values, partners, today, default_basis, problems) -> dict:
    """One row as Learner column values; its problems are appended to `problems`."""
    values, dirty = without_control_characters(values)
    found: list[Problem] = []

    def cell(column: str) -> str:
        return values.get(column, "")

    def problem(column: str, message: str) -> None:
        found.append(Problem(number, column, message))

    row: dict = {}
    reference = cell("reference").upper()
    if reference and not _REFERENCE.match(reference):
        problem("reference", "use up to 20 letters, digits and hyphens")
    row["reference"] = reference or None

    registered_on, registration_problem = today, None
    if cell("registered_on"):
        try:
            registered_on = rules.registered_on(parse_date(cell("registered_on")), today)
        except CellError as error:
            registration_problem = str(error)
        except Invalid as error:
            registration_problem = error.cell
    row["registered_on"] = registered_on

    typed: dict = {column: cell(column) for column in rules.TYPED_FIELDS}
    typed["date_of_birth"] = None
    if cell("date_of_birth"):
        try:
            typed["date_of_birth"] = parse_date(cell("date_of_birth"))
        except CellError as error:
            problem("date_of_birth", str(error))
    clean, errors = rules.clean_learner(typed, rules.LearnerContext(registered_on, today, default_basis))
    for column, error in errors.items():
        problem(column, error.cell)
    row.update(clean)
    row["search_name"] = search_key(clean["first_name"], clean["last_name"])
    if registration_problem:
        problem("registered_on", registration_problem)

    consent = cell("consent").lower()
    if consent and consent != "yes":
        problem("consent", "write yes, or leave it empty")
    elif row["lawful_basis"] == "consent" and consent != "yes":
        problem("consent", "must be yes: the lawful basis is consent, so the learner's consent is needed")
    if consent == "yes":
        row["consent_method"] = "import"
        row["consent_recorded_at"] = datetime.combine(registered_on, datetime.min.time())

    partner = cell("partner")
    if not partner:
        problem("partner", "is required")
    elif partner.lower() not in partners:
        problem("partner", f"no partner called '{partner}'")
    row["registered_partner_id"] = partners.get(partner.lower())
    problems.extend(with_control_character_problems(number, dirty, found))
    return row


def write_learners(plan: LearnerPlan, user_id: int | None, progress=None) -> None:
    """Insert the planned learners in bulk (the caller holds the write transaction)."""
    rows = plan.new_learners
    missing = [row for row in rows if not row["reference"]]
    taken = {row["reference"] for row in rows if row["reference"]}
    while missing:  # a generated reference may, rarely, already be in use: draw again
        for row in missing:
            reference = new_reference()
            while reference in taken:
                reference = new_reference()
            row["reference"] = reference
            taken.add(reference)
        in_use = _existing_references([row["reference"] for row in missing])
        missing = [row for row in missing if row["reference"] in in_use]
    for row in rows:
        row["registered_by_id"] = user_id
        row.setdefault("consent_method", None)
        row.setdefault("consent_recorded_at", None)
        row["consent_recorded_by_id"] = user_id if row["consent_method"] else None
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(Learner), rows[start : start + CHUNK])
        if progress:
            progress(len(rows[start : start + CHUNK]))
    if progress:
        progress(plan.rows - len(rows))
