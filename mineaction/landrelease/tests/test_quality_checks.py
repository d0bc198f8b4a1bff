"""The geometry quality checks: one geometry, a collection, the country extent, run_checks."""

import numpy as np
import pytest
import shapely

from mineaction.landrelease import geometry, quality
from mineaction.landrelease.models import HazardArea
from mineaction.landrelease.quality import (
    check_collection,
    check_geometry,
    country_extent,
    grown_extent,
    run_checks,
)
from mineaction.landrelease.tests.factories import make_admin_area, make_hazard, square

# The test country: one degree square around 30.5 E, 17.5 S, grown by a 20 km margin.
COUNTRY = (30.0, -18.0, 31.0, -17.0)
EXTENT = grown_extent(COUNTRY, 20_000)


def box(min_lon, min_lat, side=0.001):
    return shapely.box(min_lon, min_lat, min_lon + side, min_lat + side)


def codes(findings):
    return [finding.code for finding in findings]


def km(metres):
    return f"{metres / 1000:.1f}"


# One geometry ----------------------------------------------------------------------------------


def test_no_geometry_has_no_finding():
    assert check_geometry(None, extent=EXTENT, max_spacing_m=5000) == []


def test_a_good_square_has_no_finding():
    assert check_geometry(box(30.5, -17.5), extent=EXTENT, max_spacing_m=5000) == []


def test_bow_tie_is_invalid_and_says_where_it_crosses_itself():
    bow_tie = shapely.Polygon([(30, -18), (30.002, -17.998), (30.002, -18), (30, -17.998)])
    [finding] = check_geometry(bow_tie, external_id="HA-1")
    assert finding.code == "invalid_geometry"
    assert finding.severity == "error"
    assert finding.external_id == "HA-1"
    assert finding.message == (
        "The polygon is invalid: its boundary crosses itself at 30.001 -17.999 "
        "(longitude latitude)."
    )


def test_ring_touching_itself_is_named():
    # The exterior ring comes back through the vertex (30.001, -17.999).
    pinched = shapely.Polygon(
        [(30, -18), (30.002, -18), (30.001, -17.999), (30.002, -17.998), (30, -17.998),
         (30.001, -17.999), (30, -18)]
    )  # fmt: skip
    [finding] = check_geometry(pinched)
    assert finding.code == "invalid_geometry"
    assert "at 30.001 -17.999" in finding.message


def test_polygon_with_vertices_on_one_line_has_no_area():
    sliver = shapely.Polygon([(30, -18), (30.001, -18), (30.002, -18), (30, -18)])
    findings = check_geometry(sliver)
    assert codes(findings) == ["invalid_geometry", "zero_area"]
    assert findings[1].severity == "error"
    assert findings[1].message == "The polygon has an area of 0 m²: its vertices enclose no land."


def test_valid_sliver_thinner_than_a_square_metre_has_zero_area():
    sliver = shapely.Polygon([(30, -18), (30.001, -18), (30.001, -18 + 1e-11), (30, -18)])
    assert sliver.is_valid
    assert codes(check_geometry(sliver)) == ["zero_area"]


def test_small_but_real_polygon_is_not_zero_area():
    # About 1.1 m by 1.1 m.
    assert check_geometry(box(30.5, -17.5, side=0.00001)) == []


def test_point_500_km_outside_the_country_is_an_error_with_the_distance():
    # 500 km due north of the country's extent (a meridian is a geodesic).
    lon, lat, _back = geometry.GEOD.fwd(30.5, EXTENT[3], 0, 500_000)
    [finding] = check_geometry(shapely.Point(lon, lat), extent=EXTENT, external_id="HA-9")
    assert finding.code == "outside_country"
    assert finding.severity == "error"
    assert finding.external_id == "HA-9"
    assert finding.message == (
        "The geometry lies 500 km outside the country: check its coordinates and that they are "
        "longitude and latitude in WGS84 (EPSG:4326)."
    )


