"""Broken IATI files are refused with a clear message and nothing is written: no activity,
transaction, budget, pledge, disbursement or organisation, only the record of the refusal."""

import pytest

from mineaction.funding.iati import import_iati
from mineaction.funding.models import IatiImport
from mineaction.funding.tests.iatifiles import (
    DPORTAL,
    STATE_LAOS,
    activity_xml,
    iati_file,
    table_counts,
    transaction_xml,
)
from mineaction.stakeholders.models import Organisation, OrganisationType

pytestmark = pytest.mark.django_db


def refused(path, **options):
    """Import `path` expecting a refusal: (the record, its errors); checks that nothing but
    the record of the refusal was written."""
    before = table_counts()
    record = import_iati(path, **options)
    assert record.status == IatiImport.Status.REFUSED
    assert (record.activities_created, record.activities_updated, record.transactions) == (0, 0, 0)
    assert IatiImport.objects.get(pk=record.pk).report["errors"] == record.report["errors"]
    assert table_counts() == {
        **before,
        "IatiImport": before["IatiImport"] + 1,
        "AuditEntry": before["AuditEntry"] + 1,
    }
    return record, record.report["errors"]


def one_transaction_file(tmp_path, transaction, **activity):
    return iati_file(tmp_path / "file.xml", activity_xml(transactions=[transaction], **activity))


def test_a_truncated_file_is_refused_as_not_well_formed(tmp_path):
    path = tmp_path / "state-laos.xml"
    path.write_bytes(STATE_LAOS.read_bytes()[:500_000])

    _record, errors = refused(path, country="LA")

    assert len(errors) == 1
    assert errors[0]["message"].startswith("The file is not well-formed XML: ")
    assert errors[0]["line"] > 9000


@pytest.mark.parametrize("version", ["1.01", "1.05", "3.0"])
def test_a_file_of_another_version_is_refused_naming_the_version(tmp_path, version):
    path = iati_file(tmp_path / "old.xml", activity_xml(), version=version)

    _record, errors = refused(path)

    assert errors == [
        {
            "line": 2,
            "activity": "",
            "message": f"The file follows version {version} of the IATI standard, which cannot be "
            "imported: only versions 2.01, 2.02, 2.03 can. Ask the publisher for a file in "
            "version 2.03.",
        }
    ]


def test_a_real_file_relabelled_as_version_1_is_refused(tmp_path):
    path = tmp_path / "dportal.xml"
    path.write_bytes(
        DPORTAL.read_bytes().replace(
            b'<iati-activities version="2.03">', b'<iati-activities version="1.01">'
        )
    )

    _record, errors = refused(path)

    assert "version 1.01 of the IATI standard" in errors[0]["message"]


def test_a_file_without_version_is_refused(tmp_path):
    path = tmp_path / "file.xml"
    path.write_text("<iati-activities>" + activity_xml() + "</iati-activities>", encoding="utf-8")

    _record, errors = refused(path)

    assert errors[0]["message"].startswith(
        "The file does not say which version of the IATI standard it follows"
    )


def test_a_missing_currency_is_refused_with_the_activity_and_line(tmp_path):
    path = one_transaction_file(tmp_path, transaction_xml(currency=None), currency=None)

    _record, errors = refused(path)

    assert errors == [
        {
            "line": 9,
            "activity": "XM-TEST-1",
            "message": "Missing currency: the value has no currency and the activity has no "
            "default currency.",
        }
    ]


def test_the_value_currency_is_enough_without_a_default(tmp_path):
    path = one_transaction_file(tmp_path, transaction_xml(currency="EUR"), currency=None)

    record = import_iati(path)

    assert record.status == IatiImport.Status.DONE
    assert record.report["transactions"]["by_type"][0]["currencies"][0]["currency"] == "EUR"


def test_an_unknown_transaction_type_is_refused(tmp_path):
    path = one_transaction_file(tmp_path, transaction_xml(type="99"))

    _record, errors = refused(path)

    assert errors == [
        {
            "line": 9,
            "activity": "XM-TEST-1",
            "message": "“99” is not an IATI transaction type (1 to 13).",
        }
    ]


