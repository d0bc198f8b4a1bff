"""Which activities and transactions an IATI import takes, and what it derives from them:
sector 15250 at activity or transaction level, the recipient country, the transaction types,
pledges per currency and their status, de-obligations and updated files."""

import datetime
from decimal import Decimal

import pytest

from mineaction.funding.iati import import_iati
from mineaction.funding.iati.importer import net_de_obligations
from mineaction.funding.models import (
    Disbursement,
    IatiActivity,
    IatiBudget,
    IatiImport,
    IatiTransaction,
    Pledge,
)
from mineaction.funding.tests.iatifiles import (
    DPORTAL,
    activity_xml,
    iati_file,
    table_counts,
    transaction_xml,
)
from mineaction.stakeholders.models import Organisation, OrganisationType

pytestmark = pytest.mark.django_db


def transactions_of(identifier):
    return list(
        IatiTransaction.objects.filter(activity__iati_identifier=identifier).values_list(
            "type", "value", "share"
        )
    )


def messages(record):
    return [warning["message"] for warning in record.report["warnings"]]


def test_transaction_level_sectors_take_only_the_mine_action_transactions(tmp_path):
    path = iati_file(
        tmp_path / "file.xml",
        activity_xml(
            sectors=[],
            transactions=[
                transaction_xml(value="100", sector="15250"),
                transaction_xml(value="200", sector="15220"),
                transaction_xml(value="400"),
            ],
        ),
    )

    record = import_iati(path)

    assert transactions_of("XM-TEST-1") == [("2", Decimal("100.00"), Decimal("1"))]
    assert record.report["transactions"]["skipped"]["no_mine_action_sector"] == 2
    assert IatiActivity.objects.get().share == 1


@pytest.mark.parametrize(
    "sector",
    [
        '<sector vocabulary="2" code="152"/>',
        '<sector vocabulary="99" code="15250"/>',
        '<sector vocabulary="1" code="15251"/>',
    ],
)
def test_only_dac_sector_15250_of_vocabulary_1_is_mine_action(tmp_path, sector):
    path = iati_file(
        tmp_path / "file.xml",
        activity_xml(sectors=[], transactions=[transaction_xml(extra=sector)]),
    )

    record = import_iati(path)

    assert record.report["activities"]["skipped"]["no_mine_action_sector"] == 1
    assert IatiActivity.objects.count() == 0


def test_a_sector_without_vocabulary_is_a_dac_sector(tmp_path):
    path = iati_file(
        tmp_path / "file.xml",
        activity_xml(sectors=[], transactions=[transaction_xml(extra='<sector code="15250"/>')]),
    )

    import_iati(path)

    assert IatiActivity.objects.count() == 1


def test_an_activity_level_percentage_weighs_every_derived_amount(tmp_path):
    path = iati_file(
        tmp_path / "file.xml",
        activity_xml(
            sectors=[("15250", "33.33"), ("15220", "66.67")],
            transactions=[transaction_xml(value="1000"), transaction_xml(type="3", value="500")],
        ),
    )

    import_iati(path)

    assert Pledge.objects.get().amount == Decimal("333.30")
    assert Disbursement.objects.get().amount == Decimal("166.65")
    assert transactions_of("XM-TEST-1") == [
        ("2", Decimal("1000.00"), Decimal("0.3333")),
        ("3", Decimal("500.00"), Decimal("0.3333")),
    ]


def test_an_activity_for_another_country_is_skipped(tmp_path):
    path = iati_file(
        tmp_path / "file.xml",
        activity_xml("XM-LA", countries=["LA"], transactions=[transaction_xml()]),
        activity_xml("XM-KH", countries=["KH"], transactions=[transaction_xml()]),
        activity_xml("XM-NONE", countries=[], transactions=[transaction_xml()]),
    )

    record = import_iati(path, country="la")

    assert record.country == "LA"
    assert list(IatiActivity.objects.values_list("iati_identifier", flat=True)) == ["XM-LA"]
    assert record.report["activities"]["skipped"] == {
        "no_mine_action_sector": 0,
        "other_country": 1,
        "no_recipient_country": 1,
    }


def test_without_a_country_every_mine_action_activity_is_taken(tmp_path):
    path = iati_file(
        tmp_path / "file.xml",
        activity_xml("XM-LA", countries=["LA"], transactions=[transaction_xml()]),
        activity_xml("XM-KH", countries=["KH"], transactions=[transaction_xml()]),
    )

    import_iati(path)

    assert IatiActivity.objects.count() == 2


