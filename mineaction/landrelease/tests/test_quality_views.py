"""The quality report page /article5/quality/ and its CSV of findings."""

import csv
import io
import re

import pytest
from django.urls import reverse

from mineaction.conftest import PERSONAS
from mineaction.landrelease.tests.factories import make_admin_area, make_hazard, square

PAGE = reverse("landrelease:quality_report")
CSV = reverse("landrelease:quality_findings_csv")
LAND_MANAGERS = {"data_manager", "lead_authority", "administrator"}


def expected_status(persona):
    if persona == "anonymous":
        return 302
    return 200 if persona in LAND_MANAGERS else 403


@pytest.fixture
def hazards(db):
    """One region and, inside it, two overlapping hazard areas and a bow-tie; one far away."""
    make_admin_area("PR01", geometry_json=square(30, -18, side_deg=1))
    over_a = make_hazard("OVER-A", geometry_json=square(30.2, -17.2))
    over_b = make_hazard("OVER-B", geometry_json=square(30.2005, -17.2))
    far = make_hazard("=FAR", geometry_json=square(35, -17.5))
    return {"over_a": over_a, "over_b": over_b, "far": far}


def rows(response):
    """The findings table's rows as text, tags stripped."""
    html = response.content.decode()
    table = html.split('id="results"', 1)[1]
    body = table.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in table else ""
    return [
        [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells]
        for cells in (
            re.findall(r"<td>(.*?)</td>", row, re.S)
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
        )
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_quality_report_is_for_land_data_managers(clients, hazards, persona):
    response = clients[persona].get(PAGE)
    assert response.status_code == expected_status(persona)
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_findings_csv_is_for_land_data_managers(clients, hazards, persona):
    response = clients[persona].get(CSV)
    assert response.status_code == expected_status(persona)


def test_report_counts_each_check_and_lists_the_findings(clients, hazards, settings):
    settings.GEOMETRY_MAX_VERTEX_SPACING_M = 5000
    settings.GEOMETRY_COUNTRY_MARGIN_M = 20000
    response = clients["data_manager"].get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Every check was run now over the 3 stored hazard areas." in html
    assert "Two consecutive vertices more than 5 km apart are reported." in html
    assert "more than 20 km outside the extent of the admin areas" in html
    assert "2 findings" in html
    assert f'href="{PAGE}?code=outside_country">Far outside the country</a>' in html
    assert f'href="{PAGE}?code=overlap">Overlapping hazard areas</a>' in html
    assert rows(response)[0][:4] == ["Error", "Far outside the country", "=FAR", ""]
    assert rows(response)[1] == [
        "Warning",
        "Overlapping hazard areas",
        "OVER-A",
        "OVER-B",
        rows(response)[1][4],
    ]
    assert rows(response)[1][4].startswith("OVER-A overlaps OVER-B over ")
    over_a = reverse("landrelease:hazard_detail", args=[hazards["over_a"].public_id])
    over_b = reverse("landrelease:hazard_detail", args=[hazards["over_b"].public_id])
    assert f'<a href="{over_a}">OVER-A</a>' in html
    assert f'<a href="{over_b}">OVER-B</a>' in html


def test_report_says_when_the_country_check_cannot_run(clients, db):
    make_hazard("LONELY", geometry_json=square(35, -17.5))
    html = clients["data_manager"].get(PAGE).content.decode()
    assert (
        "No admin area has a boundary, so geometries far outside the country cannot be found"
        in html
    )
    assert "No check found a problem." in html
    assert "No finding matches these filters." in html


def test_report_filters_by_check_and_severity(clients, hazards):
    by_check = clients["data_manager"].get(PAGE, {"code": "overlap"})
    assert [row[1] for row in rows(by_check)] == ["Overlapping hazard areas"]
    by_severity = clients["data_manager"].get(PAGE, {"severity": "error"})
    assert [row[2] for row in rows(by_severity)] == ["=FAR"]
    nothing = clients["data_manager"].get(PAGE, {"code": "duplicate_id"})
    assert rows(nothing) == []
    assert "No finding matches these filters." in nothing.content.decode()


def test_unknown_filter_is_explained_and_filters_nothing(clients, hazards):
    response = clients["data_manager"].get(PAGE, {"code": "nonsense"})
    assert response.status_code == 200
    assert "Select a valid choice. nonsense is not one of the available choices." in (
        response.content.decode()
    )
    assert len(rows(response)) == 2


def test_report_pages_fifty_findings_at_a_time(clients, db):
    # 12 hazard areas with the same geometry: 66 pairs, each a duplicate geometry.
    for number in range(12):
        make_hazard(f"SAME-{number:02d}", geometry_json=square(30, -18))
    first = clients["lead_authority"].get(PAGE)
    assert len(rows(first)) == 50
    assert "Page 1 of 2" in first.content.decode()
    second = clients["lead_authority"].get(PAGE, {"page": 2})
    assert len(rows(second)) == 16
    assert rows(second)[-1][2:4] == ["SAME-10", "SAME-11"]


def test_htmx_request_gets_only_the_results(clients, hazards):
    response = clients["data_manager"].get(
        PAGE, {"code": "overlap"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "<h1>" not in html


def test_csv_lists_the_findings_with_the_filters_of_the_page(clients, hazards):
    response = clients["administrator"].get(CSV)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="hazard-area-quality.csv"'
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0] == ["severity", "code", "check", "external_id", "other_external_id", "message"]
    assert [line[:5] for line in lines[1:]] == [
        # An id that a spreadsheet would run as a formula is quoted.
        ["error", "outside_country", "Far outside the country", "'=FAR", ""],
        ["warning", "overlap", "Overlapping hazard areas", "OVER-A", "OVER-B"],
    ]
    assert lines[1][5].startswith("The geometry lies ")
    filtered = clients["administrator"].get(CSV, {"severity": "warning"})
    assert [line[1] for line in csv.reader(io.StringIO(filtered.content.decode()))] == [
        "code",
        "overlap",
    ]


def test_csv_link_carries_the_filters(clients, hazards):
    html = clients["data_manager"].get(PAGE, {"code": "overlap", "page": "1"}).content.decode()
    assert f'href="{CSV}?code=overlap"' in html
