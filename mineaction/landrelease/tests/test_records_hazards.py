"""Hazard area pages: the list, a hazard area with its figures, the data manager's edit,
creation and deletion."""

import datetime
import json

import pytest
import shapely.geometry
from django.urls import reverse

from mineaction.core.models import AuditEntry
from mineaction.dashboard.tests.outcomes import (
    LAND_FORM,
    LAND_RECORD_FORM,
    MEMBER_PAGE,
    MEMBER_RECORD,
)
from mineaction.landrelease import geometry
from mineaction.landrelease.models import (
    AdminArea,
    HazardArea,
    HazardStatus,
    HazardType,
    ReleaseMethod,
)
from mineaction.landrelease.tests.factories import (
    make_admin_area,
    make_hazard,
    make_release,
    square,
)
from mineaction.stakeholders.tests.helpers import assert_outcome, queries_for

LIST_URL = reverse("landrelease:hazard_list")
CREATE_URL = reverse("landrelease:hazard_create")
# Clockwise corners crossing in the middle: a "bow tie", the classic self-intersection.
BOW_TIE = {
    "type": "Polygon",
    "coordinates": [
        [[30.0, -18.0], [30.01, -17.99], [30.01, -18.0], [30.0, -17.99], [30.0, -18.0]]
    ],
}


def url(name, hazard):
    return reverse(f"landrelease:{name}", args=[hazard.public_id])


def external_ids(response):
    return [hazard.external_id for hazard in response.context["page"]]


def edit_data(hazard, **changes):
    """The edit form as posted unchanged, with `changes` on top."""
    data = {
        "name": hazard.name,
        "hazard_type": hazard.hazard_type,
        "status": hazard.status,
        "closed_on": hazard.closed_on.isoformat() if hazard.closed_on else "",
        "devices": hazard.device_list,
        "admin_area": hazard.admin_area_id or "",
        "recorded_area_m2": hazard.recorded_area_m2 or "",
        "date_recorded": hazard.date_recorded.isoformat(),
        "source_organisation": "",
        "geojson": json.dumps(hazard.geometry) if hazard.geometry else "",
    }
    return {**data, **changes}


@pytest.fixture
def region(db):
    return make_admin_area("PR01", name="North Province")


@pytest.fixture
def district(region):
    return make_admin_area("DI0101", name="Lake District", level=2, parent=region)


@pytest.fixture
def hazard(district):
    return make_hazard("HA-0001", name="Old airfield", admin_area=district, recorded_area_m2=10_000)


# Access ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "expected"), MEMBER_PAGE.items())
def test_hazard_list_is_for_members(clients, persona, expected):
    assert_outcome(clients[persona].get(LIST_URL), expected)


@pytest.mark.parametrize(("persona", "expected"), MEMBER_RECORD.items())
def test_hazard_page_and_geometry_are_hidden_from_outsiders(clients, hazard, persona, expected):
    assert_outcome(clients[persona].get(url("hazard_detail", hazard)), expected)
    assert_outcome(clients[persona].get(url("hazard_geometry", hazard)), expected)


@pytest.mark.parametrize(("persona", "expected"), LAND_FORM.items())
def test_only_land_data_managers_open_the_create_form(clients, persona, expected):
    assert_outcome(clients[persona].get(CREATE_URL), expected)


@pytest.mark.parametrize(("persona", "expected"), LAND_RECORD_FORM.items())
def test_only_land_data_managers_open_the_edit_form(clients, hazard, persona, expected):
    assert_outcome(clients[persona].get(url("hazard_edit", hazard)), expected)


@pytest.mark.parametrize("persona", ["outsider", "observer", "member", "secretariat"])
def test_readers_cannot_change_a_hazard_area(clients, hazard, persona):
    response = clients[persona].post(url("hazard_edit", hazard), edit_data(hazard, name="X"))

    assert response.status_code == (404 if persona == "outsider" else 403)
    hazard.refresh_from_db()
    assert hazard.name == "Old airfield"


def test_unknown_hazard_area_is_not_found(clients):
    missing = reverse("landrelease:hazard_detail", args=["00000000-0000-0000-0000-000000000000"])
    assert clients["member"].get(missing).status_code == 404


# The list --------------------------------------------------------------------------------------