def test_swapped_longitude_and_latitude_are_suggested():
    [finding] = check_geometry(shapely.Point(-17.5, 30.5), extent=EXTENT)
    assert finding.code == "outside_country"
    assert finding.message.endswith("km outside the country: are longitude and latitude swapped?")


def test_polygon_partly_outside_is_measured_from_its_furthest_vertex():
    # From 30.5 E to 4 km east of the extent, along the parallel of 17.5 S.
    east, _lat, _back = geometry.GEOD.fwd(EXTENT[2], -17.5, 90, 4000)
    polygon = shapely.box(30.5, -17.5, east, -17.49)
    [finding] = check_geometry(polygon, extent=EXTENT)
    _f, _b, distance = geometry.GEOD.inv(east, -17.5, EXTENT[2], -17.5)
    assert finding.message.startswith(f"The geometry lies {km(distance)} km outside the country")


def test_within_the_margin_is_not_outside():
    # 15 km east of the admin areas, inside the 20 km margin.
    lon, lat, _back = geometry.GEOD.fwd(COUNTRY[2], -17.5, 90, 15_000)
    assert check_geometry(shapely.Point(lon, lat), extent=EXTENT) == []


def test_no_extent_means_no_outside_check():
    assert check_geometry(shapely.Point(-17.5, 30.5)) == []


def test_one_long_edge_is_a_warning_with_its_length_and_ends():
    # Bottom edges of 0.02 degree (about 2.1 km), then one edge back of 0.06 degree.
    polygon = shapely.Polygon(
        [(30, -18), (30.02, -18), (30.04, -18), (30.06, -18), (30.06, -17.999), (30, -17.999)]
    )
    [finding] = check_geometry(polygon, max_spacing_m=5000, external_id="HA-3")
    _f, _b, length = geometry.GEOD.inv(30.06, -17.999, 30, -17.999)
    assert finding.code == "long_edge"
    assert finding.severity == "warning"
    assert finding.external_id == "HA-3"
    assert finding.message == (
        f"Two consecutive vertices are {km(length)} km apart (from 30.06 -17.999 to "
        "30 -17.999), more than the limit of 5 km: is a vertex missing or misplaced?"
    )


def test_several_long_edges_are_counted_and_the_longest_named():
    polygon = shapely.box(30, -18, 30.1, -17.95)  # edges of about 10.6 km and 5.5 km
    [finding] = check_geometry(polygon, max_spacing_m=5000)
    _f, _b, longest = geometry.GEOD.inv(30.1, -17.95, 30, -17.95)  # nearer the equator
    assert finding.message.startswith(
        f"4 edges are longer than the limit of 5 km; the longest is {km(longest)} km "
        "(from 30.1 -17.95 to 30 -17.95)"
    )


def test_no_spacing_limit_means_no_spacing_check():
    assert check_geometry(shapely.box(30, -18, 30.1, -17.9)) == []


def test_the_jump_from_an_outer_ring_to_its_hole_is_not_an_edge():
    # Outer ring of 0.04 degree with a vertex every 0.02 degree (about 2.1 km); the hole's first
    # vertex lies about 5.4 km from the outer ring's last vertex.
    outer = [(30, -18), (30.02, -18), (30.04, -18), (30.04, -17.98), (30.04, -17.96),
             (30.02, -17.96), (30, -17.96), (30, -17.98)]  # fmt: skip
    hole = [(30.035, -17.965), (30.038, -17.965), (30.038, -17.962), (30.035, -17.962)]
    polygon = shapely.Polygon(outer, [hole])
    assert polygon.is_valid
    assert check_geometry(polygon, max_spacing_m=5000) == []


def test_parts_of_a_multipolygon_far_apart_are_not_an_edge():
    parts = shapely.MultiPolygon([box(30.1, -17.9), box(30.9, -17.1)])
    assert check_geometry(parts, extent=EXTENT, max_spacing_m=5000) == []


