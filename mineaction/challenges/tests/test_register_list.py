"""The challenge list and its export: filters, order, counts per status, htmx results,
pagination, restricted challenges, query counts, CSV and XLSX files."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from mineaction.challenges.models import ChallengeStatus
from mineaction.challenges.tests.factories import make_challenge
from mineaction.challenges.tests.register_support import LOGIN, assert_outcome, queries_for
from mineaction.conftest import PERSONAS
from mineaction.core.choices import Component, Visibility
from mineaction.landrelease.models import AdminArea

LIST_URL = reverse("challenges:challenge_list")
EXPORT_URL = reverse("challenges:challenge_export")
READERS = ["observer", "member", "lead_donor", "data_manager", "secretariat", "lead_authority"]
LIST_ACCESS = {"anonymous": LOGIN, "outsider": 403} | dict.fromkeys(
    [*READERS, "administrator"], 200
)
S = ChallengeStatus


def references(response):
    return [challenge.reference for challenge in response.context["page"].object_list]


@pytest.fixture
def regions(db):
    east = AdminArea.objects.create(code="E", name="Eastern Province", level=1)
    return {
        "east": east,
        "hill": AdminArea.objects.create(code="E1", name="Hill District", level=2, parent=east),
        "west": AdminArea.objects.create(code="W", name="Western Province", level=1),
    }


@pytest.fixture
def register(people, ngo_org, donor_org, regions):
    """Five challenges of two organisations; CH-003 is restricted to its own organisation."""
    return {
        "gap": make_challenge(
            "Survey teams short",
            ngo_org,
            kind="gap",
            region=regions["hill"],
            raised_on=datetime.date(2024, 1, 10),
        ),
        "trend": make_challenge(
            "Rising déminage costs",
            donor_org,
            kind="trend",
            component=Component.RESOURCE_MOBILISATION,
            status=S.PRIORITISED,
            priority_rank=2,
            raised_on=datetime.date(2024, 2, 10),
        ),
        "secret": make_challenge(
            "Confidential funding gap",
            donor_org,
            kind="gap",
            visibility=Visibility.RESTRICTED,
            raised_on=datetime.date(2024, 3, 10),
        ),
        "resolved": make_challenge(
            "Victim data not shared",
            ngo_org,
            kind="concern",
            component=Component.PARTICIPATION,
            status=S.RESOLVED,
            region=regions["west"],
            raised_on=datetime.date(2024, 4, 10),
        ),
        "first": make_challenge(
            "No national standard for drones",
            ngo_org,
            kind="opportunity",
            status=S.PRIORITISED,
            priority_rank=1,
            region=regions["east"],
            raised_on=datetime.date(2024, 5, 10),
        ),
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_list_is_for_members(clients, persona):
    assert_outcome(clients[persona].get(LIST_URL), LIST_ACCESS[persona])


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_export_is_for_members(clients, persona):
    assert_outcome(clients[persona].get(EXPORT_URL, {"format": "csv"}), LIST_ACCESS[persona])


def test_priorities_come_first_then_the_newest(clients, register):
    response = clients["secretariat"].get(LIST_URL)
    assert references(response) == ["CH-005", "CH-002", "CH-004", "CH-003", "CH-001"]


def test_a_restricted_challenge_is_hidden_from_other_organisations(clients, register):
    assert references(clients["member"].get(LIST_URL)) == ["CH-005", "CH-002", "CH-004", "CH-001"]
    # The raising organisation (the lead donor's) and the secretariat see it.
    assert "CH-003" in references(clients["lead_donor"].get(LIST_URL))
    assert "CH-003" in references(clients["lead_authority"].get(LIST_URL))


def test_a_challenge_restricted_to_an_organisation_shows_to_it(clients, register, ngo_org):
    register["secret"].restricted_to.add(ngo_org)
    assert "CH-003" in references(clients["member"].get(LIST_URL))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"component": "resource_mobilisation"}, ["CH-002"]),
        ({"status": "prioritised"}, ["CH-005", "CH-002"]),
        ({"kind": "gap"}, ["CH-003", "CH-001"]),
        ({"region": "E"}, ["CH-005", "CH-001"]),
        ({"region": "E1"}, ["CH-001"]),
        ({"state": "closed"}, ["CH-004"]),
        ({"state": "open"}, ["CH-005", "CH-002", "CH-003", "CH-001"]),
        ({"q": "DEMINAGE"}, ["CH-002"]),
        ({"q": "ch-004"}, ["CH-004"]),
        ({"q": "gap funding"}, ["CH-003"]),
        ({"kind": "gap", "state": "open", "component": "technical"}, ["CH-003", "CH-001"]),
    ],
)
def test_the_filters(clients, register, params, expected):
    assert references(clients["secretariat"].get(LIST_URL, params)) == expected


def test_a_bad_filter_is_reported_and_ignored(clients, register):
    response = clients["secretariat"].get(LIST_URL, {"region": "NOWHERE", "kind": "gap"})
    assert references(response) == ["CH-003", "CH-001"]
    assert (
        "Some filters are not valid and were ignored: Select a valid choice. That choice is "
        "not one of the available choices."
    ) in " ".join(response.content.decode().split())


def test_counts_per_status_follow_the_other_filters(clients, register):
    response = clients["secretariat"].get(LIST_URL, {"kind": "gap", "status": "identified"})
    assert response.context["status_counts"] == [
        ("identified", "Identified", 2),
        ("under_discussion", "Under discussion", 0),
        ("prioritised", "Prioritised", 0),
        ("being_addressed", "Being addressed", 0),
        ("resolved", "Resolved", 0),
        ("parked", "Parked", 0),
    ]
    counts = clients["member"].get(LIST_URL).context["status_counts"]
    assert [count for _status, _label, count in counts] == [1, 0, 2, 0, 1, 0]


def test_htmx_gets_only_the_results(clients, register):
    response = clients["member"].get(LIST_URL, {"kind": "gap"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="results"')
    assert "<html" not in content
    assert "CH-001" in content


def test_the_list_is_paginated(clients, ngo_org):
    for number in range(27):
        make_challenge(f"Challenge {number}", ngo_org)
    first = clients["member"].get(LIST_URL)
    second = clients["member"].get(LIST_URL, {"page": 2})
    assert (len(first.context["page"]), len(second.context["page"])) == (25, 2)
    assert references(second) == ["CH-002", "CH-001"]
    assert "Page 2 of 2" in second.content.decode()


def test_the_list_offers_the_exports_with_its_filters(clients, register):
    content = clients["member"].get(LIST_URL, {"kind": "gap", "page": 1}).content.decode()
    assert f'href="{EXPORT_URL}?kind=gap&amp;format=csv"' in content
    assert f'href="{EXPORT_URL}?kind=gap&amp;format=xlsx"' in content


@pytest.mark.parametrize("persona", ["member", "secretariat"])
def test_the_list_makes_as_many_queries_for_forty_challenges_as_for_four(
    clients, ngo_org, donor_org, regions, persona
):
    def add(count):
        for number in range(count):
            make_challenge(
                f"Challenge {number}",
                ngo_org if number % 2 else donor_org,
                region=regions["hill"],
                visibility=Visibility.RESTRICTED if number % 3 == 0 else Visibility.MEMBERS,
            )

    add(4)
    few = queries_for(clients[persona], LIST_URL, q="challenge")
    add(36)
    many = queries_for(clients[persona], LIST_URL, q="challenge")
    assert few == many


# Exports -----------------------------------------------------------------------------------------

HEADERS = [
    "Reference",
    "Title",
    "Kind",
    "Component",
    "Status",
    "Status since",
    "Priority rank",
    "Priority score",
    "Region",
    "Raised by organisation",
    "Raised by",
    "Raised on",
    "Visibility",
    "Description",
    "Evidence",
    "Resolution",
]


def test_the_csv_export_holds_the_visible_challenges_in_order(clients, register):
    register["first"].priority_score = Decimal("4.125")
    register["first"].save()
    response = clients["member"].get(EXPORT_URL, {"format": "csv", "state": "open"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="challenges.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == HEADERS
    assert [row[0] for row in rows[1:]] == ["CH-005", "CH-002", "CH-001"]
    assert rows[1][1:13] == [
        "No national standard for drones",
        "Opportunity",
        "Technical",
        "Prioritised",
        register["first"].status_changed_on.isoformat(),
        "1",
        "4.125",
        "Eastern Province",
        "Clear Fields Association",
        "",
        "2024-05-10",
        "Members",
    ]


def test_the_xlsx_export_reads_back_and_escapes_formulas(clients, ngo_org):
    make_challenge(
        '=HYPERLINK("http://example.org")',
        ngo_org,
        description="+1 more team",
        evidence="@SUM(A1)",
    )
    response = clients["observer"].get(EXPORT_URL, {"format": "xlsx"})
    assert response["Content-Disposition"] == 'attachment; filename="challenges.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert rows[1][:2] == ("CH-001", '=HYPERLINK("http://example.org")')
    assert (rows[1][13], rows[1][14]) == ("+1 more team", "@SUM(A1)")
    title_cell = sheet.cell(row=2, column=2)
    assert (title_cell.data_type, title_cell.quotePrefix) == ("s", True)
    csv_response = clients["observer"].get(EXPORT_URL, {"format": "csv"})
    row = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))[1]
    assert (row[1], row[13], row[14]) == (
        '\'=HYPERLINK("http://example.org")',
        "'+1 more team",
        "'@SUM(A1)",
    )


def test_the_export_leaves_out_challenges_restricted_to_others(clients, register):
    response = clients["member"].get(EXPORT_URL, {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "CH-005",
        "CH-002",
        "CH-004",
        "CH-001",
    ]


def test_the_export_page_offers_the_formats_and_refuses_an_unknown_one(clients, register):
    page = clients["member"].get(EXPORT_URL)
    assert page.status_code == 200
    assert "Download Excel (XLSX)" in page.content.decode()
    refused = clients["member"].get(EXPORT_URL, {"format": "pdf"})
    assert refused.status_code == 400
    assert "Unknown format: pdf. Choose CSV or Excel (XLSX)." in refused.content.decode()


def test_the_export_refuses_bad_filters(clients, register):
    refused = clients["member"].get(EXPORT_URL, {"format": "csv", "status": "lost"})
    assert refused.status_code == 400
    assert "Select a valid choice. lost is not one of the available choices." in (
        refused.content.decode()
    )
