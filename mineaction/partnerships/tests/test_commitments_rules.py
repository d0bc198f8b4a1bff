"""The rules of a commitment (delivery dates, money, parties) and the timeliness arithmetic:
on time on the due date, late a day after, overdue once the date has passed, pending until
then; the list's filter agrees with each commitment's own timeliness."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from mineaction.conftest import make_organisation
from mineaction.partnerships.models import Commitment, CommitmentStatus
from mineaction.partnerships.services import partnerships as services
from mineaction.partnerships.tests.partnerships_support import (
    make_commitment,
    make_partnership,
    organisation,
    table_counts,
)

TODAY = datetime.date(2025, 6, 15)
DAY = datetime.timedelta(days=1)
S = CommitmentStatus


@pytest.fixture
def partnership(people):
    return make_partnership()


# Timeliness ------------------------------------------------------------------------------------


CASES = [
    # (status, due_on, delivered_on, timeliness on TODAY)
    (S.DELIVERED, TODAY, TODAY, "on_time"),
    (S.DELIVERED, TODAY, TODAY - DAY, "on_time"),
    (S.DELIVERED, TODAY - DAY, TODAY, "late"),
    (S.DELIVERED, TODAY - 30 * DAY, TODAY - 29 * DAY, "late"),
    (S.PLANNED, TODAY - DAY, None, "overdue"),
    (S.IN_PROGRESS, TODAY - DAY, None, "overdue"),
    (S.PLANNED, TODAY, None, "pending"),
    (S.IN_PROGRESS, TODAY + DAY, None, "pending"),
    (S.NOT_DELIVERED, TODAY - DAY, None, ""),
    (S.CANCELLED, TODAY + DAY, None, ""),
]


@pytest.mark.parametrize(("status", "due_on", "delivered_on", "expected"), CASES)
def test_timeliness_around_the_due_date_and_today(
    partnership, status, due_on, delivered_on, expected
):
    commitment = make_commitment(
        partnership,
        organisation("Clear Fields Association"),
        status=status,
        due_on=due_on,
        delivered_on=delivered_on,
    )
    assert commitment.timeliness(TODAY) == expected


def test_the_timeliness_filter_finds_what_each_commitment_says(partnership):
    ngo = organisation("Clear Fields Association")
    commitments = [
        make_commitment(partnership, ngo, status=s, due_on=d, delivered_on=v)
        for s, d, v, _expected in CASES
    ]
    for timeliness in ("on_time", "late", "overdue", "pending"):
        found = services.timeliness_filter(Commitment.objects.all(), timeliness, TODAY)
        assert set(found) == {c for c in commitments if c.timeliness(TODAY) == timeliness}
    assert [
        services.timeliness_filter(Commitment.objects.all(), value, TODAY).count()
        for value in ("on_time", "late", "overdue", "pending")
    ] == [2, 2, 2, 2]


# Rules -----------------------------------------------------------------------------------------


def values(partnership, **changes):
    return {
        "partnership": partnership,
        "party": organisation("Clear Fields Association"),
        "kind": "technical",
        "description": "Train two survey teams",
        "due_on": TODAY + 30 * DAY,
        "status": S.PLANNED,
        "delivered_on": None,
        "amount": None,
        "currency": "",
    } | changes


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"status": S.DELIVERED}, {"delivered_on": ["Give the date it was delivered."]}),
        (
            {"status": S.DELIVERED, "delivered_on": TODAY + DAY},
            {"delivered_on": ["The delivery date cannot be in the future."]},
        ),
        (
            {"status": S.IN_PROGRESS, "delivered_on": TODAY},
            {
                "delivered_on": [
                    "Only a delivered commitment has a delivery date: leave it empty or mark "
                    "it as delivered."
                ]
            },
        ),
        (
            {"kind": "financial"},
            {
                "amount": ["A financial commitment needs an amount."],
                "currency": ["A financial commitment needs a currency."],
            },
        ),
        (
            {"kind": "financial", "amount": Decimal("10"), "currency": "EURO"},
            {"currency": ["Enter a three-letter ISO 4217 currency code."]},
        ),
        ({"amount": Decimal("10")}, {"currency": ["Give the currency of the amount."]}),
        (
            {"kind": "financial", "amount": Decimal("-1"), "currency": "USD"},
            {"amount": ["The amount cannot be negative."]},
        ),
        ({"description": "  "}, {"description": ["Say what is committed."]}),
        ({"due_on": None}, {"due_on": ["Say by when the commitment is due."]}),
    ],
)
def test_bad_commitments_are_refused_and_nothing_is_saved(partnership, changes, errors):
    before = table_counts()
    with pytest.raises(ValidationError) as refused:
        services.commitment_create(**values(partnership, **changes), today=TODAY)
    assert refused.value.message_dict == errors
    assert table_counts() == before


def test_the_party_must_be_a_party_of_the_partnership(partnership):
    stranger = make_organisation("Far Away Consulting")
    with pytest.raises(ValidationError) as refused:
        services.commitment_create(**values(partnership, party=stranger), today=TODAY)
    assert refused.value.message_dict == {
        "party": ["Far Away Consulting is not a party to the partnership “Clearance partnership”."]
    }


def test_a_commitment_outside_a_partnership_may_be_of_any_organisation(people):
    stranger = make_organisation("Far Away Consulting")
    commitment = services.commitment_create(
        **values(None, party=stranger, kind="financial", amount=Decimal("5"), currency=" usd "),
        today=TODAY,
    )
    assert (commitment.partnership, commitment.party, commitment.currency) == (
        None,
        stranger,
        "USD",
    )


def test_an_update_is_checked_as_the_whole_commitment_would_be(partnership):
    commitment = make_commitment(partnership, organisation("Clear Fields Association"))
    with pytest.raises(ValidationError) as refused:
        services.commitment_update(commitment=commitment, status=S.DELIVERED, today=TODAY)
    assert refused.value.message_dict == {"delivered_on": ["Give the date it was delivered."]}
    commitment.refresh_from_db()
    assert (commitment.status, commitment.delivered_on) == (S.PLANNED, None)
    services.commitment_update(
        commitment=commitment, status=S.DELIVERED, delivered_on=TODAY, today=TODAY
    )
    commitment.refresh_from_db()
    assert (commitment.status, commitment.delivered_on) == (S.DELIVERED, TODAY)
