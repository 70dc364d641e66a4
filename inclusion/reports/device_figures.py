"""Aggregate SQL for the devices-and-data measures (DESIGN.md, "Devices and data").

Loans, device gifts and data gifts each know their learner, venue and dates, so every measure
is one range of a date index: loans starting, loans returned, gifts given in the period; open
loans past due on its last day. A merge moves a duplicate's rows to the learner kept (the
devices package's learner-data owner), so `learner_id` is already the learner counted. Every
measure counts adults, as the first stage's figures do.
"""

from sqlalchemy import Column, Date, Integer, MetaData, String, Subquery, Table, select, union, union_all

from inclusion.reports.queries import Scope, _adult, _within

_metadata = MetaData()
_LOANS = Table(
    "loans",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("learner_id", Integer),
    Column("venue_id", Integer),
    Column("lent_on", Date),
    Column("due_on", Date),
    Column("returned_on", Date),
)
_DEVICE_GIFTS = Table(
    "device_gifts",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("learner_id", Integer),
    Column("venue_id", Integer),
    Column("given_on", Date),
)
_DATA_GIFTS = Table(
    "data_gifts",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("learner_id", Integer),
    Column("venue_id", Integer),
    Column("kind", String),
    Column("given_on", Date),
)


def _rows(table: Table, day: Column, scope: Scope) -> Subquery:
    stmt = select(table.c.id, table.c.learner_id.label("learner_key"), table.c.venue_id)
    return _within(stmt.where(_adult(table.c.learner_id)), scope, day, table.c.venue_id).subquery(f"{table.name}_in")


def loans_lent(scope: Scope) -> Subquery:
    """Loans to adults starting in scope."""
    return _rows(_LOANS, _LOANS.c.lent_on, scope)


def loans_returned(scope: Scope) -> Subquery:
    """Loans to adults returned in scope."""
    return _rows(_LOANS, _LOANS.c.returned_on, scope)


def devices_gifted(scope: Scope) -> Subquery:
    """Devices given to adults in scope."""
    return _rows(_DEVICE_GIFTS, _DEVICE_GIFTS.c.given_on, scope)


def data_gifts(scope: Scope) -> Subquery:
    """SIMs and data vouchers given to adults in scope."""
    return _rows(_DATA_GIFTS, _DATA_GIFTS.c.given_on, scope)


def adults_connected(scope: Scope) -> Subquery:
    """(learner_key, venue_id): each adult given a loan, a device or data in scope, once per venue."""
    arms = []
    for table, day in (
        (_LOANS, _LOANS.c.lent_on),
        (_DEVICE_GIFTS, _DEVICE_GIFTS.c.given_on),
        (_DATA_GIFTS, _DATA_GIFTS.c.given_on),
    ):
        stmt = select(table.c.learner_id.label("learner_key"), table.c.venue_id).where(_adult(table.c.learner_id))
        arms.append(_within(stmt, scope, day, table.c.venue_id))
    return union(*arms).subquery("adults_connected")


def loans_overdue(scope: Scope) -> Subquery:
    """Loans to adults still open on scope's last day (not returned by then) and due before it.

    Loans open on a day: lent on or before it, and returned after it or not at all. Scope's start
    does not matter: a loan lent long before is overdue all the same.

    Two arms, not one condition with OR: loans never returned (the open-loans index) and loans
    returned after the day (a range of the returned_on index), each a small set. With the OR,
    SQLite read every loan lent before the day through the lent_on index (61 ms at twice the
    bench's scale, against 3 ms).
    """
    loans = _LOANS
    whole = Scope(None, scope.end, scope.partner_id, scope.venue_id)
    arms = []
    for still_out in (loans.c.returned_on.is_(None), loans.c.returned_on > scope.end):
        stmt = select(loans.c.id, loans.c.learner_id.label("learner_key"), loans.c.venue_id)
        stmt = stmt.where(
            _adult(loans.c.learner_id), loans.c.lent_on <= scope.end, loans.c.due_on < scope.end, still_out
        )
        arms.append(_within(stmt, whole, loans.c.due_on, loans.c.venue_id))
    return union_all(*arms).subquery("loans_overdue")  # the arms never share a loan
