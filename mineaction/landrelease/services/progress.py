"""Article 5 progress at any date: remaining contamination, land released, milestones, the
deadline and a completion forecast.

The rule every figure follows (issue 4): the remaining area of a hazard area at a date D is its
baseline area (`HazardArea.area_m2`) minus the land released from it by D (releases with
`end_date <= D`), never below zero. A hazard area closed or handed over by D (`closed_on <= D`)
counts zero, and one recorded after D did not exist yet: it counts nowhere. Land counts as
released on its release's end date.

All arithmetic on hazards and releases runs in the database, in a fixed number of queries
whatever the size of the data: one for the remaining area grouped by admin area, type and
status, one for the release grouped by year and method (with the devices destroyed), and small
ones for the milestones, the admin areas of the breakdown and the deadline. The figures are
identical on SQLite and PostgreSQL.

The two passes over every hazard area and release take about a second with a million releases
(benchmarks/article5.py), while the data changes only when someone imports or edits it. Their
results are kept in the cache under a data version that every change of hazard areas, releases
or admin areas replaces (`data_changed`): the cache is the database cache, so the new version is
written in the same transaction as the change and no process can read figures older than the
data.
"""

import contextlib
import datetime
import math
import uuid

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from mineaction.core.models import CountryProfile
from mineaction.landrelease.models import (
    DEVICE_FIELDS,
    AdminArea,
    Article5Milestone,
    DeviceCategory,
    HazardArea,
    HazardStatus,
    HazardType,
    LandRelease,
)

# The forecast's rate is the mean of the release in the last few complete years.
FORECAST_BASIS_YEARS = 3
DAYS_PER_YEAR = 365.25
ADMIN_LEVELS = (1, 2, 3, 4)
# Beyond this many admin areas holding hazard areas, read them all rather than list their ids
# in the query (databases limit the parameters of one statement).
MAX_LISTED_AREAS = 5_000


class Year(Func):
    """The year of a date column, as an integer.

    On SQLite, Django's ExtractYear calls a Python function for every row; SQLite stores dates
    as ISO text, so the year is simply their first four characters."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, template="CAST(EXTRACT(YEAR FROM %(expressions)s) AS integer)"
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, template="CAST(SUBSTR(%(expressions)s, 1, 4) AS integer)"
        )


# Per-hazard expressions ------------------------------------------------------------------------


def _closed_by(as_of):
    return ~Q(status=HazardStatus.OPEN) & Q(closed_on__lte=as_of)


def _released_by(as_of):
    """Land released from the outer hazard area by `as_of`: a correlated sum that reads only
    the index (hazard_area, end_date, area_m2)."""
    released = (
        LandRelease.objects.filter(hazard_area=OuterRef("pk"), end_date__lte=as_of)
        .order_by()
        .values("hazard_area")
        .annotate(total=Sum("area_m2"))
        .values("total")
    )
    return Coalesce(Subquery(released, output_field=BigIntegerField()), 0)


def _remaining(as_of):
    return Case(
        When(_closed_by(as_of), then=Value(0)),
        default=Greatest(F("area_m2") - _released_by(as_of), Value(0)),
        output_field=BigIntegerField(),
    )


def _status_at(as_of):
    return Case(
        When(_closed_by(as_of), then=F("status")),
        default=Value(HazardStatus.OPEN.value),
    )


def _not_indexed(field):
    """`field` wrapped so that no index is used to filter on it. Almost every hazard area and
    release is on or before the date of the figures; SQLite cannot know that and would look
    each row up through the date index, which took 40 % longer than reading the table with
    100,000 hazard areas."""
    return Coalesce(field, field)


def _in_region(admin_area):
    return AdminArea.objects.filter(path__startswith=admin_area.path).values("pk")


def hazards_at(as_of, *, admin_area=None):
    """The hazard areas that existed on `as_of` (recorded by then), in `admin_area` if given."""
    hazards = HazardArea.objects.alias(recorded=_not_indexed("date_recorded")).filter(
        recorded__lte=as_of
    )
    if admin_area is not None:
        hazards = hazards.filter(admin_area__in=_in_region(admin_area))
    return hazards


def with_remaining(hazards, as_of):
    """`hazards` annotated, in the same query, with `released_m2` (released by `as_of`),
    `status_at` (their status on `as_of`) and `remaining_m2` (0 for a hazard area recorded
    only after `as_of`): the lists, the map and the exports, hazard by hazard."""
    return hazards.annotate(
        released_m2=_released_by(as_of),
        status_at=_status_at(as_of),
        remaining_m2=Case(
            When(date_recorded__gt=as_of, then=Value(0)),
            When(_closed_by(as_of), then=Value(0)),
            default=Greatest(F("area_m2") - F("released_m2"), Value(0)),
            output_field=BigIntegerField(),
        ),
    )


def remaining_at(as_of=None, *, admin_area=None):
    """The remaining area (m²) on `as_of` (default today), nationally or in `admin_area`."""
    as_of = as_of or timezone.localdate()

    def compute():
        with without_jit():
            hazards = hazards_at(as_of, admin_area=admin_area)
            return hazards.aggregate(total=Sum(_remaining(as_of)))["total"] or 0

    return _cached("remaining", as_of, admin_area, compute)


# Cached figures --------------------------------------------------------------------------------

VERSION_KEY = "article5:data-version"
# Figures of a past date never change without a new data version; a day keeps the cache small.
CACHE_SECONDS = 24 * 60 * 60


def data_changed():
    """Drop every cached figure: call whenever hazard areas, releases or admin areas change
    (saves and deletes do it through signals; bulk writes call it themselves)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _data_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.set(VERSION_KEY, version, timeout=None)
    return version


