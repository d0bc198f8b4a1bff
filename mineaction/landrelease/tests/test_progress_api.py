"""GET /api/v1/article5/summary: the summary as JSON for readers, its parameters (date, region,
level, scenario), and a 422 problem naming every bad parameter."""

import datetime
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from mineaction.core.models import DeadlineChange
from mineaction.landrelease.models import HazardStatus, HazardType, ReleaseMethod
from mineaction.landrelease.services import progress
from mineaction.landrelease.tests import factories

URL = "/api/v1/article5/summary"


@pytest.fixture
def land(country):
    """A province with a district; 60,000 m² left on 30 June 2024 (SHA 10,000, CHA 50,000)."""
    country.original_article5_deadline = datetime.date(2027, 3, 1)
    country.save()
    DeadlineChange.objects.create(
        profile=country,
        new_deadline=datetime.date(2029, 3, 1),
        decided_on=datetime.date(2026, 11, 1),
        decision="Decision of the Twenty-fourth Meeting of the States Parties",
    )
    north = factories.make_admin_area("PN", name="North")
    lakes = factories.make_admin_area("PN1", name="Lakes", level=2, parent=north)
    south = factories.make_admin_area("PS", name="South")
    recorded = datetime.date(2018, 1, 1)
    cha = factories.make_hazard(
        "A", admin_area=lakes, recorded_area_m2=80_000, date_recorded=recorded
    )
    sha = factories.make_hazard(
        "B",
        hazard_type=HazardType.SHA,
        admin_area=south,
        recorded_area_m2=10_000,
        date_recorded=recorded,
    )
    factories.make_hazard(
        "C",
        admin_area=north,
        recorded_area_m2=5_000,
        status=HazardStatus.HANDED_OVER,
        closed_on=datetime.date(2022, 2, 2),
        date_recorded=recorded,
    )
    factories.make_release(cha, 10_000, datetime.date(2021, 5, 1), devices_ap_mine=4)
    factories.make_release(cha, 20_000, datetime.date(2022, 5, 1), method=ReleaseMethod.CANCELLED)
    factories.make_release(sha, 1_000, datetime.date(2025, 5, 1))
    factories.make_milestone(2022, 15_000)
    factories.make_milestone(2022, 12_000, admin_area=north)
    return {"north": north, "lakes": lakes, "south": south}


def as_json(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 401),
        ("outsider", 403),
        ("observer", 200),
        ("member", 200),
        ("data_manager", 200),
        ("lead_authority", 200),
    ],
)
def test_summary_is_for_readers(clients, persona, status):
    response = clients[persona].get(URL)
    assert response.status_code == status
    if status != 200:
        assert response["Content-Type"] == "application/problem+json"


def test_summary_answers_every_figure_with_iso_dates(clients, land):
    response = clients["member"].get(URL, {"as_of": "2024-06-30"})
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {
        "as_of",
        "admin_area",
        "level",
        "remaining_area_m2",
        "remaining_by_type",
        "hazards_by_status",
        "remaining_by_admin_area",
        "released_by_year",
        "milestones",
        "devices_destroyed",
        "deadline",
        "forecast",
    }
    assert data["as_of"] == "2024-06-30"
    assert (data["admin_area"], data["level"]) == (None, 1)
    assert data["remaining_area_m2"] == 60_000
    assert data["remaining_by_type"] == {"SHA": 10_000, "CHA": 50_000}
    assert data["released_by_year"] == [
        {
            "year": 2021,
            "cancelled_m2": 0,
            "reduced_m2": 0,
            "cleared_m2": 10_000,
            "total_m2": 10_000,
        },
        {
            "year": 2022,
            "cancelled_m2": 20_000,
            "reduced_m2": 0,
            "cleared_m2": 0,
            "total_m2": 20_000,
        },
        {"year": 2023, "cancelled_m2": 0, "reduced_m2": 0, "cleared_m2": 0, "total_m2": 0},
        {"year": 2024, "cancelled_m2": 0, "reduced_m2": 0, "cleared_m2": 0, "total_m2": 0},
    ]
    assert data["milestones"] == [
        {"year": 2022, "planned_m2": 15_000, "actual_m2": 20_000, "met": True}
    ]
    assert data["deadline"] == {"date": "2029-03-01", "days_left": 1705, "extension_count": 1}
    assert data["forecast"]["basis_years"] == [2021, 2022, 2023]
    # 10,000 m² a year (10,000, 20,000 and 0): 60,000 m² in 6 x 365.25 = 2,191.5 -> 2,192 days.
    assert data["forecast"]["rate_m2_per_year"] == 10_000
    assert data["forecast"]["completion_date"] == "2030-07-01"
    assert data["remaining_by_admin_area"][0] == {
        "public_id": str(land["north"].public_id),
        "code": "PN",
        "name": "North",
        "level": 1,
        "remaining_m2": 50_000,
        "sha_m2": 0,
        "cha_m2": 50_000,
        "hazard_count": 1,
    }
    expected = progress.summary(datetime.date(2024, 6, 30))
    assert data == {**as_json(expected), "admin_area": None, "level": 1}


