import csv
import datetime
import hashlib
import math
import re
import statistics
import time
from collections import defaultdict
from io import StringIO

import pyogrio.raw
import pytest
import shapely
from django.core import mail
from django.core.management import CommandError, call_command
from django.db.models import Max, Sum
from django.test import override_settings
from django.utils import timezone

from mineaction.core import audit
from mineaction.core.models import AuditEntry, CountryProfile
from mineaction.demo import data
from mineaction.demo.article5_data import OPERATORS, article5_plan, deadline_in_force
from mineaction.demo.article5_load import article5_counts, load_article5, wipe_article5
from mineaction.demo.funding_load import wipe_funding
from mineaction.demo.management.commands.demo_article5_files import (
    HAZARD_COLUMNS as HAZARD_FILE_COLUMNS,
)
from mineaction.demo.priorities_load import wipe_priorities
from mineaction.demo.services import demo_wipe
from mineaction.landrelease import geometry
from mineaction.landrelease.importers import run_import
from mineaction.landrelease.models import (
    DEVICE_FIELDS,
    AdminArea,
    Article5Milestone,
    HazardArea,
    HazardStatus,
    ImportKind,
    ImportMapping,
    LandRelease,
    ReleaseMethod,
)
from mineaction.landrelease.services import progress

FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ARTICLE5_MODELS = [AdminArea, HazardArea, LandRelease, Article5Milestone]
OPERATOR_NAMES = {
    name for name, acronym, *_rest in data.ORGANISATIONS if acronym in {o[0] for o in OPERATORS}
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The whole demo, loaded once through the command and committed for the module's tests,
    wiped afterwards. Gives the day it was loaded for."""
    with django_db_blocker.unblock():
        today = timezone.localdate()
        with override_settings(PASSWORD_HASHERS=FAST_HASHING):
            call_command("load_demo", stdout=StringIO())
        yield today
        with audit.acting_as(None):
            demo_wipe()


@pytest.fixture
def loaded(demo, db):
    """Each test reads the module's demo inside its own transaction (rolled back after)."""
    return demo


def polygons():
    """(hazard, shapely geometry) for every hazard, from the GeoJSON stored."""
    return [(hazard, geometry.parse(hazard.geometry)) for hazard in HazardArea.objects.all()]


def released_by_hazard():
    return dict(
        LandRelease.objects.values("hazard_area_id")
        .annotate(total=Sum("area_m2"))
        .values_list("hazard_area_id", "total")
    )


def at_risk_figures(hazards, releases, as_of):
    """Remaining m² at `as_of` and the mean release per year, by two common definitions of
    "the last three years", computed from the records alone.

    `hazards`: (id, baseline m², status, closed_on); `releases`: (hazard id, m², end date).
    A hazard's remaining area is its baseline minus what was released from it by then, never
    below zero, and zero once closed.
    """
    released = defaultdict(int)
    by_year = defaultdict(int)
    rolling = 0
    window_start = as_of - datetime.timedelta(days=round(3 * 365.25))
    for hazard_id, area, end_date in releases:
        if end_date <= as_of:
            released[hazard_id] += area
            by_year[end_date.year] += area
            if end_date > window_start:
                rolling += area
    remaining = sum(
        max(0, area - released[hazard_id])
        for hazard_id, area, status, closed_on in hazards
        if status == HazardStatus.OPEN or closed_on > as_of
    )
    full_years = sum(by_year[as_of.year - back] for back in (1, 2, 3)) / 3
    return remaining, full_years, rolling / 3


def finishes_on(as_of, remaining, rate):
    return as_of + datetime.timedelta(days=round(remaining / rate * 365.25))


# The plan ---------------------------------------------------------------------------------


def checksum(plan):
    hazards = [
        (
            hazard["external_id"],
            hazard["name"],
            hazard["hazard_type"],
            str(hazard["status"]),
            hazard["closed_on"],
            hazard["device_categories"],
            hazard["admin_area"],
            shapely.to_wkb(hazard["shape"], hex=True),
            hazard["recorded_area_m2"],
            hazard["area_m2"],
            hazard["date_recorded"],
            hazard["source"],
        )
        for hazard in plan["hazards"]
    ]
    releases = [
        (
            release["external_id"],
            release["hazard_external_id"],
            release["operator"],
            str(release["method"]),
            release["area_m2"],
            release["start_date"],
            release["end_date"],
            sorted(release["devices"].items()),
        )
        for release in plan["releases"]
    ]
    areas = [
        (area["code"], area["name"], area["parent"], shapely.to_wkb(area["shape"], hex=True))
        for area in plan["admin_areas"]
    ]
    milestones = [sorted(milestone.items()) for milestone in plan["milestones"]]
    return hashlib.sha256(repr((areas, hazards, releases, milestones)).encode()).hexdigest()


def test_the_plan_is_the_same_for_the_same_day_and_moves_with_the_day():
    day = datetime.date(2026, 11, 28)

    first = article5_plan.__wrapped__(day, scale=0.05)
    second = article5_plan.__wrapped__(day, scale=0.05)
    next_day = article5_plan.__wrapped__(day + datetime.timedelta(days=1), scale=0.05)

    assert len(first["hazards"]) == 100
    assert checksum(first) == checksum(second)
    assert checksum(next_day) != checksum(first)


@pytest.mark.parametrize(
    "today",
    [datetime.date(2026, 3, 1), datetime.date(2026, 11, 28), datetime.date(2027, 6, 30)],
)
def test_the_deadline_is_at_risk_whatever_the_day_of_loading(today):
    plan = article5_plan.__wrapped__(today, scale=0.1)
    hazards = [
        (hazard["external_id"], hazard["area_m2"], hazard["status"], hazard["closed_on"])
        for hazard in plan["hazards"]
    ]
    releases = [
        (release["hazard_external_id"], release["area_m2"], release["end_date"])
        for release in plan["releases"]
    ]
    deadline = deadline_in_force()

    remaining, full_years_rate, rolling_rate = at_risk_figures(hazards, releases, today)

    for rate in (full_years_rate, rolling_rate):
        assert finishes_on(today, remaining, rate) > deadline
        assert finishes_on(today, remaining, rate * 1.5) <= deadline + datetime.timedelta(days=60)


# The country ------------------------------------------------------------------------------


def test_provinces_and_districts_tile_a_country_where_there_is_no_land(loaded):
    provinces = {area.code: area for area in AdminArea.objects.filter(level=1)}
    districts = list(AdminArea.objects.filter(level=2).select_related("parent"))
    province_shapes = {code: geometry.parse(area.geometry) for code, area in provinces.items()}
    country = shapely.union_all(list(province_shapes.values()))

    assert sorted(provinces) == [f"DL-0{number}" for number in range(1, 7)]
    assert len(districts) == 31
    assert AdminArea.objects.count() == 37
    assert 58_000e6 < geometry.geodesic_area_m2(country) < 62_000e6
    min_lon, min_lat, max_lon, max_lat = country.bounds
    assert -20 < min_lon < max_lon < -16 and -14 < min_lat < max_lat < -10
    for district in districts:
        shape = geometry.parse(district.geometry)
        assert re.fullmatch(r"DL-0[1-6]-0[1-6]", district.code)
        assert district.parent.code == district.code[:5]
        assert district.path == f"/{district.parent.code}/{district.code}/"
        assert shape.is_valid and shape.area > 0
        assert province_shapes[district.parent.code].buffer(1e-5).contains(shape)
    for code, shape in province_shapes.items():
        assert shape.is_valid
        parts = [geometry.parse(d.geometry) for d in districts if d.parent.code == code]
        assert math.isclose(shapely.union_all(parts).area, shape.area, rel_tol=1e-4)
        assert math.isclose(sum(part.area for part in parts), shape.area, rel_tol=1e-4)
    assert math.isclose(
        sum(shape.area for shape in province_shapes.values()), country.area, rel_tol=1e-4
    )


# Hazard areas -----------------------------------------------------------------------------


def test_about_two_thousand_hazards_of_realistic_shapes_and_sizes(loaded):
    shapes = polygons()
    polygon_areas = [hazard.geometry_area_m2 for hazard, shape in shapes if hazard.geometry_area_m2]
    exteriors = [
        len(shape.exterior.coords) - 1 for _h, shape in shapes if shape.geom_type == "Polygon"
    ]
    strips = [
        shape for _h, shape in shapes if shape.geom_type == "Polygon" and elongation(shape) > 6
    ]

    assert len(shapes) == 2000
    assert min(exteriors) >= 10 and max(exteriors) <= 40
    assert len(strips) > 200
    assert sum(1 for _h, shape in shapes if shape.geom_type == "Polygon" and shape.interiors) >= 10
    assert min(polygon_areas) >= 450 and max(polygon_areas) <= 520_000
    assert 15_000 < statistics.median(polygon_areas) < 27_000
    # Log-normal: about as many hazards below a tenth of the median as above ten times it.
    median = statistics.median(polygon_areas)
    small = sum(1 for area in polygon_areas if area < median / 10)
    large = sum(1 for area in polygon_areas if area > median * 10)
    assert 10 < small < 200 and 10 < large < 200


def elongation(shape):
    """Length over width of the smallest rectangle around the shape."""
    rectangle = shape.minimum_rotated_rectangle.exterior.coords
    sides = sorted(math.dist(rectangle[i], rectangle[i + 1]) for i in range(2))
    return sides[1] / sides[0]


def test_every_hazard_is_valid_inside_its_district_and_overlaps_no_other(loaded):
    districts = {
        area.pk: geometry.parse(area.geometry) for area in AdminArea.objects.filter(level=2)
    }
    for shape in districts.values():
        shapely.prepare(shape)
    shapes = polygons()

    for hazard, shape in shapes:
        assert geometry.validity_problem(shape) is None, hazard.external_id
        assert districts[hazard.admin_area_id].contains(shape), hazard.external_id
        assert (hazard.min_lon, hazard.min_lat, hazard.max_lon, hazard.max_lat) == shape.bounds
    polygons_only = [shape for _h, shape in shapes if shape.geom_type == "Polygon"]
    tree = shapely.STRtree(polygons_only)
    pairs = tree.query(polygons_only, predicate="intersects")
    assert all(left == right for left, right in pairs.T)


def test_hazards_mix_types_devices_dates_sources_and_recorded_areas(loaded):
    today = loaded
    hazards = list(HazardArea.objects.select_related("source_organisation"))
    sha = [hazard for hazard in hazards if hazard.hazard_type == "SHA"]
    devices = defaultdict(int)
    for hazard in hazards:
        for code in hazard.device_list:
            devices[code] += 1
    points = [hazard for hazard in hazards if hazard.geometry["type"] == "Point"]
    mismatched = [
        hazard
        for hazard in hazards
        if hazard.area_discrepancy and hazard.area_discrepancy > geometry.AREA_DISCREPANCY_WARNING
    ]

    assert 0.30 < len(sha) / len(hazards) < 0.40
    for code in ("ap_mine", "av_mine", "uxo", "cmr", "improvised_mine"):
        assert devices[code] >= 50, code
    assert 5 <= len(points) <= 40
    assert all(hazard.recorded_area_m2 and hazard.geometry_area_m2 is None for hazard in points)
    assert all(hazard.area_m2 == hazard.recorded_area_m2 for hazard in points)
    assert 5 <= len(mismatched) <= 40
    recorded = [hazard.date_recorded for hazard in hazards]
    assert today - datetime.timedelta(days=round(12 * 365.25) + 1) <= min(recorded)
    assert max(recorded) < today
    # The resurvey wave: far more suspected areas recorded 3-4 years ago than in a usual year.
    wave = sum(1 for hazard in sha if 3 <= (today - hazard.date_recorded).days / 365.25 <= 4)
    assert wave > 3 * (len(sha) - wave) / 11
    sources = {hazard.source_organisation.name for hazard in hazards}
    assert "Demoland Mine Action Centre" in sources
    assert sources <= OPERATOR_NAMES | {"Demoland Mine Action Centre", "Ministry of Defence"}


# Land release -----------------------------------------------------------------------------


def test_ten_thousand_releases_by_the_demo_operators_over_ten_years(loaded):
    today = loaded
    releases = LandRelease.objects.select_related("operator", "hazard_area")
    count = releases.count()

    assert 9_000 <= count <= 11_000
    assert set(releases.values_list("operator__name", flat=True).distinct()) <= OPERATOR_NAMES
    assert not releases.filter(operator=None).exists()
    first = releases.order_by("end_date").first().end_date
    assert today - datetime.timedelta(days=round(10 * 365.25) + 31) <= first
    assert releases.order_by("-end_date").first().end_date < today
    dates = releases.values_list("start_date", "end_date", "hazard_area__date_recorded")
    for start_date, end_date, date_recorded in dates:
        assert date_recorded < start_date <= end_date


def test_released_totals_stay_within_the_baselines_and_closed_hazards_are_dated(loaded):
    released = released_by_hazard()
    last_release = dict(
        LandRelease.objects.values("hazard_area_id")
        .annotate(last=Max("end_date"))
        .values_list("hazard_area_id", "last")
    )
    hazards = list(HazardArea.objects.all())
    over = [hazard for hazard in hazards if released.get(hazard.pk, 0) > hazard.area_m2]

    # A few releases ran a little over the recorded area, as happens in the field; never more
    # than 10 %, and for at most 1 % of the hazards.
    assert len(over) <= len(hazards) // 100
    assert all(released[hazard.pk] <= hazard.area_m2 * 1.10 for hazard in over)
    for hazard in hazards:
        if hazard.status == HazardStatus.OPEN:
            assert hazard.closed_on is None
            assert released.get(hazard.pk, 0) < hazard.area_m2
        else:
            assert hazard.closed_on == last_release[hazard.pk]
            assert released[hazard.pk] >= hazard.area_m2
    assert {hazard.status for hazard in hazards} == set(HazardStatus.values)
    partly_released = [
        hazard
        for hazard in hazards
        if hazard.status == HazardStatus.OPEN and released.get(hazard.pk, 0) > 0
    ]
    assert partly_released


def test_survey_cancels_most_area_and_clearance_finds_most_devices(loaded):
    area = dict(
        LandRelease.objects.values("method").annotate(m2=Sum("area_m2")).values_list("method", "m2")
    )
    devices = {
        method: sum(
            LandRelease.objects.filter(method=method)
            .aggregate(**{field: Sum(field) for field in DEVICE_FIELDS.values()})
            .values(),
            start=0,
        )
        for method in ReleaseMethod.values
    }
    ap_mined = LandRelease.objects.filter(
        method=ReleaseMethod.CLEARED, hazard_area__device_categories__contains=",ap_mine,"
    ).aggregate(m2=Sum("area_m2"), mines=Sum("devices_ap_mine"))

    assert area[ReleaseMethod.CANCELLED] > 0.4 * sum(area.values())
    assert area[ReleaseMethod.CLEARED] == min(area.values())
    assert devices[ReleaseMethod.CANCELLED] == 0
    assert devices[ReleaseMethod.CLEARED] > 0.9 * sum(devices.values())
    assert 1 <= ap_mined["mines"] / ap_mined["m2"] * 10_000 <= 10  # a few per 10,000 m²


# The deadline and the milestones ----------------------------------------------------------


def test_the_deadline_in_force_is_at_risk_and_more_capacity_would_meet_it(loaded):
    today = loaded
    deadline = CountryProfile.load().article5_status(today)["deadline"]
    hazards = HazardArea.objects.values_list("pk", "area_m2", "status", "closed_on")
    releases = LandRelease.objects.values_list("hazard_area_id", "area_m2", "end_date")

    remaining, rate, rolling_rate = at_risk_figures(hazards, releases, today)

    assert deadline == deadline_in_force()
    assert 5_000_000 < remaining < 30_000_000
    for mean_rate in (rate, rolling_rate):
        forecast = finishes_on(today, remaining, mean_rate)
        with_more_capacity = finishes_on(today, remaining, mean_rate * 1.5)
        assert forecast > deadline
        assert with_more_capacity < forecast
        assert with_more_capacity <= deadline + datetime.timedelta(days=60)


def test_the_dashboard_forecast_shows_the_deadline_at_risk(loaded):
    figures = progress.summary(loaded, capacity_change_percent=50)

    assert figures["forecast"]["meets_deadline"] is False
    assert figures["forecast"]["completion_earliest"] > figures["deadline"]["date"]
    assert figures["forecast"]["scenario"]["meets_deadline"] is True


def test_milestones_ask_for_more_than_the_observed_rate(loaded):
    today = loaded
    deadline = deadline_in_force()
    by_year = defaultdict(int)
    for area, end_date in LandRelease.objects.values_list("area_m2", "end_date"):
        by_year[end_date.year] += area
    rate = sum(by_year[today.year - back] for back in (1, 2, 3)) / 3
    national = {
        m.year: m.planned_area_m2 for m in Article5Milestone.objects.filter(admin_area=None)
    }
    regional = defaultdict(int)
    for milestone in Article5Milestone.objects.exclude(admin_area=None).select_related(
        "admin_area"
    ):
        assert milestone.admin_area.level == 1
        regional[milestone.year] += milestone.planned_area_m2

    assert sorted(national) == list(range(2019, deadline.year + 1))
    assert sorted(regional) == list(range(today.year, deadline.year + 1))
    assert all(regional[year] == national[year] for year in regional)
    past = [year for year in national if year < today.year]
    met = [year for year in past if by_year[year] >= national[year]]
    assert met and len(met) < len(past)
    assert national[today.year] > rate
    assert national[today.year + 1] > rate


# Loading ----------------------------------------------------------------------------------


def snapshot(ignore=("updated_at",)):
    return {
        model.__name__: sorted(
            repr(sorted((k, v) for k, v in row.items() if k not in ignore))
            for row in model.objects.values()
        )
        for model in ARTICLE5_MODELS
    }


def test_loading_again_changes_nothing_audits_nothing_and_sends_nothing(loaded):
    today = loaded
    before = snapshot()
    entries = AuditEntry.objects.count()

    counts = load_article5(today)

    assert snapshot() == before
    assert AuditEntry.objects.count() == entries
    assert mail.outbox == []
    assert counts == {
        "admin areas": 37,
        "hazard areas": 2000,
        "land releases": len(before["LandRelease"]),
        "Article 5 milestones": len(before["Article5Milestone"]),
    }


def test_loading_again_puts_back_changed_records_and_keeps_added_ones(loaded):
    today = loaded
    # A deleted release comes back as a new record, with its own database and public ids.
    ignore = ("id", "public_id", "created_at", "updated_at")
    before = snapshot(ignore)
    hazard = HazardArea.objects.filter(status=HazardStatus.OPEN).first()
    HazardArea.objects.filter(pk=hazard.pk).update(
        status=HazardStatus.CLOSED, closed_on=today, name="Renamed"
    )
    LandRelease.objects.filter(pk=LandRelease.objects.first().pk).delete()
    Article5Milestone.objects.filter(admin_area=None).update(planned_area_m2=1)
    mapping = ImportMapping.objects.create(name="Tester's mapping", kind="hazards")

    load_article5(today)

    assert snapshot(ignore) == before
    assert ImportMapping.objects.filter(pk=mapping.pk).exists()


def test_wiping_the_demo_deletes_the_article5_data(loaded):
    ImportMapping.objects.create(name="Tester's mapping", kind="hazards")

    with audit.acting_as(None):
        demo_wipe()

    assert set(article5_counts().values()) == {0}
    assert not ImportMapping.objects.exists()


def test_the_article5_part_loads_in_well_under_a_minute(loaded):
    today = loaded
    wipe_funding()  # requirements, pledges and disbursements name provinces as their region
    wipe_priorities()  # challenges name provinces as their region
    wipe_article5()
    article5_plan.cache_clear()

    started = time.perf_counter()
    load_article5(today)
    seconds = time.perf_counter() - started

    assert HazardArea.objects.count() == 2000
    assert seconds < 60


# Sample import files ----------------------------------------------------------------------


def test_sample_files_hold_renamed_hazard_columns_and_releases_with_known_mistakes(
    loaded, tmp_path
):
    out = StringIO()
    call_command("demo_article5_files", str(tmp_path), stdout=out)
    _meta, _fids, wkb, fields = pyogrio.raw.read(tmp_path / "demoland-hazards.gpkg")
    info = pyogrio.read_info(tmp_path / "demoland-hazards.gpkg")
    columns = dict(zip(info["fields"], fields, strict=True))
    shapes = shapely.from_wkb(wkb)
    districts = {
        area.code: geometry.parse(area.geometry) for area in AdminArea.objects.filter(level=2)
    }
    known = set(HazardArea.objects.values_list("external_id", flat=True))
    with (tmp_path / "demoland-releases-with-errors.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    readme = (tmp_path / "README.txt").read_text(encoding="utf-8")

    assert info["crs"] == "EPSG:4326" and info["features"] == 40
    assert list(info["fields"][:3]) == ["IMSMA_ID", "HAZ_NAME", "HAZ_TYPE"]
    assert sum(1 for external_id in columns["IMSMA_ID"] if external_id in known) == 15
    assert len(set(columns["IMSMA_ID"])) == 40
    existing = list(HazardArea.objects.values_list("geometry", flat=True))
    tree = shapely.STRtree([geometry.parse(value) for value in existing])
    for external_id, code, shape in zip(
        columns["IMSMA_ID"], columns["ADM2_PCODE"], shapes, strict=True
    ):
        assert shape.is_valid and districts[code].contains(shape)
        if external_id not in known:
            assert len(tree.query(shape, predicate="intersects")) == 0
    assert len(rows) == 30
    mistakes = {
        4: ("hazard_external_id", "DL-HA-99999"),
        9: ("area_m2", "-250"),
        13: ("end_date", "2026-02-31"),
        18: ("method", "demined"),
    }
    for line, (column, value) in mistakes.items():
        assert rows[line - 2][column] == value
        assert f"line {line:>2}, {column}:" in readme
    assert rows[22]["end_date"] < rows[22]["start_date"]
    good = [row for line, row in enumerate(rows, start=2) if line not in {*mistakes, 24}]
    released = released_by_hazard()
    for row in good:
        hazard = HazardArea.objects.get(external_id=row["hazard_external_id"])
        assert hazard.status == HazardStatus.OPEN
        assert 0 < int(row["area_m2"]) <= hazard.area_m2 - released.get(hazard.pk, 0)
        assert row["start_date"] <= row["end_date"] < loaded.isoformat()
        assert row["operator"] in OPERATOR_NAMES
    assert "40 hazard areas" in out.getvalue()


def test_the_import_finds_the_sample_hazards_and_refuses_the_releases_on_their_lines(
    loaded, tmp_path
):
    call_command("demo_article5_files", str(tmp_path), stdout=StringIO())

    hazards = run_import(
        ImportKind.HAZARDS,
        tmp_path / "demoland-hazards.gpkg",
        columns=dict(HAZARD_FILE_COLUMNS),
        dry_run=True,
    )
    releases = run_import(
        ImportKind.RELEASES, tmp_path / "demoland-releases-with-errors.csv", dry_run=True
    )

    assert hazards.ok and hazards.errors == []
    assert (hazards.total_rows, hazards.created, hazards.unchanged) == (40, 25, 15)
    assert not releases.ok
    assert [(issue.line, issue.column) for issue in releases.errors] == [
        (4, "hazard_external_id"),
        (9, "area_m2"),
        (13, "end_date"),
        (18, "method"),
        (24, "end_date"),
    ]


def test_sample_files_need_the_demo(db, tmp_path):
    with audit.acting_as(None):
        demo_wipe()  # when the module's demo is loaded; rolled back after the test

    with pytest.raises(CommandError, match="load_demo"):
        call_command("demo_article5_files", str(tmp_path), stdout=StringIO())
    assert list(tmp_path.iterdir()) == []