def test_check_geometries_keeps_each_finding_with_its_hazard():
    findings = quality.check_geometries(
        [
            ("GOOD", box(30.5, -17.5)),
            ("NONE", None),
            ("FAR", shapely.Point(10, 10)),
            ("LONG", shapely.box(30, -18, 30.1, -17.999)),
        ],
        extent=EXTENT,
        max_spacing_m=5000,
    )
    assert [(f.code, f.external_id) for f in findings] == [
        ("outside_country", "FAR"),
        ("long_edge", "LONG"),
    ]


# A collection ----------------------------------------------------------------------------------


def test_two_overlapping_squares_are_a_warning_with_the_overlap_area():
    first, second = box(30, -18), box(30.0005, -18)
    [finding] = check_collection([("A", first), ("B", second)])
    area = geometry.geodesic_area_m2(first.intersection(second))
    assert finding.code == "overlap"
    assert finding.severity == "warning"
    assert (finding.external_id, finding.other_external_id) == ("A", "B")
    assert finding.message == f"A overlaps B over {area:,} m²."


def test_squares_sharing_an_edge_or_a_corner_do_not_overlap():
    items = [("A", box(30, -18)), ("B", box(30.001, -18)), ("C", box(30.002, -17.999))]
    assert check_collection(items) == []


def test_a_square_inside_another_overlaps_over_its_whole_area():
    inner = box(30.0002, -17.9998, side=0.0005)
    [finding] = check_collection([("OUTER", box(30, -18)), ("INNER", inner)])
    assert finding.message == f"OUTER overlaps INNER over {geometry.geodesic_area_m2(inner):,} m²."


def test_same_geometry_under_two_ids_is_a_warning_and_not_an_overlap():
    square_a = box(30, -18)
    square_b = shapely.Polygon(list(square_a.exterior.coords)[::-1])  # other vertex order
    [finding] = check_collection([("A", square_a), ("B", square_b)])
    assert finding.code == "duplicate_geometry"
    assert finding.severity == "warning"
    assert finding.message == "A and B have the same geometry."


def test_same_point_under_two_ids_is_a_duplicate():
    findings = check_collection([("A", shapely.Point(30, -18)), ("B", shapely.Point(30, -18))])
    assert codes(findings) == ["duplicate_geometry"]


def test_same_id_twice_is_an_error():
    findings = check_collection([("A", box(30, -18)), ("B", box(31, -18)), ("A", None)])
    assert [(f.code, f.severity, f.message) for f in findings] == [
        ("duplicate_id", "error", "The external id A appears 2 times.")
    ]


def test_invalid_polygons_are_compared_as_repaired():
    bow_tie = shapely.Polygon([(30, -18), (30.002, -17.998), (30.002, -18), (30, -17.998)])
    findings = check_collection([("BOW", bow_tie), ("NEAR", box(30.0015, -18))])
    assert codes(findings) == ["overlap"]


@pytest.mark.django_db
def test_stored_hazard_areas_are_compared_and_replaced_ones_skipped():
    make_hazard("STORED-1", geometry_json=square(30, -18))
    make_hazard("STORED-2", geometry_json=square(30.0005, -18))  # overlaps STORED-1 only
    make_hazard("REPLACED", geometry_json=square(30.1, -18))
    make_hazard("NO-GEOMETRY", recorded_area_m2=5000)
    items = [
        ("NEW", box(30.0002, -18.0005)),  # overlaps STORED-1 and STORED-2
        ("REPLACED", box(30.5, -17.5)),  # its stored square no longer counts
        ("COPY", box(30.1, -18)),  # where REPLACED used to be
    ]
    findings = check_collection(items, existing=HazardArea.objects.all())
    assert [(f.code, f.external_id, f.other_external_id) for f in findings] == [
        ("overlap", "NEW", "STORED-1"),
        ("overlap", "NEW", "STORED-2"),
    ]
    assert "the stored hazard area STORED-1" in findings[0].message