def test_list_filters_by_type_status_device_and_admin_area_with_its_sub_areas(
    clients, region, district
):
    elsewhere = make_admin_area("PR02", name="South Province")
    make_hazard("HA-A", hazard_type=HazardType.SHA, admin_area=district, devices=["uxo"])
    make_hazard("HA-B", admin_area=region, devices=["ap_mine", "av_mine"])
    make_hazard(
        "HA-C",
        status=HazardStatus.CLOSED,
        closed_on=datetime.date(2020, 1, 1),
        admin_area=elsewhere,
    )
    client = clients["observer"]

    assert external_ids(client.get(LIST_URL)) == ["HA-A", "HA-B", "HA-C"]
    assert external_ids(client.get(LIST_URL, {"type": "SHA"})) == ["HA-A"]
    assert external_ids(client.get(LIST_URL, {"status": "closed"})) == ["HA-C"]
    assert external_ids(client.get(LIST_URL, {"device": "uxo"})) == ["HA-A"]
    assert external_ids(client.get(LIST_URL, {"device": "av_mine"})) == ["HA-B"]
    assert external_ids(client.get(LIST_URL, {"admin_area": "PR01"})) == ["HA-A", "HA-B"]
    assert external_ids(client.get(LIST_URL, {"admin_area": "DI0101"})) == ["HA-A"]
    assert external_ids(client.get(LIST_URL, {"type": "CHA", "admin_area": "PR01"})) == ["HA-B"]


def test_search_matches_the_external_id_or_the_name(clients, hazard):
    make_hazard("HA-0002", name="River crossing")

    assert external_ids(clients["member"].get(LIST_URL, {"q": "airfield"})) == ["HA-0001"]
    assert external_ids(clients["member"].get(LIST_URL, {"q": "ha-0002"})) == ["HA-0002"]


def test_list_sorts_by_remaining_area(clients):
    small = make_hazard("HA-S", recorded_area_m2=5_000)
    make_hazard("HA-M", recorded_area_m2=9_000)
    big = make_hazard("HA-L", recorded_area_m2=20_000)
    make_release(big, 19_000, datetime.date(2020, 1, 1))  # 1,000 m² left
    make_release(small, 1_000, datetime.date(2020, 1, 1))  # 4,000 m² left

    response = clients["member"].get(LIST_URL, {"sort": "-remaining"})

    assert external_ids(response) == ["HA-M", "HA-S", "HA-L"]
    response = clients["member"].get(LIST_URL, {"sort": "-area"})
    assert external_ids(response) == ["HA-L", "HA-M", "HA-S"]


def test_list_shows_baseline_and_remaining_today_in_square_metres(clients, hazard):
    big = make_hazard("HA-BIG", recorded_area_m2=1_234_567)
    make_release(big, 34_567, datetime.date(2021, 6, 1))

    content = clients["member"].get(LIST_URL).content.decode()

    assert "Remaining today (m²)" in content
    assert '<td class="number">1,234,567</td>' in content
    assert '<td class="number">1,200,000</td>' in content
    assert ">Lake District</a></td>" in content


