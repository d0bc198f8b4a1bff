"""The IATI import on the real files of the shared data folder: the figures imported agree
with SOURCES.md and with an independent ElementTree count of the same file, in total, per
type, per currency and per year, as published and weighted by the 15250 share."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear

from mineaction.funding.iati import import_iati
from mineaction.funding.models import (
    Disbursement,
    IatiActivity,
    IatiBudget,
    IatiImport,
    IatiTransaction,
    Pledge,
    PledgeYear,
)
from mineaction.funding.tests.iatifiles import (
    DPORTAL,
    EXAMPLE,
    STATE_LAOS,
    counts,
    expected_figures,
    sums,
    table_counts,
)
from mineaction.stakeholders.models import Organisation, OrganisationType

pytestmark = pytest.mark.django_db

# SOURCES.md: 15250 net sums per calendar year of transaction date (USD), types 2 and 3.
LAOS_YEARS = {
    2012: ("1550000", "1149152"),
    2013: ("4229064", "2086128"),
    2014: ("7868746", "5901560"),
    2015: ("5958477", "2534815"),
    2016: ("20775654", "16343635"),
    2017: ("20775654", "16343635"),
    2018: ("10481773", "7062968"),
    2019: ("17632989", "7577134"),
    2020: ("40238347", "27106695"),
    2021: ("38402468", "25355511"),
    2022: ("78056433", "28162120"),
    2023: ("15286531", "31900682"),
}


def stored_by_year(type_code):
    rows = (
        IatiTransaction.objects.filter(type=type_code)
        .annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(total=Sum("value"))
    )
    return {row["year"]: row["total"] for row in rows}


@pytest.fixture
def laos(db):
    return import_iati(STATE_LAOS, country="LA")


def test_state_laos_imports_the_48_mine_action_activities_of_sources_md(laos):
    activities, transactions = expected_figures(STATE_LAOS, country="LA")

    assert laos.status == IatiImport.Status.DONE
    assert laos.report["errors"] == []
    assert IatiActivity.objects.count() == 48 == len(activities)
    assert IatiTransaction.objects.count() == 359 == len(transactions)
    assert (laos.activities_created, laos.activities_skipped, laos.transactions) == (48, 110, 359)
    assert laos.report["activities"] == {
        "in_file": 158,
        "imported": 48,
        "created": 48,
        "updated": 0,
        "unchanged": 0,
        "skipped": {"no_mine_action_sector": 110, "other_country": 0, "no_recipient_country": 0},
    }
    assert laos.report["transactions"]["in_file"] == 614
    assert laos.report["transactions"]["in_skipped_activities"] == 614 - 359


def test_state_laos_sums_per_type_agree_with_sources_md_and_an_independent_count(laos):
    _activities, transactions = expected_figures(STATE_LAOS, country="LA")
    stored = {
        row["type"]: (row["count"], row["total"])
        for row in IatiTransaction.objects.values("type")
        .annotate(count=Count("id"), total=Sum("value"))
        .order_by()
    }

    assert stored == {
        "2": (78, Decimal("261256136.00")),
        "3": (281, Decimal("171524035.00")),
    }
    assert counts(transactions, "type") == {"2": 78, "3": 281}
    assert sums(transactions, "type") == {
        ("2",): Decimal("261256136"),
        ("3",): Decimal("171524035"),
    }
    assert [
        (row["type"], row["count"], row["currencies"])
        for row in laos.report["transactions"]["by_type"]
    ] == [
        ("2", 78, [{"currency": "USD", "value": "261256136.00", "weighted": "261256136.00"}]),
        ("3", 281, [{"currency": "USD", "value": "171524035.00", "weighted": "171524035.00"}]),
    ]
    # Every transaction carries 15250: its share is 1 and the weighted sums are the same.
    assert set(IatiTransaction.objects.values_list("share", flat=True)) == {Decimal("1")}


def test_state_laos_sums_per_year_agree_with_sources_md_and_an_independent_count(laos):
    _activities, transactions = expected_figures(STATE_LAOS, country="LA")
    by_year = sums(transactions, "type", "year")
    report_years = {
        (row["type"], entry["year"]): Decimal(entry["value"])
        for row in laos.report["transactions"]["by_type"]
        for entry in row["years"]
    }

    for type_code, column in (("2", 0), ("3", 1)):
        table = {year: Decimal(values[column]) for year, values in LAOS_YEARS.items()}
        assert stored_by_year(type_code) == table
        assert {year: by_year[(type_code, year)] for year in table} == table
        assert {year: report_years[(type_code, year)] for year in table} == table
    assert IatiTransaction.objects.filter(value__lt=0).count() == 12


def test_state_laos_derives_disbursements_equal_to_the_type_3_transactions_per_year(laos):
    disbursed = (
        Disbursement.objects.filter(source="iati")
        .annotate(year=ExtractYear("disbursed_on"))
        .values("year")
        .annotate(total=Sum("amount"))
    )

    assert Disbursement.objects.filter(source="iati").count() == 281
    assert {row["year"]: row["total"] for row in disbursed} == {
        year: Decimal(values[1]) for year, values in LAOS_YEARS.items()
    }
    assert set(Disbursement.objects.values_list("donor__iati_identifier", flat=True)) == {
        "US-GOV-11"
    }


def test_state_laos_derives_one_pledge_per_activity_with_a_positive_commitment(laos):
    _activities, transactions = expected_figures(STATE_LAOS, country="LA")
    net = defaultdict(Decimal)
    for row in transactions:
        if row["type"] == "2":
            net[row["activity"]] += row["value"]
    positive = {identifier: total for identifier, total in net.items() if total > 0}

    pledges = Pledge.objects.filter(source="iati").select_related("iati_activity")
    assert {p.iati_activity.iati_identifier: p.amount for p in pledges} == positive
    assert len(positive) == 35
    # The four activities whose commitments net below zero (de-obligations of money committed
    # before the file's records) derive no pledge: the pledged total is higher by their sum.
    assert sum(positive.values()) == Decimal("261256136") + Decimal("287927")
    assert sum(total for total in net.values() if total <= 0) == Decimal("-287927")
    assert {p.status for p in pledges} <= {"committed", "disbursed"}
    for pledge in pledges:
        assert sum(pledge.years.values_list("amount", flat=True)) == pledge.amount
        assert pledge.years.filter(amount__lte=0).count() == 0


def test_state_laos_pledge_years_follow_the_commitment_dates(laos):
    """Activities without a de-obligation: each year's part is that year's commitments."""
    _activities, transactions = expected_figures(STATE_LAOS, country="LA")
    per_activity_year = sums([r for r in transactions if r["type"] == "2"], "activity", "year")
    negative = {r["activity"] for r in transactions if r["type"] == "2" and r["value"] < 0}
    checked = 0
    for pledge in Pledge.objects.select_related("iati_activity"):
        identifier = pledge.iati_activity.iati_identifier
        if identifier in negative:
            continue
        expected = {
            year: total
            for (activity, year), total in per_activity_year.items()
            if activity == identifier
        }
        assert dict(pledge.years.values_list("year", "amount")) == expected
        assert (pledge.first_year, pledge.last_year) == (min(expected), max(expected))
        checked += 1
    assert checked == 35 - 3  # three of the 35 pledges had a de-obligation


def test_a_de_obligation_reduces_the_years_before_it(laos):
    """US-GOV-11-SPMWRA18GR0022-117585 committed 210,000 in 2021 and took back 146,696 in
    2023 (SOURCES: type 2 nets include de-obligations)."""
    pledge = Pledge.objects.get(iati_activity__iati_identifier="US-GOV-11-SPMWRA18GR0022-117585")

    assert pledge.amount == Decimal("63304.00")
    assert (pledge.first_year, pledge.last_year) == (2021, 2023)
    assert list(pledge.years.values_list("year", "amount")) == [(2021, Decimal("63304.00"))]
    assert any(
        issue["activity"] == "US-GOV-11-SPMWRA18GR0022-117585"
        and issue["message"].startswith("A negative value (-146696.00 USD on 2023-01-19)")
        for issue in laos.report["warnings"]
    )


def test_state_laos_creates_the_department_of_state_as_a_donor_state(laos):
    donor = Organisation.objects.get(iati_identifier="US-GOV-11")

    assert (donor.name, donor.type) == ("Department of State", OrganisationType.DONOR_STATE)
    assert laos.report["organisations_created"] == [
        {
            "name": "Department of State",
            "iati_identifier": "US-GOV-11",
            "type": "donor_state",
            "public_id": str(donor.public_id),
        }
    ]
    assert set(Pledge.objects.values_list("donor", flat=True)) == {donor.pk}


def test_the_donor_is_the_organisation_with_the_reporting_organisation_identifier(db):
    state = Organisation.objects.create(
        name="United States of America",
        type=OrganisationType.DONOR_STATE,
        iati_identifier="US-GOV-11",
    )
    before = Organisation.objects.count()

    record = import_iati(STATE_LAOS, country="LA")

    assert Organisation.objects.count() == before
    assert record.report["organisations_created"] == []
    assert set(Pledge.objects.values_list("donor", flat=True)) == {state.pk}
    assert set(Disbursement.objects.values_list("donor", flat=True)) == {state.pk}


def test_a_donor_whose_name_is_taken_is_created_under_its_name_and_identifier(db):
    Organisation.objects.create(name="Department of State", type=OrganisationType.OTHER)

    record = import_iati(STATE_LAOS, country="LA")

    created = Organisation.objects.get(iati_identifier="US-GOV-11")
    assert created.name == "Department of State (US-GOV-11)"
    assert any(
        "An organisation named “Department of State” exists without the IATI identifier"
        in w["message"]
        for w in record.report["warnings"]
    )


def test_state_laos_for_another_country_imports_nothing(db):
    record = import_iati(STATE_LAOS, country="KH")

    assert record.status == IatiImport.Status.DONE
    assert record.report["activities"]["skipped"] == {
        "no_mine_action_sector": 110,
        "other_country": 48,
        "no_recipient_country": 0,
    }
    assert IatiActivity.objects.count() == 0
    assert Organisation.objects.filter(iati_identifier="US-GOV-11").count() == 0


def test_dportal_weights_activity_level_sectors_by_their_percentage(db):
    record = import_iati(DPORTAL)
    activities, transactions = expected_figures(DPORTAL)

    assert record.status == IatiImport.Status.DONE
    assert (
        dict(IatiActivity.objects.values_list("iati_identifier", "share"))
        == {
            "XI-IATI-EC_FPI-2019/407-774": Decimal("1"),
            "XI-IATI-EC_FPI-2019/42200/0": Decimal("0.55"),
            "XI-IATI-EC_FPI-2019/42303/0": Decimal("0.3"),
        }
        == activities
    )
    # SOURCES.md: full values and values weighted by the 15250 percentage.
    expected = {
        "2": [{"currency": "EUR", "value": "27500000.00", "weighted": "13000000.00"}],
        "3": [{"currency": "EUR", "value": "6749958.66", "weighted": "6749958.66"}],
    }
    assert {
        r["type"]: r["currencies"] for r in record.report["transactions"]["by_type"]
    } == expected
    assert sums(transactions, "type", "currency") == {
        ("2", "EUR"): Decimal("27500000"),
        ("3", "EUR"): Decimal("6749958.66"),
    }
    assert sums(transactions, "type", "currency", field="weighted") == {
        ("2", "EUR"): Decimal("13000000.00"),
        ("3", "EUR"): Decimal("6749958.66"),
    }
    assert IatiTransaction.objects.count() == 4


def test_dportal_derives_weighted_pledges_and_the_disbursement(db):
    import_iati(DPORTAL)

    pledges = {
        p.iati_activity.iati_identifier: p
        for p in Pledge.objects.select_related("iati_activity", "donor")
    }
    assert set(pledges) == {"XI-IATI-EC_FPI-2019/42200/0", "XI-IATI-EC_FPI-2019/42303/0"}
    syria = pledges["XI-IATI-EC_FPI-2019/42200/0"]
    assert (syria.amount, syria.currency, syria.status) == (
        Decimal("10450000.00"),
        "EUR",
        "committed",
    )
    assert list(syria.years.values_list("year", "amount")) == [
        (2019, Decimal("9900000.00")),
        (2020, Decimal("550000.00")),
    ]
    assert syria.pledged_on == datetime.date(2019, 5, 8)
    sri_lanka = pledges["XI-IATI-EC_FPI-2019/42303/0"]
    assert list(sri_lanka.years.values_list("year", "amount")) == [(2019, Decimal("2550000.00"))]
    assert sum(p.amount for p in pledges.values()) == Decimal("13000000.00")
    disbursement = Disbursement.objects.get()
    assert (disbursement.amount, disbursement.currency, disbursement.pledge) == (
        Decimal("6749958.66"),
        "EUR",
        None,
    )
    assert disbursement.iati_transaction.activity.iati_identifier == "XI-IATI-EC_FPI-2019/407-774"
    # The European Commission (IATI type 15, other public sector) becomes an "other" donor.
    assert syria.donor.type == OrganisationType.OTHER
    assert syria.donor.iati_identifier == "XI-IATI-EC_FPI"


def test_dportal_budgets_are_imported_as_published(db):
    record = import_iati(DPORTAL)

    budgets = IatiBudget.objects.order_by("activity__iati_identifier")
    assert [(b.type, b.status, b.value, b.currency) for b in budgets] == [
        ("1", "2", Decimal("0.00"), "EUR")
    ] * 3
    assert record.report["budgets"] == {
        "imported": 3,
        "currencies": [{"currency": "EUR", "value": "0.00"}],
    }


@pytest.mark.parametrize(
    ("country", "identifiers"),
    [
        ("SY", {"XI-IATI-EC_FPI-2019/407-774", "XI-IATI-EC_FPI-2019/42200/0"}),
        ("LK", {"XI-IATI-EC_FPI-2019/42303/0"}),
    ],
)
def test_dportal_with_a_country_imports_only_its_activities(db, country, identifiers):
    record = import_iati(DPORTAL, country=country)

    assert set(IatiActivity.objects.values_list("iati_identifier", flat=True)) == identifiers
    assert set(expected_figures(DPORTAL, country=country)[0]) == identifiers
    assert record.report["activities"]["skipped"]["other_country"] == 3 - len(identifiers)


def test_the_annotated_example_has_no_mine_action_and_writes_only_the_import(db):
    before = table_counts()

    record = import_iati(EXAMPLE)

    assert record.status == IatiImport.Status.DONE
    assert record.report["activities"]["skipped"]["no_mine_action_sector"] == 1
    assert record.report["activities"]["imported"] == 0
    after = table_counts()
    assert after == {**before, "IatiImport": 1, "AuditEntry": before["AuditEntry"] + 1}


def test_the_same_file_again_changes_nothing(laos):
    pledges = dict(Pledge.objects.values_list("pk", "updated_at"))
    disbursements = set(Disbursement.objects.values_list("public_id", flat=True))
    before = table_counts()

    again = import_iati(STATE_LAOS, country="LA")

    assert again.status == IatiImport.Status.DONE
    assert (again.activities_created, again.activities_updated) == (0, 0)
    assert again.report["activities"]["unchanged"] == 48
    # Only the record of the second import (and its audit entry) is written.
    assert table_counts() == {
        **before,
        "IatiImport": before["IatiImport"] + 1,
        "AuditEntry": before["AuditEntry"] + 1,
    }
    assert dict(Pledge.objects.values_list("pk", "updated_at")) == pledges
    assert set(Disbursement.objects.values_list("public_id", flat=True)) == disbursements


def test_a_dry_run_writes_nothing_at_all_and_reports_the_same_figures(db):
    before = table_counts()

    check = import_iati(STATE_LAOS, country="LA", dry_run=True)

    assert check.pk is None
    assert check.status == IatiImport.Status.DONE
    assert table_counts() == before
    assert check.report["dry_run"] is True
    assert check.report["activities"]["created"] == 48
    assert check.report["organisations_created"][0]["public_id"] is None
    assert {a["public_id"] for a in check.report["activity_list"]} == {None}
    real = import_iati(STATE_LAOS, country="LA")
    assert real.report["transactions"] == check.report["transactions"]
    assert real.report["derived"] == check.report["derived"]


def test_the_pledge_years_and_totals_reconcile(laos):
    assert (
        PledgeYear.objects.aggregate(total=Sum("amount"))["total"]
        == Pledge.objects.aggregate(total=Sum("amount"))["total"]
    )


def test_an_activity_whose_commitments_net_below_zero_derives_no_pledge(laos):
    identifier = "US-GOV-11-SPMWRA17CA1071-118115"

    assert not Pledge.objects.filter(iati_activity__iati_identifier=identifier).exists()
    assert [w["message"] for w in laos.report["warnings"] if w["activity"] == identifier] == [
        "The commitments in USD add up to -43133.00, a de-obligation of money committed "
        "before this file's records: no pledge is derived."
    ]
    # Its disbursements still count, with no pledge.
    assert (
        Disbursement.objects.filter(
            iati_transaction__activity__iati_identifier=identifier, pledge=None
        ).count()
        == IatiTransaction.objects.filter(activity__iati_identifier=identifier, type="3").count()
    )
