"""Article 5 milestones: one row per year and region (no region = national), matched with the
stored milestone of the same year and region."""

from django.utils.translation import gettext_lazy

from mineaction.landrelease.importers import values
from mineaction.landrelease.importers.base import Importer
from mineaction.landrelease.importers.lookups import admin_areas_by_code
from mineaction.landrelease.models import Article5Milestone

REGIONAL_MILESTONE = gettext_lazy("The milestone of this year and region")
NATIONAL_MILESTONE = gettext_lazy("The national milestone of this year")
FIRST_YEAR, LAST_YEAR = 1997, 2100  # the Convention's entry into force to the model's limit


class MilestoneImporter(Importer):
    model = Article5Milestone
    fields = ("year", "admin_area_id", "planned_area_m2", "note")
    sources = {"note": ("note",)}

    def prepare(self):
        self.admin_areas = admin_areas_by_code()

    def parse_row(self, row):
        record = {
            "year": row.get(
                "year", values.whole_number, required=True, minimum=FIRST_YEAR, maximum=LAST_YEAR
            ),
            "admin_area_id": row.get("admin_area_code", self.admin_areas.find),
            "planned_area_m2": row.get(
                "planned_area_m2", values.area_m2, required=True, allow_zero=True
            ),
            "note": row.get("note", max_length=300, default=""),
        }
        if record["year"] is not None and (
            record["admin_area_id"] or not row.has("admin_area_code")
        ):
            description = REGIONAL_MILESTONE if record["admin_area_id"] else NATIONAL_MILESTONE
            self.check_unique(row, self.key(record), "year", description)
        return self.record(row, record)

    def key(self, record):
        return (record["year"], record["admin_area_id"])

    def load_stored(self, records):
        return {
            (row["year"], row["admin_area_id"]): row
            for row in Article5Milestone.objects.values("id", *self.fields)
        }
