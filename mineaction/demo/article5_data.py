"""The demo's Article 5 data as plain values: provinces and districts, hazard areas, ten years of
land release and the milestones of the work plan, computed before anything touches the database.

`article5_plan(today)` is a pure function: every random choice comes from `random.Random(SEED)`
in a fixed order, so the same day gives the same plan. The story it tells:

- Demoland (fictional, drawn in the South Atlantic where there is no land, so that nobody takes
  it for a real country) has six provinces and 31 districts tiling about 60,000 km².
- About 2,000 hazard areas lie in four contaminated belts: the former front line (anti-personnel
  and anti-vehicle mines, UXO), the minefields along the southern border, the cluster strikes
  around the old air base in the west, and improvised mines around four towns in the south-east,
  plus battle area scattered everywhere. The national baseline survey recorded most of them
  10-12 years ago; a resurvey 3-4 years ago found a wave of new suspected areas.
- Operators release land month by month: non-technical survey cancels most of the suspected
  area, technical survey reduces much of the confirmed area, clearance releases the rest (the
  smallest area, but where the devices are found). A hazard fully released is closed or handed
  over on the day of its last release.
- The deadline in force (the latest extension in `data.DEADLINE_EXTENSIONS`) is at risk: the
  area still to release, at the release rate of the last three years, would take about 30 % longer
  than the time left, while half as much capacity again would meet it. The remaining area is
  sized from the time left on the day of loading, so the story holds whatever the day (until the
  deadline has passed).
- The milestones are the annual plan of the last extension request (met in the first years,
  missed since the resurvey added work) and, for this year and the years up to the deadline, a
  revised plan per province that asks for more than the observed rate.

Release dates are placed relative to `today`, like the meeting cycle; the milestone years are
calendar years fixed by the extension request.
"""

import datetime
import functools
import math
import random
from collections import defaultdict

import shapely
from shapely.geometry import Point

from mineaction.demo import article5_shapes as shapes
from mineaction.demo import data
from mineaction.landrelease import geometry
from mineaction.landrelease.models import DEVICE_FIELDS, HazardArea, HazardStatus, ReleaseMethod

SEED = data.SEED + 5
HAZARDS = 2000  # at scale 1
COUNTRY_CENTRE = (-18.0, -12.0)  # open sea, 700 km from Ascension and Saint Helena
COUNTRY_AREA_KM2 = 60_000
# The remaining area is this many times what the last three years' rate releases before the
# deadline: the forecast falls after the deadline, a capacity 50 % higher meets it.
AT_RISK_RATIO = 1.3
MIN_YEARS_LEFT = 0.5  # below this (or past the deadline) the sizing uses half a year

# (code, name, districts); codes and names are invented.
PROVINCES = [
    ("DL-01", "Arvelle", ["Arvelle-Ville", "Montclar", "Vaudrey", "Saint-Ebrin", "Les Orsières"]),
    ("DL-02", "Kessane", ["Kessane Centre", "Aïn Tafra", "Djebel Sarouk", "Oulad Benni",
                          "Tiznane"]),
    ("DL-03", "Ouarzel", ["Ouarzel", "Bir Hamra", "El Kantir", "Zaouïa Nour", "Tal Issa",
                          "Hassi Merad"]),
    ("DL-04", "Tamerdane", ["Tamerdane", "Ighil Ouzrou", "Tizi Malek", "Aït Semlal",
                            "Tala Nfous"]),
    ("DL-05", "Sidi Moraz", ["Sidi Moraz", "Kef Lahmar", "Ras Ennakhla", "Bou Derra",
                             "Oued Zitoun"]),
    ("DL-06", "Haute-Calvène", ["Calvène", "Pont-Sérac", "Lavergne-sur-Oule", "Roc-Ferrand",
                                "Val-Sorède"]),
]  # fmt: skip

# When hazards were recorded: (share, from, to) in years before the day of loading.
RECORDING_ERAS = {
    "baseline": (0.40, 12.0, 10.5),  # the national baseline survey
    "steady": (0.28, 10.5, 4.5),  # reports from communities and operators
    "resurvey": (0.24, 4.0, 3.0),  # the national resurvey: a wave of suspected areas
    "recent": (0.08, 3.0, 0.08),
}
SHA_SHARE = {"baseline": 0.25, "steady": 0.20, "resurvey": 0.80, "recent": 0.35}

