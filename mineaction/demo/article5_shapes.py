"""Shapes for the demo's Article 5 data: the country outline, its provinces and districts, and
hazard-area polygons that look like the ones a national database holds.

Everything is drawn from the `random.Random` passed in, so the same generator state gives the
same shapes. Shapes are built in metres on a local plane around a point and then placed in
longitude and latitude; at the size of a hazard area (at most a few kilometres) the plane is
close enough to the ellipsoid that the geodesic area the platform measures stays within a
fraction of a per cent of the size asked for. Coordinates are snapped to 1e-6 degrees (about
0.1 m), the precision GeoJSON exports keep, with shapely keeping the polygons valid.
"""

import math

import shapely
from shapely.geometry import MultiPoint, Point, Polygon
from shapely.ops import voronoi_diagram

GRID = 1e-6  # degrees
METRES_PER_DEGREE_LAT = 110_574.0
METRES_PER_DEGREE_LON_EQUATOR = 111_320.0


def snap(geometry):
    """Coordinates on the 1e-6 degree grid, still valid (shapely repairs what snapping breaks)."""
    return shapely.set_precision(geometry, GRID)


def metres_to_degrees(lat):
    """(degrees of longitude per metre, degrees of latitude per metre) at a latitude."""
    return (
        1.0 / (METRES_PER_DEGREE_LON_EQUATOR * math.cos(math.radians(lat))),
        1.0 / METRES_PER_DEGREE_LAT,
    )


def place(points_m, lon, lat):
    """Points in metres around (lon, lat) as (lon, lat) pairs."""
    per_m_lon, per_m_lat = metres_to_degrees(lat)
    return [(lon + x * per_m_lon, lat + y * per_m_lat) for x, y in points_m]


def offset(lon, lat, east_m, north_m):
    per_m_lon, per_m_lat = metres_to_degrees(lat)
    return lon + east_m * per_m_lon, lat + north_m * per_m_lat


# The country ------------------------------------------------------------------------------


def country_outline(rng, *, centre, area_km2, vertices=96):
    """An irregular, star-shaped (so always simple) outline of about `area_km2`."""
    harmonics = [
        (k, rng.uniform(0.04, 0.16) / math.sqrt(k - 1), rng.uniform(0, 2 * math.tau))
        for k in range(2, 8)
    ]
    ring = []
    for index in range(vertices):
        angle = math.tau * index / vertices
        radius = 1.0 + sum(a * math.cos(k * angle + phase) for k, a, phase in harmonics)
        radius += rng.uniform(-0.015, 0.015)  # a coastline is never smooth
        ring.append((radius * math.cos(angle), radius * math.sin(angle)))
    unit = Polygon(ring)
    scale = math.sqrt(area_km2 * 1e6 / unit.area)
    outline = Polygon(place([(x * scale, y * scale) for x, y in ring], *centre))
    return snap(outline)


def tile(rng, region, count):
    """`count` polygons tiling `region`: Voronoi cells of seeded points, clipped to it.

    Points are drawn inside the region, spread out (no two closer than about the side of a
    square of the cells' mean size, relaxed when the region's shape does not allow it), so
    the cells come out of comparable sizes. Each cell is clipped to the region; a cell cut in two
    by a bay of the region stays one (multi)polygon, so the tiles still cover it exactly.
    """
    min_spacing = 0.9 * math.sqrt(region.area / count)
    points = scatter(rng, region, count, min_spacing=min_spacing)
    envelope = region.envelope.buffer(1.0)
    cells = voronoi_diagram(MultiPoint(points), envelope=envelope).geoms
    tiles = []
    for point in points:
        cell = next(cell for cell in cells if cell.contains(Point(point)))
        tiles.append(polygonal(snap(cell.intersection(region))))
    return tiles


def scatter(rng, region, count, *, min_spacing):
    min_lon, min_lat, max_lon, max_lat = region.bounds
    shapely.prepare(region)
    points = []
    spacing = min_spacing
    attempts = 0
    while len(points) < count:
        attempts += 1
        if attempts % 2000 == 0:
            spacing *= 0.8
        candidate = (rng.uniform(min_lon, max_lon), rng.uniform(min_lat, max_lat))
        if not region.contains(Point(candidate)):
            continue
        if all(math.dist(candidate, other) >= spacing for other in points):
            points.append(candidate)
    return points


