"""Land release: one row per release, matched with stored ones by external id. The hazard area
a row names must be stored already (hazard areas are imported first, from their own file)."""

from collections import defaultdict

from django.db.models import Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mineaction.landrelease.importers import values
from mineaction.landrelease.importers.base import LINE, STORED, VALID, Importer, chunks
from mineaction.landrelease.importers.lookups import organisations
from mineaction.landrelease.models import DEVICE_FIELDS, HazardArea, LandRelease

THIS_EXTERNAL_ID = gettext_lazy("This external id")
HAZARD = "_hazard_external_id"
# Far more than any one release destroys: a larger count is a typing error.
MAX_DEVICES = 1_000_000


class ReleaseImporter(Importer):
    model = LandRelease
    fields = (
        "external_id",
        "hazard_area_id",
        "method",
        "area_m2",
        "start_date",
        "end_date",
        "operator_id",
        *DEVICE_FIELDS.values(),
    )

    sources = {
        "start_date": ("start_date",),
        "operator_id": ("operator",),
        **{field: (f"devices_{category}",) for category, field in DEVICE_FIELDS.items()},
    }

    def prepare(self):
        self.organisations = organisations()

    def parse_row(self, row):
        external_id = row.get("external_id", required=True, max_length=100)
        self.check_unique(row, external_id, "external_id", THIS_EXTERNAL_ID)
        record = {
            "external_id": external_id,
            HAZARD: row.get("hazard_external_id", required=True, max_length=100),
            "hazard_area_id": None,
            "method": row.get("method", values.release_method, required=True),
            "area_m2": row.get("area_m2", values.area_m2, required=True),
            "start_date": row.get("start_date", self.date),
            "end_date": row.get("end_date", self.date, required=True),
            "operator_id": row.get("operator", self.organisations.find),
        }
        for category, field in DEVICE_FIELDS.items():
            record[field] = row.get(
                f"devices_{category}",
                values.whole_number,
                default=0,
                minimum=0,
                maximum=MAX_DEVICES,
            )
        return self.record(row, record)

    def check_records(self, records):
        for record in records:
            self.check_dates(record)
        self.find_hazards(records)
        self.check_released_areas(records)

    def check_dates(self, record):
        start, end = record["start_date"], record["end_date"]
        if start and end and start > end:
            record[VALID] = False
            self.report.error(
                record[LINE],
                self.columns.get("end_date", "end_date"),
                _("The end date (%(end)s) is before the start date (%(start)s).")
                % {"end": end.isoformat(), "start": start.isoformat()},
            )

    def find_hazards(self, records):
        hazards = {}
        named = {record[HAZARD] for record in records if record[HAZARD]}
        for chunk in chunks(named):
            rows = HazardArea.objects.filter(external_id__in=chunk)
            hazards.update(
                (external_id, (pk, area))
                for pk, external_id, area in rows.values_list("id", "external_id", "area_m2")
            )
        self.hazard_areas = {pk: (external_id, area) for external_id, (pk, area) in hazards.items()}
        column = self.columns.get("hazard_external_id", "hazard_external_id")
        for record in records:
            if not record[HAZARD]:
                continue
            if record[HAZARD] in hazards:
                record["hazard_area_id"] = hazards[record[HAZARD]][0]
            else:
                record[VALID] = False
                self.report.error(
                    record[LINE],
                    column,
                    _(
                        "No stored hazard area has the external id %(value)s: import the "
                        "hazard areas first."
                    )
                    % {"value": values.quoted(record[HAZARD])},
                )

    def check_released_areas(self, records):
        """A warning when a hazard area's releases, stored and imported, add up to more than
        its area: its remaining area stops at zero, which may hide a typing error."""
        matched = [record for record in records if record["hazard_area_id"] and record["area_m2"]]
        hazard_ids = {record["hazard_area_id"] for record in matched}
        totals = defaultdict(int)
        for chunk in chunks(hazard_ids):
            rows = LandRelease.objects.filter(hazard_area_id__in=chunk).values("hazard_area_id")
            for row in rows.annotate(total=Sum("area_m2")).order_by():
                totals[row["hazard_area_id"]] += row["total"]
        # Stored releases the file replaces count with their new values only.
        for record in matched:
            if record[STORED] is not None:
                totals[record[STORED]["hazard_area_id"]] -= record[STORED]["area_m2"]
        last_line = {}
        for record in matched:
            totals[record["hazard_area_id"]] += record["area_m2"]
            last_line[record["hazard_area_id"]] = record[LINE]
        column = self.columns.get("area_m2", "area_m2")
        for hazard_id, line in sorted(last_line.items(), key=lambda item: item[1]):
            external_id, area = self.hazard_areas[hazard_id]
            if totals[hazard_id] > area:
                self.report.warning(
                    line,
                    column,
                    _(
                        "The releases from hazard area %(hazard)s add up to %(released)s m², "
                        "more than its area of %(area)s m²."
                    )
                    % {
                        "hazard": external_id,
                        "released": number_format(totals[hazard_id], force_grouping=True),
                        "area": number_format(area, force_grouping=True),
                    },
                )