# Contaminated belts: share of the hazards, share of strips (the rest are rounded patches),
# strip width in metres, device categories with the chance each is present, and the words
# that name its hazards.
BELTS = {
    "front": {
        "share": 0.38,
        "strips": 0.30,
        "width": (15, 60),
        "devices": {"ap_mine": 0.85, "av_mine": 0.45, "uxo": 0.5, "booby_trap": 0.05},
        "features": ["defensive position", "trench line", "hill position", "bridge approach",
                     "checkpoint", "minefield"],
    },
    "border": {
        "share": 0.22,
        "strips": 0.65,
        "width": (25, 120),
        "devices": {"ap_mine": 0.95, "av_mine": 0.4},
        "features": ["border minefield", "patrol track", "border post", "barrier minefield"],
    },
    "cluster": {
        "share": 0.15,
        "strips": 0.0,
        "width": (20, 40),
        "devices": {"cmr": 0.95, "uxo": 0.6},
        "features": ["cluster strike", "airfield perimeter", "strike area", "depot area"],
    },
    "improvised": {
        "share": 0.15,
        "strips": 0.4,
        "width": (10, 30),
        "devices": {"improvised_mine": 0.9, "uxo": 0.3, "ap_mine": 0.1},
        "features": ["village outskirts", "well", "orchard", "farm track", "roadside"],
    },
    "scattered": {
        "share": 0.10,
        "strips": 0.0,
        "width": (20, 40),
        "devices": {"uxo": 0.9, "axo": 0.25, "other_erw": 0.2},
        "features": ["battle area", "firing range", "ammunition site", "spot task"],
    },
}  # fmt: skip
POINT_ONLY_SHARE = 0.10  # of the scattered hazards: recorded as a point and an area
HOLE_SHARE = 0.02  # of the rounded patches: a village or a farm left out
MAX_STRIP_LENGTH_M = 8_000
# Hazard sizes: log-normal, median 20,000 m², kept between 500 and 500,000 m².
AREA_MEDIAN_M2 = 20_000
AREA_SIGMA = 1.05
AREA_RANGE_M2 = (500, 500_000)
AREA_MISMATCH_SHARE = 0.008  # recorded area more than 10 % off the geometry's
RECORDED_AREA_SHARE = 0.55  # recorded area within 3 % of the geometry's

# Devices found per 10,000 m² cleared (the median over hazards; each hazard varies).
DEVICE_DENSITY = {
    "ap_mine": 3.0,
    "av_mine": 0.25,
    "improvised_mine": 1.2,
    "cmr": 4.0,
    "uxo": 0.8,
    "axo": 0.3,
    "booby_trap": 0.2,
    "other_erw": 0.3,
}
TECHNICAL_SURVEY_FINDS = 0.05  # technical survey finds a twentieth of what clearance finds

# The release rate: the share of today's rate in each past year (0 = this year).
RATE_BY_YEARS_AGO = [1.0, 0.99, 1.04, 0.97, 0.86, 0.74, 0.66, 0.70, 0.62, 0.56, 0.50]
PANDEMIC_YEAR = 2020  # field work stopped for months
PANDEMIC_RATE = 0.8
# m² one hazard's teams release in a month, by method (for a hazard of up to 150,000 m²).
MONTHLY_LIMIT = {
    ReleaseMethod.CANCELLED: 250_000,
    ReleaseMethod.REDUCED: 25_000,
    ReleaseMethod.CLEARED: 4_000,
}
# One release record covers this much (a completion report per task), by method.
RECORD_SIZE = {
    ReleaseMethod.CANCELLED: (20_000, 60_000),
    ReleaseMethod.REDUCED: (5_000, 12_000),
    ReleaseMethod.CLEARED: (1_800, 4_000),
}
DAYS_ON_SITE = {
    ReleaseMethod.CANCELLED: (1, 5),
    ReleaseMethod.REDUCED: (3, 15),
    ReleaseMethod.CLEARED: (5, 25),
}
OVER_RELEASE_SHARE = (
    0.01  # cleared or reduced released hazards whose release ran a few per cent over
)
# ...but never more than this share of all hazards, whatever the day's draw.
OVER_RELEASE_MAX_SHARE = 0.005
HANDED_OVER_SHARE = 0.5  # of the cleared hazards fully released; the others are closed