def test_a_version_1_letter_code_is_an_unknown_transaction_type(tmp_path):
    path = one_transaction_file(tmp_path, transaction_xml(type="C"))

    _record, errors = refused(path)

    assert errors[0]["message"] == "“C” is not an IATI transaction type (1 to 13)."


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"currency": "XYZ"}, "“XYZ” is not an ISO 4217 currency code."),
        ({"currency": "EURO"}, "“EURO” is not an ISO 4217 currency code."),
    ],
)
def test_an_unknown_currency_code_is_refused(tmp_path, options, message):
    path = one_transaction_file(tmp_path, transaction_xml(**options))

    _record, errors = refused(path)

    assert [(e["activity"], e["message"]) for e in errors] == [("XM-TEST-1", message)]


def test_an_unknown_default_currency_is_refused_once(tmp_path):
    path = iati_file(
        tmp_path / "file.xml",
        activity_xml(transactions=[transaction_xml(), transaction_xml(type="3")], currency="DOL"),
    )

    _record, errors = refused(path)

    assert [e["message"] for e in errors] == [
        "The default currency “DOL” is not an ISO 4217 currency code."
    ]


@pytest.mark.parametrize(
    ("transaction", "message"),
    [
        (
            transaction_xml(date="2024-02-30", value_date="2024-03-01"),
            "“2024-02-30” is not a date (YYYY-MM-DD).",
        ),
        (
            transaction_xml(date="01/03/2024", value_date="2024-03-01"),
            "“01/03/2024” is not a date (YYYY-MM-DD).",
        ),
        (transaction_xml(value="1,000"), "“1,000” is not a number."),
        (transaction_xml(value="NaN"), "“NaN” is not a number."),
        (transaction_xml(value=""), "The value is empty."),
        (transaction_xml(value="1e20"), "The value “1e20” is too large."),
        (
            '<transaction><transaction-type code="2"/><value>5</value></transaction>',
            "The transaction has no date (transaction-date).",
        ),
    ],
)
def test_bad_dates_and_numbers_are_refused(tmp_path, transaction, message):
    path = one_transaction_file(tmp_path, transaction)

    _record, errors = refused(path)

    assert [(e["line"], e["activity"], e["message"]) for e in errors] == [(9, "XM-TEST-1", message)]


def test_a_bad_sector_percentage_is_refused(tmp_path):
    path = one_transaction_file(tmp_path, transaction_xml(), sectors=[("15250", "150")])

    _record, errors = refused(path)

    assert errors[0]["message"] == "The sector percentage “150” is not between 0 and 100."


def test_every_problem_of_the_file_is_listed(tmp_path):
    path = iati_file(
        tmp_path / "file.xml",
        activity_xml("XM-A", transactions=[transaction_xml(type="99"), transaction_xml(value="x")]),
        activity_xml("XM-B", transactions=[transaction_xml(currency="ABC")]),
        activity_xml("XM-A", transactions=[transaction_xml()]),
    )

    _record, errors = refused(path)

    assert [(e["activity"], e["message"]) for e in errors] == [
        ("XM-A", "“99” is not an IATI transaction type (1 to 13)."),
        ("XM-A", "“x” is not a number."),
        ("XM-B", "“ABC” is not an ISO 4217 currency code."),
        ("XM-A", "Another activity of the file (line 3) has the same identifier."),
    ]


def test_one_bad_transaction_refuses_a_whole_real_file(tmp_path):
    path = tmp_path / "dportal.xml"
    data = DPORTAL.read_bytes()
    path.write_bytes(
        data.replace(b'<transaction-type code="4">', b'<transaction-type code="44">', 1)
    )

    _record, errors = refused(path)

    assert len(errors) == 1
    assert errors[0]["message"] == "“44” is not an IATI transaction type (1 to 13)."
    assert errors[0]["activity"].startswith("XI-IATI-EC_FPI-")


def test_a_doctype_with_an_entity_is_refused_and_not_expanded(tmp_path):
    path = tmp_path / "entity.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE iati-activities [<!ENTITY mine "15250">]>\n'
        '<iati-activities version="2.03">'
        + activity_xml(sectors=[("&mine;", None)], transactions=[transaction_xml()])
        + "</iati-activities>",
        encoding="utf-8",
    )

    _record, errors = refused(path)

    assert errors == [
        {
            "line": 1,
            "activity": "",
            "message": "The file declares a document type (DOCTYPE). IATI files have none, and "
            "the entities it may define are not read: export the file again without it.",
        }
    ]