def _cached(name, as_of, admin_area, compute):
    region = admin_area.pk if admin_area is not None else "all"
    key = f"article5:{_data_version()}:{name}:{as_of.isoformat()}:{region}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=CACHE_SECONDS)
    return value


@contextlib.contextmanager
def without_jit():
    """Run the aggregates over every hazard area and release without PostgreSQL's JIT
    compiler. Their estimated cost grows with the data, and past 500,000 PostgreSQL inlines and
    optimises the compiled code: with a million releases that took 1.9 s, for a query that
    runs in 0.4 s. SQLite has no JIT."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield


# The summary -----------------------------------------------------------------------------------


def summary(as_of=None, *, admin_area=None, level=1, capacity_change_percent=None):
    """Every Article 5 figure on `as_of` (default today), nationally or in `admin_area`.

    `level` (1-4) is the admin level of the `remaining_by_admin_area` breakdown.
    `capacity_change_percent` adds a forecast scenario in which the release capacity changes by
    that much (50: half as much again, as when the funding gap is closed; -30: a cut).
    Returns plain data: dates, whole m², labels in the active language. See `forecast` for the
    method of the completion forecast.
    """
    as_of = as_of or timezone.localdate()
    if level not in ADMIN_LEVELS:
        raise ValueError(f"level must be 1 to 4, not {level!r}")
    groups = _cached("groups", as_of, admin_area, lambda: _remaining_groups(as_of, admin_area))
    released = _cached("released", as_of, admin_area, lambda: _released_groups(as_of, admin_area))
    remaining = sum(group["remaining"] for group in groups)
    by_year = _released_by_year(released, as_of)
    deadline = _deadline(as_of)
    return {
        "as_of": as_of,
        "remaining_area_m2": remaining,
        "remaining_by_type": _remaining_by_type(groups),
        "hazards_by_status": _hazards_by_status(groups),
        "remaining_by_admin_area": _remaining_by_admin_area(groups, level, admin_area),
        "released_by_year": by_year,
        "milestones": _milestones(by_year, as_of, admin_area),
        "devices_destroyed": _devices_destroyed(released),
        "deadline": deadline,
        "forecast": forecast(
            by_year,
            as_of=as_of,
            remaining_m2=remaining,
            deadline=deadline["date"],
            capacity_change_percent=capacity_change_percent,
        ),
    }


def _remaining_groups(as_of, admin_area):
    """[{"admin_area", "hazard_type", "status_at", "count", "remaining"}]: one pass over the
    hazard areas, grouped by admin area (id), type and status on `as_of`."""
    rows = (
        hazards_at(as_of, admin_area=admin_area)
        .order_by()
        .values("admin_area", "hazard_type", status_at=_status_at(as_of))
        .annotate(count=Count("pk"), remaining=Sum(_remaining(as_of)))
    )
    with without_jit():
        return [{**row, "remaining": row["remaining"] or 0} for row in rows]


def _released_groups(as_of, admin_area):
    """[{"year", "method", "area", devices...}]: the release up to `as_of` by year and method."""
    releases = LandRelease.objects.alias(end=_not_indexed("end_date")).filter(end__lte=as_of)
    if admin_area is not None:
        releases = releases.filter(hazard_area__admin_area__in=_in_region(admin_area))
    device_sums = {field: Sum(field) for field in DEVICE_FIELDS.values()}
    with without_jit():
        return list(
            releases.order_by()
            .values("method", year=Year("end_date"))
            .annotate(area=Sum("area_m2"), **device_sums)
        )


def _remaining_by_type(groups):
    totals = dict.fromkeys(HazardType.values, 0)
    for group in groups:
        totals[group["hazard_type"]] += group["remaining"]
    return totals


def _hazards_by_status(groups):
    rows = {
        status: {"status": status, "label": str(label), "count": 0, "remaining_m2": 0}
        for status, label in HazardStatus.choices
    }
    for group in groups:
        rows[group["status_at"]]["count"] += group["count"]
        rows[group["status_at"]]["remaining_m2"] += group["remaining"]
    return list(rows.values())


def _ancestor_path(path, level):
    """The path of the area at `level` that contains the area at `path` (for "/PR01/DI0103/"
    at level 1, "/PR01/"); None when there is none."""
    codes = (path or "").strip("/").split("/") if path else []
    if len(codes) < level:
        return None
    return "/" + "/".join(codes[:level]) + "/"


def _admin_areas(groups, level, admin_area):
    """The admin areas of the groups (for their paths) and those of the breakdown: at `level`
    in the region, or the region's own ancestor when `level` is above the region's level.
    One query, however many hazard areas there are."""
    rows = AdminArea.objects.filter(level=level)
    if admin_area is not None:
        ancestor = _ancestor_path(admin_area.path, level)
        rows = rows.filter(Q(path__startswith=admin_area.path) | Q(path=ancestor))
    ids = {group["admin_area"] for group in groups} - {None}
    areas = AdminArea.objects.all()
    if len(ids) <= MAX_LISTED_AREAS:
        areas = areas.filter(Q(pk__in=ids) | Q(pk__in=rows.values("pk")))
    return areas.order_by("name", "code").values("pk", "public_id", "code", "name", "level", "path")


def _breakdown_row(area):
    return {
        "public_id": area["public_id"],
        "code": area["code"],
        "name": area["name"],
        "level": area["level"],
        "remaining_m2": 0,
        "sha_m2": 0,
        "cha_m2": 0,
        "hazard_count": 0,
    }


def _remaining_by_admin_area(groups, level, admin_area):
    """Remaining area per admin area at `level`, every area of that level listed (zeros too).
    Hazard areas without an admin area at that level (none at all, or only a coarser one) go
    in an "unassigned" row with an empty code, shown only when it holds any.
    `hazard_count` counts the hazard areas open on the date."""
    areas = list(_admin_areas(groups, level, admin_area))
    paths = {area["pk"]: area["path"] for area in areas}
    in_region = admin_area.path if admin_area is not None else "/"
    rows = {
        area["path"]: _breakdown_row(area)
        for area in areas
        if area["level"] == level
        and (area["path"].startswith(in_region) or in_region.startswith(area["path"]))
    }
    unassigned = _breakdown_row(
        {"public_id": None, "code": "", "name": _("Unassigned"), "level": level}
    )
    any_unassigned = False
    for group in groups:
        row = rows.get(_ancestor_path(paths.get(group["admin_area"]), level))
        if row is None:
            row, any_unassigned = unassigned, True
        row["remaining_m2"] += group["remaining"]
        row[f"{group['hazard_type'].lower()}_m2"] += group["remaining"]
        if group["status_at"] == HazardStatus.OPEN:
            row["hazard_count"] += group["count"]
    return [*rows.values(), unassigned] if any_unassigned else list(rows.values())


def _released_by_year(released, as_of):
    """Release per year by method, every year from the first release to `as_of`'s year."""
    if not released:
        return []
    first = min(group["year"] for group in released)
    years = {
        year: {"year": year, "cancelled_m2": 0, "reduced_m2": 0, "cleared_m2": 0, "total_m2": 0}
        for year in range(first, as_of.year + 1)
    }
    for group in released:
        row = years[group["year"]]
        row[f"{group['method']}_m2"] += group["area"]
        row["total_m2"] += group["area"]
    return list(years.values())