# Who released land where: (acronym, provinces, weight, active from / until, in years ago).
OPERATORS = [
    ("FSI", ["DL-01", "DL-02", "DL-03"], 5, 10, None),
    ("CGH", ["DL-03", "DL-04"], 4, 10, None),
    ("MFF", ["DL-05", "DL-06"], 3, 10, None),
    ("HRI", ["DL-02", "DL-05"], 3, 10, None),
    ("SSA", ["DL-04", "DL-06"], 3, 8, None),
    ("NADG", ["DL-01", "DL-06"], 3, 10, None),
    ("LRT", ["DL-03", "DL-05"], 2, 10, 5),
    ("DDA", ["DL-01", "DL-02", "DL-03", "DL-04", "DL-05", "DL-06"], 4, 10, None),
    ("RDCS", ["DL-04", "DL-05"], 2, 7, None),
    ("EPHA", ["DL-02", "DL-06"], 1, 5, None),
    ("SCS", ["DL-01", "DL-03"], 2, 4, None),
    ("TSD", ["DL-04", "DL-06"], 2, 6, None),
    ("DEOS", ["DL-02", "DL-05"], 1, 3, None),
    ("MoD", ["DL-01", "DL-02", "DL-03", "DL-04", "DL-05", "DL-06"], 2, 10, None),
]
MAX_OPERATOR_YEARS = 10
SURVEY_AUTHORITY = "DMAC"  # ran the baseline survey and the resurvey
MILITARY_RECORDS = "MoD"  # handed over the army's minefield records


@functools.lru_cache(maxsize=2)
def article5_plan(today, *, scale=1.0):
    """The provinces, districts, hazards, releases and milestones, as plain dicts.

    Kept for the next call with the same day (a pure function; its callers only read it), so
    loading the demo again in the same process does not draw it again.
    """
    rng = random.Random(SEED)
    organisations = {row[1] or row[0]: row[0] for row in data.ORGANISATIONS}
    outline, provinces, districts = _admin_areas(rng)
    hazards = _hazards(rng, today, outline, districts, round(HAZARDS * scale), organisations)
    deadline = deadline_in_force()
    releases = _releases(rng, today, hazards, deadline, organisations)
    _close_released(rng, hazards, releases)
    _name_and_number(hazards, releases, districts)
    return {
        "outline": outline,
        "admin_areas": provinces + districts,
        "hazards": hazards,
        "releases": releases,
        "milestones": _milestones(today, deadline, hazards, releases, provinces),
        "deadline": deadline,
    }


def deadline_in_force():
    """The deadline the demo's country profile reports: the latest extension's, else the
    original (the rule of `CountryProfile.article5_status`)."""
    extensions = sorted(data.DEADLINE_EXTENSIONS, key=lambda extension: extension["decided_on"])
    if extensions:
        return extensions[-1]["new_deadline"]
    return data.COUNTRY["original_article5_deadline"]


# Provinces and districts ------------------------------------------------------------------


def _admin_areas(rng):
    outline = shapes.country_outline(rng, centre=COUNTRY_CENTRE, area_km2=COUNTRY_AREA_KM2)
    cells = shapes.tile(rng, outline, len(PROVINCES))
    cells.sort(key=_north_west_first)
    provinces, districts = [], []
    for (code, name, district_names), cell in zip(PROVINCES, cells, strict=True):
        provinces.append({"code": code, "name": name, "level": 1, "parent": None, "shape": cell})
        parts = shapes.tile(rng, cell, len(district_names))
        parts.sort(key=_north_west_first)
        for number, (district_name, part) in enumerate(
            zip(district_names, parts, strict=True), start=1
        ):
            districts.append(
                {
                    "code": f"{code}-{number:02d}",
                    "name": district_name,
                    "level": 2,
                    "parent": code,
                    "shape": part,
                }
            )
    return outline, provinces, districts


def _north_west_first(shape):
    point = shape.representative_point()
    return (-round(point.y, 1), point.x)


# Hazard areas -----------------------------------------------------------------------------


