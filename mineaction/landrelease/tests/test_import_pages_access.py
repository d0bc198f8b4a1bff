"""Who reaches the import pages: the data manager, the lead authority and administrators.
Other readers are refused (403); outsiders get 403 on lists and 404 on records; anonymous
visitors are sent to log in. A refused write changes nothing."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mineaction.landrelease.models import ImportJob, ImportMapping

MANAGERS = ["data_manager", "lead_authority", "administrator"]
OTHER_READERS = ["observer", "member", "lead_donor", "secretariat"]
CSV = b"external_id,type,date_recorded,area_m2\nNR-001,CHA,2021-03-04,500\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def job(db):
    job = ImportJob(kind="hazards", original_name="survey.csv")
    job.file.save("survey.csv", ContentFile(CSV), save=True)
    return job


@pytest.fixture
def mapping(db):
    return ImportMapping.objects.create(name="Survey", kind="hazards", columns={"type": "T"})


LIST_PAGES = ["landrelease:imports_list", "landrelease:imports_new", "landrelease:imports_mappings"]
JOB_PAGES = [
    "landrelease:imports_detail",
    "landrelease:imports_columns",
    "landrelease:imports_progress",
    "landrelease:imports_errors_csv",
]
MAPPING_PAGES = ["landrelease:imports_mapping_edit", "landrelease:imports_mapping_delete"]


@pytest.mark.parametrize("persona", MANAGERS)
@pytest.mark.parametrize("name", LIST_PAGES)
def test_land_data_managers_open_the_import_pages(clients, persona, name):
    assert clients[persona].get(reverse(name)).status_code == 200


@pytest.mark.parametrize("persona", ["outsider", *OTHER_READERS])
@pytest.mark.parametrize("name", LIST_PAGES)
def test_other_people_may_not_open_the_import_pages(clients, persona, name):
    assert clients[persona].get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", LIST_PAGES + JOB_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(clients, job, name):
    url = reverse(name) if name in LIST_PAGES else reverse(name, args=[job.public_id])
    response = clients["anonymous"].get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", MANAGERS)
@pytest.mark.parametrize("name", JOB_PAGES)
def test_land_data_managers_open_an_import(clients, job, persona, name):
    assert clients[persona].get(reverse(name, args=[job.public_id])).status_code == 200


@pytest.mark.parametrize("persona", ["outsider", *OTHER_READERS])
@pytest.mark.parametrize("name", JOB_PAGES)
def test_other_people_may_not_open_an_import(clients, job, persona, name):
    response = clients[persona].get(reverse(name, args=[job.public_id]))
    assert response.status_code == (404 if persona == "outsider" else 403)


@pytest.mark.parametrize("persona", ["outsider", *OTHER_READERS])
@pytest.mark.parametrize("name", MAPPING_PAGES)
def test_other_people_may_not_change_a_mapping(clients, mapping, persona, name):
    response = clients[persona].post(
        reverse(name, args=[mapping.public_id]), {"confirm": "1", "mapping_name": "Changed"}
    )
    assert response.status_code == (404 if persona == "outsider" else 403)
    mapping.refresh_from_db()
    assert mapping.name == "Survey"


@pytest.mark.parametrize("persona", ["outsider", *OTHER_READERS])
def test_other_people_may_not_run_an_import(clients, job, persona):
    ImportJob.objects.filter(pk=job.pk).update(columns={"external_id": "external_id"})
    response = clients[persona].post(
        reverse("landrelease:imports_run", args=[job.public_id]), {"confirm": "1"}
    )
    assert response.status_code == (404 if persona == "outsider" else 403)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.UPLOADED


@pytest.mark.parametrize("persona", ["outsider", *OTHER_READERS])
def test_other_people_may_not_upload(clients, persona):
    response = clients[persona].post(
        reverse("landrelease:imports_new"),
        {"kind": "hazards", "file": SimpleUploadedFile("survey.csv", CSV)},
    )
    assert response.status_code == 403
    assert ImportJob.objects.count() == 0


def test_an_unknown_import_is_not_found(clients):
    url = reverse("landrelease:imports_detail", args=["00000000-0000-0000-0000-000000000000"])
    assert clients["data_manager"].get(url).status_code == 404


def test_the_run_address_answers_only_posts(clients, job):
    url = reverse("landrelease:imports_run", args=[job.public_id])
    assert clients["data_manager"].get(url).status_code == 405


def test_a_job_whose_file_was_removed_says_so(clients, job):
    job.file.storage.delete(job.file.name)
    page = clients["data_manager"].get(reverse("landrelease:imports_columns", args=[job.public_id]))
    assert page.status_code == 200
    assert "The uploaded file is no longer available. Upload it again." in page.text
    assert "form" not in page.context