def _year_finished(year, as_of):
    return as_of >= datetime.date(year, 12, 31)


def _milestones(by_year, as_of, admin_area):
    """The milestones (national, or the region's) with the land released in their year by
    `as_of`; `met` is None until the year is over."""
    actual = {row["year"]: row["total_m2"] for row in by_year}
    milestones = Article5Milestone.objects.filter(admin_area=admin_area).order_by("year")
    rows = []
    for year, planned in milestones.values_list("year", "planned_area_m2"):
        released = actual.get(year, 0) if year <= as_of.year else 0
        rows.append(
            {
                "year": year,
                "planned_m2": planned,
                "actual_m2": released,
                "met": released >= planned if _year_finished(year, as_of) else None,
            }
        )
    return rows


def _devices_destroyed(released):
    labels = dict(DeviceCategory.choices)
    return [
        {
            "category": category,
            "label": str(labels[category]),
            "count": sum(group[field] or 0 for group in released),
        }
        for category, field in DEVICE_FIELDS.items()
    ]


def _deadline(as_of):
    profile = CountryProfile.load()
    if profile is None:
        return {"date": None, "days_left": None, "extension_count": None}
    status = profile.article5_status(as_of)
    return {
        "date": status["deadline"],
        "days_left": status["days_left"],
        "extension_count": status["extension_count"],
    }


