"""Demo and benchmark devices: stock at the venues, loans to learners at sessions they attended, gifts, SIMs.

Deterministic (one random.Random), planned in memory and written in bulk: `flask demo seed` adds a
small lending library; `flask demo generate --devices N --loans M` adds stock and loans at bench scale.
Loans start on a day the borrower attended a session at the device's venue; each device's loans
follow one another; a device's last loan is still open when its return would fall after "today".
"""

import bisect
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, insert, select

from inclusion.devices.models import ELIGIBILITY_REASONS, DataGift, Device, DeviceGift, Loan
from inclusion.extensions import db
from inclusion.timeutil import utcnow

MAKES = {
    "laptop": ["Lenovo IdeaPad 3", "HP 250 G9", "Dell Latitude 5490 (refurbished)", "Acer Aspire 3"],
    "tablet": ["Samsung Galaxy Tab A8", "Lenovo Tab M10", "Apple iPad (9th generation)"],
    "phone": ["Samsung Galaxy A14", "Motorola moto g23", "Nokia G21"],
    "hotspot": ["TP-Link M7350", "Huawei E5576"],
}
KIND_WEIGHTS = {"laptop": 5, "tablet": 3, "phone": 1, "hotspot": 1}
SOURCES = [
    "National Device Bank batch 2025-03",
    "National Device Bank batch 2026-01",
    "Council refurbishment",
    "Donated",
]
NETWORKS = ["Vodafone", "Three", "O2", "EE", "VOXI", "giffgaff"]
CONDITIONS_OUT = ["good", "good", "good", "fair", "fair", "poor", "broken"]
LOAN_DAYS = 28
OUT_NOW = 0.35  # the share of devices on loan today, beyond the loans asked for
CHUNK = 1000


@dataclass
class Visit:
    """A learner at a session: the day, the venue, who."""

    day: date
    venue_id: int
    learner_id: int


@dataclass
class Plan:
    devices: list[dict] = field(default_factory=list)  # each with "asset_tag"
    loans: list[dict] = field(default_factory=list)  # each with "asset_tag" instead of device_id
    gifts: list[dict] = field(default_factory=list)
    data_gifts: list[dict] = field(default_factory=list)


