"""Device stock: adding, correcting, moving and retiring; and adding devices from a spreadsheet, whole or not at all."""

import io
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from inclusion.audit.models import AuditEvent
from inclusion.devices import stock
from inclusion.devices.importing import import_devices
from inclusion.devices.models import Device
from inclusion.extensions import db
from inclusion.imports.parsing import ImportFileError
from inclusion.learners.access import AccessDenied
from tests import factories

HEADER = "asset_tag,kind,make_model,serial,source,condition,venue\n"


def _details(venue, **changes):
    values = {
        "asset_tag": "DIA-1",
        "kind": "laptop",
        "make_model": "HP 250 G9",
        "serial": "SN1",
        "source": "Device bank batch 3",
        "condition": "good",
        "venue_id": venue.id,
        **changes,
    }
    return stock.DeviceDetails(**values)


def _devices() -> int:
    return db.session.scalar(select(func.count(Device.id)))


def test_adding_a_device_is_audited_and_the_asset_tag_is_unique(library):
    device = stock.add_device(library.coordinator, _details(library.venue, asset_tag=" dia-1 "))
    assert (device.asset_tag, device.status) == ("DIA-1", "in-stock")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "device_added"))
    assert event.after["asset_tag"] == "DIA-1" and event.user_id == library.coordinator.id
    with pytest.raises(stock.DeviceError, match="Another device already has the asset tag DIA-1") as error:
        stock.add_device(library.coordinator, _details(library.venue, asset_tag="DIA-1"))
    assert error.value.field == "asset_tag" and _devices() == 1


def test_champions_may_not_add_change_move_or_retire_devices(library):
    device = factories.create_device(library.venue)
    for attempt in (
        lambda: stock.add_device(library.champion, _details(library.venue)),
        lambda: stock.edit_device(library.champion, device.id, _details(library.venue)),
        lambda: stock.move_device(library.champion, device.id, library.other_venue.id),
        lambda: stock.retire_device(library.champion, device.id, None),
    ):
        with pytest.raises(AccessDenied):
            attempt()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"asset_tag": ""}, "asset_tag"),
        ({"asset_tag": "DIA<1>"}, "asset_tag"),
        ({"kind": "toaster"}, "kind"),
        ({"make_model": ""}, "make_model"),
        ({"condition": "shiny"}, "condition"),
        ({"serial": "x" * 81}, "serial"),
    ],
)
def test_each_broken_rule_names_its_field_and_nothing_is_added(library, changes, field):
    with pytest.raises(stock.DeviceError) as error:
        stock.add_device(library.coordinator, _details(library.venue, **changes))
    assert error.value.field == field and _devices() == 0


def test_an_edit_records_only_what_changed(library):
    device = factories.create_device(library.venue, asset_tag="DIA-2", make_model="HP 250")
    stock.edit_device(library.coordinator, device.id, _details(library.venue, asset_tag="DIA-2", make_model="HP 255"))
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "device_edited"))
    assert event.before["make_model"] == "HP 250" and event.after["make_model"] == "HP 255"


def test_a_device_on_loan_cannot_move_or_retire_and_a_retired_one_stays_with_its_history(library):
    device = factories.create_device(library.venue)
    loan = factories.create_loan(device, library.learner, returned_on=None)
    with pytest.raises(stock.DeviceError, match="is on loan: only a device in stock can move"):
        stock.move_device(library.coordinator, device.id, library.other_venue.id)
    with pytest.raises(stock.DeviceError, match="only a device in stock can be retired"):
        stock.retire_device(library.coordinator, device.id, date(2026, 11, 1))
    from inclusion.devices.services import return_loan

    return_loan(library.coordinator, loan.id, date(2026, 10, 20), "broken")
    stock.move_device(library.coordinator, device.id, library.other_venue.id)
    stock.retire_device(library.coordinator, device.id, date(2026, 11, 1))
    actions = list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.record_id == str(device.id))))
    assert actions == ["loan_returned", "device_moved", "device_retired"]
    assert db.session.get(Device, device.id).status == "retired"


def _xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_spreadsheet_of_devices_is_added_whole_and_audited(library):
    content = HEADER + (
        "dia-10,laptop,HP 250 G9,SN10,Batch 7,good,Central Library\n"
        "DIA-11,Tablet,Lenovo Tab M10,,,fair,central library\n"
    )
    result = import_devices(library.coordinator, content.encode(), "stock.csv")
    assert result.written and not result.problems
    assert dict(db.session.execute(select(Device.asset_tag, Device.kind)).all()) == {
        "DIA-10": "laptop",
        "DIA-11": "tablet",
    }
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "import_devices"))
    assert event.details == {"file": "stock.csv", "rows": 2, "devices_added": 2}