def test_an_invalid_filter_is_reported_and_ignored(clients, hazard):
    response = clients["member"].get(LIST_URL, {"admin_area": "NOPE", "type": "XYZ"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "No admin area has this code." in content
    assert "Select a valid choice. XYZ is not one of the available choices." in content
    assert external_ids(response) == ["HA-0001"]


def test_list_is_paginated_by_fifty(clients):
    for number in range(55):
        make_hazard(f"HA-{number:03d}", recorded_area_m2=1_000)

    first = clients["member"].get(LIST_URL)
    second = clients["member"].get(LIST_URL, {"page": 2})

    assert len(first.context["page"].object_list) == 50
    assert external_ids(second) == [f"HA-{number:03d}" for number in range(50, 55)]


def test_htmx_request_gets_only_the_results(clients, hazard):
    response = clients["member"].get(LIST_URL, {"q": "airfield"}, headers={"HX-Request": "true"})

    content = response.content.decode()
    assert content.lstrip().startswith('<section id="results"')
    assert "<html" not in content
    assert "HA-0001" in content


def test_list_query_count_does_not_grow_with_the_hazard_areas(clients, district):
    for _number in range(3):
        hazard = make_hazard(admin_area=district, recorded_area_m2=5_000)
        make_release(hazard, 1_000, datetime.date(2022, 1, 1))
    few = queries_for(clients["member"], LIST_URL)
    for _number in range(40):
        hazard = make_hazard(admin_area=district, recorded_area_m2=5_000)
        make_release(hazard, 1_000, datetime.date(2022, 1, 1))

    assert queries_for(clients["member"], LIST_URL) == few


# A hazard area ---------------------------------------------------------------------------------


def test_detail_shows_remaining_today_and_release_by_method(clients, hazard):
    make_release(hazard, 2_500, datetime.date(2020, 3, 1), external_id="LR-1")
    make_release(hazard, 1_000, datetime.date(2021, 3, 1), method=ReleaseMethod.CANCELLED)
    make_release(hazard, 300, datetime.date(2021, 4, 1), method=ReleaseMethod.CANCELLED)

    response = clients["observer"].get(url("hazard_detail", hazard))

    assert response.context["released_m2"] == 3_800
    assert response.context["remaining_m2"] == 6_200
    by_method = {
        row["method"]: (row["count"], row["area_m2"]) for row in response.context["by_method"]
    }
    assert by_method == {"cancelled": (2, 1_300), "reduced": (0, 0), "cleared": (1, 2_500)}
    content = response.content.decode()
    assert "6,200 m²" in content
    assert "10,000 m²" in content
    assert (
        reverse(
            "landrelease:release_detail", args=[hazard.releases.get(external_id="LR-1").public_id]
        )
        in content
    )


def test_a_hazard_area_closed_today_has_nothing_left(clients, district):
    closed = make_hazard(
        status=HazardStatus.HANDED_OVER,
        closed_on=datetime.date(2023, 5, 1),
        recorded_area_m2=4_000,
        admin_area=district,
    )

    response = clients["member"].get(url("hazard_detail", closed))

    assert response.context["remaining_m2"] == 0
    assert "Closed or handed over: nothing remains." in response.content.decode()


def test_detail_warns_when_recorded_and_geometric_areas_differ_by_more_than_ten_percent(clients):
    shape = square(30.5, -18.5)
    geometric = geometry.geodesic_area_m2(geometry.parse(shape))
    far = make_hazard("HA-FAR", geometry_json=shape, recorded_area_m2=round(geometric * 1.2))
    near = make_hazard("HA-NEAR", geometry_json=shape, recorded_area_m2=round(geometric * 1.05))

    far_page = clients["member"].get(url("hazard_detail", far))
    near_page = clients["member"].get(url("hazard_detail", near))

    assert far_page.context["discrepancy_warning"] is True
    assert far_page.context["discrepancy_percent"] == 20.0
    assert "differs from the area of the geometry" in far_page.content.decode()
    assert near_page.context["discrepancy_warning"] is False
    assert "differs from the area of the geometry" not in near_page.content.decode()


def test_geometry_downloads_as_a_geojson_feature(clients, district):
    hazard = make_hazard("HA-GEO/7", geometry_json=square(31, -17), admin_area=district)

    response = clients["member"].get(url("hazard_geometry", hazard))

    assert response["Content-Type"] == "application/geo+json"
    assert response["Content-Disposition"] == 'attachment; filename="HA-GEO7.geojson"'
    feature = response.json()
    assert feature["type"] == "Feature"
    assert feature["id"] == str(hazard.public_id)
    assert feature["properties"]["external_id"] == "HA-GEO/7"
    polygon = shapely.geometry.shape(feature["geometry"])
    assert polygon.is_valid
    assert geometry.geodesic_area_m2(polygon) == hazard.geometry_area_m2


# Editing ---------------------------------------------------------------------------------------


def test_data_manager_edits_a_hazard_area_and_its_area_is_recomputed(clients, hazard, region):
    new_shape = square(30.2, -18.2, side_deg=0.002)
    data = edit_data(
        hazard,
        name="Old airfield, east",
        hazard_type="SHA",
        devices=["uxo", "ap_mine"],
        admin_area=region.pk,
        recorded_area_m2="",
        geojson=json.dumps(new_shape),
    )

    response = clients["data_manager"].post(url("hazard_edit", hazard), data)

    assert response.status_code == 302
    hazard.refresh_from_db()
    expected_area = geometry.geodesic_area_m2(geometry.parse(new_shape))
    assert hazard.name == "Old airfield, east"
    assert hazard.hazard_type == "SHA"
    assert hazard.device_categories == ",ap_mine,uxo,"
    assert hazard.admin_area == region
    assert hazard.recorded_area_m2 is None
    assert hazard.geometry_area_m2 == expected_area
    assert hazard.area_m2 == expected_area
    assert (hazard.min_lon, hazard.min_lat) == pytest.approx((30.2, -18.2))
    assert (hazard.max_lon, hazard.max_lat) == pytest.approx((30.202, -18.198))


def test_saving_an_unchanged_geometry_does_not_record_it_as_changed(clients, district):
    hazard = make_hazard("HA-SAME", geometry_json=square(30.3, -18.3), admin_area=district)
    hazard = HazardArea.objects.get(pk=hazard.pk)

    response = clients["data_manager"].post(
        url("hazard_edit", hazard), edit_data(hazard, name="Renamed")
    )

    assert response.status_code == 302
    change = AuditEntry.objects.filter(object_public_id=hazard.public_id).first()
    assert set(change.changes) == {"name"}


def test_a_large_area_difference_is_flagged_after_saving(clients, district):
    hazard = make_hazard("HA-FLAG", geometry_json=square(30.3, -18.3), admin_area=district)
    hazard = HazardArea.objects.get(pk=hazard.pk)

    response = clients["data_manager"].post(
        url("hazard_edit", hazard), edit_data(hazard, recorded_area_m2=50_000), follow=True
    )

    messages = [str(message) for message in response.context["messages"]]
    assert "The hazard area has been saved." in messages
    assert any("differs from the geometry's area" in message for message in messages)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"status": "closed", "closed_on": ""},
            "closed_on",
            "Give the date the hazard area was closed or handed over.",
        ),
        (
            {"status": "handed_over", "closed_on": ""},
            "closed_on",
            "Give the date the hazard area was closed or handed over.",
        ),
        (
            {"status": "open", "closed_on": "2024-01-01"},
            "closed_on",
            "An open hazard area has no closing date: clear the date or change the status.",
        ),
        (
            {"status": "closed", "closed_on": "2010-01-01"},
            "closed_on",
            "A hazard area cannot be closed before the date it was recorded.",
        ),
        ({"geojson": "{not json"}, "geojson", "The geometry is not valid GeoJSON."),
        (
            {"geojson": json.dumps({"type": "Polygon", "coordinates": "nowhere"})},
            "geojson",
            "The geometry is not valid GeoJSON.",
        ),
        (
            {"geojson": json.dumps({"type": "LineString", "coordinates": [[30, -18], [31, -18]]})},
            "geojson",
            "A LineString cannot be a hazard area: use a polygon or a point.",
        ),
        (
            {"geojson": json.dumps(square(3_000_000, 1_000_000))},
            "geojson",
            "The coordinates are not longitude and latitude in degrees (WGS84): reproject the "
            "file to EPSG:4326.",
        ),
        (
            {"recorded_area_m2": "-5"},
            "recorded_area_m2",
            "The recorded area must be more than 0 m².",
        ),
        (
            {"recorded_area_m2": "0"},
            "recorded_area_m2",
            "The recorded area must be more than 0 m².",
        ),
        (
            {"recorded_area_m2": "", "geojson": ""},
            "recorded_area_m2",
            "Give the recorded area, the geometry, or both: a hazard area needs an area.",
        ),
        (
            {
                "recorded_area_m2": "",
                "geojson": json.dumps({"type": "Point", "coordinates": [30, -18]}),
            },
            "recorded_area_m2",
            "A point has no area: give the recorded area too.",
        ),
        (
            {"hazard_type": "XYZ"},
            "hazard_type",
            "Select a valid choice. XYZ is not one of the available choices.",
        ),
    ],
)
def test_bad_edits_are_refused_with_a_clear_message_and_change_nothing(
    clients, hazard, changes, field, message
):
    before = HazardArea.objects.filter(pk=hazard.pk).values().get()

    response = clients["data_manager"].post(
        url("hazard_edit", hazard), edit_data(hazard, **changes)
    )

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert HazardArea.objects.filter(pk=hazard.pk).values().get() == before


