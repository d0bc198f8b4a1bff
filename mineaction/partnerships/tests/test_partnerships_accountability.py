"""Mutual accountability: per party, what it committed (by kind) and what became of it, with
shares and amounts, figures computed by hand; the JSON twin, the exports and the query count."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from mineaction.partnerships.services import partnerships as services
from mineaction.partnerships.tests.partnerships_support import (
    make_commitment,
    make_partnership,
    organisation,
    queries_for,
)

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def url(partnership):
    return reverse("partnerships:partnership_accountability", args=[partnership.public_id])


@pytest.fixture
def partnership(people):
    """The State's centre: one policy commitment on time, one technical overdue. Clear Fields:
    late, pending, not delivered and one cancelled. Examplia: three financial ones, on time,
    pending and overdue, in euros and dollars."""
    partnership = make_partnership()
    state = organisation("Testland Mine Action Centre")
    ngo = organisation("Clear Fields Association")
    donor = organisation("Kingdom of Examplia")
    make_commitment(
        partnership,
        state,
        kind="policy",
        due_on=TODAY - 10 * DAY,
        status="delivered",
        delivered_on=TODAY - 12 * DAY,
    )
    make_commitment(partnership, state, due_on=TODAY - 5 * DAY, status="in_progress")
    make_commitment(
        partnership, ngo, due_on=TODAY - 20 * DAY, status="delivered", delivered_on=TODAY - 15 * DAY
    )
    make_commitment(partnership, ngo, kind="in_kind", due_on=TODAY + 30 * DAY)
    make_commitment(partnership, ngo, due_on=TODAY - 40 * DAY, status="not_delivered")
    make_commitment(partnership, ngo, due_on=TODAY + 5 * DAY, status="cancelled")
    money = {"kind": "financial", "currency": "EUR"}
    make_commitment(
        partnership,
        donor,
        amount=Decimal("100000"),
        due_on=TODAY - 30 * DAY,
        status="delivered",
        delivered_on=TODAY - 30 * DAY,
        **money,
    )
    make_commitment(partnership, donor, amount=Decimal("50000"), due_on=TODAY + 60 * DAY, **money)
    make_commitment(
        partnership,
        donor,
        kind="financial",
        amount=Decimal("20000"),
        currency="USD",
        due_on=TODAY - DAY,
    )
    return partnership


def side(name, role, *, committed, cancelled=0, kinds, outcomes, shares, amounts=()):
    return {
        "party": name,
        "role": role,
        "committed": committed,
        "cancelled": cancelled,
        "delivered": outcomes[0] + outcomes[1],
        "by_kind": dict(zip(["financial", "in_kind", "technical", "policy"], kinds, strict=True)),
        "outcomes": dict(
            zip(["on_time", "late", "overdue", "pending", "not_delivered"], outcomes, strict=True)
        ),
        "shares": dict(
            zip(["on_time", "late", "overdue", "pending", "not_delivered"], shares, strict=True)
        ),
        "amounts": [
            {"currency": c, "committed": committed_amount, "delivered": delivered_amount}
            for c, committed_amount, delivered_amount in amounts
        ],
    }


THIRD, SIXTH, NOTHING = "0.3333", "0.1667", "0.0000"
EXPECTED_SIDES = [
    side(
        "Testland Mine Action Centre",
        "state",
        committed=2,
        kinds=[0, 0, 1, 1],
        outcomes=[1, 0, 1, 0, 0],
        shares=["0.5000", NOTHING, "0.5000", NOTHING, NOTHING],
    ),
    side(
        "Clear Fields Association",
        "partner",
        committed=3,
        cancelled=1,
        kinds=[0, 1, 2, 0],
        outcomes=[0, 1, 0, 1, 1],
        shares=[NOTHING, THIRD, NOTHING, THIRD, THIRD],
    ),
    side(
        "Kingdom of Examplia",
        "partner",
        committed=3,
        kinds=[3, 0, 0, 0],
        outcomes=[1, 0, 1, 1, 0],
        shares=[THIRD, NOTHING, THIRD, THIRD, NOTHING],
        amounts=[("EUR", "150000.00", "100000.00"), ("USD", "20000.00", "0")],
    ),
]
EXPECTED_PARTNERS = side(
    None,
    "partners",
    committed=6,
    cancelled=1,
    kinds=[3, 1, 2, 0],
    outcomes=[1, 1, 1, 2, 1],
    shares=[SIXTH, SIXTH, SIXTH, THIRD, SIXTH],
    amounts=[("EUR", "150000.00", "100000.00"), ("USD", "20000.00", "0")],
)


def plain(body):
    """A side of the JSON twin with the party by name."""
    return body | {"party": body["party"]["name"] if body["party"] else None}


def test_the_figures_of_each_side(partnership):
    accountability = services.partnership_accountability(partnership, TODAY)
    assert [plain(services.side_json(s)) for s in accountability.sides] == EXPECTED_SIDES
    assert plain(services.side_json(accountability.partners_total)) == EXPECTED_PARTNERS


def test_the_page_puts_the_state_and_each_partner_side_by_side(clients, partnership):
    response = clients["observer"].get(url(partnership))
    assert [(s.party.name if s.party else None, s.role) for s in response.context["columns"]] == [
        ("Testland Mine Action Centre", "state"),
        ("Clear Fields Association", "partner"),
        ("Kingdom of Examplia", "partner"),
        (None, "partners"),
    ]
    assert [row["counts"] for row in response.context["kind_rows"]] == [
        [0, 0, 3, 3],
        [0, 1, 0, 1],
        [1, 2, 0, 2],
        [1, 0, 0, 0],
    ]
    on_time = response.context["outcome_rows"][0]["cells"]
    assert on_time == [
        (1, Decimal("0.5000")),
        (0, Decimal("0.0000")),
        (1, Decimal("0.3333")),
        (1, Decimal("0.1667")),
    ]


def test_the_json_twin(clients, partnership):
    body = clients["member"].get(url(partnership), {"format": "json"}).json()
    assert [plain(s) for s in body["sides"]] == EXPECTED_SIDES
    assert plain(body["partners_total"]) == EXPECTED_PARTNERS
    assert body["today"] == TODAY.isoformat()
    assert [(c["party"]["name"], c["timeliness"]) for c in body["commitments"]] == [
        ("Testland Mine Action Centre", "on_time"),
        ("Testland Mine Action Centre", "overdue"),
        ("Clear Fields Association", ""),  # not delivered, 40 days ago
        ("Clear Fields Association", "late"),
        ("Clear Fields Association", ""),  # cancelled
        ("Clear Fields Association", "pending"),
        ("Kingdom of Examplia", "on_time"),
        ("Kingdom of Examplia", "overdue"),
        ("Kingdom of Examplia", "pending"),
    ]


def test_a_party_without_commitments_has_no_shares(clients, people):
    empty = make_partnership("Empty")
    body = clients["member"].get(url(empty), {"format": "json"}).json()
    assert body["sides"][0]["shares"] == dict.fromkeys(
        ["on_time", "late", "overdue", "pending", "not_delivered"]
    )
    assert [s["committed"] for s in body["sides"]] == [0, 0, 0]


EXPORT_HEADER = [
    "Party",
    "Side",
    "Committed",
    "Financial",
    "In kind",
    "Technical",
    "Policy",
    "Delivered",
    "Delivered on time",
    "Delivered on time (share)",
    "Delivered late",
    "Delivered late (share)",
    "Overdue",
    "Overdue (share)",
    "Pending",
    "Pending (share)",
    "Not delivered",
    "Not delivered (share)",
    "Cancelled",
]


def test_the_xlsx_export_reads_back(clients, partnership):
    response = clients["observer"].get(url(partnership), {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows == [
        EXPORT_HEADER,
        ["Testland Mine Action Centre", "For the State", 2, 0, 0, 1, 1, 1]
        + [1, 0.5, 0, 0, 1, 0.5, 0, 0, 0, 0, 0],
        ["Clear Fields Association", "Partner", 3, 0, 1, 2, 0, 1]
        + [0, 0, 1, 0.3333, 0, 0, 1, 0.3333, 1, 0.3333, 1],
        ["Kingdom of Examplia", "Partner", 3, 3, 0, 0, 0, 1]
        + [1, 0.3333, 0, 0, 1, 0.3333, 1, 0.3333, 0, 0, 0],
        ["All partners", "All partners", 6, 3, 1, 2, 0, 2]
        + [1, 0.1667, 1, 0.1667, 1, 0.1667, 2, 0.3333, 1, 0.1667, 1],
    ]


def test_the_csv_export(clients, partnership):
    response = clients["observer"].get(url(partnership), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == EXPORT_HEADER
    assert rows[1] == [
        "Testland Mine Action Centre",
        "For the State",
        "2",
        "0",
        "0",
        "1",
        "1",
        "1",
        "1",
        "0.5000",
        "0",
        "0.0000",
        "1",
        "0.5000",
        "0",
        "0.0000",
        "0",
        "0.0000",
        "0",
    ]


def test_an_unknown_format_is_refused(clients, partnership):
    response = clients["observer"].get(url(partnership), {"format": "docx"})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "format": ["Unknown format “docx”. Choose one of: json, csv, xlsx."]
    }


def test_the_view_makes_as_many_queries_with_more_commitments(clients, partnership):
    queries = queries_for(clients["observer"], url(partnership))
    json_queries = queries_for(clients["observer"], url(partnership), format="json")
    for number in range(6):
        make_commitment(
            partnership, organisation("Kingdom of Examplia"), description=f"More {number}"
        )
    assert queries_for(clients["observer"], url(partnership)) == queries
    assert queries_for(clients["observer"], url(partnership), format="json") == json_queries
