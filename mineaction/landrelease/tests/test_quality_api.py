"""/api/v1/article5/quality: the geometry quality checks, for land data managers."""

import pytest

from mineaction.conftest import PERSONAS
from mineaction.core.tests.api_support import PROBLEM, token_client
from mineaction.landrelease.tests.factories import make_admin_area, make_hazard, square

URL = "/api/v1/article5/quality"
LAND_MANAGERS = {"data_manager", "lead_authority", "administrator"}


@pytest.fixture
def hazards(db):
    make_admin_area("PR01", geometry_json=square(30, -18, side_deg=1))
    return {
        "over_a": make_hazard("OVER-A", geometry_json=square(30.2, -17.2)),
        "over_b": make_hazard("OVER-B", geometry_json=square(30.2005, -17.2)),
        "same_a": make_hazard("SAME-A", geometry_json=square(30.5, -17.5)),
        "same_b": make_hazard("SAME-B", geometry_json=square(30.5, -17.5)),
        "far": make_hazard("FAR", geometry_json=square(35, -17.5)),
    }


def expected_status(persona):
    if persona == "anonymous":
        return 401
    return 200 if persona in LAND_MANAGERS else 403


@pytest.mark.parametrize("persona", PERSONAS)
def test_quality_api_is_for_land_data_managers(people, hazards, persona):
    response = token_client(people, persona).get(URL)
    assert response.status_code == expected_status(persona)
    if response.status_code != 200:
        assert response["Content-Type"] == PROBLEM
    if persona == "member":
        assert response.json()["detail"] == (
            "Only data managers, the lead authority and administrators run the quality checks."
        )


def test_quality_api_lists_findings_with_counts_and_limits(people, hazards, settings):
    settings.GEOMETRY_MAX_VERTEX_SPACING_M = 4000
    settings.GEOMETRY_COUNTRY_MARGIN_M = 20000
    body = token_client(people, "data_manager").get(URL).json()
    assert body["count"] == 3
    assert body["hazards_checked"] == 5
    assert body["limits"]["max_vertex_spacing_m"] == 4000
    assert body["limits"]["country_margin_m"] == 20000
    assert body["limits"]["country_extent"][1] == pytest.approx(-18 - 20000 / 110_574)
    assert body["counts"] == [
        {
            "code": "outside_country",
            "severity": "error",
            "check": "Far outside the country",
            "count": 1,
        },
        {
            "code": "duplicate_geometry",
            "severity": "warning",
            "check": "Same geometry under two ids",
            "count": 1,
        },
        {"code": "overlap", "severity": "warning", "check": "Overlapping hazard areas", "count": 1},
    ]
    assert [
        (f["code"], f["external_id"], f["other_external_id"], f["hazard"], f["other_hazard"])
        for f in body["results"]
    ] == [
        ("outside_country", "FAR", None, str(hazards["far"].public_id), None),
        (
            "duplicate_geometry",
            "SAME-A",
            "SAME-B",
            str(hazards["same_a"].public_id),
            str(hazards["same_b"].public_id),
        ),
        (
            "overlap",
            "OVER-A",
            "OVER-B",
            str(hazards["over_a"].public_id),
            str(hazards["over_b"].public_id),
        ),
    ]
    assert body["results"][1]["message"] == "SAME-A and SAME-B have the same geometry."


def test_quality_api_filters_and_pages(people, hazards):
    client = token_client(people, "administrator")
    warnings = client.get(URL, {"severity": "warning", "page_size": 1, "page": 2}).json()
    assert (warnings["count"], warnings["page"], warnings["page_size"]) == (2, 2, 1)
    assert [f["code"] for f in warnings["results"]] == ["overlap"]
    assert len(warnings["counts"]) == 3  # the counts are before the filters
    overlaps = client.get(URL, {"code": "overlap"}).json()
    assert [f["external_id"] for f in overlaps["results"]] == ["OVER-A"]
    past_the_end = client.get(URL, {"page": 5}).json()
    assert (past_the_end["count"], past_the_end["results"]) == (3, [])


def test_quality_api_refuses_an_unknown_check(people, hazards):
    response = token_client(people, "data_manager").get(
        URL, {"code": "nonsense", "severity": "bad"}
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"] == {
        "code": ["Select a valid choice. nonsense is not one of the available choices."],
        "severity": ["Select a valid choice. bad is not one of the available choices."],
    }


def test_quality_api_without_data_has_no_findings(people, db):
    body = token_client(people, "lead_authority").get(URL).json()
    assert (body["count"], body["results"], body["counts"], body["hazards_checked"]) == (
        0,
        [],
        [],
        0,
    )
    assert body["limits"]["country_extent"] is None