def test_a_hazard_far_outside_the_country_is_refused(clients, hazard):
    make_admin_area("FAR01", geometry_json=square(30, -18, side_deg=1))
    response = clients["data_manager"].post(
        url("hazard_edit", hazard), edit_data(hazard, geojson=json.dumps(square(40, -18)))
    )

    assert response.status_code == 200
    [error] = response.context["form"].errors["geojson"]
    assert "outside the country" in error
    hazard.refresh_from_db()
    assert hazard.geometry is None


def test_a_self_intersecting_polygon_is_refused_with_the_reason(clients, hazard):
    response = clients["data_manager"].post(
        url("hazard_edit", hazard), edit_data(hazard, geojson=json.dumps(BOW_TIE))
    )

    assert response.status_code == 200
    [error] = response.context["form"].errors["geojson"]
    assert error == (
        "The polygon is invalid: its boundary crosses itself at 30.005 -17.995 (longitude "
        "latitude)."
    )
    hazard.refresh_from_db()
    assert hazard.geometry is None


def test_a_point_with_a_recorded_area_is_accepted(clients, hazard):
    point = {"type": "Point", "coordinates": [30.25, -18.25]}

    response = clients["data_manager"].post(
        url("hazard_edit", hazard), edit_data(hazard, geojson=json.dumps(point))
    )

    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.geometry == {"type": "Point", "coordinates": [30.25, -18.25]}
    assert hazard.geometry_area_m2 is None
    assert hazard.area_m2 == 10_000
    assert (hazard.min_lon, hazard.max_lat) == (30.25, -18.25)


