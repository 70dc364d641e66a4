"""signposts_made and signposts_arrived: worked out by hand, on the dashboard and in the funder CSV (version 2)."""

import csv
import io
import re
from datetime import date

import pytest

from inclusion.reports import funder_csv, metrics
from inclusion.reports.periods import Period
from tests import factories

SEPTEMBER = Period.month(date(2026, 9, 1))
OCTOBER = Period.month(date(2026, 10, 1))
NOVEMBER = Period.month(date(2026, 11, 1))


def _row(html: str, label: str) -> list[str]:
    match = re.search(rf'<th scope="row" class="govuk-table__header">{re.escape(label)}</th>(.*?)</tr>', html, re.S)
    assert match, f"no row {label}"
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)]


@pytest.fixture
def setting(app):
    originals = {}

    def _set(name, value):
        originals.setdefault(name, app.config[name])
        app.config[name] = value

    yield _set
    app.config.update(originals)


@pytest.fixture
def history():
    """Five signposts (four adults' and a child's), worked through by hand:

    - Ann (25-34) at Central Library on 6 Oct, to Age UK Hub; at the Hub on 13 Oct: made and arrived in October.
    - Bob (45-54) at Central on 7 Oct, to the partner Age UK; at the Hub on 2 Nov: made October, arrived November.
    - Cat (65-74) at Bramhall Library on 8 Oct, to an outside service: made October, never arrives.
    - Kit (under 18) at Central on 9 Oct, to the Hub, and there on 10 Oct: not an adult, never counted.
    - Dee (75+) at the Hub on 28 Sep, to Central; at Central on 3 Oct: made September, arrived October.
    """
    libraries, age_uk = factories.create_partner("Libraries"), factories.create_partner("Age UK")
    central = factories.create_venue("Central Library", libraries)
    bramhall = factories.create_venue("Bramhall Library", libraries)
    hub = factories.create_venue("Age UK Hub", age_uk)
    ann = factories.create_learner("Ann", age_band="25-34")
    bob = factories.create_learner("Bob", age_band="45-54")
    cat = factories.create_learner("Cat", age_band="65-74")
    kit = factories.create_learner("Kit", age_band="under-18")
    dee = factories.create_learner("Dee", age_band="75+")
    factories.create_session(bramhall, date(2026, 10, 8), attendees=[cat])
    factories.create_signpost(ann, central, date(2026, 10, 6), to_venue=hub)
    factories.create_session(hub, date(2026, 10, 13), attendees=[ann])
    factories.create_signpost(bob, central, date(2026, 10, 7), to_partner=age_uk)
    factories.create_session(hub, date(2026, 11, 2), attendees=[bob])
    factories.create_signpost(cat, bramhall, date(2026, 10, 8), to_service=factories.create_service())
    factories.create_signpost(kit, central, date(2026, 10, 9), to_venue=hub)
    factories.create_session(hub, date(2026, 10, 10), attendees=[kit])
    factories.create_signpost(dee, hub, date(2026, 9, 28), to_venue=central)
    factories.create_session(central, date(2026, 10, 3), attendees=[dee])
    return {"libraries": libraries, "age_uk": age_uk, "central": central, "hub": hub}


def test_signposts_made_counts_adults_signposts_by_the_venue_where_they_were_made(history):
    assert metrics.signposts_made(OCTOBER) == 3  # Ann, Bob, Cat (not Kit)
    assert metrics.signposts_made(OCTOBER, by="venue") == {"Central Library": 2, "Bramhall Library": 1}
    assert metrics.signposts_made(OCTOBER, by="partner") == {"Libraries": 3}
    assert metrics.signposts_made(OCTOBER, by="age_band") == {"25-34": 1, "45-54": 1, "65-74": 1}
    assert metrics.signposts_made(OCTOBER, venue_id=history["central"].id) == 2
    assert metrics.signposts_made(OCTOBER, partner_id=history["age_uk"].id) == 0
    assert metrics.signposts_made(SEPTEMBER) == 1  # Dee, at the Hub
    assert metrics.signposts_made(SEPTEMBER, by="partner") == {"Age UK": 1}


def test_signposts_arrived_counts_arrivals_in_the_period_by_the_venue_arrived_at(history):
    assert metrics.signposts_arrived(OCTOBER) == 2  # Ann at the Hub, Dee at Central (not Kit)
    assert metrics.signposts_arrived(OCTOBER, by="venue") == {"Age UK Hub": 1, "Central Library": 1}
    assert metrics.signposts_arrived(OCTOBER, by="partner") == {"Age UK": 1, "Libraries": 1}
    assert metrics.signposts_arrived(OCTOBER, by="age_band") == {"25-34": 1, "75+": 1}
    assert metrics.signposts_arrived(OCTOBER, partner_id=history["age_uk"].id) == 1
    assert metrics.signposts_arrived(SEPTEMBER) == 0
    assert metrics.signposts_arrived(NOVEMBER, by="venue") == {"Age UK Hub": 1}  # Bob


