"""`mineaction import iati FILE [--country XX] [--dry-run]`: the report printed, exit status 1
with every problem when the file is refused."""

import contextlib
import io

import pytest
from django import db
from django.core.management import ManagementUtility

from mineaction.funding.models import IatiActivity, IatiImport
from mineaction.funding.tests.iatifiles import (
    DPORTAL,
    activity_xml,
    iati_file,
    table_counts,
    transaction_xml,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def test_connection_kept_open(monkeypatch):
    """A command run from the command line closes the database connections when it ends; in
    a test that would close the test's own (its transaction on PostgreSQL)."""
    monkeypatch.setattr(db.connections, "close_all", lambda: None)


def run_command(*arguments):
    """The command as `mineaction import ...` runs it: (exit status, output, errors)."""
    out, err = io.StringIO(), io.StringIO()
    status = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            ManagementUtility(["mineaction", "import", *map(str, arguments)]).execute()
        except SystemExit as exit_:
            status = exit_.code
    return status, out.getvalue(), err.getvalue()


def test_the_command_imports_an_iati_file_and_prints_its_report():
    status, out, err = run_command("iati", DPORTAL, "--country", "SY")

    assert (status, err) == (0, "")
    assert out.splitlines() == [
        "warning: line 7219, XI-IATI-EC_FPI-2019/407-774: The activity has disbursements in EUR "
        "but no commitment or pledge in this file: they count as disbursed, with no pledge.",
        "IATI activities: 2 created, 0 updated, 0 unchanged, 98 skipped (97 without sector "
        "15250, 1 for another country, 0 without a recipient country).",
        "Outgoing commitment: 2 transactions, EUR 19000000.00 (weighted 10450000.00)",
        "Disbursement: 1 transaction, EUR 6749958.66 (weighted 6749958.66)",
        "Pledges derived: 1; disbursements derived: 1.",
        "Organisation created: European Commission - Service for Foreign Policy Instruments "
        "(XI-IATI-EC_FPI).",
    ]
    record = IatiImport.objects.get()
    assert (record.status, record.original_name, record.country) == ("done", "dportal_75.xml", "SY")
    assert IatiActivity.objects.count() == 2


def test_the_command_dry_run_writes_nothing_at_all():
    before = table_counts()

    status, out, _err = run_command("iati", DPORTAL, "--dry-run")

    assert status == 0
    assert out.splitlines()[1].startswith("IATI activities: 3 created, 0 updated, 0 unchanged")
    assert out.splitlines()[-1] == "Dry run: nothing was saved."
    assert table_counts() == before


def test_the_command_prints_warnings_first(tmp_path):
    path = iati_file(
        tmp_path / "file.xml",
        activity_xml(transactions=[transaction_xml(type="4", value="10.005")]),
    )

    status, out, _err = run_command("iati", path)

    assert status == 0
    assert out.splitlines()[:2] == [
        "warning: line 9, XM-TEST-1: The value 10.005 is rounded to the cent: 10.01.",
        "warning: file: 1 expenditure transaction was imported: it is shown but not counted in the "
        "funding gap, where the disbursements already count that money.",
    ]


def test_the_command_refuses_a_bad_file_with_every_problem_and_exit_status_1(tmp_path):
    path = iati_file(
        tmp_path / "file.xml",
        activity_xml(transactions=[transaction_xml(type="99"), transaction_xml(currency="XYZ")]),
    )
    before = table_counts()

    status, out, err = run_command("iati", path)

    assert status == 1
    assert out == ""
    assert err.splitlines() == [
        "line 9, XM-TEST-1: “99” is not an IATI transaction type (1 to 13).",
        "line 10, XM-TEST-1: “XYZ” is not an ISO 4217 currency code.",
        "CommandError: The file was refused (2 errors); nothing was imported.",
    ]
    assert table_counts() == {
        **before,
        "IatiImport": before["IatiImport"] + 1,
        "AuditEntry": before["AuditEntry"] + 1,
    }
    assert IatiImport.objects.get().status == "refused"


def test_the_command_refuses_a_file_of_version_1(tmp_path):
    path = iati_file(tmp_path / "old.xml", activity_xml(), version="1.01")

    status, _out, err = run_command("iati", path)

    assert status == 1
    assert err.splitlines()[0] == (
        "line 2: The file follows version 1.01 of the IATI standard, which cannot be imported: "
        "only versions 2.01, 2.02, 2.03 can. Ask the publisher for a file in version 2.03."
    )


def test_the_command_refuses_a_country_that_is_not_a_code():
    status, _out, err = run_command("iati", DPORTAL, "--country", "Laos")

    assert status == 1
    assert err.splitlines()[0] == (
        "file: “LAOS” is not an ISO 3166 two-letter country code (such as LA or KH)."
    )
    assert IatiActivity.objects.count() == 0


def test_the_command_refuses_options_of_the_other_kind():
    status, _out, err = run_command("iati", DPORTAL, "--mapping", "IMSMA")
    assert status == 1
    assert "--mapping and --errors-csv are for table files, not for IATI files." in err

    status, _out, err = run_command("hazards", DPORTAL, "--country", "LA")
    assert status == 1
    assert "--country is for IATI files only." in err
    assert IatiImport.objects.count() == 0


def test_the_command_refuses_a_missing_file(tmp_path):
    status, _out, err = run_command("iati", tmp_path / "nothing.xml")

    assert status == 1
    assert "There is no file" in err


def test_a_refused_country_is_kept_in_the_report_not_in_the_code_column():
    status, _out, _err = run_command("iati", DPORTAL, "--country", "Laos")

    assert status == 1
    record = IatiImport.objects.get()
    assert (record.status, record.country, record.report["country"]) == ("refused", "", "LAOS")
    record.full_clean()
