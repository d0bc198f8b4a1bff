"""Admin areas: one row per area, matched with stored ones by code.

A row's parent may be stored or be another row of the file, above or below it: parents are
resolved once every row is read, and areas are created level by level so that each parent
exists before its children. `path` ("/PR01/DI0103/") is recomputed for every area afterwards,
since bulk writes skip `AdminArea.save()` and a moved area moves its stored sub-areas too.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mineaction.landrelease import geometry as geo
from mineaction.landrelease import quality
from mineaction.landrelease.importers import values
from mineaction.landrelease.importers.base import BATCH_SIZE, LINE, STORED, VALID, Importer
from mineaction.landrelease.importers.values import CellError
from mineaction.landrelease.models import AdminArea

THIS_CODE = gettext_lazy("This code")
PARENT = "_parent_code"
SHAPE = "_geometry"
LEVELS = (1, 2, 3, 4)


def area_code(value):
    code = values.text(value, max_length=50)
    if "/" in code:
        raise CellError(
            _("%(value)s contains “/”, which a code may not contain.")
            % {"value": values.quoted(code)}
        )
    return code


def boundary(value):
    shape = values.geometry(value)
    if shape is not None and shape.geom_type not in geo.POLYGONAL:
        raise CellError(
            _("An admin area's boundary must be a polygon, not a %(type)s.")
            % {"type": shape.geom_type}
        )
    return shape


class AdminAreaImporter(Importer):
    model = AdminArea
    fields = ("code", "name", "level", "geometry")
    key_field = "code"
    sources = {PARENT: ("parent_code",), "geometry": ("geometry",)}

    def parse_row(self, row):
        code = row.get("code", area_code, required=True)
        self.check_unique(row, code, "code", THIS_CODE)
        shape = row.get("geometry", boundary)
        record = {
            "code": code,
            "name": row.get("name", max_length=200, required=True),
            "level": row.get("level", values.whole_number, required=True, minimum=1, maximum=4),
            PARENT: row.get("parent_code", area_code),
            SHAPE: shape,
            "geometry": geo.to_geojson(shape),
        }
        if code and record[PARENT] == code:
            row.error("parent_code", _("An area cannot be its own parent."))
            record[PARENT] = None
        return self.record(row, record)

    # Across the file -------------------------------------------------------------------------

    def load_stored(self, records):
        """Every stored area, with its parent's code: parents and children may be anywhere."""
        stored = {
            row["code"]: row for row in AdminArea.objects.values("id", "parent_id", *self.fields)
        }
        codes_by_id = {row["id"]: code for code, row in stored.items()}
        for row in stored.values():
            row[PARENT] = codes_by_id.get(row["parent_id"])
        return stored

    def check_records(self, records):
        self.in_file = {}
        for record in records:
            if record["code"]:
                self.in_file.setdefault(record["code"], record)
        self.check_boundaries(records)
        for record in records:
            self.check_parent(record)
        self.check_stored_children()

    def check_boundaries(self, records):
        with_shape = {record[LINE]: record for record in records if record[SHAPE] is not None}
        findings = quality.check_geometries(
            [(line, record[SHAPE]) for line, record in with_shape.items()]
        )
        for finding in findings:
            if finding.severity == quality.ERROR:
                self.error(with_shape[finding.external_id], "geometry", finding.message)

    def error(self, record, column, message):
        record[VALID] = False
        self.report.error(record[LINE], self.columns.get(column, column), message)

    def area(self, code):
        """The area as it will be once imported: the file's row, else the stored one."""
        return self.in_file.get(code) or self.stored_rows.get(code)

    def resolve(self, code):
        """The exact code of a file row or stored area, matched without regard to case."""
        if code is None or self.area(code):
            return code
        lowered = code.lower()
        for known in (*self.in_file, *self.stored_rows):
            if known.lower() == lowered:
                return known
        return code

    def check_parent(self, record):
        level = record["level"]
        record[PARENT] = self.resolve(record[PARENT])
        parent_code = record[PARENT]
        if parent_code is None:
            if level and level > 1:
                self.error(
                    record,
                    "parent_code",
                    _("An area of level %(level)s needs the code of the area it is part of.")
                    % {"level": level},
                )
            return
        parent = self.area(parent_code)
        if parent is None:
            self.error(
                record,
                "parent_code",
                _("No admin area has the code %(value)s, in the file or stored.")
                % {"value": values.quoted(parent_code)},
            )
            return
        if self.is_ancestor(record["code"], parent_code):
            self.error(
                record,
                "parent_code",
                _("%(code)s would be part of itself: %(parent)s lies within it.")
                % {"code": record["code"], "parent": parent_code},
            )
            return
        if level and parent["level"] and level != parent["level"] + 1:
            self.error(
                record,
                "level",
                _(
                    "The level must be %(expected)s: one more than the level of its parent "
                    "%(parent)s (%(parent_level)s)."
                )
                % {
                    "expected": parent["level"] + 1,
                    "parent": parent_code,
                    "parent_level": parent["level"],
                },
            )

    def is_ancestor(self, code, start):
        """Whether `code` is `start` or one of the areas above it."""
        seen = set()
        current = start
        while current is not None and current not in seen:
            if current == code:
                return True
            seen.add(current)
            area = self.area(current)
            current = area[PARENT] if area else None
        return False

    def check_stored_children(self):
        """A stored area left out of the file keeps its level: its parent's new level must
        still be one less."""
        for code, child in self.stored_rows.items():
            if code in self.in_file or child[PARENT] not in self.in_file:
                continue
            parent = self.in_file[child[PARENT]]
            if parent["level"] and parent["level"] + 1 != child["level"]:
                self.error(
                    parent,
                    "level",
                    _(
                        "The stored area %(child)s (level %(child_level)s) is part of this area: "
                        "its level must stay %(expected)s, or the file must move %(child)s too."
                    )
                    % {
                        "child": code,
                        "child_level": child["level"],
                        "expected": child["level"] - 1,
                    },
                )

    # Matching and saving ---------------------------------------------------------------------

    def plan(self, records):
        creates, updates, unchanged = super().plan(records)
        # A changed parent is a change too.
        for record in [record for record in records if record[VALID] and "id" not in record]:
            current = record[STORED]
            if current is not None and current[PARENT] != record[PARENT]:
                record["id"] = current["id"]
                updates.append(record)
                unchanged -= 1
        return creates, updates, unchanged

    def save(self, creates, updates):
        ids = {code: row["id"] for code, row in self.stored_rows.items()}
        for level in LEVELS:
            batch = [record for record in creates if record["level"] == level]
            for record in batch:
                record["parent_id"] = ids.get(record[PARENT])
            for instance in self.create(batch):
                ids[instance.code] = instance.id
        for record in updates:
            record["parent_id"] = ids.get(record[PARENT])
        self.update(updates)
        update_paths()

    def written_fields(self):
        return (*self.fields, "parent_id")

    def create(self, records):
        """Created through the ORM, which returns the new ids the next level's areas need
        (admin areas are thousands, not hundreds of thousands)."""
        instances = [AdminArea(**self.values(record), created_by=self.actor) for record in records]
        return AdminArea.objects.bulk_create(instances, batch_size=BATCH_SIZE)


def update_paths():
    """Set every admin area's path from its ancestors' codes; only changed paths are written."""
    rows = {
        pk: (code, parent_id, path)
        for pk, code, parent_id, path in AdminArea.objects.values_list(
            "id", "code", "parent_id", "path"
        )
    }
    paths = {}

    def path_of(pk):
        if pk not in paths:
            code, parent_id, _stored = rows[pk]
            paths[pk] = f"{path_of(parent_id) if parent_id else '/'}{code}/"
        return paths[pk]

    changed = [
        AdminArea(id=pk, path=path_of(pk))
        for pk, (_code, _parent, path) in rows.items()
        if path_of(pk) != path
    ]
    AdminArea.objects.bulk_update(changed, ["path"], batch_size=BATCH_SIZE)