@pytest.mark.django_db
def test_stored_records_may_be_given_as_a_list():
    stored = make_hazard("STORED-1", geometry_json=square(30, -18))
    [finding] = check_collection([("NEW", box(30, -18))], existing=[stored])
    assert finding.message == "NEW has the same geometry as the stored hazard area STORED-1."


def test_twenty_thousand_polygons_with_planted_overlaps():
    """A grid of 20,000 separate squares, 30 squares shifted onto their neighbour and 10 exact
    copies: exactly those are found."""
    columns = 200
    index = np.arange(20_000)
    lons = 30 + (index % columns) * 0.002
    lats = -18 + (index // columns) * 0.002
    polygons = list(shapely.box(lons, lats, lons + 0.001, lats + 0.001))
    items = [(f"HA-{i:05d}", polygon) for i, polygon in enumerate(polygons)]
    shifted = range(100, 20_000, 650)[:30]
    for i in shifted:  # half a square over its eastern neighbour (never the last column)
        items[i] = (
            items[i][0],
            shapely.box(lons[i] + 0.0015, lats[i], lons[i] + 0.0025, lats[i] + 0.001),
        )
    copies = range(333, 20_000, 1999)[:10]
    items += [(f"COPY-{i}", polygons[i]) for i in copies]
    findings = check_collection(items)
    assert sorted((f.code, f.external_id, f.other_external_id) for f in findings) == sorted(
        [("overlap", f"HA-{i:05d}", f"HA-{i + 1:05d}") for i in shifted]
        + [("duplicate_geometry", f"HA-{i:05d}", f"COPY-{i}") for i in copies]
    )


# The country's extent --------------------------------------------------------------------------


@pytest.mark.django_db
def test_no_extent_without_admin_area_boundaries():
    assert country_extent() is None
    make_admin_area("PR01")  # no boundary
    assert country_extent() is None


@pytest.mark.django_db
def test_extent_covers_every_admin_area_grown_by_at_least_the_margin(settings):
    settings.GEOMETRY_COUNTRY_MARGIN_M = 20_000
    make_admin_area("PR01", geometry_json=square(30, -18, side_deg=0.5))
    make_admin_area("PR02", geometry_json=square(30.5, -17.5, side_deg=0.5))
    make_admin_area("PR03")
    make_admin_area("METRES", geometry_json={"type": "Point", "coordinates": [350000, 8050000]})
    min_lon, min_lat, max_lon, max_lat = country_extent()
    assert min_lat == pytest.approx(-18 - 20_000 / 110_574)
    for lon, lat, edge_lon, edge_lat in [
        (30, -17.5, min_lon, -17.5),
        (31, -17.5, max_lon, -17.5),
        (30.5, -18, 30.5, min_lat),
        (30.5, -17, 30.5, max_lat),
    ]:
        _f, _b, distance = geometry.GEOD.inv(lon, lat, edge_lon, edge_lat)
        assert 20_000 <= distance < 20_500


def test_extent_stays_on_the_globe():
    assert grown_extent((-179.9, -89.9, 179.9, 89.9), 50_000) == (-180.0, -90.0, 180.0, 90.0)


# Every check over the stored hazard areas ------------------------------------------------------


@pytest.mark.django_db
def test_run_checks_over_the_stored_hazard_areas(settings):
    settings.GEOMETRY_MAX_VERTEX_SPACING_M = 5000
    make_admin_area("PR01", geometry_json=square(30, -18, side_deg=1))
    make_hazard("GOOD", geometry_json=square(30.5, -17.5))
    make_hazard("OVER-A", geometry_json=square(30.2, -17.2))
    make_hazard("OVER-B", geometry_json=square(30.2005, -17.2))
    make_hazard("BIGGER", geometry_json=square(30.7, -17.7), recorded_area_m2=20_000)
    make_hazard("POINT", geometry_json={"type": "Point", "coordinates": [30.3, -17.3]})
    make_hazard("FAR", geometry_json=square(35, -17.5))
    make_hazard("LONG", geometry_json=square(30.6, -17.9, side_deg=0.1))
    bow_tie = [[30.4, -17.4], [30.402, -17.398], [30.402, -17.4], [30.4, -17.398], [30.4, -17.4]]
    make_hazard("BOW", geometry_json={"type": "Polygon", "coordinates": [bow_tie]})
    findings = run_checks()
    assert [(f.severity, f.code, f.external_id, f.other_external_id) for f in findings] == [
        ("error", "invalid_geometry", "BOW", None),
        ("error", "zero_baseline_area", "POINT", None),
        ("error", "outside_country", "FAR", None),
        ("warning", "long_edge", "LONG", None),
        ("warning", "overlap", "OVER-A", "OVER-B"),
        ("warning", "area_discrepancy", "BIGGER", None),
    ]
    bigger = HazardArea.objects.get(external_id="BIGGER")
    percent = round(abs(20_000 - bigger.geometry_area_m2) * 100 / bigger.geometry_area_m2)
    assert findings[-1].message == (
        f"The recorded area of BIGGER (20,000 m²) differs by {percent}% from the area of its "
        f"geometry ({bigger.geometry_area_m2:,} m²)."
    )
    assert findings[1].message == (
        "POINT has an area of 0 m², so it counts for nothing in the remaining area: record its "
        "area or give it a polygon."
    )


@pytest.mark.django_db
def test_run_checks_on_a_queryset_and_small_discrepancies():
    make_hazard("CLOSE", geometry_json=square(30.5, -17.5), recorded_area_m2=12_500)
    make_hazard("A", geometry_json=square(30, -18))
    make_hazard("B", geometry_json=square(30, -18))
    assert run_checks(HazardArea.objects.filter(external_id="CLOSE")) == []
    assert codes(run_checks(HazardArea.objects.filter(external_id__in=["A", "B"]))) == [
        "duplicate_geometry"
    ]


@pytest.mark.django_db
def test_recorded_area_of_zero_without_geometry_is_an_error():
    make_hazard("EMPTY", recorded_area_m2=0)
    assert codes(run_checks()) == ["zero_baseline_area"]


@pytest.mark.django_db
def test_stored_geometry_that_cannot_be_read_is_reported():
    hazard = make_hazard("LINE")
    line = {"type": "LineString", "coordinates": [[30, -18], [30.1, -18]]}
    HazardArea.objects.filter(pk=hazard.pk).update(geometry=line)
    [finding] = run_checks()
    assert (finding.code, finding.external_id) == ("unreadable_geometry", "LINE")
    assert finding.message == "A LineString cannot be a hazard area: use a polygon or a point."


def test_findings_sort_errors_first():
    findings = quality.sort_findings(
        check_collection([("B", box(30, -18)), ("A", box(30, -18)), ("B", None)])
    )
    assert codes(findings) == ["duplicate_id", "duplicate_geometry"]


def test_read_geometries_drops_heights_and_refuses_what_an_import_would():
    rows = [
        ("3D", '{"type": "Point", "coordinates": [30.5, -17.5, 1200]}'),
        ("DICT", square(30, -18)),
        ("NONE", None),
        ("METRES", {"type": "Point", "coordinates": [350000, 8050000]}),
        ("BROKEN", '{"type": "Polygon", "coordinates": [[1, 2]]}'),
    ]
    items, findings = quality.read_geometries(rows)
    assert [(external_id, g.wkt if g is not None else None) for external_id, g in items] == [
        ("3D", "POINT (30.5 -17.5)"),
        ("DICT", shapely.from_geojson(str(square(30, -18)).replace("'", '"')).wkt),
        ("NONE", None),
    ]
    assert [(f.code, f.external_id, f.message) for f in findings] == [
        (
            "unreadable_geometry",
            "METRES",
            "The coordinates are not longitude and latitude in degrees (WGS84): reproject the "
            "file to EPSG:4326.",
        ),
        ("unreadable_geometry", "BROKEN", "The geometry is not valid GeoJSON."),
    ]