def test_an_external_entity_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    path = tmp_path / "xxe.xml"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE iati-activities [<!ENTITY secret SYSTEM "file://{secret}">]>\n'
        '<iati-activities version="2.03">'
        + activity_xml(title="&secret;", transactions=[transaction_xml()])
        + "</iati-activities>",
        encoding="utf-8",
    )

    record, errors = refused(path)

    assert "TOP-SECRET-VALUE" not in str(record.report)
    assert errors[0]["message"].startswith("The file declares a document type (DOCTYPE).")


def test_billion_laughs_is_refused_quickly(tmp_path):
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    )
    path = tmp_path / "laughs.xml"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE iati-activities [{entities}]>\n'
        '<iati-activities version="2.03">' + activity_xml(title="&lol9;") + "</iati-activities>",
        encoding="utf-8",
    )

    record, errors = refused(path)

    assert "lollollol" not in str(record.report)
    assert errors[0]["line"] == 1


@pytest.mark.parametrize("content", [b"", b"  \n\n  "])
def test_an_empty_file_is_refused(tmp_path, content):
    path = tmp_path / "empty.xml"
    path.write_bytes(content)

    _record, errors = refused(path)

    assert errors == [{"line": 0, "activity": "", "message": "The file is empty."}]


def test_another_kind_of_xml_file_is_refused(tmp_path):
    path = tmp_path / "organisations.xml"
    path.write_text('<iati-organisations version="2.03"/>', encoding="utf-8")

    _record, errors = refused(path)

    assert errors[0]["message"] == (
        "This is not an IATI activity file: its root element is <iati-organisations>, not "
        "<iati-activities>."
    )


def test_a_country_that_is_not_an_iso_code_is_refused(tmp_path):
    path = one_transaction_file(tmp_path, transaction_xml())

    _record, errors = refused(path, country="XX")

    assert errors == [
        {
            "line": 0,
            "activity": "",
            "message": "“XX” is not an ISO 3166 two-letter country code (such as LA or KH).",
        }
    ]


def test_a_refusal_while_writing_undoes_what_was_written(tmp_path):
    """The first activity is written before the second is found wrong: both are undone."""
    Organisation.objects.create(name="One", type=OrganisationType.OTHER, iati_identifier="XM-TWICE")
    Organisation.objects.create(name="Two", type=OrganisationType.OTHER, iati_identifier="XM-TWICE")
    path = iati_file(
        tmp_path / "file.xml",
        activity_xml("XM-GOOD", transactions=[transaction_xml()]),
        activity_xml("XM-AMBIGUOUS", transactions=[transaction_xml()], reporting_org="XM-TWICE"),
    )

    _record, errors = refused(path)

    assert errors == [
        {
            "line": 11,
            "activity": "XM-AMBIGUOUS",
            "message": "Several organisations have the IATI identifier XM-TWICE (One, Two): keep "
            "it on one of them only, then import the file again.",
        }
    ]


def test_a_pledge_the_funding_rules_refuse_refuses_the_file(tmp_path):
    path = iati_file(
        tmp_path / "file.xml",
        activity_xml("XM-FIRST", transactions=[transaction_xml()]),
        activity_xml(
            "XM-LONG",
            transactions=[transaction_xml(date="1990-01-01"), transaction_xml(date="2030-01-01")],
        ),
    )

    _record, errors = refused(path)

    assert errors == [
        {"line": 11, "activity": "XM-LONG", "message": "A pledge can span at most 30 years."}
    ]


def test_a_refused_dry_run_records_nothing(tmp_path):
    path = one_transaction_file(tmp_path, transaction_xml(type="99"))
    before = table_counts()

    record = import_iati(path, dry_run=True)

    assert record.status == IatiImport.Status.REFUSED
    assert record.pk is None
    assert (
        record.report["errors"][0]["message"] == "“99” is not an IATI transaction type (1 to 13)."
    )
    assert table_counts() == before


def test_a_donor_that_cannot_be_created_refuses_the_file(tmp_path):
    path = iati_file(
        tmp_path / "file.xml",
        activity_xml(reporting_org="XM-" + "X" * 147, transactions=[transaction_xml()]),
    )

    _record, errors = refused(path)

    assert errors == [
        {
            "line": 3,
            "activity": "XM-TEST-1",
            "message": "Ensure this value has at most 100 characters (it has 150).",
        }
    ]