def _hazards(rng, today, outline, districts, count, organisations):
    belts = _Belts(rng, outline)
    index = _Grid()
    for district in districts:
        shapely.prepare(district["shape"])
    eras = list(RECORDING_ERAS)
    era_weights = [RECORDING_ERAS[era][0] for era in eras]
    belt_names = list(BELTS)
    belt_weights = [BELTS[belt]["share"] for belt in belt_names]
    hazards = []
    for _number in range(count):
        era = rng.choices(eras, era_weights)[0]
        _share, oldest, newest = RECORDING_ERAS[era]
        recorded_on = today - datetime.timedelta(days=round(rng.uniform(newest, oldest) * 365.25))
        belt = rng.choices(belt_names, belt_weights)[0]
        hazard_type = "SHA" if rng.random() < SHA_SHARE[era] else "CHA"
        shape, district = _placed_shape(rng, belts, belt, districts, index)
        devices = [code for code, chance in BELTS[belt]["devices"].items() if rng.random() < chance]
        devices = devices or [max(BELTS[belt]["devices"], key=BELTS[belt]["devices"].get)]
        hazards.append(
            {
                "belt": belt,
                "era": era,
                "hazard_type": hazard_type,
                "date_recorded": recorded_on,
                "admin_area": district["code"],
                "province": district["parent"],
                "shape": shape,
                "devices": devices,
                "device_categories": HazardArea.join_devices(devices),
                "source": organisations[_source(rng, era, district["parent"], recorded_on, today)],
            }
        )
    _record_areas(rng, hazards)
    return hazards


def _placed_shape(rng, belts, belt, districts, index):
    """A shape of the belt inside one district, overlapping no other hazard."""
    spec = BELTS[belt]
    point_only = belt == "scattered" and rng.random() < POINT_ONLY_SHARE
    while True:
        area = _hazard_area(rng)
        is_strip = rng.random() < spec["strips"]
        for _attempt in range(40):
            lon, lat, heading = belts.position(belt)
            if point_only:
                shape = shapes.snap(Point(lon, lat))
            elif is_strip:
                width = rng.uniform(*spec["width"])
                width = max(width, area / MAX_STRIP_LENGTH_M)
                length = area / width
                vertices = 2 * min(20, max(5, round(length / 400) + rng.randint(3, 8)))
                shape = shapes.strip(
                    rng, lon, lat, area, vertices=vertices, width_m=width, heading=heading
                )
            else:
                vertices = round(10 + 7 * math.log10(area / 500)) + rng.randint(-3, 6)
                shape = shapes.blob(
                    rng,
                    lon,
                    lat,
                    area,
                    vertices=min(40, max(10, vertices)),
                    hole=rng.random() < HOLE_SHARE,
                )
            if shape is None:
                continue
            district = _district_containing(shape, districts)
            if district is None or index.overlaps(shape):
                continue
            index.add(shape)
            return shape, district


def _hazard_area(rng):
    while True:
        area = AREA_MEDIAN_M2 * math.exp(rng.gauss(0, AREA_SIGMA))
        if AREA_RANGE_M2[0] <= area <= AREA_RANGE_M2[1]:
            return area


def _district_containing(shape, districts):
    point = shape.representative_point() if shape.geom_type != "Point" else shape
    for district in districts:
        if district["shape"].contains(point):
            return district if district["shape"].contains(shape) else None
    return None


def _source(rng, era, province, recorded_on, today):
    """Who recorded the hazard: the survey authority or the army for the baseline, the
    authority's resurvey teams or the operators in the province later."""
    if era == "baseline":
        return SURVEY_AUTHORITY if rng.random() < 0.7 else MILITARY_RECORDS
    if rng.random() < (0.4 if era == "resurvey" else 0.3):
        return SURVEY_AUTHORITY
    years_ago = (today - recorded_on).days / 365.25
    return _operator(rng, province, years_ago)


