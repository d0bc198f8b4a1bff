"""The steps every kind of import shares: reading each row's cells, matching rows with stored
records, and writing the new and changed ones in bulk.

A kind (`admin_areas`, `hazards`, ...) subclasses `Importer`: `parse_row` turns one row into a
record (a dict of model field values), `check_records` looks across the rows and at the
database, and `save` writes. Records keep their line so every problem found later still points
at the row it came from.
"""

import functools

from django.db import connections, router
from django.utils import timezone
from django.utils.translation import gettext as _

from mineaction.landrelease.importers import values
from mineaction.landrelease.importers.values import CellError, is_blank

BATCH_SIZE = 1000
# Rows per `IN (...)` query: under every database's parameter limit.
LOOKUP_CHUNK = 500
LINE = "_line"
VALID = "_valid"
STORED = "_stored"


def chunks(items, size=LOOKUP_CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Row:
    """One row of the file while it is read: typed access to its cells by canonical column,
    with every problem reported on the row's line and the file's column name."""

    def __init__(self, line, cells, columns, report):
        self.line = line
        self.cells = cells
        self.columns = columns
        self.report = report
        self.valid = True

    def column(self, name):
        return self.columns.get(name, name) if name else ""

    def raw(self, name):
        file_column = self.columns.get(name)
        return None if file_column is None else self.cells.get(file_column)

    def has(self, name):
        return not is_blank(self.raw(name))

    def error(self, name, message):
        self.valid = False
        self.report.error(self.line, self.column(name), message)

    def get(self, name, parse=values.text, *, required=False, default=None, **options):
        """The cell parsed by `parse`; `default` when empty; None (and an error) when wrong."""
        value = self.raw(name)
        if is_blank(value):
            if required:
                self.error(name, _("A value is required here."))
                return None
            return default
        try:
            return parse(value, **options)
        except CellError as error:
            self.error(name, str(error))
            return None


class Importer:
    """One kind of import. Subclasses set `model`, `fields` (the model fields written and
    compared), `sources` and implement `parse_row`."""

    model = None
    fields = ()
    key_field = "external_id"
    # {model field: the canonical columns that set it}, for the optional ones: when the file
    # has none of a field's columns, a stored record keeps its value of that field (a file of
    # statuses only does not erase the polygons).
    sources = {}

    def __init__(self, report, columns, *, actor=None):
        self.report = report
        self.columns = columns
        self.actor = actor
        self.seen = {}  # key -> line of the first row with it
        self.stored_rows = {}
        # Dates after today are refused; today is read once, not once per cell.
        self.date = functools.partial(values.date, latest=timezone.localdate())

    # Reading ---------------------------------------------------------------------------------

    def prepare(self):
        """Load what every row is checked against (admin areas, organisations...)."""

    def parse_row(self, row):
        raise NotImplementedError

    def record(self, row, fields):
        fields[LINE] = row.line
        fields[VALID] = row.valid
        return fields

    def check_unique(self, row, key, column, description):
        """An error on the second and later rows with the same key."""
        if key is None:
            return
        first = self.seen.setdefault(key, row.line)
        if first != row.line:
            row.error(
                column,
                _("%(what)s is already on line %(line)s: each may appear only once.")
                % {"what": description, "line": first},
            )

    def mapped(self, *columns):
        return any(column in self.columns for column in columns)

    def match(self, records):
        """Find each row's stored record; the fields the file has no column for take their
        stored values."""
        self.stored_rows = self.load_stored(records)
        kept = [field for field, columns in self.sources.items() if not self.mapped(*columns)]
        for record in records:
            current = self.stored_rows.get(self.key(record))
            record[STORED] = current
            if current is not None:
                for field in kept:
                    record[field] = current[field]

    def check_records(self, records):
        """Checks across rows and against the database, once every row was read and matched."""

    # Matching --------------------------------------------------------------------------------

    def key(self, record):
        return record[self.key_field]

    def load_stored(self, records):
        """{key: {field: value, "id": pk}} of the stored records the file's rows match."""
        keys = {self.key(record) for record in records} - {None}
        found = {}
        for chunk in chunks(keys):
            rows = self.model.objects.filter(**{f"{self.key_field}__in": chunk})
            for row in rows.values("id", *self.fields):
                found[row[self.key_field]] = row
        return found

    def same(self, field, new, current):
        if field == "geometry":
            # GeoJSON with tuples from shapely against lists from the database.
            return values.as_stored_json(new) == current
        return new == current

    def plan(self, records):
        """(records to create, records to update with their "id", number unchanged)."""
        creates, updates, unchanged = [], [], 0
        for record in records:
            if not record[VALID]:
                continue
            current = record[STORED]
            if current is None:
                creates.append(record)
            elif all(self.same(field, record[field], current[field]) for field in self.fields):
                unchanged += 1
            else:
                record["id"] = current["id"]
                updates.append(record)
        return creates, updates, unchanged

    # Saving ----------------------------------------------------------------------------------

    def written_fields(self):
        return self.fields

    def save(self, creates, updates):
        self.create(creates)
        self.update(updates)

    def create(self, records):
        insert_rows(self.model, [self.values(record) for record in records], actor=self.actor)

    def update(self, records):
        update_rows(self.model, [self.values(record) | {"id": record["id"]} for record in records])

    def values(self, record):
        return {field: record[field] for field in self.written_fields()}


# Writing in bulk -------------------------------------------------------------------------------
#
# Django's bulk_create and bulk_update assemble their SQL value by value, and bulk_update
# nests one CASE per field: for 100,000 hazard areas that is minutes. One prepared INSERT or
# UPDATE run with executemany does the same work in seconds. Like bulk_create, it skips
# save() and its audit entry: the ImportJob is the record of an import.

# Fields whose Python values the database driver needs converted (dates as text on SQLite, JSON
# encoded, UUIDs as hex...); numbers, text and None go as they are.
CONVERTED_TYPES = {
    "BinaryField",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "DurationField",
    "JSONField",
    "TimeField",
    "UUIDField",
}


def preparer(field, connection):
    if field.get_internal_type() in CONVERTED_TYPES:
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def insert_rows(model, rows, *, actor=None):
    """INSERT the rows ({field attname: value}); the other fields get their defaults, the
    timestamps now and created_by the actor."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    now = timezone.now()
    automatic = {"created_at": now, "updated_at": now, "created_by_id": getattr(actor, "pk", None)}
    columns = []
    for field in fields:
        if field.attname in rows[0]:
            columns.append((field.attname, None, preparer(field, connection)))
        elif field.attname in automatic:
            value = field.get_db_prep_save(automatic[field.attname], connection)
            columns.append((None, lambda value=value: value, None))
        else:
            columns.append((None, field.get_default, preparer(field, connection)))
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )

    def parameters(row):
        result = []
        for name, default, prepare in columns:
            value = row[name] if name else default()
            result.append(prepare(value) if prepare else value)
        return result

    with connection.cursor() as cursor:
        for chunk in chunks(rows, BATCH_SIZE):
            cursor.executemany(sql, [parameters(row) for row in chunk])


def update_rows(model, rows):
    """UPDATE the fields given in the rows ({attname: value, "id": pk}, all with the same
    fields), and their updated_at."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    meta = model._meta
    by_attname = {field.attname: field for field in meta.concrete_fields}
    names = [name for name in rows[0] if name != "id"]
    fields = [by_attname[name] for name in names]
    updated_at = by_attname["updated_at"]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(meta.db_table),
        ", ".join(f"{quote(field.column)} = %s" for field in [*fields, updated_at]),
        quote(meta.pk.column),
    )
    now = updated_at.get_db_prep_save(timezone.now(), connection)
    preparers = [
        (name, preparer(field, connection)) for field, name in zip(fields, names, strict=True)
    ]

    def parameters(row):
        prepared = [prepare(row[name]) if prepare else row[name] for name, prepare in preparers]
        return [*prepared, now, row["id"]]

    with connection.cursor() as cursor:
        for chunk in chunks(rows, BATCH_SIZE):
            cursor.executemany(sql, [parameters(row) for row in chunk])