def test_summary_defaults_to_today(clients, land):
    data = clients["member"].get(URL).json()
    assert data["as_of"] == datetime.date.today().isoformat()
    assert data["remaining_area_m2"] == 59_000


def test_summary_of_a_region_at_district_level_with_a_scenario(clients, land):
    query = {
        "as_of": "2024-06-30",
        "admin_area": "PN",
        "level": "2",
        "capacity_change_percent": "-12.5",
    }
    data = clients["member"].get(URL, query).json()
    assert data["admin_area"] == {
        "public_id": str(land["north"].public_id),
        "code": "PN",
        "name": "North",
        "level": 1,
    }
    assert data["level"] == 2
    assert data["remaining_area_m2"] == 50_000
    assert [(row["code"], row["remaining_m2"]) for row in data["remaining_by_admin_area"]] == [
        ("PN1", 50_000),
        ("", 0),
    ]
    assert data["milestones"] == [
        {"year": 2022, "planned_m2": 12_000, "actual_m2": 20_000, "met": True}
    ]
    scenario = data["forecast"]["scenario"]
    assert scenario["capacity_change_percent"] == -12.5
    assert scenario["rate_m2_per_year"] == round(10_000 * 0.875)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"as_of": "30/06/2024"}, "as_of"),
        ({"as_of": "2024-02-30"}, "as_of"),
        ({"as_of": "2999-01-01"}, "as_of"),
        ({"admin_area": "NOWHERE"}, "admin_area"),
        ({"level": "0"}, "level"),
        ({"level": "5"}, "level"),
        ({"level": "two"}, "level"),
        ({"capacity_change_percent": "-101"}, "capacity_change_percent"),
        ({"capacity_change_percent": "lots"}, "capacity_change_percent"),
    ],
)
def test_a_bad_parameter_is_refused_with_its_name(clients, land, query, field):
    response = clients["member"].get(URL, query)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422
    assert list(problem["errors"]) == [field]


def test_every_bad_parameter_is_reported_with_a_clear_message(clients, land):
    query = {"as_of": "2024-13-01", "admin_area": "NOWHERE", "level": "9"}
    problem = clients["member"].get(URL, query).json()
    assert problem["errors"] == {
        "as_of": ["Enter the date as YYYY-MM-DD, such as 2024-12-31."],
        "admin_area": ["There is no admin area with this code."],
        "level": ["Ensure this value is less than or equal to 4."],
    }


def test_messages_come_in_the_language_of_the_request(clients, land):
    response = clients["member"].get(URL, {"level": "9"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 422
    assert response.json()["errors"]["level"] == [
        "Assurez-vous que cette valeur est inférieure ou égale à 4."
    ]


def test_summary_is_documented_in_the_openapi_schema(clients):
    schema = clients["anonymous"].get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/article5/summary"]["get"]
    assert operation["summary"] == "Article 5 progress summary"
    assert {parameter["name"] for parameter in operation["parameters"]} == {
        "as_of",
        "admin_area",
        "level",
        "capacity_change_percent",
    }
    assert set(operation["responses"]) == {"200", "401", "403", "422"}
    summary = schema["components"]["schemas"]["SummaryOut"]
    assert {"remaining_area_m2", "forecast", "milestones"} <= set(summary["properties"])
