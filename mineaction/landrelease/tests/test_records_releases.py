"""Land release pages: the list, a release, and the data manager's create, edit and delete,
with the confirmation asked for a release larger than what remains of its hazard area."""

import datetime

import pytest
from django.urls import reverse

from mineaction.conftest import make_organisation
from mineaction.dashboard.tests.outcomes import LAND_RECORD_FORM, MEMBER_PAGE, MEMBER_RECORD
from mineaction.landrelease.models import DEVICE_FIELDS, LandRelease, ReleaseMethod
from mineaction.landrelease.tests.factories import make_admin_area, make_hazard, make_release
from mineaction.stakeholders.models import OrganisationType
from mineaction.stakeholders.tests.helpers import assert_outcome, queries_for

LIST_URL = reverse("landrelease:release_list")
OVER_RELEASE = "The hazard&#x27;s remaining area is 3,200 m²; this release of 5,000 m² exceeds it."


def url(name, record):
    return reverse(f"landrelease:{name}", args=[record.public_id])


def external_ids(response):
    return [release.external_id for release in response.context["page"]]


@pytest.fixture
def operator(db):
    return make_organisation("Safe Ground Demining", OrganisationType.INTERNATIONAL_NGO)


@pytest.fixture
def hazard(db):
    region = make_admin_area("PR01", name="North Province")
    district = make_admin_area("DI0101", name="Lake District", level=2, parent=region)
    return make_hazard("HA-0001", admin_area=district, recorded_area_m2=8_200)


@pytest.fixture
def release(hazard, operator):
    return make_release(
        hazard,
        5_000,
        datetime.date(2023, 4, 30),
        external_id="LR-0001",
        operator=operator,
        start_date=datetime.date(2023, 3, 1),
        devices_ap_mine=12,
        devices_uxo=3,
    )


def release_data(operator, **changes):
    data = {
        "external_id": "LR-0002",
        "operator": operator.pk,
        "method": "cleared",
        "area_m2": "2000",
        "start_date": "2024-01-10",
        "end_date": "2024-02-20",
        **dict.fromkeys(DEVICE_FIELDS.values(), "0"),
    }
    return {**data, **changes}


# Access ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "expected"), MEMBER_PAGE.items())
def test_release_list_is_for_members(clients, persona, expected):
    assert_outcome(clients[persona].get(LIST_URL), expected)


@pytest.mark.parametrize(("persona", "expected"), MEMBER_RECORD.items())
def test_release_page_is_hidden_from_outsiders(clients, release, persona, expected):
    assert_outcome(clients[persona].get(url("release_detail", release)), expected)


@pytest.mark.parametrize(("persona", "expected"), LAND_RECORD_FORM.items())
def test_only_land_data_managers_record_land_release(clients, hazard, persona, expected):
    assert_outcome(clients[persona].get(url("release_create", hazard)), expected)


@pytest.mark.parametrize("persona", ["outsider", "observer", "member", "secretariat"])
def test_readers_cannot_record_or_change_land_release(clients, hazard, release, operator, persona):
    created = clients[persona].post(url("release_create", hazard), release_data(operator))
    changed = clients[persona].post(url("release_edit", release), release_data(operator))
    deleted = clients[persona].post(url("release_delete", release), {"confirm": "yes"})

    refused = 404 if persona == "outsider" else 403
    assert [created.status_code, changed.status_code, deleted.status_code] == [refused] * 3
    assert list(LandRelease.objects.values_list("external_id", "area_m2")) == [("LR-0001", 5_000)]


# List and detail -------------------------------------------------------------------------------


def test_list_filters_by_method_year_operator_hazard_and_admin_area(clients, hazard, operator):
    other_operator = make_organisation("Clearway Ltd", OrganisationType.COMMERCIAL_OPERATOR)
    elsewhere = make_hazard("HA-0002", admin_area=make_admin_area("PR02"))
    make_release(hazard, 100, datetime.date(2022, 5, 1), external_id="LR-A", operator=operator)
    make_release(
        hazard,
        200,
        datetime.date(2023, 5, 1),
        external_id="LR-B",
        method=ReleaseMethod.CANCELLED,
        operator=other_operator,
    )
    make_release(elsewhere, 300, datetime.date(2023, 6, 1), external_id="LR-C")
    client = clients["observer"]

    assert external_ids(client.get(LIST_URL)) == ["LR-C", "LR-B", "LR-A"]
    assert external_ids(client.get(LIST_URL, {"method": "cancelled"})) == ["LR-B"]
    assert external_ids(client.get(LIST_URL, {"year": 2023})) == ["LR-C", "LR-B"]
    assert external_ids(client.get(LIST_URL, {"operator": operator.public_id})) == ["LR-A"]
    assert external_ids(client.get(LIST_URL, {"hazard": "ha-0002"})) == ["LR-C"]
    assert external_ids(client.get(LIST_URL, {"admin_area": "PR01"})) == ["LR-B", "LR-A"]
    assert external_ids(client.get(LIST_URL, {"admin_area": "DI0101", "year": 2022})) == ["LR-A"]


def test_list_shows_the_total_of_the_filtered_release(clients, hazard):
    make_release(hazard, 1_500, datetime.date(2022, 5, 1))
    make_release(hazard, 2_250, datetime.date(2023, 5, 1))

    response = clients["member"].get(LIST_URL, {"hazard": "HA-0001"})

    assert response.context["total_m2"] == 3_750
    assert "Total released: 3,750 m²" in response.content.decode()