def test_transaction_level_countries_take_only_the_transactions_to_the_country(tmp_path):
    path = iati_file(
        tmp_path / "file.xml",
        activity_xml(
            countries=[],
            transactions=[
                transaction_xml(value="100", country="LA"),
                transaction_xml(value="200", country="KH"),
                transaction_xml(value="400"),
            ],
        ),
    )

    record = import_iati(path, country="LA")

    assert transactions_of("XM-TEST-1") == [("2", Decimal("100.00"), Decimal("1"))]
    assert record.report["transactions"]["skipped"] == {
        "no_mine_action_sector": 0,
        "other_country": 1,
        "no_recipient_country": 1,
        "unsupported_type": 0,
    }
    assert Pledge.objects.get().amount == Decimal("100.00")


def test_an_activity_shared_by_several_countries_is_counted_in_full_with_a_warning(tmp_path):
    path = iati_file(
        tmp_path / "file.xml",
        activity_xml(countries=["LA", "KH"], transactions=[transaction_xml()]),
    )

    record = import_iati(path, country="LA")

    assert Pledge.objects.get().amount == Decimal("1000.00")
    assert messages(record) == [
        "The activity names several recipient countries (LA, KH): its values are counted in "
        "full, not split between the countries."
    ]


def test_types_5_to_10_are_skipped_with_a_warning(tmp_path):
    path = iati_file(
        tmp_path / "file.xml",
        activity_xml(
            transactions=[transaction_xml(), transaction_xml(type="5"), transaction_xml(type="6")]
        ),
    )

    record = import_iati(path)

    assert [t for t, _v, _s in transactions_of("XM-TEST-1")] == ["2"]
    assert record.report["transactions"]["skipped"]["unsupported_type"] == 2
    assert messages(record) == [
        "Transactions of type 5, 6 (interest, repayments, equity or guarantees) are not pledges "
        "or spending: they are not imported."
    ]


def test_expenditure_and_incoming_funds_are_stored_but_derive_nothing(tmp_path):
    path = iati_file(
        tmp_path / "file.xml",
        activity_xml(
            transactions=[
                transaction_xml(type="1", value="900"),
                transaction_xml(type="4", value="300"),
            ]
        ),
    )

    record = import_iati(path)

    assert [t for t, _v, _s in transactions_of("XM-TEST-1")] == ["1", "4"]
    assert Pledge.objects.count() == Disbursement.objects.count() == 0
    assert [row["counted_in_gap"] for row in record.report["transactions"]["by_type"]] == [
        False,
        False,
    ]
    assert messages(record) == [
        "1 expenditure transaction was imported: it is shown but not counted in the funding "
        "gap, where the disbursements already count that money.",
        "1 incoming funds transaction was imported: it is shown but not counted in the funding "
        "gap, where the funder's own commitments count that money.",
    ]


def test_pledge_transactions_give_a_pledged_pledge_when_there_is_no_commitment(tmp_path):
    path = iati_file(
        tmp_path / "file.xml",
        activity_xml(
            transactions=[
                transaction_xml(type="12", date="2025-01-10", value="600"),
                transaction_xml(type="13", date="2026-01-10", value="400"),
            ]
        ),
    )

    import_iati(path)

    pledge = Pledge.objects.get()
    assert (pledge.status, pledge.amount, pledge.pledged_on) == (
        "pledged",
        Decimal("1000.00"),
        datetime.date(2025, 1, 10),
    )
    assert list(pledge.years.values_list("year", "amount")) == [
        (2025, Decimal("600.00")),
        (2026, Decimal("400.00")),
    ]


def test_commitments_win_over_pledges_and_incoming_commitments_count(tmp_path):
    path = iati_file(
        tmp_path / "file.xml",
        activity_xml(
            transactions=[
                transaction_xml(type="12", value="5000"),
                transaction_xml(type="2", value="700"),
                transaction_xml(type="11", value="300"),
            ]
        ),
    )

    import_iati(path)

    pledge = Pledge.objects.get()
    assert (pledge.status, pledge.amount) == ("committed", Decimal("1000.00"))


