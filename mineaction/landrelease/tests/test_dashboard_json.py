"""The JSON twin of the Article 5 dashboard: the summary itself, each chart's part of it, the
same filters and access as the page, and 400 with the messages for bad filters."""

import datetime
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from mineaction.landrelease.services import progress
from mineaction.landrelease.tests.test_dashboard_page import AS_OF, make_article5_data

URL = "/article5/progress.json"


@pytest.fixture
def article5(country):
    return make_article5_data(country)


def as_json(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def test_json_twin_is_the_summary_with_iso_dates(clients, article5):
    response = clients["member"].get(URL, {"as_of": AS_OF})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    expected = progress.summary(datetime.date(2024, 6, 30), level=1, capacity_change_percent=50)
    assert response.json() == as_json(expected)
    assert response.json()["as_of"] == "2024-06-30"
    assert response.json()["deadline"]["date"] == "2026-03-01"
    assert response.json()["remaining_area_m2"] == 75_000


def test_json_twin_takes_the_region_level_and_scenario(clients, article5):
    query = {"as_of": AS_OF, "admin_area": "PR01", "level": "1", "capacity_change_percent": "12.5"}
    data = clients["member"].get(URL, query).json()
    expected = progress.summary(
        datetime.date(2024, 6, 30),
        admin_area=article5["north"],
        level=1,
        capacity_change_percent=12.5,
    )
    assert data == as_json(expected)
    assert data["remaining_area_m2"] == 60_000
    assert data["forecast"]["scenario"]["capacity_change_percent"] == 12.5


def test_each_chart_link_answers_with_what_the_chart_draws(clients, article5):
    page = clients["member"].get("/article5/", {"as_of": AS_OF})
    summary = as_json(page.context["summary"])
    for chart in page.context["charts"]:
        data = clients["member"].get(chart.json_url).json()
        assert data["chart"] == chart.key
        assert data["as_of"] == "2024-06-30"
        for key in chart.summary_keys:
            assert data[key] == summary[key], (chart.key, key)


def test_burn_down_json_holds_the_year_ends_it_draws(clients, article5):
    data = clients["member"].get(URL, {"as_of": AS_OF, "chart": "forecast"}).json()
    assert data["remaining_series"] == [
        {"date": "2020-12-31", "remaining_m2": 170_000},
        {"date": "2021-12-31", "remaining_m2": 160_000},
        {"date": "2022-12-31", "remaining_m2": 110_000},
        {"date": "2023-12-31", "remaining_m2": 80_000},
        {"date": "2024-06-30", "remaining_m2": 75_000},
    ]
    assert data["forecast"]["basis_years"] == [2021, 2022, 2023]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"as_of": "2024-13-45"}, "as_of", "Enter the date as YYYY-MM-DD, such as 2024-12-31."),
        ({"admin_area": "NOWHERE"}, "admin_area", "No admin area has this code."),
        ({"capacity_change_percent": "2000"}, "capacity_change_percent", "Ensure this value"),
        ({"chart": "pie"}, "chart", "There is no chart pie."),
    ],
)
def test_bad_filters_are_refused_with_their_messages(clients, article5, query, field, message):
    response = clients["member"].get(URL, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400
    assert list(problem["errors"]) == [field]
    assert problem["errors"][field][0].startswith(message)


def test_bad_filter_messages_are_in_the_readers_language(clients, article5):
    response = clients["member"].get(
        URL, {"capacity_change_percent": "beaucoup"}, headers={"accept-language": "fr"}
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"capacity_change_percent": ["Saisissez un nombre."]}


def test_json_twin_has_the_access_rules_of_the_page(clients, article5):
    assert clients["anonymous"].get(URL)["Location"].startswith("/accounts/login/")
    assert clients["outsider"].get(URL).status_code == 403
    assert clients["observer"].get(URL).status_code == 200
