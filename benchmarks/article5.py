"""Benchmark of the Article 5 summary and of the hazard-area import on a national data set.

    uv run --frozen python benchmarks/article5.py [--hazards N] [--releases R] [--repeat K]
    scripts/with-postgres uv run --frozen python benchmarks/article5.py   # on PostgreSQL

Builds a throwaway database (SQLite in a temporary directory, or the empty database named by
DATABASE_URL) holding N hazard areas (default 100,000: irregular polygons of 10 to 40
vertices, 500 m² to 500,000 m², in 8 provinces of 6 districts) and R land-release records
(default 1,000,000) over ten years, with milestones and a deadline. Then:

1. times the summary K times each (median): `GET /api/v1/article5/summary` through the Django
   test client (national; one province at district level; a date five years ago), the service
   `progress.summary()` itself, and two lower bounds measured in the same run: the same figures
   in hand-written SQL, and the framework's ceiling (`GET /healthz`);
2. writes M hazard polygons (--import-hazards, default N; 0 skips this) to a GeoPackage with
   pyogrio and imports them with `importers.run_import("hazards", path)`, printing rows per
   second and the total time.

Read the ratios, not the milliseconds. See README.md.
"""

import argparse
import contextlib
import datetime
import json
import math
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from measuring import Measure, configure_django, page

BATCH = 5000
RELEASE_YEARS = 10
# fmt: off
PROVINCES = [
    "Northern Hills", "Lake Shore", "Eastern Plains", "Border Valley", "Central Highlands",
    "River Delta", "Western Forest", "Southern Coast",
]
DISTRICT_WORDS = ["Upper", "Lower", "North", "South", "East", "West"]
OPERATORS = [
    ("National Demining Brigade", "national_authority"),
    ("Clear Ground International", "international_ngo"),
    ("Safe Steps Association", "national_ngo"),
    ("Fieldwork Demining Ltd", "commercial_operator"),
    ("Land Return Trust", "international_ngo"),
    ("Hope Survey Group", "national_ngo"),
    ("Delta Clearance Services", "commercial_operator"),
    ("Humanitarian Mine Action Group", "international_ngo"),
]
# fmt: on
# Contamination is concentrated along an old front line: provinces 3 and 4 hold most of it.
PROVINCE_WEIGHTS = [4, 2, 10, 14, 6, 3, 2, 1]
COUNTRY_WEST, COUNTRY_SOUTH = 30.0, -18.0  # 4 x 2 provinces of 1 x 2 degrees
METHOD_SHARES = {  # cancelled, reduced, cleared
    "SHA": (0.55, 0.30, 0.15),
    "CHA": (0.10, 0.35, 0.55),
}
DEVICE_CATEGORIES = ["ap_mine", "av_mine", "improvised_mine", "cmr", "uxo", "axo", "booby_trap",
                     "other_erw"]  # fmt: skip
