"""Sample files for trying the Article 5 import pages on the demo.

Writes, into a folder:
- `demoland-hazards.gpkg`: hazard areas as a GIS unit might send them, with its own column
  names (to be mapped on the import page): some are demo hazards exported again (an import
  finds them unchanged), the others are new, found by a recent survey (an import creates them);
- `demoland-releases-with-errors.csv`: land release from open demo hazards, with a few
  deliberate mistakes that an import must refuse, each with its line and reason;
- `README.txt`: what is in the files and which lines hold the mistakes.
"""

import csv
import datetime
import random
from pathlib import Path

import numpy
import pyogrio.raw
import shapely
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from mineaction.demo import article5_shapes as shapes
from mineaction.demo import data
from mineaction.demo.article5_data import SEED
from mineaction.demo.services import demo_is_loaded
from mineaction.landrelease import geometry
from mineaction.landrelease.models import AdminArea, HazardArea, HazardStatus, LandRelease

HAZARDS_FILE = "demoland-hazards.gpkg"
RELEASES_FILE = "demoland-releases-with-errors.csv"
EXPORTED = 15
NEW = 25
RELEASES = 30
# The GIS unit's names for the canonical columns.
HAZARD_COLUMNS = {
    "external_id": "IMSMA_ID",
    "name": "HAZ_NAME",
    "type": "HAZ_TYPE",
    "status": "HAZ_STATUS",
    "admin_area_code": "ADM2_PCODE",
    "area_m2": "AREA_SQM",
    "date_recorded": "DATE_REC",
    "device_categories": "DEVICES",
    "source_organisation": "SOURCE_ORG",
}
RELEASE_COLUMNS = [
    "external_id",
    "hazard_external_id",
    "operator",
    "method",
    "area_m2",
    "start_date",
    "end_date",
    "devices_ap_mine",
    "devices_uxo",
]


class Command(BaseCommand):
    help = (
        "Write sample Article 5 import files into a folder: a GeoPackage of hazard areas with "
        "the column names of a GIS unit, and a CSV of land release with deliberate mistakes "
        "(listed in the folder's README.txt). Needs the demo: mineaction load_demo"
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", help="Folder to write the files into (created if needed).")

    def handle(self, *args, folder, **options):
        if (
            not demo_is_loaded()
            or not HazardArea.objects.filter(external_id__startswith="DL-HA-").exists()
        ):
            raise CommandError(
                "This database does not hold the demo's Article 5 data, which the sample files "
                "refer to. Load it with: mineaction load_demo"
            )
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        rng = random.Random(SEED + 7)
        today = timezone.localdate()
        hazards = _exported_hazards(rng) + _new_hazards(rng, today)
        _write_hazards(folder / HAZARDS_FILE, hazards)
        mistakes = _write_releases(folder / RELEASES_FILE, rng, today)
        (folder / "README.txt").write_text(_readme(len(hazards), mistakes), encoding="utf-8")
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {HAZARDS_FILE} ({len(hazards)} hazard areas), {RELEASES_FILE} "
                f"({RELEASES} releases, {len(mistakes)} with mistakes) and README.txt "
                f"into {folder}."
            )
        )


def _exported_hazards(rng):
    """Open demo hazards as they stand: importing them changes nothing."""
    candidates = list(
        HazardArea.objects.filter(
            status=HazardStatus.OPEN, geometry__isnull=False, external_id__startswith="DL-HA-"
        )
        .select_related("admin_area", "source_organisation")
        .order_by("external_id")
    )
    chosen = rng.sample(candidates, min(EXPORTED, len(candidates)))
    return [
        {
            "external_id": hazard.external_id,
            "name": hazard.name,
            "type": hazard.hazard_type,
            "status": hazard.status,
            "admin_area_code": hazard.admin_area.code if hazard.admin_area_id else "",
            "area_m2": hazard.recorded_area_m2,
            "date_recorded": hazard.date_recorded,
            "device_categories": ",".join(hazard.device_list),
            "source_organisation": (
                hazard.source_organisation.name if hazard.source_organisation_id else ""
            ),
            "shape": geometry.parse(hazard.geometry),
        }
        for hazard in sorted(chosen, key=lambda hazard: hazard.external_id)
    ]


def _new_hazards(rng, today):
    """Suspected areas found by a survey last month, in districts of the demo, overlapping no
    recorded hazard."""
    districts = list(AdminArea.objects.filter(level=2, geometry__isnull=False).order_by("code"))
    existing = [
        geometry.parse(row) for row in HazardArea.objects.values_list("geometry", flat=True)
    ]
    tree = shapely.STRtree([shape for shape in existing if shape is not None])
    last_number = _last_number(HazardArea, "DL-HA-")
    survey = next(name for name, acronym, *_rest in data.ORGANISATIONS if acronym == "DMAC")
    hazards = []
    while len(hazards) < NEW:
        district = rng.choice(districts)
        boundary = geometry.parse(district.geometry)
        point = _point_inside(rng, boundary)
        area = round(rng.lognormvariate(9.9, 0.8))
        shape = shapes.blob(rng, point.x, point.y, area, vertices=rng.randint(12, 30))
        if shape is None or not boundary.contains(shape) or len(tree.query(shape, "intersects")):
            continue
        if any(shape.intersects(other["shape"]) for other in hazards):
            continue
        number = last_number + len(hazards) + 1
        hazards.append(
            {
                "external_id": f"DL-HA-{number:05d}",
                "name": f"{district.name}, suspected area {len(hazards) + 1}",
                "type": "SHA",
                "status": HazardStatus.OPEN.value,
                "admin_area_code": district.code,
                "area_m2": round(geometry.geodesic_area_m2(shape), -1),
                "date_recorded": today - datetime.timedelta(days=rng.randint(10, 40)),
                "device_categories": rng.choice(["ap_mine", "ap_mine,uxo", "uxo", "cmr"]),
                "source_organisation": survey,
                "shape": shape,
            }
        )
    return hazards


