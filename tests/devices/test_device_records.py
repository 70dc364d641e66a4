"""Loans and gifts as learner data: merge and undo, subject access, erasure that keeps each device's history."""

import io
import json
import zipfile
from datetime import date

from sqlalchemy import select

from inclusion.devices.models import DataGift, DeviceGift, Loan
from inclusion.extensions import db
from inclusion.learners.merging import merge_learners, undo_merge
from inclusion.learners.privacy import anonymise_learner, inactive_learners
from inclusion.learners.subject_access import subject_access_export
from inclusion.reports import metrics
from inclusion.reports.periods import Period
from tests import factories


def _owned_by(model, learner_id) -> list[int]:
    return list(db.session.scalars(select(model.id).where(model.learner_id == learner_id).order_by(model.id)))


def test_a_merge_moves_loans_and_gifts_to_the_learner_kept_and_undo_puts_each_back(library):
    kept = library.learner
    duplicate = factories.create_learner("Maggie", "Hughes", partner=library.partner)
    kept_loan = factories.create_loan(factories.create_device(library.venue), kept)
    loan = factories.create_loan(factories.create_device(library.venue), duplicate, returned_on=date(2026, 10, 9))
    gift = factories.create_device_gift(factories.create_device(library.venue), duplicate)
    sim = factories.create_data_gift(duplicate, library.venue)
    event = merge_learners(kept.id, duplicate.id, acting_user_id=library.coordinator.id)
    assert _owned_by(Loan, kept.id) == [kept_loan.id, loan.id]
    assert (_owned_by(DeviceGift, kept.id), _owned_by(DataGift, kept.id)) == ([gift.id], [sim.id])
    assert event.details["owners"]["devices"] == {
        "moved_loans_ids": [loan.id],
        "moved_device_gifts_ids": [gift.id],
        "moved_data_gifts_ids": [sim.id],
    }
    undo_merge(event.id, acting_user_id=library.coordinator.id)
    assert _owned_by(Loan, kept.id) == [kept_loan.id]
    assert (_owned_by(Loan, duplicate.id), _owned_by(DeviceGift, duplicate.id)) == ([loan.id], [gift.id])
    assert _owned_by(DataGift, duplicate.id) == [sim.id]


def test_erasure_keeps_the_figures_and_the_devices_history_but_removes_the_person_and_the_sim_number(
    client, login_as, library
):
    device = factories.create_device(library.venue, asset_tag="HIST-1")
    factories.create_loan(device, library.learner, lent_on=date(2026, 10, 1), returned_on=date(2026, 10, 20))
    factories.create_data_gift(library.learner, library.venue, identifier="8944100000000099999")
    october = Period.month(date(2026, 10, 1))
    before = (metrics.devices_lent(october), metrics.data_gifts(october), metrics.adults_connected(october))
    anonymise_learner(library.learner.reference, library.learner.reference, acting_user=None)

    assert (metrics.devices_lent(october), metrics.data_gifts(october), metrics.adults_connected(october)) == before
    assert db.session.scalar(select(DataGift.identifier)) is None
    login_as("coordinator")
    history = client.get(f"/devices/{device.id}").get_data(as_text=True)
    assert library.learner.reference in history and "20 October 2026" in history  # the loan, still there
    assert "Hughes" not in history
    page = client.get(f"/learners/{library.learner.reference}").get_data(as_text=True)
    assert "8944100000000099999" not in page and "Removed" in page


def test_the_subject_access_export_lists_the_learners_loans_gifts_and_sims(library):
    factories.create_loan(factories.create_device(library.venue, asset_tag="SAR-1"), library.learner)
    factories.create_device_gift(factories.create_device(library.venue, asset_tag="SAR-2"), library.learner)
    factories.create_data_gift(library.learner, library.venue, identifier="V-1234")
    _, content = subject_access_export(library.learner.reference, acting_user=library.coordinator)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        data = json.loads(archive.read("learner.json"))
        readme = archive.read("README.txt").decode()
    assert [row["asset_tag"] for row in data["loans"]] == ["SAR-1"]
    assert [row["asset_tag"] for row in data["device_gifts"]] == ["SAR-2"]
    assert [row["identifier"] for row in data["data_gifts"]] == ["V-1234"]
    assert "loans.csv" in readme and "data_gifts.csv" in readme


def test_a_recent_loan_or_return_keeps_a_learner_from_the_retention_limit(library):
    learner = factories.create_learner(partner=library.partner, registered_on=date(2023, 1, 10))
    factories.create_session(library.venue, date(2023, 1, 10), attendees=[learner])
    device = factories.create_device(library.venue)
    factories.create_loan(device, learner, lent_on=date(2023, 1, 10), returned_on=date(2024, 6, 1))
    found = {reference: last for _, reference, last in inactive_learners(2, today=date(2026, 7, 1))}
    assert found[learner.reference] == date(2024, 6, 1)
    assert learner.reference not in {reference for _, reference, _ in inactive_learners(3, today=date(2026, 7, 1))}