# The forecast ----------------------------------------------------------------------------------


def forecast(by_year, *, as_of, remaining_m2, deadline=None, capacity_change_percent=None):
    """When the remaining area will be released at the observed rate.

    The method, plainly:
    - The observed rate is the mean land released per year (all methods) in the last three
      complete calendar years before `as_of` (a year is complete when `as_of` is on or after its
      31 December). Only years from the first year with any release count, so with a shorter
      history the rate is the mean of fewer years. When not even one year is complete, the
      current year's release so far is scaled to a whole year (pro rata of the days elapsed).
    - The uncertainty range takes the lowest and the highest of those annual figures as rates.
    - Completion = `as_of` + remaining / rate years (365.25 days each): the earliest date
      with the highest rate, the latest with the lowest.
    - `meets_deadline` says whether the completion date is on or before the deadline.
    - The scenario multiplies the rate by (1 + capacity_change_percent / 100).
    - With no release in those years (a rate of zero) there is no date, even when nothing
      remains; otherwise, with nothing remaining, the date is `as_of` itself. A date beyond
      the calendar (after the year 9999) is None too.
    """
    annual, basis_years = _annual_rates(by_year, as_of)
    rate = sum(annual) / len(annual) if annual else 0
    low, high = (min(annual), max(annual)) if annual else (0, 0)
    completion = _completion(as_of, remaining_m2, rate)
    result = {
        "rate_m2_per_year": round(rate),
        "rate_low_m2_per_year": round(low),
        "rate_high_m2_per_year": round(high),
        "basis_years": basis_years,
        "completion_date": completion,
        "completion_earliest": _completion(as_of, remaining_m2, high),
        "completion_latest": _completion(as_of, remaining_m2, low),
        "meets_deadline": _meets(completion, deadline),
        "scenario": None,
    }
    if capacity_change_percent is not None:
        scenario_rate = max(rate * (1 + float(capacity_change_percent) / 100), 0)
        scenario_completion = _completion(as_of, remaining_m2, scenario_rate)
        result["scenario"] = {
            "capacity_change_percent": capacity_change_percent,
            "rate_m2_per_year": round(scenario_rate),
            "completion_date": scenario_completion,
            "meets_deadline": _meets(scenario_completion, deadline),
        }
    return result


def _annual_rates(by_year, as_of):
    """([m² per year], [years]) the observed rate is the mean of."""
    released = {row["year"]: row["total_m2"] for row in by_year}
    if not released:
        return [], []
    first = min(released)
    last_complete = as_of.year if _year_finished(as_of.year, as_of) else as_of.year - 1
    years = [
        year
        for year in range(last_complete - FORECAST_BASIS_YEARS + 1, last_complete + 1)
        if year >= first
    ]
    if years:
        return [released.get(year, 0) for year in years], years
    elapsed = (as_of - datetime.date(as_of.year, 1, 1)).days + 1
    days_in_year = (datetime.date(as_of.year + 1, 1, 1) - datetime.date(as_of.year, 1, 1)).days
    return [released.get(as_of.year, 0) * days_in_year / elapsed], [as_of.year]


def _completion(as_of, remaining_m2, rate):
    if remaining_m2 <= 0 and rate > 0:
        return as_of
    if rate <= 0:
        return None
    days = remaining_m2 / rate * DAYS_PER_YEAR
    if not math.isfinite(days) or days > (datetime.date.max - as_of).days:
        return None
    return as_of + datetime.timedelta(days=round(days))


def _meets(completion, deadline):
    if completion is None or deadline is None:
        return None
    return completion <= deadline