def test_a_pledge_fully_disbursed_is_marked_disbursed(tmp_path):
    path = iati_file(
        tmp_path / "file.xml",
        activity_xml(
            transactions=[
                transaction_xml(type="2", value="1000"),
                transaction_xml(type="3", date="2024-06-01", value="600"),
                transaction_xml(type="3", date="2025-02-01", value="400"),
            ]
        ),
    )

    import_iati(path)

    pledge = Pledge.objects.get()
    assert pledge.status == "disbursed"
    assert sorted(pledge.disbursements.values_list("disbursed_on", "amount")) == [
        (datetime.date(2024, 6, 1), Decimal("600.00")),
        (datetime.date(2025, 2, 1), Decimal("400.00")),
    ]


def test_one_pledge_per_currency(tmp_path):
    path = iati_file(
        tmp_path / "file.xml",
        activity_xml(
            transactions=[
                transaction_xml(value="1000"),
                transaction_xml(value="500", currency="EUR"),
                transaction_xml(type="3", value="200", currency="EUR"),
            ]
        ),
    )

    import_iati(path)

    assert sorted(Pledge.objects.values_list("currency", "amount")) == [
        ("EUR", Decimal("500.00")),
        ("USD", Decimal("1000.00")),
    ]
    disbursement = Disbursement.objects.get()
    assert (disbursement.pledge.currency, disbursement.currency) == ("EUR", "EUR")


def test_a_value_with_more_than_cents_is_rounded_with_a_warning(tmp_path):
    path = iati_file(
        tmp_path / "file.xml", activity_xml(transactions=[transaction_xml(value="10.005")])
    )

    record = import_iati(path)

    assert IatiTransaction.objects.get().value == Decimal("10.01")
    assert messages(record) == ["The value 10.005 is rounded to the cent: 10.01."]


def test_a_new_donor_takes_its_type_from_the_iati_organisation_type(tmp_path):
    path = iati_file(
        tmp_path / "file.xml",
        activity_xml(
            "XM-1",
            reporting_org="XM-GOV",
            reporting_org_type="10",
            reporting_org_name="A",
            transactions=[transaction_xml()],
        ),
        activity_xml(
            "XM-2",
            reporting_org="XM-MULTI",
            reporting_org_type="40",
            reporting_org_name="B",
            transactions=[transaction_xml()],
        ),
        activity_xml(
            "XM-3",
            reporting_org="XM-NGO",
            reporting_org_type="22",
            reporting_org_name="C",
            transactions=[transaction_xml()],
        ),
        activity_xml(
            "XM-4",
            reporting_org="XM-FOUNDATION",
            reporting_org_type="60",
            reporting_org_name="D",
            transactions=[transaction_xml()],
        ),
    )

    record = import_iati(path)

    assert [(o["iati_identifier"], o["type"]) for o in record.report["organisations_created"]] == [
        ("XM-GOV", OrganisationType.DONOR_STATE),
        ("XM-MULTI", OrganisationType.INTERNATIONAL_ORGANISATION),
        ("XM-NGO", OrganisationType.INTERNATIONAL_NGO),
        ("XM-FOUNDATION", OrganisationType.OTHER),
    ]
    assert Organisation.objects.get(iati_identifier="XM-NGO").name == "C"


@pytest.mark.parametrize(
    ("by_year", "parts"),
    [
        ({2020: Decimal("100"), 2021: Decimal("-30")}, {2020: Decimal("70")}),
        (
            {2020: Decimal("100"), 2021: Decimal("50"), 2022: Decimal("-80")},
            {2020: Decimal("70")},
        ),
        (
            {2020: Decimal("-20"), 2021: Decimal("100"), 2022: Decimal("10")},
            {2021: Decimal("80"), 2022: Decimal("10")},
        ),
        ({2020: Decimal("10"), 2021: Decimal("20")}, {2020: Decimal("10"), 2021: Decimal("20")}),
    ],
)
def test_de_obligations_are_taken_off_the_years_before_them_first(by_year, parts):
    assert net_de_obligations(by_year) == parts
    assert sum(parts.values()) == sum(by_year.values())


# Updated files ---------------------------------------------------------------------------------


@pytest.fixture
def dportal_copy(tmp_path):
    path = tmp_path / "dportal_75.xml"
    path.write_bytes(DPORTAL.read_bytes())
    return path


def edit(path, old, new):
    data = path.read_bytes()
    assert data.count(old) == 1
    path.write_bytes(data.replace(old, new))


SYRIA = "XI-IATI-EC_FPI-2019/42200/0"


