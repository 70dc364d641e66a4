"""No answer of the feed holds personal data: every route is called over the demo alliance and scanned."""

import re

from sqlalchemy import select

from inclusion.core.demo_data import seed_demo
from inclusion.database import write_transaction
from inclusion.extensions import db
from inclusion.learners.models import Learner
from inclusion.reports import exports
from inclusion.reports.models import ReportRun
from inclusion.reports.services import month_period, sha256_of
from inclusion.timeutil import utcnow


def _traces() -> list[str]:
    """What would identify a demo learner: names, references, dates of birth, postcodes, contact details."""
    traces = []
    for learner in db.session.scalars(select(Learner)):
        traces += [f"{learner.first_name} {learner.last_name}", learner.reference]
        traces += [value for value in (learner.postcode, learner.email, learner.phone) if value]
        if learner.date_of_birth:
            born = learner.date_of_birth
            traces += [born.isoformat(), born.strftime("%d/%m/%Y"), born.strftime("%-d %B %Y")]
    return traces


def _archive_a_sent_report(month: str) -> None:
    content = exports.monthly_csv(month_period(month))
    with write_transaction():
        db.session.add(
            ReportRun(
                month=month,
                sha256=sha256_of(content),
                content=content,
                recipients="commissioner.jane@council.example",
                sent_at=utcnow(),
            )
        )


def test_no_feed_answer_holds_a_learners_personal_data_or_a_recipients_address(app, client, feed):
    seed_demo(learners=120, seed=11)
    months = [entry["month"] for entry in feed("/months").json["months"]]
    assert len(months) >= 20
    _archive_a_sent_report(months[-2])
    answers = {
        "/api/v1/openapi.json": client.get("/api/v1/openapi.json"),
        "/api/v1/months": feed("/months"),
        "/api/v1/reports": feed("/reports"),
        "/api/v1/unknown": feed("/unknown"),
        "/api/v1/figures?month=x": feed("/figures?month=x"),
    }
    for month in months:
        answers[f"/api/v1/figures?month={month}"] = feed(f"/figures?month={month}")
    assert {response.status_code for response in answers.values()} <= {200, 400, 404}
    traces = _traces() + ["commissioner.jane@council.example"]
    assert len(traces) > 300
    pattern = re.compile("|".join(re.escape(trace) for trace in traces))
    leaks = [
        f"{url} holds {match.group(0)!r}"
        for url, response in answers.items()
        if (match := pattern.search(response.get_data(as_text=True)))
    ]
    assert not leaks, "\n".join(leaks)