def test_a_month_counts_the_arrivals_in_it_whatever_the_learner_did_before_or_after(history):
    """The month's figure reads only that month's learners and attendances up to its end: an arrival
    is still credited to its own month when the learner comes back later, or attended elsewhere first."""
    central, hub = history["central"], history["hub"]
    fay = factories.create_learner("Fay", age_band="35-44")
    factories.create_signpost(fay, central, date(2026, 10, 1), to_venue=hub)
    factories.create_session(hub, date(2026, 10, 20), attendees=[fay])  # arrives in October...
    factories.create_session(hub, date(2026, 11, 10), attendees=[fay])  # ...and comes back in November
    gus = factories.create_learner("Gus", age_band="35-44")
    factories.create_signpost(gus, hub, date(2026, 10, 2), to_venue=central)
    factories.create_session(hub, date(2026, 10, 21), attendees=[gus])  # in October, not at Central
    factories.create_session(central, date(2026, 11, 12), attendees=[gus])  # arrives in November
    assert metrics.signposts_arrived(OCTOBER) == 3  # Ann, Dee and Fay
    assert metrics.signposts_arrived(NOVEMBER) == 2  # Bob and Gus, not Fay again
    assert metrics.signposts_arrived(Period(SEPTEMBER.start, NOVEMBER.end)) == 5


def test_a_new_signpost_changes_the_cached_figure(history):
    assert metrics.signposts_made(OCTOBER) == 3
    learner = factories.create_learner("Eve", age_band="35-44")
    factories.create_signpost(learner, history["hub"], date(2026, 10, 20), to_venue=history["central"])
    assert metrics.signposts_made(OCTOBER) == 4


def _cells(content: bytes) -> dict[tuple[str, str], str]:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))[1:]
    return {(measure, dimension, category): value for _month, measure, dimension, category, value in rows}


def test_version_2_of_the_funder_csv_has_both_measures_with_rows_for_every_venue_that_had_a_session(history, setting):
    setting("SUPPRESSION_THRESHOLD", 0)
    cells = _cells(funder_csv.monthly_csv(OCTOBER, 2))
    made = {key[1:]: value for key, value in cells.items() if key[0] == "signposts_made"}
    assert made == {
        ("total", "all"): "3",
        ("partner", "Age UK"): "0",
        ("partner", "Libraries"): "3",
        ("venue", "Age UK Hub"): "0",
        ("venue", "Bramhall Library"): "1",
        ("venue", "Central Library"): "2",
        ("age_band", "25-34"): "1",
        ("age_band", "45-54"): "1",
        ("age_band", "65-74"): "1",
    }
    arrived = {key[1:]: value for key, value in cells.items() if key[0] == "signposts_arrived"}
    assert arrived == {
        ("total", "all"): "2",
        ("partner", "Age UK"): "1",
        ("partner", "Libraries"): "1",
        ("venue", "Age UK Hub"): "1",
        ("venue", "Bramhall Library"): "0",
        ("venue", "Central Library"): "1",
        ("age_band", "25-34"): "1",
        ("age_band", "75+"): "1",
    }
    assert not any(key[0].startswith("signposts") for key in _cells(funder_csv.monthly_csv(OCTOBER, 1)))


def test_version_2_suppresses_small_signpost_counts_outside_the_total_like_adults_helped(history, setting):
    setting("SUPPRESSION_THRESHOLD", 5)
    cells = _cells(funder_csv.monthly_csv(OCTOBER, 2))
    assert cells[("signposts_made", "total", "all")] == "3"
    assert cells[("signposts_made", "venue", "Central Library")] == "[c]"
    assert cells[("signposts_made", "venue", "Age UK Hub")] == "0"
    assert cells[("signposts_arrived", "partner", "Age UK")] == "[c]"
    assert cells[("signposts_arrived", "age_band", "75+")] == "[c]"


def test_the_dashboard_shows_signposts_made_and_arrived(client, login_as, history):
    login_as("coordinator")
    html = client.get("/reports/?month=2026-10").text
    # This month, the month before and a year earlier.
    assert _row(html, "Signposts made") == ["3", "1", "0"]
    assert _row(html, "Signposts arrived") == ["2", "0", "0"]
