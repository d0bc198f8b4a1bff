"""Saving a pledge writes its split over the years: equal parts, or an explicit split that must
add up exactly and lie within its years; a refused pledge writes nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from mineaction.funding.models import Pledge, PledgeYear
from mineaction.funding.services.money import pledge_save
from mineaction.funding.tests.funding_support import amounts_of, make_donor, make_pledge


@pytest.fixture
def donor(db):
    return make_donor("Republic of Donoria")


def _pledge(donor, **fields):
    values = {
        "donor": donor,
        "title": "Clearance in the north",
        "amount": Decimal("1000.00"),
        "currency": "eur",
        "first_year": 2025,
        "last_year": 2027,
    }
    values.update(fields)
    return Pledge(**values)


def test_a_pledge_without_a_split_is_shared_equally_in_cents(donor):
    pledge = pledge_save(pledge=_pledge(donor))
    assert pledge.currency == "EUR"
    assert amounts_of(pledge) == {
        2025: Decimal("333.34"),
        2026: Decimal("333.33"),
        2027: Decimal("333.33"),
    }


def test_an_explicit_split_that_adds_up_is_kept(donor):
    pledge = pledge_save(
        pledge=_pledge(donor), years={2025: "500.00", 2026: "0.00", 2027: Decimal("500")}
    )
    assert amounts_of(pledge) == {
        2025: Decimal("500.00"),
        2026: Decimal("0.00"),
        2027: Decimal("500.00"),
    }


def test_a_split_that_does_not_add_up_names_the_difference_and_writes_nothing(donor):
    with pytest.raises(ValidationError) as refused:
        pledge_save(pledge=_pledge(donor), years={2025: "400.00", 2026: "400.00"})
    assert refused.value.message_dict == {
        "years": ["The yearly parts add up to 800.00, 200.00 less than the amount 1000.00."]
    }
    with pytest.raises(ValidationError) as refused:
        pledge_save(pledge=_pledge(donor), years={2025: "600.00", 2026: "400.01"})
    assert refused.value.message_dict == {
        "years": ["The yearly parts add up to 1000.01, 0.01 more than the amount 1000.00."]
    }
    assert Pledge.objects.count() == 0
    assert PledgeYear.objects.count() == 0


def test_a_split_outside_the_pledge_years_is_refused(donor):
    with pytest.raises(ValidationError) as refused:
        pledge_save(pledge=_pledge(donor), years={2024: "500.00", 2025: "500.00"})
    assert refused.value.message_dict == {
        "years": ["2024 lies outside the pledge's years (2025 to 2027)."]
    }
    assert Pledge.objects.count() == 0


def test_a_negative_part_or_a_part_finer_than_a_cent_is_refused(donor):
    with pytest.raises(ValidationError) as refused:
        pledge_save(pledge=_pledge(donor), years={2025: "1100.00", 2026: "-100.00"})
    assert refused.value.message_dict == {"years": ["The part for 2026 cannot be negative."]}
    with pytest.raises(ValidationError) as refused:
        pledge_save(pledge=_pledge(donor), years={2025: "999.995", 2026: "0.005"})
    assert refused.value.message_dict == {
        "years": ["The part for 2025 has more than two decimals."]
    }
    assert Pledge.objects.count() == 0


def test_years_in_the_wrong_order_or_too_many_are_refused(donor):
    with pytest.raises(ValidationError) as refused:
        pledge_save(pledge=_pledge(donor, first_year=2027, last_year=2025))
    assert refused.value.message_dict == {
        "last_year": ["The last year cannot come before the first year."]
    }
    with pytest.raises(ValidationError) as refused:
        pledge_save(pledge=_pledge(donor, first_year=2025, last_year=2205))
    assert refused.value.message_dict == {"last_year": ["Enter a year between 1990 and 2100."]}
    with pytest.raises(ValidationError) as refused:
        pledge_save(pledge=_pledge(donor, first_year=2025, last_year=2060))
    assert refused.value.message_dict == {"last_year": ["A pledge can span at most 30 years."]}
    assert Pledge.objects.count() == 0


def test_a_bad_currency_or_amount_is_refused_with_the_model_messages(donor):
    with pytest.raises(ValidationError) as refused:
        pledge_save(pledge=_pledge(donor, currency="EURO", amount=Decimal("10.001")))
    assert set(refused.value.message_dict) == {"currency", "amount"}
    assert Pledge.objects.count() == 0


def test_changing_the_years_rewrites_the_split(donor):
    pledge = make_pledge(donor, "900.00", "EUR", 2025, 2027)
    pledge.first_year, pledge.last_year = 2026, 2028
    pledge_save(pledge=pledge)
    assert amounts_of(pledge) == {
        2026: Decimal("300.00"),
        2027: Decimal("300.00"),
        2028: Decimal("300.00"),
    }
    pledge.amount = Decimal("100.00")
    pledge_save(pledge=pledge, years={2028: "100.00"})
    assert amounts_of(pledge) == {2028: Decimal("100.00")}


def test_a_refused_change_leaves_the_pledge_and_its_split_as_they_were(donor):
    pledge = make_pledge(donor, "900.00", "EUR", 2025, 2027)
    pledge.amount = Decimal("1000.00")
    with pytest.raises(ValidationError):
        pledge_save(pledge=pledge, years={2025: "1.00"})
    pledge.refresh_from_db()
    assert pledge.amount == Decimal("900.00")
    assert amounts_of(pledge) == {
        2025: Decimal("300.00"),
        2026: Decimal("300.00"),
        2027: Decimal("300.00"),
    }