def test_an_updated_file_updates_its_activities_and_their_pledges(dportal_copy):
    import_iati(dportal_copy)
    pledge = Pledge.objects.get(iati_activity__iati_identifier=SYRIA)
    pledge.component = "technical"
    pledge.save()
    # The 18,000,000 commitment becomes 20,000,000; the 1,000,000 one is withdrawn.
    edit(
        dportal_copy,
        b'value-date="2021-05-25">18000000</value>',
        b'value-date="2021-05-25">20000000</value>',
    )
    data = dportal_copy.read_bytes()
    start = data.index(b'<transaction humanitarian="0" ref="XI-IATI-EC_FPI-2019/42200/0/1">')
    end = data.index(b"</transaction>", start) + len(b"</transaction>")
    dportal_copy.write_bytes(data[:start] + data[end:])

    record = import_iati(dportal_copy)

    assert record.report["activities"] == {
        "in_file": 100,
        "imported": 3,
        "created": 0,
        "updated": 1,
        "unchanged": 2,
        "skipped": {"no_mine_action_sector": 97, "other_country": 0, "no_recipient_country": 0},
    }
    assert (record.activities_created, record.activities_updated) == (0, 1)
    assert transactions_of(SYRIA) == [("2", Decimal("20000000.00"), Decimal("0.55"))]
    pledge.refresh_from_db()
    assert (pledge.amount, pledge.first_year, pledge.last_year) == (
        Decimal("11000000.00"),
        2019,
        2019,
    )
    assert list(pledge.years.values_list("year", "amount")) == [(2019, Decimal("11000000.00"))]
    # The manager's earmark survives: the import changes only what the file says.
    assert pledge.component == "technical"
    assert Pledge.objects.filter(iati_activity__iati_identifier=SYRIA).count() == 1


def test_an_updated_file_removes_budgets_and_disbursements_no_longer_in_it(dportal_copy):
    import_iati(dportal_copy)
    activity = IatiActivity.objects.get(iati_identifier="XI-IATI-EC_FPI-2019/407-774")
    data = dportal_copy.read_bytes()
    anchor = data.index(b"<iati-identifier>XI-IATI-EC_FPI-2019/407-774</iati-identifier>")
    for element in (b"<budget ", b"<transaction "):
        start = data.index(element, anchor)
        closing = b"</budget>" if element == b"<budget " else b"</transaction>"
        end = data.index(closing, start) + len(closing)
        data = data[:start] + data[end:]
    dportal_copy.write_bytes(data)
    before = table_counts()

    record = import_iati(dportal_copy)

    assert record.report["activities"]["updated"] == 1
    assert IatiBudget.objects.filter(activity=activity).count() == 0
    assert IatiTransaction.objects.filter(activity=activity).count() == 0
    assert Disbursement.objects.count() == 0
    after = table_counts()
    assert (after["IatiBudget"], after["IatiTransaction"], after["Disbursement"]) == (
        before["IatiBudget"] - 1,
        before["IatiTransaction"] - 1,
        before["Disbursement"] - 1,
    )


def test_a_disbursement_recorded_by_hand_outlives_its_iati_pledge(tmp_path):
    path = iati_file(tmp_path / "file.xml", activity_xml(transactions=[transaction_xml()]))
    import_iati(path)
    pledge = Pledge.objects.get()
    by_hand = Disbursement.objects.create(
        pledge=pledge,
        donor=pledge.donor,
        disbursed_on=datetime.date(2024, 9, 1),
        amount=Decimal("250.00"),
        currency="USD",
    )
    iati_file(path, activity_xml(transactions=[transaction_xml(type="4")]))

    import_iati(path)

    assert Pledge.objects.count() == 0
    by_hand.refresh_from_db()
    assert (by_hand.pledge, by_hand.amount) == (None, Decimal("250.00"))


def test_an_activity_no_longer_mine_action_is_kept_with_a_warning(tmp_path):
    path = iati_file(tmp_path / "file.xml", activity_xml(transactions=[transaction_xml()]))
    import_iati(path)
    iati_file(path, activity_xml(sectors=[("15220", None)], transactions=[transaction_xml()]))

    record = import_iati(path)

    assert record.status == IatiImport.Status.DONE
    assert IatiActivity.objects.count() == Pledge.objects.count() == 1
    assert record.report["warnings"] == [
        {
            "line": 3,
            "activity": "XM-TEST-1",
            "message": "The activity was imported before but is skipped now (no mine action "
            "sector 15250): its records and derived pledges are kept as they were.",
        }
    ]
