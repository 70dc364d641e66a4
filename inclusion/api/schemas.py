"""The feed's request and response shapes (marshmallow): they validate, serialise and write the OpenAPI document."""

from marshmallow import INCLUDE, Schema, fields, validate

MONTH_PATTERN = r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])$"
DIMENSIONS = ("total", "partner", "venue", "skill_area", "age_band")


class FigureValue(fields.Number):
    """A cell's value as the CSV has it: an integer, a one-decimal number, or null when suppressed."""

    num_type = float  # only for loading, which the feed never does; serialising keeps ints as ints

    def _serialize(self, value, attr, obj, **kwargs):
        return value


class FiguresQuery(Schema):
    month = fields.String(
        required=True,
        validate=validate.Regexp(MONTH_PATTERN, error="Write the month as YYYY-MM, for example 2026-10"),
        metadata={
            "description": "The calendar month, YYYY-MM (a future month has no figures yet: 404)",
            "example": "2026-10",
        },
    )
    version = fields.Integer(
        validate=validate.Range(min=1, error="The version is a whole number, 1 or more"),
        metadata={
            "description": "Version of the funder CSV (default: the version funders are sent, FUNDER_CSV_VERSION)."
        },
    )


class Cell(Schema):
    measure = fields.String(required=True, metadata={"example": "adults_helped"})
    dimension = fields.String(required=True, validate=validate.OneOf(DIMENSIONS), metadata={"example": "venue"})
    category = fields.String(required=True, metadata={"example": "Central Library"})
    value = FigureValue(required=True, allow_none=True, metadata={"description": "null when suppressed"})
    suppressed = fields.Boolean(required=True, metadata={"description": "true where the CSV shows [c]"})


class Figures(Schema):
    month = fields.String(required=True, metadata={"example": "2026-10"})
    version = fields.Integer(required=True, metadata={"example": 1})
    cells = fields.List(fields.Nested(Cell), required=True)


class Month(Schema):
    month = fields.String(required=True, metadata={"example": "2026-10"})
    complete = fields.Boolean(required=True, metadata={"description": "false for the current month"})


class Months(Schema):
    months = fields.List(fields.Nested(Month), required=True)
    versions = fields.List(fields.Integer(), required=True, metadata={"description": "CSV versions available"})
    newest_version = fields.Integer(required=True)


class Report(Schema):
    id = fields.Integer(required=True)
    month = fields.String(required=True, metadata={"example": "2026-10"})
    version = fields.Integer(required=True)
    generated_at = fields.DateTime(required=True)
    sha256 = fields.String(required=True, metadata={"description": "SHA-256 of the file's exact bytes"})
    sent = fields.Boolean(required=True)
    sent_at = fields.DateTime(required=True, allow_none=True)


class Reports(Schema):
    reports = fields.List(fields.Nested(Report), required=True)


class Problem(Schema):
    """RFC 9457 problem details (extension members allowed)."""

    class Meta:
        unknown = INCLUDE

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={"description": "For invalid parameters: each parameter's messages"},
    )
    available = fields.List(fields.Integer(), metadata={"description": "For a version not available: those that are"})
