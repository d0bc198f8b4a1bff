"""The IATI pages: managers import files and read the reports; every reader reads the imported
activities. Outsiders and other readers are refused, and nothing changes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mineaction.funding.iati import import_iati
from mineaction.funding.models import IatiActivity, IatiImport
from mineaction.funding.tests.iatifiles import (
    DPORTAL,
    STATE_LAOS,
    activity_xml,
    iati_file,
    table_counts,
    transaction_xml,
)

LIST = reverse("funding:iati_import_list")
CREATE = reverse("funding:iati_import_create")
MANAGERS = ["secretariat", "lead_authority", "administrator"]
OTHER_READERS = ["observer", "member", "lead_donor", "data_manager"]


def upload(path, name=None):
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="text/xml")


@pytest.fixture
def dportal_import(people):
    return import_iati(DPORTAL, actor=people["secretariat"].user)


@pytest.mark.parametrize("persona", MANAGERS)
def test_managers_see_the_imports_and_the_upload_form(clients, persona, dportal_import):
    response = clients[persona].get(LIST)
    assert response.status_code == 200
    assert "dportal_75.xml" in response.content.decode()

    assert clients[persona].get(CREATE).status_code == 200


@pytest.mark.parametrize("persona", [*OTHER_READERS, "outsider"])
def test_others_may_not_import(clients, persona, dportal_import):
    before = table_counts()

    assert clients[persona].get(LIST).status_code == 403
    assert clients[persona].get(CREATE).status_code == 403
    response = clients[persona].post(CREATE, {"file": upload(DPORTAL)})

    assert response.status_code == 403
    assert table_counts() == before


def test_anonymous_visitors_are_sent_to_log_in(clients, dportal_import):
    for url in (
        LIST,
        CREATE,
        reverse("funding:iati_import_detail", args=[dportal_import.public_id]),
    ):
        response = clients["anonymous"].get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_an_import_report_is_for_managers_only(clients, dportal_import):
    url = reverse("funding:iati_import_detail", args=[dportal_import.public_id])

    assert clients["lead_authority"].get(url).status_code == 200
    assert clients["member"].get(url).status_code == 403
    assert clients["outsider"].get(url).status_code == 404


def test_uploading_a_file_imports_it_and_shows_its_report(clients, people):
    response = clients["secretariat"].post(
        CREATE, {"file": upload(STATE_LAOS), "country": "la"}, follow=True
    )

    record = IatiImport.objects.get()
    assert response.redirect_chain == [
        (reverse("funding:iati_import_detail", args=[record.public_id]), 302)
    ]
    assert (record.status, record.country, record.created_by) == (
        "done",
        "LA",
        people["secretariat"].user,
    )
    page = response.content.decode()
    assert "The IATI file has been imported." in page
    assert "261,256,136.00" in page
    assert "171,524,035.00" in page
    assert "Department of State" in page
    assert IatiActivity.objects.count() == 48


def test_a_refused_file_shows_its_problems_with_their_line(clients, tmp_path):
    path = iati_file(tmp_path / "bad.xml", activity_xml(transactions=[transaction_xml(type="99")]))
    before = table_counts()

    response = clients["lead_authority"].post(CREATE, {"file": upload(path)}, follow=True)

    page = response.content.decode()
    assert "The file was refused and nothing was imported: see the problems." in page
    assert "“99” is not an IATI transaction type (1 to 13)." in page
    assert '<td class="number">9</td>' in page
    assert IatiImport.objects.get().status == "refused"
    assert table_counts() == {
        **before,
        "IatiImport": before["IatiImport"] + 1,
        "AuditEntry": before["AuditEntry"] + 1,
    }


def test_a_check_only_shows_the_report_and_saves_nothing(clients):
    before = table_counts()

    response = clients["administrator"].post(CREATE, {"file": upload(DPORTAL), "dry_run": "on"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Check only: this is what the import would do. Nothing was saved" in page
    assert "13,000,000.00" in page
    assert table_counts() == before


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "file", "Choose the IATI activity file (XML) to import."),
        (
            {"file": SimpleUploadedFile("data.csv", b"a,b\n")},
            "file",
            "IATI activity files are XML files: choose a file ending in .xml.",
        ),
        (
            {"file": SimpleUploadedFile("file.xml", b"<x/>"), "country": "ZZ"},
            "country",
            "“ZZ” is not an ISO 3166 two-letter country code (such as LA or KH).",
        ),
    ],
)
def test_a_bad_upload_shows_the_form_again_with_the_reason(clients, data, field, message):
    before = table_counts()

    response = clients["secretariat"].post(CREATE, data)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert table_counts() == before


def test_a_file_over_the_size_limit_is_refused(clients, settings):
    settings.IMPORT_MAX_FILE_SIZE = 1000

    response = clients["secretariat"].post(CREATE, {"file": upload(DPORTAL)})

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "The file is 756.6\xa0KB; the limit is 1000\xa0bytes."
    ]
    assert IatiImport.objects.count() == 0


def test_the_country_defaults_to_the_country_profile(clients, country):
    assert clients["secretariat"].get(CREATE).context["form"].initial["country"] == ""
    country.iso3 = "LAO"
    country.save()

    response = clients["secretariat"].get(CREATE)

    assert response.context["form"].initial["country"] == "LA"


def test_the_imports_list_has_the_same_query_count_for_more_imports(clients, people):
    client = clients["secretariat"]
    for name in ("a.xml", "b.xml"):
        IatiImport.objects.create(
            original_name=name, status="done", created_by=people["secretariat"].user
        )
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for number in range(10):
        IatiImport.objects.create(
            original_name=f"more-{number}.xml",
            status="refused",
            created_by=people["lead_authority"].user,
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)

    assert "more-9.xml" in response.content.decode()
    assert len(many) == len(few)


@pytest.mark.parametrize("persona", ["observer", "member", "lead_donor", "secretariat"])
def test_every_reader_reads_an_imported_activity(clients, persona, dportal_import):
    activity = IatiActivity.objects.get(iati_identifier="XI-IATI-EC_FPI-2019/42200/0")

    response = clients[persona].get(
        reverse("funding:iati_activity_detail", args=[activity.public_id])
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "XI-IATI-EC_FPI-2019/42200/0" in page
    assert "55 %" in page
    assert "18,000,000.00 EUR" in page
    assert "10,450,000.00 EUR" in page
    assert "2019: 9,900,000.00 · 2020: 550,000.00" in page


def test_an_outsider_does_not_find_an_imported_activity(clients, dportal_import):
    activity = IatiActivity.objects.first()
    url = reverse("funding:iati_activity_detail", args=[activity.public_id])

    assert clients["outsider"].get(url).status_code == 404
    assert clients["anonymous"].get(url).status_code == 302