def plan_devices(
    rng: random.Random,
    visits: list[Visit],
    *,
    devices: int,
    loans: int,
    data_gifts: int,
    today: date,
    tag_prefix: str,
    created_by_id: int | None = None,
) -> Plan:
    """Devices at the venues learners visit (in proportion), a chain of loans for each, gifts and SIMs."""
    plan = Plan()
    if not visits or devices <= 0:
        return plan
    by_venue: dict[int, list[Visit]] = {}
    for visit in sorted(visits, key=lambda v: (v.day, v.venue_id, v.learner_id)):
        by_venue.setdefault(visit.venue_id, []).append(visit)
    venue_ids = sorted(by_venue)
    weights = [len(by_venue[venue_id]) for venue_id in venue_ids]
    days = {venue_id: [visit.day for visit in by_venue[venue_id]] for venue_id in venue_ids}
    now = utcnow()
    kinds, kind_weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
    per_device = -(-loans // devices) if loans > 0 else 0
    for number in range(1, devices + 1):
        venue_id = rng.choices(venue_ids, weights=weights)[0]
        kind = rng.choices(kinds, weights=kind_weights)[0]
        tag = f"{tag_prefix}{number:05d}"
        device = {
            "asset_tag": tag,
            "kind": kind,
            "make_model": rng.choice(MAKES[kind]),
            "serial": f"SN{rng.randrange(10**9, 10**10)}",
            "source": rng.choice(SOURCES),
            "condition": rng.choice(["new", "good", "good", "fair"]),
            "status": "in-stock",
            "venue_id": venue_id,
            "retired_on": None,
            "created_at": now,
            "created_by_id": created_by_id,
        }
        plan.devices.append(device)
        pool, pool_days = by_venue[venue_id], days[venue_id]
        # Loans spread over the venue's whole history, so the last of them reach up to today.
        gap = max(1, (pool_days[-1] - pool_days[0]).days // max(per_device, 1) - 35)
        free_from = pool_days[0] + timedelta(days=rng.randint(0, gap))
        for _ in range(per_device if len(plan.loans) < loans else 0):
            start = bisect.bisect_left(pool_days, free_from)
            if start >= len(pool) or len(plan.loans) >= loans:
                break
            visit = pool[min(len(pool) - 1, start + rng.randrange(5))]
            lent_on, due_on = visit.day, visit.day + timedelta(days=LOAN_DAYS)
            returned_on = lent_on + timedelta(days=rng.choice([7, 14, 21, 27, 28, 35, 49, 70]))
            loan = {
                "asset_tag": tag,
                "learner_id": visit.learner_id,
                "venue_id": venue_id,
                "lent_by_id": created_by_id,
                "lent_on": lent_on,
                "due_on": due_on,
                "agreement_version": "2026-12",
                "returned_on": returned_on if returned_on <= today else None,
                "return_condition": rng.choice(CONDITIONS_OUT) if returned_on <= today else None,
                "returned_by_id": created_by_id if returned_on <= today else None,
                "created_at": now,
            }
            plan.loans.append(loan)
            if loan["returned_on"] is None:
                device["status"] = "on-loan"
                break
            device["condition"] = loan["return_condition"]
            free_from = returned_on + timedelta(days=rng.randint(1, gap))
        if device["status"] == "in-stock" and rng.random() < OUT_NOW:  # on loan today (some of them overdue)
            start = bisect.bisect_left(pool_days, max(free_from, today - timedelta(days=75)))
            if start < len(pool):
                visit = pool[start + rng.randrange(len(pool) - start)]
                device["status"] = "on-loan"
                plan.loans.append(
                    {
                        "asset_tag": tag,
                        "learner_id": visit.learner_id,
                        "venue_id": venue_id,
                        "lent_by_id": created_by_id,
                        "lent_on": visit.day,
                        "due_on": visit.day + timedelta(days=LOAN_DAYS),
                        "agreement_version": "2026-12",
                        "returned_on": None,
                        "return_condition": None,
                        "returned_by_id": None,
                        "created_at": now,
                    }
                )
        if device["status"] == "in-stock":
            roll = rng.random()
            if roll < 0.12:  # given to a learner to keep, at a later visit
                start = bisect.bisect_left(pool_days, free_from)
                if start < len(pool):
                    visit = pool[start]
                    device["status"] = "gifted"
                    plan.gifts.append(
                        {
                            "asset_tag": tag,
                            "learner_id": visit.learner_id,
                            "venue_id": venue_id,
                            "given_by_id": created_by_id,
                            "given_on": visit.day,
                            "created_at": now,
                        }
                    )
            elif roll < 0.16 or device["condition"] == "broken":
                device["status"], device["retired_on"] = "retired", min(today, free_from)
    for _ in range(data_gifts):
        visit = rng.choice(visits)
        kind = "sim" if rng.random() < 0.7 else "voucher"
        plan.data_gifts.append(
            {
                "learner_id": visit.learner_id,
                "venue_id": visit.venue_id,
                "given_by_id": created_by_id,
                "kind": kind,
                "network": rng.choice(NETWORKS),
                "identifier": f"8944{rng.randrange(10**14, 10**15)}"
                if kind == "sim"
                else f"V-{rng.randrange(10**8):08d}",
                "eligibility_reason": rng.choice(ELIGIBILITY_REASONS),
                "given_on": visit.day,
                "expires_on": visit.day + timedelta(days=183),
                "created_at": now,
            }
        )
    return plan


def write_plan(plan: Plan, insert_rows: Callable[[object, list[dict]], None] | None = None) -> dict[str, int]:
    """Insert the planned rows in bulk (by `insert_rows(table, rows)` if given: the generator's COPY)."""

    def _insert(table, rows):
        if insert_rows is not None:
            insert_rows(table, rows)
            return
        for start in range(0, len(rows), CHUNK):
            db.session.execute(insert(table), rows[start : start + CHUNK])

    _insert(Device.__table__, plan.devices)
    tags = [row["asset_tag"] for row in plan.devices]
    ids: dict[str, int] = {}
    for start in range(0, len(tags), CHUNK):
        chunk = tags[start : start + CHUNK]
        ids.update(db.session.execute(select(Device.asset_tag, Device.id).where(Device.asset_tag.in_(chunk))).all())
    for rows in (plan.loans, plan.gifts):
        for row in rows:
            row["device_id"] = ids[row.pop("asset_tag")]
    _insert(Loan.__table__, plan.loans)
    _insert(DeviceGift.__table__, plan.gifts)
    _insert(DataGift.__table__, plan.data_gifts)
    return {
        "devices": len(plan.devices),
        "loans": len(plan.loans),
        "device_gifts": len(plan.gifts),
        "data_gifts": len(plan.data_gifts),
    }


def next_tag_prefix(base: str) -> str:
    """A prefix no existing asset tag starts with: BASE-, BASE2-, BASE3-..."""
    number = 1
    while True:
        prefix = f"{base}-" if number == 1 else f"{base}{number}-"
        taken = db.session.scalar(select(func.count()).where(Device.asset_tag.startswith(prefix, autoescape=True)))
        if not taken:
            return prefix
        number += 1


def visits_in_database(until: date | None = None) -> list[Visit]:
    """Every attendance as a Visit (the learner counted, their session's day and venue)."""
    from inclusion.sessions.models import Attendance, LearningSession

    stmt = select(LearningSession.session_date, LearningSession.venue_id, Attendance.learner_id).join(
        LearningSession, LearningSession.id == Attendance.session_id
    )
    if until is not None:
        stmt = stmt.where(LearningSession.session_date <= until)
    return [Visit(day, venue_id, learner_id) for day, venue_id, learner_id in db.session.execute(stmt)]


def seed_demo_devices(seed: int, today: date, created_by_id: int | None) -> dict[str, int]:
    """The demo alliance's lending library: 40 devices, about 120 loans, a few gifts, 60 SIMs or vouchers."""
    rng = random.Random(seed * 100 + 16)  # its own sequence: the rest of the demo is as it was
    plan = plan_devices(
        rng,
        visits_in_database(today),
        devices=40,
        loans=120,
        data_gifts=60,
        today=today,
        tag_prefix=next_tag_prefix("DIA"),
        created_by_id=created_by_id,
    )
    return write_plan(plan)