def test_an_invalid_release_filter_is_reported_and_ignored(clients, release):
    response = clients["member"].get(LIST_URL, {"operator": "not-an-id", "year": "1800"})

    content = response.content.decode()
    assert "No organisation has this id." in content
    assert "Ensure this value is greater than or equal to 1997." in content
    assert external_ids(response) == ["LR-0001"]


def test_list_query_count_does_not_grow_with_the_release(clients, hazard, operator):
    make_release(hazard, 10, datetime.date(2022, 1, 1), operator=operator)
    few = queries_for(clients["member"], LIST_URL)
    for number in range(30):
        other = make_hazard(recorded_area_m2=1_000)
        make_release(other, 10 + number, datetime.date(2022, 1, 1), operator=operator)

    assert queries_for(clients["member"], LIST_URL) == few


def test_detail_shows_the_release_and_the_devices_destroyed(clients, release):
    response = clients["observer"].get(url("release_detail", release))

    content = response.content.decode()
    assert "5,000 m²" in content
    assert "Safe Ground Demining" in content
    assert "2023-03-01" in content and "2023-04-30" in content
    counts = {row["label"]: row["count"] for row in response.context["devices"]}
    assert counts["Anti-personnel mine"] == 12
    assert counts["Unexploded ordnance (UXO)"] == 3
    assert response.context["devices_total"] == 15


# Recording and correcting ----------------------------------------------------------------------


def test_data_manager_records_land_release_from_a_hazard_area(clients, hazard, operator):
    response = clients["data_manager"].post(
        url("release_create", hazard), release_data(operator, devices_uxo="4")
    )

    release = LandRelease.objects.get(external_id="LR-0002")
    assert response.status_code == 302
    assert response.url == url("release_detail", release)
    assert release.hazard_area == hazard
    assert release.operator == operator
    assert (release.area_m2, release.end_date) == (2_000, datetime.date(2024, 2, 20))
    assert release.devices() == {"uxo": 4}


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"area_m2": "0"}, "area_m2", "The released area must be more than 0 m²."),
        ({"area_m2": "-250"}, "area_m2", "The released area must be more than 0 m²."),
        ({"area_m2": ""}, "area_m2", "This field is required."),
        (
            {"start_date": "2024-03-01", "end_date": "2024-02-01"},
            "end_date",
            "The end date cannot be before the start date.",
        ),
        ({"end_date": ""}, "end_date", "This field is required."),
        (
            {"external_id": "LR-0001"},
            "external_id",
            "A land release with this external id already exists.",
        ),
        (
            {"method": "bulldozed"},
            "method",
            "Select a valid choice. bulldozed is not one of the available choices.",
        ),
        (
            {"devices_ap_mine": "-1"},
            "devices_ap_mine",
            "Ensure this value is greater than or equal to 0.",
        ),
    ],
)
def test_bad_land_release_is_refused_with_a_clear_message(
    clients, hazard, release, operator, changes, field, message
):
    response = clients["data_manager"].post(
        url("release_create", hazard), release_data(operator, **changes)
    )

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert LandRelease.objects.count() == 1


def test_a_release_beyond_the_remaining_area_must_be_confirmed(clients, hazard, release, operator):
    data = release_data(operator, area_m2="5000")

    asked = clients["data_manager"].post(url("release_create", hazard), data)

    assert asked.status_code == 200
    assert OVER_RELEASE in asked.content.decode()
    assert 'type="checkbox" name="confirm_over_release"' in asked.content.decode()
    assert LandRelease.objects.count() == 1

    saved = clients["data_manager"].post(
        url("release_create", hazard), {**data, "confirm_over_release": "on"}, follow=True
    )

    assert LandRelease.objects.filter(external_id="LR-0002", area_m2=5_000).exists()
    messages = [str(message) for message in saved.context["messages"]]
    assert messages == [
        "The land release has been added.",
        "The hazard's remaining area is 3,200 m²; this release of 5,000 m² exceeds it.",
    ]


def test_a_release_within_the_remaining_area_needs_no_confirmation(
    clients, hazard, release, operator
):
    response = clients["data_manager"].post(
        url("release_create", hazard), release_data(operator, area_m2="3200")
    )

    assert response.status_code == 302
    assert LandRelease.objects.filter(external_id="LR-0002").exists()


def test_editing_a_release_leaves_its_own_area_out_of_the_remaining(clients, release, operator):
    # 8,200 m² baseline, this release 5,000: it may grow to 8,200 without a warning.
    response = clients["data_manager"].post(
        url("release_edit", release), release_data(operator, area_m2="8200", method="reduced")
    )

    assert response.status_code == 302
    release.refresh_from_db()
    assert (release.area_m2, release.method, release.external_id) == (8_200, "reduced", "LR-0001")


def test_editing_a_release_beyond_the_baseline_asks_to_confirm(clients, release, operator):
    response = clients["data_manager"].post(
        url("release_edit", release), release_data(operator, area_m2="9000")
    )

    assert response.status_code == 200
    assert response.context["over_release"] == (
        "The hazard's remaining area is 8,200 m²; this release of 9,000 m² exceeds it."
    )
    release.refresh_from_db()
    assert release.area_m2 == 5_000


def test_deleting_a_release_asks_for_confirmation(clients, release):
    page = clients["data_manager"].get(url("release_delete", release))
    bare_post = clients["data_manager"].post(url("release_delete", release))

    assert page.status_code == bare_post.status_code == 200
    assert LandRelease.objects.filter(pk=release.pk).exists()

    confirmed = clients["lead_authority"].post(url("release_delete", release), {"confirm": "yes"})

    assert confirmed.status_code == 302
    assert confirmed.url == url("hazard_detail", release.hazard_area)
    assert not LandRelease.objects.filter(pk=release.pk).exists()
