"""A BI-style client: pandas loads the figures (pd.json_normalize) into the same frame as the CSV."""

import io
from datetime import date

import pandas as pd

from inclusion.reports import funder_csv
from inclusion.reports.periods import Period
from tests import factories


def _some_figures() -> None:
    central = factories.create_venue("Central Library")
    reddish = factories.create_venue("Reddish Library")
    learners = [factories.create_learner(age_band="65-74") for _ in range(7)]
    factories.create_session(
        central, date(2026, 10, 6), duration_minutes=90, attendees=learners, skills={learners[0]: ["COM-01"]}
    )
    factories.create_session(reddish, date(2026, 10, 8), attendees=learners[:2])


def test_the_figures_load_in_pandas_as_the_same_frame_as_the_csv(db, feed):
    _some_figures()
    body = feed("/figures?month=2026-10").json
    from_feed = pd.json_normalize(body, record_path="cells", meta=["month"])
    from_feed = from_feed[["month", "measure", "dimension", "category", "value"]]

    content = funder_csv.monthly_csv(Period.month(date(2026, 10, 1)))  # the default version, as the feed's
    from_csv = pd.read_csv(io.BytesIO(content), na_values=["[c]"], keep_default_na=False)
    from_csv["value"] = from_csv["value"].astype(float)

    assert from_feed["value"].isna().any() and not from_feed["value"].isna().all()
    pd.testing.assert_frame_equal(from_feed.astype({"value": float}), from_csv, check_dtype=True)
    suppressed_in_csv = pd.read_csv(io.BytesIO(content), dtype=str)["value"] == "[c]"
    assert pd.json_normalize(body, record_path="cells")["suppressed"].tolist() == suppressed_in_csv.tolist()