DEVICE_WEIGHTS = [40, 12, 3, 10, 25, 4, 2, 4]


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hazards", type=int, default=100_000, help="hazard areas (100000)")
    parser.add_argument("--releases", type=int, default=1_000_000, help="releases (1000000)")
    parser.add_argument("--repeat", type=int, default=20, help="requests per row (default 20)")
    parser.add_argument(
        "--import-hazards",
        type=int,
        default=None,
        help="polygons in the GeoPackage import (default: as many as --hazards; 0 skips it)",
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed of the data (default 1)")
    arguments = parser.parse_args(argv)
    if arguments.hazards < 100:
        parser.error(f"--hazards must be at least 100, not {arguments.hazards}")
    if arguments.repeat < 2:
        parser.error(f"--repeat must be at least 2, not {arguments.repeat}")
    if arguments.import_hazards is None:
        arguments.import_hazards = arguments.hazards
    return arguments


# The data set ----------------------------------------------------------------------------------


def rectangle(west, south, east, north):
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def province_box(index):
    west = COUNTRY_WEST + (index % 4)
    south = COUNTRY_SOUTH + 2 * (index // 4)
    return west, south


def build_regions():
    """8 provinces (level 1, 1 x 2 degrees) of 6 districts each (level 2, 0.5 x 0.667 degrees),
    their rectangles as boundaries. Returns {(province, district): AdminArea} and provinces."""
    from mineaction.landrelease.models import AdminArea

    provinces, districts = [], {}
    for p, name in enumerate(PROVINCES):
        west, south = province_box(p)
        province = AdminArea.objects.create(
            code=f"PR{p + 1:02d}",
            name=name,
            level=1,
            geometry=rectangle(west, south, west + 1, south + 2),
        )
        provinces.append(province)
        for d in range(6):
            d_west, d_south = west + 0.5 * (d % 2), south + (2 / 3) * (d // 2)
            districts[(p, d)] = AdminArea.objects.create(
                code=f"DI{p + 1:02d}{d + 1:02d}",
                name=f"{DISTRICT_WORDS[d]} {name}",
                level=2,
                parent=province,
                geometry=rectangle(d_west, d_south, d_west + 0.5, d_south + 2 / 3),
            )
    return provinces, districts


def build_operators():
    from mineaction.stakeholders.models import Organisation

    return [Organisation.objects.create(name=name, type=kind) for name, kind in OPERATORS]


def polygon_rings(rng, lon, lat, area_m2):
    """Irregular star-shaped rings of 10-40 vertices around each (lon, lat), of about
    `area_m2`, elongated and turned at random (fields follow roads and rivers). Returns the
    vertex counts and the vertices' longitudes and latitudes, polygon after polygon, each ring
    counter-clockwise and not closed."""
    import numpy as np

    count = len(lon)
    counts = rng.integers(10, 41, count)
    owner = np.repeat(np.arange(count), counts)
    total = int(counts.sum())
    # Angles around the centre always increasing (each vertex jittered within its own sector),
    # so that every ring is simple: a star-shaped polygon never crosses itself.
    position = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    sector = 2 * math.pi / counts[owner]
    angles = (position + rng.uniform(0.1, 0.9, total)) * sector
    phase, lobes = rng.uniform(0, 2 * math.pi, count)[owner], rng.integers(2, 5, count)[owner]
    radii = 1 + 0.3 * np.sin(lobes * angles + phase) + rng.uniform(-0.15, 0.15, total)
    x, y = radii * np.cos(angles), radii * np.sin(angles)
    stretch, turn = rng.uniform(1, 2.5, count)[owner], rng.uniform(0, math.pi, count)[owner]
    x, y = x * stretch, y / stretch
    x, y = x * np.cos(turn) - y * np.sin(turn), x * np.sin(turn) + y * np.cos(turn)
    starts = np.cumsum(counts) - counts
    following = np.arange(1, total + 1)
    following[starts + counts - 1] = starts
    unit_area = 0.5 * np.abs(np.bincount(owner, x * y[following] - y * x[following], count))
    scale = np.sqrt(area_m2 / unit_area)[owner]
    lons = lon[owner] + x * scale / (111_320 * np.cos(np.radians(lat[owner])))
    lats = lat[owner] + y * scale / 110_574
    return counts, np.round(lons, 7), np.round(lats, 7)


def hazard_plan(rng, count, today):
    """Attributes of `count` hazard areas, as numpy arrays (no geometry yet)."""
    import numpy as np

    weights = np.array(PROVINCE_WEIGHTS, dtype=float)
    # Hazards cluster around villages and old positions: 1 cluster per ~30 hazards.
    clusters = max(1, count // 30)
    cluster_province = rng.choice(len(PROVINCES), clusters, p=weights / weights.sum())
    boxes = np.array([province_box(p) for p in range(len(PROVINCES))])
    cluster_lon = boxes[cluster_province, 0] + rng.uniform(0.05, 0.95, clusters)
    cluster_lat = boxes[cluster_province, 1] + rng.uniform(0.05, 1.95, clusters)
    member = rng.integers(0, clusters, count)
    province = cluster_province[member]
    west, south = boxes[province, 0], boxes[province, 1]
    lon = np.clip(cluster_lon[member] + rng.normal(0, 0.03, count), west + 0.01, west + 0.99)
    lat = np.clip(cluster_lat[member] + rng.normal(0, 0.03, count), south + 0.01, south + 1.99)
    district = ((lon - west) // 0.5).astype(int) + 2 * np.minimum((lat - south) // (2 / 3), 2)
    start = today.replace(year=today.year - RELEASE_YEARS).toordinal()
    # The baseline survey of 2005-2010 found 40 %; the rest was found since, year after year.
    baseline_survey = rng.random(count) < 0.4
    recorded = np.where(
        baseline_survey,
        rng.integers(datetime.date(2005, 1, 1).toordinal(), datetime.date(2011, 1, 1).toordinal(),
                     count),
        rng.integers(datetime.date(2011, 1, 1).toordinal(), today.toordinal() - 30, count),
    )  # fmt: skip
    first_release = np.maximum(recorded, start)
    closed_on = first_release + (rng.random(count) * (today.toordinal() - first_release)).astype(
        int
    )
    device_weights = np.array(DEVICE_WEIGHTS) / sum(DEVICE_WEIGHTS)
    return {
        # From 500 m² to 500,000 m², most of them small (the log of the area is triangular).
        "area": np.exp(rng.triangular(math.log(500), math.log(500), math.log(500_000), count)),
        "lon": lon,
        "lat": lat,
        "province": province,
        "district": district.astype(int),
        # 1 % without admin area, 2 % only with their province (coarser source data).
        "placement": rng.choice(["district", "province", "none"], count, p=[0.97, 0.02, 0.01]),
        "type": rng.choice(["SHA", "CHA"], count, p=[0.55, 0.45]),
        "status": rng.choice(["open", "closed", "handed_over"], count, p=[0.73, 0.22, 0.05]),
        "recorded": recorded,
        "first_release": first_release,
        "closed_on": closed_on,
        "has_recorded_area": rng.random(count) < 0.6,
        "recorded_factor": rng.uniform(0.85, 1.15, count),
        "devices": [
            rng.choice(
                DEVICE_CATEGORIES, int(rng.integers(1, 4)), replace=False, p=device_weights
            ).tolist()
            for _number in range(count)
        ],  # fmt: skip
    }


class Adapter:
    """Python values as the database driver takes them, for inserts without model instances."""

    def __init__(self):
        from django.db import connection

        self.sqlite = connection.vendor == "sqlite"
        self.now = connection.ops.adapt_datetimefield_value(datetime.datetime.now(datetime.UTC))
        self._dates = {}

    def uuid(self):
        return uuid.uuid4().hex if self.sqlite else uuid.uuid4()

    def date(self, ordinal):
        if ordinal is None:
            return None
        if ordinal not in self._dates:
            from django.db import connection

            day = datetime.date.fromordinal(ordinal)
            self._dates[ordinal] = connection.ops.adapt_datefield_value(day)
        return self._dates[ordinal]


def insert_rows(model, fields, rows):
    """Insert tuples of database values: with COPY on PostgreSQL, executemany on SQLite.
    Model instances through bulk_create would take minutes for nothing this measures."""
    from django.db import connection

    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


def build_hazards(rng, count, today, provinces, districts, organisations):
    import numpy as np

    from mineaction.landrelease.geometry import GEOD
    from mineaction.landrelease.models import HazardArea

    plan = hazard_plan(rng, count, today)
    counts, lons, lats = polygon_rings(rng, plan["lon"], plan["lat"], plan["area"])
    ends = np.cumsum(counts)
    adapt = Adapter()
    rows, baselines = [], []
    for number in range(count):
        ring_lons, ring_lats = (
            lons[ends[number] - counts[number] : ends[number]],
            lats[ends[number] - counts[number] : ends[number]],
        )
        geometric = round(abs(GEOD.polygon_area_perimeter(ring_lons, ring_lats)[0]))
        recorded = (
            round(geometric * plan["recorded_factor"][number])
            if plan["has_recorded_area"][number]
            else None
        )
        ring = np.column_stack([ring_lons, ring_lats]).tolist()
        placement = plan["placement"][number]
        if placement == "district":
            admin_area = districts[(plan["province"][number], plan["district"][number])].pk
        elif placement == "province":
            admin_area = provinces[plan["province"][number]].pk
        else:
            admin_area = None
        status = str(plan["status"][number])
        baselines.append(recorded if recorded is not None else geometric)
        rows.append(
            (
                adapt.uuid(),
                adapt.now,
                adapt.now,
                f"IMSMA-HA-{number + 1:06d}",
                f"Hazard area {number + 1}",
                str(plan["type"][number]),
                status,
                None if status == "open" else adapt.date(int(plan["closed_on"][number])),
                HazardArea.join_devices(plan["devices"][number]),
                admin_area,
                json.dumps({"type": "Polygon", "coordinates": [[*ring, ring[0]]]}),
                geometric,
                recorded,
                baselines[-1],
                float(ring_lons.min()),
                float(ring_lats.min()),
                float(ring_lons.max()),
                float(ring_lats.max()),
                adapt.date(int(plan["recorded"][number])),
                organisations[number % len(organisations)].pk,
            )
        )
    fields = [
        "public_id", "created_at", "updated_at", "external_id", "name", "hazard_type", "status",
        "closed_on", "device_categories", "admin_area_id", "geometry", "geometry_area_m2",
        "recorded_area_m2", "area_m2", "min_lon", "min_lat", "max_lon", "max_lat",
        "date_recorded", "source_organisation_id",
    ]  # fmt: skip
    insert_rows(HazardArea, fields, rows)
    ids = dict(HazardArea.objects.values_list("external_id", "pk"))
    plan["pk"] = [ids[f"IMSMA-HA-{number + 1:06d}"] for number in range(count)]
    plan["baseline"] = baselines
    return plan


def build_releases(rng, plan, count, today, operators):
    """`count` land-release records; returns {year: m² released}."""
    import numpy as np

    from mineaction.landrelease.models import DEVICE_FIELDS, LandRelease

    hazards = len(plan["pk"])
    baseline = np.array(plan["baseline"], dtype=float)
    closed = plan["status"] != "open"
    # Bigger and closed hazard areas have more release records; some have none yet.
    weights = baseline**0.3 * np.where(closed, 2.0, 1.0)
    per_hazard = rng.multinomial(count, weights / weights.sum())
    owner = np.repeat(np.arange(hazards), per_hazard)
    # Closed hazard areas were released completely (3 % a little beyond their baseline, as
    # when the survey found the area larger); open ones partly.
    share = np.where(closed, 1.0, rng.uniform(0, 0.85, hazards))
    share = np.where(closed & (rng.random(hazards) < 0.03), rng.uniform(1.02, 1.2, hazards), share)
    portions = rng.random(count) + 0.05
    portion_sums = np.bincount(owner, weights=portions, minlength=hazards)
    areas = np.maximum(1, np.round(share[owner] * baseline[owner] * portions / portion_sums[owner]))
    first = plan["first_release"][owner]
    last = np.where(closed[owner], plan["closed_on"][owner], today.toordinal())
    ends = first + (rng.random(count) * (last - first + 1)).astype(int)
    starts = np.where(rng.random(count) < 0.15, -1, ends - rng.integers(3, 120, count))
    is_sha = plan["type"][owner] == "SHA"
    draw = rng.random(count)
    sha, cha = METHOD_SHARES["SHA"], METHOD_SHARES["CHA"]
    cancelled_below = np.where(is_sha, sha[0], cha[0])
    reduced_below = cancelled_below + np.where(is_sha, sha[1], cha[1])
    methods = np.where(
        draw < cancelled_below, "cancelled", np.where(draw < reduced_below, "reduced", "cleared")
    )
    # Cleared land gives up devices of the hazard's main category, and UXO here and there.
    cleared = methods == "cleared"
    main_category = np.array(
        [DEVICE_CATEGORIES.index(devices[0]) for devices in plan["devices"]], dtype=int
    )[owner]
    devices = np.zeros((count, len(DEVICE_CATEGORIES)), dtype=int)
    devices[np.arange(count), main_category] = rng.poisson(areas / 20_000) * cleared
    devices[:, DEVICE_CATEGORIES.index("uxo")] += rng.poisson(0.3, count) * cleared
    # Completion reports reach the national database as the work ends: stored in date order.
    order = np.argsort(ends, kind="stable")
    owner, areas, ends, starts, methods, devices = (
        owner[order],
        areas[order],
        ends[order],
        starts[order],
        methods[order],
        devices[order],
    )
    operator_ids = np.array([operator.pk for operator in operators])
    operator_column = operator_ids[rng.integers(0, len(operator_ids), count)]
    adapt = Adapter()
    hazard_pks = np.array(plan["pk"])[owner].tolist()
    columns = [
        [adapt.uuid() for _number in range(count)],
        [adapt.now] * count,
        [adapt.now] * count,
        [f"LR-{number + 1:07d}" for number in range(count)],
        hazard_pks,
        operator_column.tolist(),
        methods.tolist(),
        areas.astype(int).tolist(),
        [adapt.date(start) if start >= 0 else None for start in starts.tolist()],
        [adapt.date(end) for end in ends.tolist()],
        *(devices[:, column].tolist() for column in range(len(DEVICE_CATEGORIES))),
    ]
    fields = [
        "public_id", "created_at", "updated_at", "external_id", "hazard_area_id", "operator_id",
        "method", "area_m2", "start_date", "end_date", *DEVICE_FIELDS.values(),
    ]  # fmt: skip
    insert_rows(LandRelease, fields, zip(*columns, strict=True))
    first_day = int(ends.min())
    year_of_day = np.array(
        [datetime.date.fromordinal(day).year for day in range(first_day, int(ends.max()) + 1)]
    )
    end_years = year_of_day[ends - first_day]
    return {
        int(year): int(areas[end_years == year].sum()) for year in np.unique(end_years).tolist()
    }


def build_milestones(today, per_year, provinces, province_share):
    """National milestones for the ten past years and five to come (the past ones around what
    was achieved, some met and some not; the coming ones above the current pace), and the same
    for every province in proportion to its contamination."""
    from mineaction.landrelease.models import Article5Milestone

    milestones = []
    first = today.year - RELEASE_YEARS + 1
    recent = statistics.mean(per_year.get(year, 0) for year in range(today.year - 3, today.year))
    for year in range(first, today.year + 6):
        if year < today.year:
            planned = per_year.get(year, 0) * (0.9 if year % 3 else 1.15)
        else:
            planned = recent * (1.3 + 0.05 * (year - today.year))
        milestones.append(Article5Milestone(year=year, planned_area_m2=round(planned, -3)))
        for province, share in zip(provinces, province_share, strict=True):
            milestones.append(
                Article5Milestone(
                    year=year, admin_area=province, planned_area_m2=round(planned * share, -3)
                )
            )
    Article5Milestone.objects.bulk_create(milestones)
    return len(milestones)


def build_country(today):
    """The country profile: the original deadline has passed, one extension runs to three
    years from now, which the current pace does not reach (the deadline is at risk)."""
    from mineaction.core.models import CountryProfile, DeadlineChange

    profile = CountryProfile.objects.create(
        name="Testland",
        iso3="TST",
        official_languages=["en"],
        convention_entry_into_force=datetime.date(2009, 3, 1),
        original_article5_deadline=datetime.date(2019, 3, 1),
    )
    DeadlineChange.objects.create(
        profile=profile,
        new_deadline=datetime.date(today.year + 3, 3, 1),
        decided_on=datetime.date(2018, 11, 30),
        decision="Decision of the Seventeenth Meeting of the States Parties",
    )


def build_viewer(organisation):
    """A member (a reader; no two-factor needed) the summary is requested as."""
    from mineaction.core.models import User
    from mineaction.stakeholders.models import Membership, Person

    user = User.objects.create_user("benchmark.member@example.org", password=None)
    person = Person.objects.create(
        user=user,
        email=user.email,
        given_name="Benchmark",
        family_name="Member",
        organisation=organisation,
    )
    Membership.objects.create(person=person, role="member", starts_on=datetime.date(2020, 1, 1))
    return user


def build_data_set(arguments, today):
    """Fill the empty database; returns the viewer and a description of what was made."""
    import numpy as np
    from django.db import connection, transaction

    rng = np.random.default_rng(arguments.seed)
    timings = {}
    started = time.perf_counter()
    with large_sqlite_cache(), transaction.atomic():
        build_country(today)
        operators = build_operators()
        provinces, districts = build_regions()
        plan = build_hazards(rng, arguments.hazards, today, provinces, districts, operators)
        timings["hazard areas"] = time.perf_counter() - started
        per_year = build_releases(rng, plan, arguments.releases, today, operators)
        timings["releases"] = time.perf_counter() - started - timings["hazard areas"]
        weights = np.bincount(plan["province"], weights=plan["baseline"], minlength=8)
        milestones = build_milestones(today, per_year, provinces, weights / weights.sum())
        viewer = build_viewer(operators[0])
    with connection.cursor() as cursor:
        # A production database has statistics and, on PostgreSQL, a visibility map (from
        # autovacuum); a freshly bulk-loaded one not yet. SQLite keeps its defaults: Django
        # never runs ANALYZE there.
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
    timings["total"] = time.perf_counter() - started
    sizes = {
        "hazard areas": arguments.hazards,
        "land releases": arguments.releases,
        "admin areas": len(provinces) + len(districts),
        "milestones": milestones,
    }
    return viewer, provinces, sizes, timings


@contextlib.contextmanager
def large_sqlite_cache():
    """A 1 GB page cache while loading: the unique indexes of random UUIDs otherwise send
    every insert to the disk. The measurements run with the platform's own settings."""
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (default,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size = -1000000")
        try:
            yield
        finally:
            cursor.execute(f"PRAGMA cache_size = {int(default)}")


# Measuring -------------------------------------------------------------------------------------


def raw_remaining(as_of):
    """The remaining area on `as_of` by admin area, type and closed or not, in one hand-written
    statement: per hazard area recorded by then, its baseline minus its release by then (never
    below zero), zero once closed. On SQLite, NOT INDEXED reads the table rather than looking
    each row up through the date index (faster when nearly every row matches)."""
    from django.db import connection

    from mineaction.landrelease.models import HazardArea, LandRelease

    hazard, release = HazardArea._meta.db_table, LandRelease._meta.db_table
    sqlite = connection.vendor == "sqlite"
    greatest, not_indexed = ("MAX", "NOT INDEXED") if sqlite else ("GREATEST", "")
    sql = f"""
        SELECT h.admin_area_id, h.hazard_type, h.closed, COUNT(*),
               SUM(CASE WHEN h.closed = 1 THEN 0 ELSE {greatest}(h.area_m2 - h.released, 0) END)
        FROM (
            SELECT h.admin_area_id, h.hazard_type, h.area_m2,
                   CASE WHEN h.status <> 'open' AND h.closed_on <= %s THEN 1 ELSE 0 END AS closed,
                   COALESCE((SELECT SUM(r.area_m2) FROM {release} r
                             WHERE r.hazard_area_id = h.id AND r.end_date <= %s), 0) AS released
            FROM {hazard} h {not_indexed} WHERE h.date_recorded <= %s
        ) h
        GROUP BY h.admin_area_id, h.hazard_type, h.closed
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [as_of, as_of, as_of])
        return cursor.fetchall()


def raw_released(as_of):
    """The release up to `as_of` by year and method, with the devices destroyed."""
    from django.db import connection

    from mineaction.landrelease.models import DEVICE_FIELDS, LandRelease

    release = LandRelease._meta.db_table
    if connection.vendor == "sqlite":
        year, not_indexed = "CAST(SUBSTR(end_date, 1, 4) AS integer)", "NOT INDEXED"
    else:
        year, not_indexed = "CAST(EXTRACT(YEAR FROM end_date) AS integer)", ""
    devices = ", ".join(f"SUM({field})" for field in DEVICE_FIELDS.values())
    sql = f"""
        SELECT {year}, method, SUM(area_m2), {devices}
        FROM {release} {not_indexed} WHERE end_date <= %s GROUP BY {year}, method
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [as_of])
        return cursor.fetchall()


def raw_summary(as_of):
    """Both statements, with PostgreSQL's JIT compiler off as for the service."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        return raw_remaining(as_of), raw_released(as_of)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        return raw_remaining(as_of), raw_released(as_of)


def check_same_answer(today):
    """The raw SQL bound must find exactly the service's figures, or it bounds nothing."""
    from mineaction.landrelease.services import progress

    for as_of in (today, today.replace(year=today.year - 5)):
        figures = progress.summary(as_of)
        remaining, released = raw_summary(as_of)
        raw = {
            "remaining": sum(row[4] or 0 for row in remaining),
            "SHA": sum(row[4] or 0 for row in remaining if row[1] == "SHA"),
            "closed": sum(row[3] for row in remaining if row[2] == 1),
            "released": sorted((row[0], row[1], row[2]) for row in released),
            "devices": sum(sum(row[3:]) for row in released),
        }
        service = {
            "remaining": figures["remaining_area_m2"],
            "SHA": figures["remaining_by_type"]["SHA"],
            "closed": sum(row["count"] for row in figures["hazards_by_status"][1:]),
            "released": sorted(
                (row["year"], method, row[f"{method}_m2"])
                for row in figures["released_by_year"]
                for method in ("cancelled", "reduced", "cleared")
                if row[f"{method}_m2"]
            ),
            "devices": sum(row["count"] for row in figures["devices_destroyed"]),
        }
        for key, value in raw.items():
            if value != service[key]:
                raise SystemExit(
                    f"On {as_of} the raw SQL finds {key} {value}, the service "
                    f"{service[key]}; stopping."
                )
    return progress.summary(today)


def measures(client, today, province):
    from django.urls import reverse

    from mineaction.landrelease.services import progress

    summary = reverse("api:article5_summary")
    uncached = progress.data_changed
    past = today.replace(year=today.year - 5)
    return [
        Measure("GET /healthz (ceiling)", page(client, reverse("core:healthz"))),
        # As right after an import or an edit: nothing is cached.
        Measure("API summary, national, not cached", page(client, summary), prepare=uncached),
        Measure(
            "progress.summary(), not cached", lambda: progress.summary(today), prepare=uncached
        ),
        Measure("API summary, national", page(client, summary)),
        Measure(
            "API summary, 1 province by district",
            page(client, f"{summary}?admin_area={province.code}&level=2"),
        ),
        Measure(
            "API summary, 5 years ago, scenario",
            page(client, f"{summary}?as_of={past.isoformat()}&capacity_change_percent=50"),
        ),
        Measure("progress.summary()", lambda: progress.summary(today)),
        Measure("raw SQL (bound)", lambda: raw_summary(today), bound=True),
    ]


def run_measures(all_measures, repeat):
    """Each measure in turn: one warm-up call, then `repeat` timed calls in a row."""
    for measure in all_measures:
        measure.run()
        for _sample in range(repeat):
            measure.once()


# The import ------------------------------------------------------------------------------------


def write_geopackage(path, count, seed):
    """`count` hazard polygons as an IMSMA export would give them, written by GDAL."""
    import numpy as np
    import pyogrio
    import shapely

    today = datetime.date.today()
    rng = np.random.default_rng(seed + 1)
    plan = hazard_plan(rng, count, today)
    counts, lons, lats = polygon_rings(rng, plan["lon"], plan["lat"], plan["area"])
    rings = shapely.linearrings(
        np.column_stack([lons, lats]), indices=np.repeat(np.arange(count), counts)
    )
    geometries = shapely.polygons(rings)
    codes = [f"DI{plan['province'][n] + 1:02d}{plan['district'][n] + 1:02d}" for n in range(count)]
    columns = {
        "external_id": [f"GPKG-HA-{n + 1:06d}" for n in range(count)],
        "name": [f"Imported hazard area {n + 1}" for n in range(count)],
        "type": plan["type"].tolist(),
        "status": ["open"] * count,
        "admin_area_code": codes,
        "date_recorded": [datetime.date.fromordinal(int(d)).isoformat() for d in plan["recorded"]],
        "device_categories": [",".join(devices) for devices in plan["devices"]],
    }
    pyogrio.raw.write(
        str(path),
        geometry=shapely.to_wkb(geometries),
        field_data=[np.array(values, dtype=object) for values in columns.values()],
        fields=list(columns),
        geometry_type="Polygon",
        crs="EPSG:4326",
        driver="GPKG",
        layer="hazard_areas",
    )
    return path


def measure_import(workdir, count, seed):
    from mineaction.landrelease.importers import run_import

    path = workdir / "hazard_areas.gpkg"
    started = time.perf_counter()
    write_geopackage(path, count, seed)
    written = time.perf_counter() - started
    phases = {}

    def progress(processed, total, phase):
        phases.setdefault(phase, time.perf_counter())

    started = time.perf_counter()
    report = run_import("hazards", path, original_name=path.name, progress=progress)
    elapsed = time.perf_counter() - started
    return (
        report,
        elapsed,
        written,
        path.stat().st_size,
        {phase: at - started for phase, at in phases.items()},
    )


# Reporting -------------------------------------------------------------------------------------


def database_description():
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    return f"{connection.vendor} {version}, Django {django.get_version()}"


def print_header(sizes, timings, figures, repeat):
    print(f"Article 5 benchmark, {datetime.datetime.now():%Y-%m-%d %H:%M}")
    print(
        f"Machine: {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}"
    )
    print(f"Database: {database_description()}")
    print("Data: " + ", ".join(f"{value:,} {name}" for name, value in sizes.items()))
    print(
        "      built in "
        + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items())
    )
    forecast = figures["forecast"]
    print(
        f"      remaining today {figures['remaining_area_m2']:,} m², released per year "
        f"{forecast['rate_m2_per_year']:,} m² ({forecast['basis_years']}), completion "
        f"{forecast['completion_date']} (deadline {figures['deadline']['date']})"
    )
    print(f"Each row: {repeat} runs (after one warm-up), logged in as a member.\n")


def print_table(all_measures):
    ceiling = all_measures[0].median
    bound = next(measure for measure in all_measures if measure.bound).median
    columns = f"{'':38} {'median ms':>10} {'p90 ms':>8} {'queries':>8} {'x ceiling':>10}"
    print(columns + f" {'x raw SQL':>10}")
    print("-" * (len(columns) + 11))
    for measure in all_measures:
        line = (
            f"{measure.name:38} {measure.median:10.2f} {measure.p90:8.2f} "
            f"{measure.query_count:>8} {measure.median / ceiling:10.1f}"
        )
        if measure is not all_measures[0]:
            line += f" {measure.median / bound:10.2f}"
        print(line)
    print("\nx ceiling: median / median of GET /healthz through the same middleware and client.")
    print("x raw SQL: median / median of the same figures in hand-written SQL (two statements).")


def print_import(report, elapsed, written, size, phases, count):
    print(f"\nImport of {count:,} hazard polygons from a GeoPackage ({size / 1e6:.1f} MB, "
          f"written by pyogrio in {written:.1f} s):")  # fmt: skip
    print(
        f"  run_import('hazards'): {elapsed:.1f} s, {count / elapsed:,.0f} rows/s; "
        f"created {report.created:,}, updated {report.updated:,}, errors {len(report.errors)}, "
        f"warnings {len(report.warnings)}"
    )
    if phases:
        print("  phases began at: " + ", ".join(f"{p} {s:.1f} s" for p, s in phases.items()))
    for kind, issues in (("error", report.errors), ("warning", report.warnings)):
        for issue in issues[:3]:
            print(f"    {kind}: line {issue.line}, {issue.column}: {issue.message}")


def main(argv=None):
    arguments = parse_arguments(argv)
    workdir = Path(tempfile.mkdtemp(prefix="mineaction-benchmark-"))
    try:
        configure_django(workdir)
        return benchmark(arguments, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def benchmark(arguments, workdir):
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from mineaction.landrelease.models import HazardArea

    call_command("migrate", verbosity=0, interactive=False)
    if HazardArea.objects.exists():
        raise SystemExit(
            "The database already holds hazard areas. The benchmark fills an empty database "
            "only: unset DATABASE_URL (a temporary SQLite file) or use scripts/with-postgres."
        )
    today = timezone.localdate()
    viewer, provinces, sizes, timings = build_data_set(arguments, today)
    figures = check_same_answer(today)
    client = Client()
    client.force_login(viewer)
    busiest = max(
        provinces,
        key=lambda p: next(
            row["remaining_m2"]
            for row in figures["remaining_by_admin_area"]
            if row["code"] == p.code
        ),
    )
    all_measures = measures(client, today, busiest)
    run_measures(all_measures, arguments.repeat)
    print_header(sizes, timings, figures, arguments.repeat)
    print_table(all_measures)
    sys.stdout.flush()
    if arguments.import_hazards:
        results = measure_import(workdir, arguments.import_hazards, arguments.seed)
        print_import(*results, arguments.import_hazards)
    return 0


if __name__ == "__main__":
    sys.exit(main())