def _record_areas(rng, hazards):
    """The recorded area: for most hazards the surveyed figure (within 3 % of the geometry's),
    for a handful a figure more than 10 % off (recorded before the polygon was redrawn), for the
    points the only area there is; the rest have only their geometry."""
    for hazard in hazards:
        shape = hazard["shape"]
        if shape.geom_type == "Point":
            geometric = None
            recorded = round(_hazard_area(rng), -2)
        else:
            geometric = geometry.geodesic_area_m2(shape)
            roll = rng.random()
            if roll < AREA_MISMATCH_SHARE:
                recorded = round(geometric * (1 + rng.choice([-1, 1]) * rng.uniform(0.12, 0.4)), -1)
            elif roll < AREA_MISMATCH_SHARE + RECORDED_AREA_SHARE:
                recorded = round(geometric * (1 + rng.uniform(-0.03, 0.03)), -1)
            else:
                recorded = None
        hazard["geometry_area_m2"] = geometric
        hazard["recorded_area_m2"] = None if recorded is None else int(recorded)
        hazard["area_m2"] = geometry.baseline_area(hazard["recorded_area_m2"], geometric)


class _Belts:
    """Where each belt's hazards lie, in the outline's frame."""

    def __init__(self, rng, outline):
        self.rng = rng
        self.outline = outline
        min_lon, min_lat, max_lon, max_lat = outline.bounds

        def at(fx, fy):
            return (min_lon + fx * (max_lon - min_lon), min_lat + fy * (max_lat - min_lat))

        self.front = shapes.wavy_line(rng, at(0.1, 0.74), at(0.92, 0.3), points=14, wiggle=0.12)
        ring = outline.exterior
        self.border = (ring, 0.05 * ring.length, 0.3 * ring.length)
        self.centre = outline.centroid
        self.strikes = [at(0.3, 0.45), at(0.38, 0.36), at(0.24, 0.3), at(0.44, 0.56),
                        at(0.33, 0.6), at(0.2, 0.46)]  # fmt: skip
        self.towns = [at(0.55, 0.16), at(0.7, 0.22), at(0.62, 0.34), at(0.8, 0.44)]

    def position(self, belt):
        """(lon, lat, heading in radians from east) of a new hazard of the belt."""
        rng = self.rng
        if belt == "front":
            distance = rng.uniform(0, self.front.length)
            lon, lat, heading = _along(self.front, distance)
            spread = 4_000 if rng.random() < 0.8 else 12_000
            side = rng.gauss(0, spread)
            lon, lat = shapes.offset(lon, lat, -math.sin(heading) * side, math.cos(heading) * side)
            return lon, lat, heading + rng.gauss(0, 0.2)
        if belt == "border":
            ring, start, end = self.border
            lon, lat, heading = _along(ring, rng.uniform(start, end))
            inward = rng.uniform(400, 6_000)
            to_centre = math.atan2(self.centre.y - lat, self.centre.x - lon)
            lon, lat = shapes.offset(
                lon, lat, math.cos(to_centre) * inward, math.sin(to_centre) * inward
            )
            return lon, lat, heading + rng.gauss(0, 0.1)
        if belt in {"cluster", "improvised"}:
            centres, spread = (self.strikes, 3_000) if belt == "cluster" else (self.towns, 5_000)
            lon, lat = rng.choice(centres)
            lon, lat = shapes.offset(lon, lat, rng.gauss(0, spread), rng.gauss(0, spread))
            return lon, lat, rng.uniform(0, math.pi)
        min_lon, min_lat, max_lon, max_lat = self.outline.bounds
        return rng.uniform(min_lon, max_lon), rng.uniform(min_lat, max_lat), rng.uniform(0, 3)


def _along(line, distance):
    point = line.interpolate(distance)
    ahead = line.interpolate(min(line.length, distance + 0.01))
    behind = line.interpolate(max(0.0, distance - 0.01))
    heading = math.atan2(ahead.y - behind.y, ahead.x - behind.x)
    return point.x, point.y, heading


class _Grid:
    """Which hazards lie near a place, for the no-overlap rule (cells of 0.02 degrees)."""

    CELL = 0.02

    def __init__(self):
        self.cells = defaultdict(list)

    def _keys(self, shape):
        min_lon, min_lat, max_lon, max_lat = shape.bounds
        for x in range(math.floor(min_lon / self.CELL), math.floor(max_lon / self.CELL) + 1):
            for y in range(math.floor(min_lat / self.CELL), math.floor(max_lat / self.CELL) + 1):
                yield (x, y)

    def overlaps(self, shape):
        return any(
            other.intersects(shape) for key in self._keys(shape) for other in self.cells[key]
        )

    def add(self, shape):
        for key in self._keys(shape):
            self.cells[key].append(shape)


