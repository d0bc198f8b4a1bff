"""The IATI API: an import as the command does (201 imported, 200 checked, 422 refused with
every problem by line and activity), the managers' import records and the activities read by
every reader."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mineaction.funding.iati import import_iati
from mineaction.funding.models import IatiActivity, IatiImport, Pledge
from mineaction.funding.tests.iatifiles import (
    DPORTAL,
    activity_xml,
    iati_file,
    table_counts,
    transaction_xml,
)

CREATE = reverse("api:funding_iati_import_create")
IMPORTS = reverse("api:funding_iati_import_list")
ACTIVITIES = reverse("api:funding_iati_activity_list")
PROBLEM = "application/problem+json"
OTHER_READERS = ["observer", "member", "lead_donor", "data_manager"]


def send(client, path, **fields):
    return client.post(CREATE, {"file": SimpleUploadedFile(path.name, path.read_bytes()), **fields})


def test_a_manager_imports_a_file_and_gets_its_report(clients, people):
    response = send(clients["secretariat"], DPORTAL, country="SY")

    assert response.status_code == 201
    body = response.json()
    record = IatiImport.objects.get()
    assert body["public_id"] == str(record.public_id)
    assert (body["status"], body["country"], body["original_name"]) == (
        "done",
        "SY",
        "dportal_75.xml",
    )
    assert (body["activities_created"], body["activities_skipped"], body["transactions"]) == (
        2,
        98,
        3,
    )
    assert body["report"]["transactions"]["by_type"][0] == {
        "type": "2",
        "count": 2,
        "counted_in_gap": True,
        "currencies": [{"currency": "EUR", "value": "19000000.00", "weighted": "10450000.00"}],
        "years": [
            {"year": 2019, "currency": "EUR", "value": "18000000.00", "weighted": "9900000.00"},
            {"year": 2020, "currency": "EUR", "value": "1000000.00", "weighted": "550000.00"},
        ],
    }
    assert record.created_by == people["secretariat"].user
    assert (
        clients["secretariat"]
        .get(reverse("api:funding_iati_import_detail", args=[record.public_id]))
        .json()
        == body
    )


def test_a_check_only_answers_200_and_saves_nothing(clients):
    before = table_counts()

    response = send(clients["lead_authority"], DPORTAL, dry_run="true")

    assert response.status_code == 200
    body = response.json()
    assert (body["public_id"], body["status"], body["report"]["dry_run"]) == (None, "done", True)
    assert body["report"]["derived"]["currencies"] == [
        {"currency": "EUR", "pledged": "13000000.00", "disbursed": "6749958.66"}
    ]
    assert table_counts() == before


def test_a_refused_file_answers_422_with_every_problem_and_saves_nothing_else(clients, tmp_path):
    path = iati_file(
        tmp_path / "bad.xml",
        activity_xml(
            transactions=[transaction_xml(type="99", currency="USD"), transaction_xml()],
            currency=None,
        ),
    )
    before = table_counts()

    response = send(clients["administrator"], path)

    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["detail"] == "The file was refused and nothing was saved: see the problems by line."
    assert body["errors"] == [
        {
            "line": 9,
            "activity": "XM-TEST-1",
            "message": "“99” is not an IATI transaction type (1 to 13).",
        },
        {
            "line": 10,
            "activity": "XM-TEST-1",
            "message": "Missing currency: the value has no currency and the activity has no "
            "default currency.",
        },
    ]
    record = IatiImport.objects.get()
    assert body["report"]["public_id"] == str(record.public_id)
    assert body["report"]["status"] == "refused"
    assert table_counts() == {
        **before,
        "IatiImport": before["IatiImport"] + 1,
        "AuditEntry": before["AuditEntry"] + 1,
    }


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Choose the IATI activity file (XML) to import."),
        (
            {"file": SimpleUploadedFile("data.csv", b"a,b")},
            "IATI activity files are XML files: choose a file ending in .xml.",
        ),
    ],
)
def test_a_request_without_an_xml_file_is_refused_and_records_nothing(clients, fields, message):
    before = table_counts()

    response = clients["secretariat"].post(CREATE, fields)

    assert response.status_code == 422
    assert response.json()["errors"] == [{"line": 0, "activity": "", "message": message}]
    assert response.json()["report"] is None
    assert table_counts() == before


@pytest.mark.parametrize("persona", OTHER_READERS)
def test_other_readers_may_not_import(clients, persona):
    response = send(clients[persona], DPORTAL)

    assert response.status_code == 403
    assert IatiImport.objects.count() == 0 == IatiActivity.objects.count()


def test_anonymous_and_outsiders_may_not_import(clients):
    assert send(clients["anonymous"], DPORTAL).status_code == 401
    assert send(clients["outsider"], DPORTAL).status_code == 403
    assert IatiImport.objects.count() == 0


def test_import_records_are_for_managers(clients, people):
    record = import_iati(DPORTAL)
    url = reverse("api:funding_iati_import_detail", args=[record.public_id])

    listed = clients["lead_authority"].get(IMPORTS).json()
    assert [row["public_id"] for row in listed["results"]] == [str(record.public_id)]
    assert clients["member"].get(IMPORTS).status_code == 403
    assert clients["member"].get(url).status_code == 403
    assert clients["outsider"].get(url).status_code == 404
    assert clients["anonymous"].get(url).status_code == 401


def test_every_reader_lists_and_reads_the_imported_activities(clients, people):
    import_iati(DPORTAL)
    pledge = Pledge.objects.get(iati_activity__iati_identifier="XI-IATI-EC_FPI-2019/42303/0")

    listed = clients["observer"].get(ACTIVITIES).json()
    assert listed["count"] == 3
    sri_lanka = next(a for a in listed["results"] if a["iati_identifier"].endswith("42303/0"))
    assert (sri_lanka["share"], sri_lanka["recipient_countries"], sri_lanka["pledges"]) == (
        "0.3000",
        ["LK"],
        [str(pledge.public_id)],
    )
    detail = clients["member"].get(
        reverse("api:funding_iati_activity_detail", args=[sri_lanka["public_id"]])
    )
    assert detail.status_code == 200
    assert detail.json()["transactions"] == [
        {
            "position": 1,
            "ref": "XI-IATI-EC_FPI-2019/42303/0/0",
            "type": "2",
            "date": "2019-08-22",
            "value": "8500000.00",
            "currency": "EUR",
            "value_date": "2021-05-25",
            "share": "0.3000",
            "provider_org": "XI-IATI-EC_FPI",
            "receiver_org": "",
        }
    ]
    assert clients["outsider"].get(ACTIVITIES).status_code == 403
    assert (
        clients["outsider"]
        .get(reverse("api:funding_iati_activity_detail", args=[sri_lanka["public_id"]]))
        .status_code
        == 404
    )


def test_the_activity_list_has_the_same_query_count_for_more_activities(clients, tmp_path):
    client = clients["observer"]
    path = iati_file(tmp_path / "few.xml", activity_xml("XM-0", transactions=[transaction_xml()]))
    import_iati(path)
    with CaptureQueriesContext(connection) as few:
        client.get(ACTIVITIES)
    iati_file(
        path,
        *(activity_xml(f"XM-{n}", transactions=[transaction_xml()]) for n in range(1, 8)),
    )
    import_iati(path)

    with CaptureQueriesContext(connection) as many:
        response = client.get(ACTIVITIES)

    assert response.json()["count"] == 8
    assert len(many) == len(few)