def test_an_xlsx_of_devices_reads_like_the_csv(library):
    data = _xlsx([HEADER.strip().split(","), ["X-1", "phone", "Nokia G21", "", "", "new", "Central Library"]])
    assert import_devices(library.coordinator, data, "stock.xlsx").written
    assert _devices() == 1


def test_one_bad_row_adds_nothing_and_every_problem_is_listed_by_row_and_column(library):
    factories.create_device(library.venue, asset_tag="OLD-1")
    content = HEADER + (
        "NEW-1,laptop,HP,,,good,Central Library\n"
        "NEW-1,laptop,HP,,,good,Central Library\n"
        "OLD-1,laptop,HP,,,good,Central Library\n"
        ",toaster,,,,shiny,Nowhere\n"
    )
    result = import_devices(library.coordinator, content.encode(), "stock.csv")
    assert not result.written and _devices() == 1
    assert [str(problem) for problem in result.problems] == [
        "row 3: asset_tag: NEW-1 is also on row 2",
        "row 4: asset_tag: another device already has the asset tag OLD-1",
        "row 5: asset_tag: is required",
        "row 5: kind: 'toaster' is not a kind of device; use one of: laptop, tablet, phone, hotspot, other",
        "row 5: make_model: is required",
        "row 5: condition: 'shiny' is not a condition; use one of: new, good, fair, poor, broken",
        "row 5: venue: no venue is called 'Nowhere'",
    ]


def test_unknown_columns_are_an_error_and_a_dry_run_writes_nothing(library):
    result = import_devices(library.coordinator, (HEADER.strip() + ",colour\n").encode(), "stock.csv")
    assert "unknown column" in str(result.problems[0])
    good = HEADER + "NEW-2,laptop,HP,,,good,Central Library\n"
    checked = import_devices(library.coordinator, good.encode(), "stock.csv", dry_run=True)
    assert checked.dry_run and not checked.problems and len(checked.devices) == 1 and _devices() == 0


def test_the_learner_imports_limits_apply_to_a_devices_spreadsheet(app, library):
    app.config["IMPORT_MAX_ROWS"] = 2
    try:
        rows = "".join(f"T-{n},laptop,HP,,,good,Central Library\n" for n in range(3))
        with pytest.raises(ImportFileError, match="more than 2 rows"):
            import_devices(library.coordinator, (HEADER + rows).encode(), "stock.csv")
    finally:
        app.config["IMPORT_MAX_ROWS"] = 50_000
    with pytest.raises(ImportFileError, match="old Excel"):
        import_devices(library.coordinator, b"\xd0\xcf\x11\xe0junk", "stock.xls")
    assert _devices() == 0


def test_the_command_adds_a_devices_spreadsheet_or_exits_1_with_its_problems(runner, library, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "CLI-1,hotspot,TP-Link M7350,,,good,Central Library\n")
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "CLI-2,hotspot,,,,good,Central Library\n")
    checked = runner.invoke(args=["devices", "import", str(good), "--dry-run"])
    assert checked.exit_code == 0 and "nothing was written" in checked.output and _devices() == 0
    added = runner.invoke(args=["devices", "import", str(good)])
    assert added.exit_code == 0 and "Added 1 devices" in added.output
    refused = runner.invoke(args=["devices", "import", str(bad)])
    assert refused.exit_code == 1 and "row 2: make_model: is required" in refused.output
    assert _devices() == 1


def test_a_coordinator_uploads_a_devices_spreadsheet_on_the_web(client, login_as, library):
    login_as("coordinator")
    bad = HEADER + "W-1,laptop,,,,good,Central Library\n"
    page = client.post("/devices/import", data={"file": (io.BytesIO(bad.encode()), "stock.csv")})
    assert page.status_code == 200 and "row 2: make_model: is required" in page.get_data(as_text=True)
    good = HEADER + "W-1,laptop,HP,,,good,Central Library\n"
    done = client.post("/devices/import", data={"file": (io.BytesIO(good.encode()), "stock.csv")})
    assert done.status_code == 302 and _devices() == 1