def test_closing_a_hazard_area_with_its_date(clients, hazard):
    response = clients["data_manager"].post(
        url("hazard_edit", hazard), edit_data(hazard, status="closed", closed_on="2024-02-29")
    )

    assert response.status_code == 302
    hazard.refresh_from_db()
    assert (hazard.status, hazard.closed_on) == ("closed", datetime.date(2024, 2, 29))


# Creating --------------------------------------------------------------------------------------


def new_hazard(**changes):
    district = AdminArea.objects.get(code="DI0101")
    data = {
        "external_id": "IMSMA-HA-77",
        "name": "School path",
        "hazard_type": "CHA",
        "status": "open",
        "devices": ["ap_mine", "uxo"],
        "admin_area": district.pk,
        "recorded_area_m2": "",
        "date_recorded": "2019-07-01",
        "geojson": json.dumps(square(30.4, -18.4)),
    }
    return {**data, **changes}


def test_data_manager_creates_a_hazard_area_from_its_geometry(clients, people, district):
    response = clients["lead_authority"].post(CREATE_URL, new_hazard())

    hazard = HazardArea.objects.get(external_id="IMSMA-HA-77")
    assert response.status_code == 302
    assert response.url == url("hazard_detail", hazard)
    assert hazard.admin_area == district
    assert hazard.device_categories == ",ap_mine,uxo,"
    assert hazard.geometry_area_m2 == geometry.geodesic_area_m2(geometry.parse(square(30.4, -18.4)))
    assert hazard.area_m2 == hazard.geometry_area_m2
    assert hazard.created_by == people["lead_authority"].user


def test_external_id_is_required_and_unique(clients, hazard):
    missing = clients["data_manager"].post(CREATE_URL, new_hazard(external_id=""))
    duplicate = clients["data_manager"].post(CREATE_URL, new_hazard(external_id="HA-0001"))

    assert missing.context["form"].errors["external_id"] == ["This field is required."]
    assert duplicate.context["form"].errors["external_id"] == [
        "A hazard area with this external id already exists."
    ]
    assert HazardArea.objects.count() == 1


def test_external_id_cannot_be_changed_by_an_edit(clients, hazard):
    response = clients["data_manager"].post(
        url("hazard_edit", hazard), edit_data(hazard, external_id="HA-9999")
    )

    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.external_id == "HA-0001"


# Deleting --------------------------------------------------------------------------------------


def test_deleting_asks_for_confirmation_first(clients, hazard):
    page = clients["data_manager"].get(url("hazard_delete", hazard))
    bare_post = clients["data_manager"].post(url("hazard_delete", hazard))

    assert page.status_code == 200
    assert 'name="confirm" value="yes"' in page.content.decode()
    assert bare_post.status_code == 200
    assert HazardArea.objects.filter(pk=hazard.pk).exists()


def test_a_confirmed_delete_removes_the_hazard_area(clients, hazard):
    response = clients["data_manager"].post(url("hazard_delete", hazard), {"confirm": "yes"})

    assert response.status_code == 302
    assert response.url == LIST_URL
    assert not HazardArea.objects.filter(pk=hazard.pk).exists()


def test_a_hazard_area_with_land_release_cannot_be_deleted(clients, hazard):
    make_release(hazard, 1_000, datetime.date(2022, 1, 1))

    page = clients["data_manager"].get(url("hazard_delete", hazard))
    response = clients["data_manager"].post(url("hazard_delete", hazard), {"confirm": "yes"})

    assert 'name="confirm"' not in page.content.decode()
    assert response.status_code == 400
    assert (
        "This hazard area cannot be deleted: 1 land release record refers to it. Delete that "
        "record first, or close the hazard area instead."
    ) in response.content.decode()
    assert HazardArea.objects.filter(pk=hazard.pk).exists()


@pytest.mark.parametrize("persona", ["observer", "member", "secretariat"])
def test_readers_cannot_delete_a_hazard_area(clients, hazard, persona):
    response = clients[persona].post(url("hazard_delete", hazard), {"confirm": "yes"})

    assert response.status_code == 403
    assert HazardArea.objects.filter(pk=hazard.pk).exists()