# Land release -----------------------------------------------------------------------------


def _releases(rng, today, hazards, deadline, organisations):
    """Month by month, the operators release land from the hazards recorded before the month,
    in order of priority, until the month's capacity is spent."""
    months = _months(today)
    years_left = max(MIN_YEARS_LEFT, (deadline - today).days / 365.25)
    baseline = sum(hazard["area_m2"] for hazard in hazards)
    full_years = sum(_rate_share(start.year, today) * fraction for start, _end, fraction in months)
    rate = baseline / (full_years / 12 + AT_RISK_RATIO * years_left)
    for hazard in hazards:
        _prepare_work(rng, hazard, today)
    queue = sorted(hazards, key=lambda hazard: hazard["priority"])
    releases = []
    carried = 0.0
    for start, end, fraction in months:
        capacity = rate / 12 * _rate_share(start.year, today) * fraction + carried
        for hazard in queue:
            if capacity < 1:
                break
            if hazard["date_recorded"] >= start or not hazard["work"]:
                continue
            capacity -= _work_month(rng, hazard, start, end, capacity, releases, today)
        queue = [hazard for hazard in queue if hazard["work"]]
        carried = max(0.0, capacity)
    for release in releases:
        release["operator"] = organisations[release["operator"]]
    return releases


def _months(today):
    """(first day, last day, share of the month) from ten years ago to yesterday."""
    yesterday = today - datetime.timedelta(days=1)
    start = datetime.date(today.year - 10, today.month, 1)
    months = []
    while start <= yesterday:
        following = datetime.date(start.year + start.month // 12, start.month % 12 + 1, 1)
        end = min(following - datetime.timedelta(days=1), yesterday)
        months.append((start, end, ((end - start).days + 1) / (following - start).days))
        start = following
    return months


def _rate_share(year, today):
    years_ago = min(today.year - year, len(RATE_BY_YEARS_AGO) - 1)
    share = RATE_BY_YEARS_AGO[years_ago]
    return share * PANDEMIC_RATE if year == PANDEMIC_YEAR else share


def _prepare_work(rng, hazard, today):
    """The hazard's queue position and what each method will release from it, in order."""
    area = hazard["area_m2"]
    if hazard["hazard_type"] == "SHA":
        cancelled = round(area * rng.uniform(0.8, 1.0))
        reduced = area - cancelled
        cleared = 0
    elif area < 2_000:
        cancelled, reduced, cleared = 0, 0, area  # small confirmed areas are simply cleared
    else:
        cancelled = round(area * rng.uniform(0.1, 0.45))
        reduced = round(area * rng.uniform(0.2, 0.5))
        cleared = area - cancelled - reduced
        if cleared < area * 0.1:
            reduced -= round(area * 0.1) - cleared
            cleared = area - cancelled - reduced
    hazard["work"] = [
        [method, amount]
        for method, amount in (
            (ReleaseMethod.CANCELLED, cancelled),
            (ReleaseMethod.REDUCED, reduced),
            (ReleaseMethod.CLEARED, cleared),
        )
        if amount > 0
    ]
    teams = 1 + area // 150_000
    hazard["limits"] = {
        method: limit * teams * rng.uniform(0.6, 1.4) for method, limit in MONTHLY_LIMIT.items()
    }
    hazard["density"] = {
        code: DEVICE_DENSITY[code] * math.exp(rng.gauss(0, 0.8)) for code in hazard["devices"]
    }
    # Priority: when it was recorded plus a wait that depends on access and urgency; remote
    # border minefields and the resurvey's suspected areas wait longest.
    wait_years = rng.expovariate(1 / 2.5)
    if hazard["belt"] == "border":
        wait_years += 1.5
    if hazard["era"] == "resurvey":
        wait_years += 1.0
    hazard["priority"] = hazard["date_recorded"].toordinal() + wait_years * 365.25
    hazard["operator"] = None
    hazard["released_m2"] = 0


def _work_month(rng, hazard, start, end, capacity, releases, today):
    """Release what the hazard's teams can in the month; returns the m² released."""
    years_ago = (today - start).days / 365.25
    if hazard["operator"] is None or not _active(
        hazard["operator"], min(years_ago, MAX_OPERATOR_YEARS)
    ):
        hazard["operator"] = _operator(rng, hazard["province"], years_ago)
    done = 0
    while hazard["work"] and capacity - done >= 1:
        method, left = hazard["work"][0]
        amount = min(left, round(hazard["limits"][method]), round(capacity - done))
        if amount <= 0:
            break
        releases.extend(_records(rng, hazard, method, amount, start, end))
        done += amount
        hazard["released_m2"] += amount
        if amount < left:
            hazard["work"][0][1] = left - amount
            break
        hazard["work"].pop(0)
    return done


def _records(rng, hazard, method, amount, start, end):
    """The completion reports of one month's work by one method, dated through the month."""
    low, high = RECORD_SIZE[method]
    count = max(1, round(amount / rng.uniform(low, high)))
    sizes = [amount // count] * count
    sizes[-1] += amount - sum(sizes)
    span = (end - start).days
    records = []
    for number, size in enumerate(sizes, start=1):
        end_date = start + datetime.timedelta(
            days=max(0, round(span * number / count) - rng.randint(0, 2))
        )
        first, last = DAYS_ON_SITE[method]
        start_date = max(
            end_date - datetime.timedelta(days=rng.randint(first, last)),
            hazard["date_recorded"] + datetime.timedelta(days=1),
        )
        records.append(
            {
                "hazard": hazard,
                "operator": hazard["operator"],
                "method": method,
                "area_m2": size,
                "start_date": min(start_date, end_date),
                "end_date": end_date,
                "devices": _devices(rng, hazard, method, size),
            }
        )
    return records


def _devices(rng, hazard, method, area):
    """Devices destroyed: none on cancelled land, a few in technical survey, most in
    clearance; suspected areas turned out to hold none."""
    if method == ReleaseMethod.CANCELLED or hazard["hazard_type"] == "SHA":
        return {}
    factor = 1.0 if method == ReleaseMethod.CLEARED else TECHNICAL_SURVEY_FINDS
    found = {}
    for code, density in hazard["density"].items():
        count = _poisson(rng, area / 10_000 * density * factor)
        if count:
            found[DEVICE_FIELDS[code]] = count
    return found


def _poisson(rng, mean):
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, product, count = math.exp(-mean), rng.random(), 0
    while product > limit:
        product *= rng.random()
        count += 1
    return count


def _operator(rng, province, years_ago):
    years_ago = min(years_ago, MAX_OPERATOR_YEARS)  # records older than the programme's start
    active = [
        (acronym, weight)
        for acronym, provinces, weight, _since, _until in OPERATORS
        if province in provinces and _active(acronym, years_ago)
    ]
    return rng.choices([acronym for acronym, _w in active], [w for _a, w in active])[0]


def _active(acronym, years_ago):
    for name, _provinces, _weight, since, until in OPERATORS:
        if name == acronym:
            return since >= years_ago and (until is None or years_ago >= until)
    return False


def _close_released(rng, hazards, releases):
    """Fully released hazards are closed (or handed over, once cleared) on the day of their
    last release; a few ran a little over their recorded area, as happens in the field."""
    over_release_budget = int(len(hazards) * OVER_RELEASE_MAX_SHARE)
    last = {}
    for release in releases:
        key = id(release["hazard"])
        if key not in last or release["end_date"] >= last[key]["end_date"]:
            last[key] = release
    for hazard in hazards:
        hazard.pop("limits", None)
        hazard.pop("density", None)
        if hazard.pop("work"):
            hazard["status"], hazard["closed_on"] = HazardStatus.OPEN, None
            continue
        final = last[id(hazard)]
        cleared = final["method"] == ReleaseMethod.CLEARED
        handed_over = cleared and rng.random() < HANDED_OVER_SHARE
        hazard["status"] = HazardStatus.HANDED_OVER if handed_over else HazardStatus.CLOSED
        hazard["closed_on"] = final["end_date"]
        over = rng.random() < OVER_RELEASE_SHARE and final["method"] != ReleaseMethod.CANCELLED
        if over and over_release_budget > 0:
            over_release_budget -= 1
            final["area_m2"] += round(hazard["area_m2"] * rng.uniform(0.02, 0.08))


def _name_and_number(hazards, releases, districts):
    """External ids in the order of recording (as the national database numbers them) and
    names from the district and the kind of place."""
    district_names = {district["code"]: district["name"] for district in districts}
    hazards.sort(key=lambda hazard: (hazard["date_recorded"], hazard["priority"]))
    counters = defaultdict(int)
    for number, hazard in enumerate(hazards, start=1):
        hazard["external_id"] = f"DL-HA-{number:05d}"
        features = BELTS[hazard["belt"]]["features"]
        feature = features[number % len(features)]
        counters[(hazard["admin_area"], feature)] += 1
        count = counters[(hazard["admin_area"], feature)]
        hazard["name"] = f"{district_names[hazard['admin_area']]}, {feature} {count}"
        del hazard["priority"], hazard["operator"]
    releases.sort(key=lambda release: (release["end_date"], release["hazard"]["external_id"]))
    for number, release in enumerate(releases, start=1):
        release["external_id"] = f"DL-LR-{number:06d}"
        release["hazard_external_id"] = release.pop("hazard")["external_id"]


# Milestones -------------------------------------------------------------------------------


def _milestones(today, deadline, hazards, releases, provinces):
    """The national plan of the last extension request for each year up to the deadline, and
    a revised plan per province for this year and the years left."""
    released = defaultdict(int)
    for release in releases:
        released[release["end_date"].year] += release["area_m2"]
    last_full_years = [today.year - 3, today.year - 2, today.year - 1]
    rate = sum(released[year] for year in last_full_years) / 3
    remaining_by_province = defaultdict(int)
    for hazard in hazards:
        if hazard["status"] == HazardStatus.OPEN:
            remaining_by_province[hazard["province"]] += hazard["area_m2"] - hazard["released_m2"]
    remaining = sum(remaining_by_province.values())
    extensions = sorted(data.DEADLINE_EXTENSIONS, key=lambda extension: extension["decided_on"])
    granted = extensions[-1]["decided_on"].year if extensions else today.year - 1
    request = f"Annual milestone of the extension request granted in {granted}"
    revision = f"Revised work plan, {today.year} update of the extension request"
    milestones = []
    first_year = max(granted + 1, today.year - 9)
    for year in range(first_year, today.year):
        years_in = year - granted
        if year == PANDEMIC_YEAR:
            factor = 1.45
        elif years_in <= 4:
            factor = 0.9 + 0.02 * years_in  # met while the known contamination shrank
        else:
            factor = 1.04 + 0.06 * (years_in - 4)  # missed since the resurvey added work
        planned = released[year] * factor
        planned = math.floor(planned / 10_000) if factor < 1 else math.ceil(planned / 10_000)
        milestones.append(
            {"year": year, "admin_area": None, "planned_area_m2": planned * 10_000, "note": request}
        )
    # This year: a push the rate does not reach; then what is left, by month, to the deadline.
    months_left = {
        today.year + 1 + offset: 12 for offset in range(max(0, deadline.year - today.year - 1))
    }
    if deadline.year > today.year:
        months_left[deadline.year] = deadline.month - 1 + (deadline.day > 1)
    months_left = {year: months for year, months in months_left.items() if months}
    rest_of_year = (datetime.date(today.year, 12, 31) - today).days / 365.25
    left_after_this_year = max(0.0, remaining - rate * rest_of_year)
    plan = {today.year: rate * 1.3}
    total_months = sum(months_left.values())
    for year, months in months_left.items():
        plan[year] = left_after_this_year * months / total_months
    for year, national in plan.items():
        regional = []
        for province in provinces:
            share = remaining_by_province[province["code"]] / remaining if remaining else 0
            regional.append(
                {
                    "year": year,
                    "admin_area": province["code"],
                    "planned_area_m2": round(national * share, -3),
                    "note": revision,
                }
            )
        regional = [milestone for milestone in regional if milestone["planned_area_m2"] > 0]
        total = sum(milestone["planned_area_m2"] for milestone in regional)
        milestones.append(
            {"year": year, "admin_area": None, "planned_area_m2": total, "note": revision}
        )
        milestones.extend(regional)
    for milestone in milestones:
        milestone["planned_area_m2"] = int(milestone["planned_area_m2"])
    return milestones