def polygonal(geometry):
    """Only the polygon parts of an intersection (which may add stray lines or points)."""
    if geometry.geom_type in {"Polygon", "MultiPolygon"}:
        return geometry
    parts = [part for part in shapely.get_parts(geometry) if part.geom_type == "Polygon"]
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def wavy_line(rng, start, end, *, points, wiggle):
    """A line from `start` to `end` (lon, lat) that meanders sideways by up to `wiggle` degrees."""
    (lon0, lat0), (lon1, lat1) = start, end
    length = math.dist(start, end)
    normal = (-(lat1 - lat0) / length, (lon1 - lon0) / length)
    phase = rng.uniform(0, math.tau)
    line = []
    for index in range(points):
        t = index / (points - 1)
        side = (
            wiggle
            * (math.sin(math.pi * 2 * t + phase) * 0.6 + rng.uniform(-0.4, 0.4))
            * math.sin(math.pi * t)
        )
        line.append(
            (
                lon0 + (lon1 - lon0) * t + normal[0] * side,
                lat0 + (lat1 - lat0) * t + normal[1] * side,
            )
        )
    return shapely.LineString(line)


# Hazard areas -----------------------------------------------------------------------------


def blob(rng, lon, lat, area_m2, *, vertices, hole=False):
    """A rounded, irregular patch of land such as a minefield around a position, or a strike
    area: star-shaped around its centre (so never self-intersecting), stretched and turned."""
    angles = sorted(
        math.tau * index / vertices + rng.uniform(-0.35, 0.35) * math.tau / vertices
        for index in range(vertices)
    )
    harmonics = [(k, rng.uniform(0.0, 0.22) / k, rng.uniform(0, math.tau)) for k in range(2, 5)]
    radii = []
    for angle in angles:
        radius = 1.0 + sum(a * math.cos(k * angle + phase) for k, a, phase in harmonics)
        radii.append(max(0.45, radius + rng.uniform(-0.08, 0.08)))
    stretch = rng.uniform(1.0, 2.2)
    turn = rng.uniform(0, math.pi)
    ring = [
        _turned(r * math.cos(a) * stretch, r * math.sin(a), turn)
        for r, a in zip(radii, angles, strict=True)
    ]
    holes = []
    if hole:
        # A village, a road junction or a farm left out of the area: well inside the smallest
        # radius, so it never touches the boundary.
        size = min(radii) * rng.uniform(0.25, 0.45)
        hole_ring = []
        for index in range(8):
            angle = math.tau * index / 8
            r = size * rng.uniform(0.8, 1.0)
            hole_ring.append(_turned(r * math.cos(angle) * stretch, r * math.sin(angle), turn))
        holes.append(hole_ring)
    return _scaled_polygon(ring, holes, area_m2, lon, lat)


def strip(rng, lon, lat, area_m2, *, vertices, width_m, heading):
    """A long, narrow hazard along a road, a track or a border: a centre line that bends
    gently, with a width that varies a little. `heading` is in radians from east."""
    length = area_m2 / width_m
    segments = max(2, vertices // 2 - 1)
    step = length / segments
    # Bends are kept small compared with the width, so the two sides never cross.
    max_bend = min(0.35, 2.5 * step / max(step, width_m * 4))
    direction = heading
    centre = [(0.0, 0.0)]
    for _segment in range(segments):
        direction += rng.uniform(-max_bend, max_bend) * 0.5
        x, y = centre[-1]
        centre.append((x + step * math.cos(direction), y + step * math.sin(direction)))
    mid_x = sum(x for x, _y in centre) / len(centre)
    mid_y = sum(y for _x, y in centre) / len(centre)
    centre = [(x - mid_x, y - mid_y) for x, y in centre]
    left, right = [], []
    for index, (x, y) in enumerate(centre):
        before = centre[max(0, index - 1)]
        after = centre[min(len(centre) - 1, index + 1)]
        dx, dy = after[0] - before[0], after[1] - before[1]
        norm = math.hypot(dx, dy)
        nx, ny = -dy / norm, dx / norm
        half = width_m / 2 * rng.uniform(0.85, 1.15)
        left.append((x + nx * half, y + ny * half))
        right.append((x - nx * half, y - ny * half))
    return _scaled_polygon(left + right[::-1], [], area_m2, lon, lat)


def _turned(x, y, angle):
    return (x * math.cos(angle) - y * math.sin(angle), x * math.sin(angle) + y * math.cos(angle))


def _scaled_polygon(ring, holes, area_m2, lon, lat):
    """The shape scaled to `area_m2` (on the local plane), placed at (lon, lat), snapped."""
    unit = Polygon(ring, holes)
    if not unit.is_valid:
        return None
    scale = math.sqrt(area_m2 / unit.area)
    polygon = Polygon(
        place([(x * scale, y * scale) for x, y in ring], lon, lat),
        [place([(x * scale, y * scale) for x, y in hole], lon, lat) for hole in holes],
    )
    snapped = snap(polygon)
    if snapped.geom_type != "Polygon" or not snapped.is_valid:
        return None
    return snapped