def _last_number(model, prefix):
    """The highest number among the demo's ids ("DL-HA-02000" -> 2000), so new ids follow."""
    ids = model.objects.filter(external_id__startswith=prefix).values_list("external_id", flat=True)
    numbers = [int(value[len(prefix) :]) for value in ids if value[len(prefix) :].isdigit()]
    return max(numbers, default=0)


def _point_inside(rng, region):
    min_lon, min_lat, max_lon, max_lat = region.bounds
    while True:
        point = shapely.Point(rng.uniform(min_lon, max_lon), rng.uniform(min_lat, max_lat))
        if region.contains(point):
            return point


def _write_hazards(path, hazards):
    path.unlink(missing_ok=True)
    columns = list(HAZARD_COLUMNS)
    field_data = []
    for column in columns:
        values = [hazard[column] for hazard in hazards]
        if column == "area_m2":
            field_data.append(
                numpy.array([numpy.nan if v is None else float(v) for v in values], dtype=float)
            )
        elif column == "date_recorded":
            field_data.append(numpy.array(values, dtype="datetime64[D]"))
        else:
            field_data.append(numpy.array([str(value) for value in values], dtype=object))
    pyogrio.raw.write(
        str(path),
        shapely.to_wkb([hazard["shape"] for hazard in hazards]),
        field_data,
        [HAZARD_COLUMNS[column] for column in columns],
        layer="hazards",
        driver="GPKG",
        geometry_type="Polygon",
        crs="EPSG:4326",
    )


def _write_releases(path, rng, today):
    """Releases of a small part of what is left of open demo hazards; returns the mistakes as
    [(line, column, what is wrong)]."""
    hazards = list(
        HazardArea.objects.filter(status=HazardStatus.OPEN, external_id__startswith="DL-HA-")
        .annotate(released=Coalesce(Sum("releases__area_m2"), 0))
        .order_by("external_id")
    )
    hazards = [hazard for hazard in hazards if hazard.area_m2 - hazard.released >= 2_000]
    operators = list(
        LandRelease.objects.filter(end_date__gte=today - datetime.timedelta(days=365))
        .exclude(operator=None)
        .values_list("operator__name", flat=True)
        .distinct()
        .order_by("operator__name")
    )
    last_number = _last_number(LandRelease, "DL-LR-")
    rows = []
    for number, hazard in enumerate(rng.sample(hazards, RELEASES), start=1):
        left = hazard.area_m2 - hazard.released
        end_date = today - datetime.timedelta(days=rng.randint(1, 30))
        method = rng.choice(["cancelled", "reduced", "cleared"])
        cleared = method == "cleared" and hazard.hazard_type == "CHA"
        rows.append(
            {
                "external_id": f"DL-LR-{last_number + number:06d}",
                "hazard_external_id": hazard.external_id,
                "operator": rng.choice(operators),
                "method": method,
                "area_m2": str(max(100, int(round(left * rng.uniform(0.01, 0.05), -1)))),
                "start_date": (end_date - datetime.timedelta(days=rng.randint(3, 20))).isoformat(),
                "end_date": end_date.isoformat(),
                "devices_ap_mine": str(rng.randint(0, 4) if cleared else 0),
                "devices_uxo": str(rng.randint(0, 2) if cleared else 0),
            }
        )
    # Line 1 is the header, so row i is on line i + 2.
    mistakes = [
        (4, "hazard_external_id", "DL-HA-99999", "no hazard area has this id"),
        (9, "area_m2", "-250", "a released area must be more than zero"),
        (13, "end_date", "2026-02-31", "not a date (February has no 31st)"),
        (18, "method", "demined", "not a method: cancelled, reduced or cleared"),
        (24, "end_date", None, "the work ends before it started"),
    ]
    for line, column, value, _reason in mistakes:
        row = rows[line - 2]
        if value is None:
            start = datetime.date.fromisoformat(row["start_date"])
            value = (start - datetime.timedelta(days=5)).isoformat()
        row[column] = value
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=RELEASE_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return [(line, column, reason) for line, column, _value, reason in mistakes]


def _readme(hazard_count, mistakes):
    mapping = "\n".join(
        f"  {file_column:<12} -> {canonical}" for canonical, file_column in HAZARD_COLUMNS.items()
    )
    errors = "\n".join(f"  line {line:>2}, {column}: {reason}" for line, column, reason in mistakes)
    return f"""Sample files for the Article 5 import pages of the Demoland demo.

{HAZARDS_FILE} (layer "hazards", WGS84)
  {hazard_count} hazard areas. The first {EXPORTED} are demo hazards exported again: an import
  matches them by id and finds them unchanged. The other {NEW} are suspected areas found by a
  survey last month: an import creates them. The columns carry
  the GIS unit's names; map them on the import page (and save the mapping for the next file):
{mapping}

{RELEASES_FILE}
  {RELEASES} land releases from open demo hazards, with the canonical column names. The import
  must refuse the whole file and report these mistakes (line 1 is the header):
{errors}
  Correct those lines (or delete them) and the file imports.
"""
