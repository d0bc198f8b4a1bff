"""The import API: a file imported as the command does (201 imported, 200 checked, 422
refused with every problem by line), the history of imports and their errors as CSV."""

import datetime

import pytest
import shapely
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mineaction.core.models import ApiToken
from mineaction.landrelease.models import HazardArea, ImportJob, ImportMapping
from mineaction.landrelease.tests import gisfiles

PROBLEM = "application/problem+json"
OTHER_READERS = ["observer", "member", "lead_donor", "secretariat"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def hazard_rows(count=3):
    return [
        {
            "HAZ_ID": f"NR-{number:03d}",
            "type": "CHA",
            "date_recorded": datetime.date(2021, 3, 4),
            "geometry": shapely.box(30 + number * 0.01, -18, 30.002 + number * 0.01, -17.998),
        }
        for number in range(1, count + 1)
    ]


def import_url(kind="hazards"):
    return reverse("api:article5_import", kwargs={"kind": kind})


def send(client, path, kind="hazards", **fields):
    file = SimpleUploadedFile(path.name, path.read_bytes())
    return client.post(import_url(kind), {"file": file, **fields})


@pytest.fixture
def survey(tmp_path):
    return gisfiles.write_gpkg(tmp_path / "survey.gpkg", hazard_rows())


@pytest.fixture
def mapping(db):
    return ImportMapping.objects.create(
        name="Northern survey", kind="hazards", columns={"external_id": "HAZ_ID"}
    )


def test_a_file_is_imported_with_a_saved_mapping(clients, survey, mapping, people):
    response = send(clients["data_manager"], survey, mapping="Northern survey")
    assert response.status_code == 201
    body = response.json()
    job = ImportJob.objects.get()
    assert body["public_id"] == str(job.public_id)
    assert {key: body[key] for key in ("kind", "original_name", "mapping", "status")} == {
        "kind": "hazards",
        "original_name": "survey.gpkg",
        "mapping": "Northern survey",
        "status": "done",
    }
    assert (body["created"], body["updated"], body["unchanged"]) == (3, 0, 0)
    assert (body["total_rows"], body["percent"], body["errors"]) == (3, 100, [])
    assert body["columns"]["external_id"] == "HAZ_ID"
    assert body["errors_csv"] == reverse("api:article5_import_errors_csv", args=[job.public_id])
    assert job.created_by == people["data_manager"].user
    assert sorted(HazardArea.objects.values_list("external_id", flat=True)) == [
        "NR-001",
        "NR-002",
        "NR-003",
    ]
    # The same file again updates nothing and duplicates nothing.
    again = send(clients["data_manager"], survey, mapping="Northern survey").json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert HazardArea.objects.count() == 3


def test_a_check_only_run_answers_200_and_saves_nothing(clients, survey, mapping):
    response = send(clients["data_manager"], survey, mapping="Northern survey", dry_run="true")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["dry_run"], body["created"]) == ("checked", True, 3)
    assert HazardArea.objects.count() == 0


def test_a_refused_file_answers_every_problem_and_changes_nothing(clients, tmp_path):
    before = gisfiles.database_snapshot()
    rows = [
        {"external_id": "NR-001", "type": "CHA", "date_recorded": "2021-03-04", "area_m2": "500"},
        {"external_id": "NR-002", "type": "CHX", "date_recorded": "2021-03-04", "area_m2": "-5"},
    ]
    path = gisfiles.write_csv(tmp_path / "broken.csv", rows)
    response = send(clients["data_manager"], path)
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    job = ImportJob.objects.get()
    assert (body["status"], body["title"], body["error_count"]) == (422, "Invalid input", 2)
    assert body["detail"] == "The file was refused and nothing was saved: see the errors by line."
    assert [(error["line"], error["column"]) for error in body["errors"]] == [
        (3, "type"),
        (3, "area_m2"),
    ]
    assert body["errors"] == job.errors
    assert body["total_rows"] == 2
    assert body["report"]["public_id"] == str(job.public_id)
    assert body["report"]["status"] == "refused"
    assert gisfiles.database_snapshot() == before
    [listed] = clients["data_manager"].get(reverse("api:article5_import_list")).json()["results"]
    assert (listed["status"], listed["error_count"], listed["warning_count"]) == ("refused", 2, 0)

    csv_response = clients["data_manager"].get(body["report"]["errors_csv"])
    assert csv_response.status_code == 200
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    lines = csv_response.content.decode().splitlines()
    assert lines[0] == "line,column,message"
    assert [line.split(",")[:2] for line in lines[1:]] == [["3", "type"], ["3", "area_m2"]]


def test_an_unreadable_file_is_refused_and_not_kept(clients, tmp_path):
    whole = gisfiles.write_gpkg(tmp_path / "survey.gpkg", hazard_rows(20)).read_bytes()
    response = clients["data_manager"].post(
        import_url(), {"file": SimpleUploadedFile("survey.gpkg", whole[:5000])}
    )
    assert response.status_code == 422
    body = response.json()
    [error] = body["errors"]
    assert (error["line"], error["column"]) == (0, "")
    assert error["message"].startswith("The file is not a readable GeoPackage")
    assert body["report"] is None
    assert ImportJob.objects.count() == 0


def test_a_request_without_a_file_is_refused(clients):
    response = clients["data_manager"].post(import_url(), {"dry_run": "true"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"line": 0, "column": "", "message": "Choose the file to import."}
    ]
    assert ImportJob.objects.count() == 0


def test_an_unknown_mapping_is_refused(clients, survey, mapping):
    ImportMapping.objects.create(name="Releases", kind="releases", columns={})
    response = send(clients["data_manager"], survey, mapping="Releases")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "line": 0,
            "column": "",
            "message": "There is no saved mapping “Releases” for Hazard areas.",
        }
    ]
    assert ImportJob.objects.count() == 0


def test_an_unknown_kind_is_not_found(clients, survey):
    response = send(clients["data_manager"], survey, kind="minefields")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"] == (
        "There is no import of this kind. Use one of: admin-areas, hazards, releases, milestones."
    )


@pytest.mark.parametrize("persona", ["outsider", *OTHER_READERS])
def test_other_people_may_not_import(clients, survey, persona):
    response = send(clients[persona], survey)
    assert response.status_code == 403
    assert ImportJob.objects.count() == 0


def test_an_anonymous_client_must_authenticate(clients, survey):
    assert send(clients["anonymous"], survey).status_code == 401


def test_a_personal_token_imports_too(client, people, survey, mapping):
    _token, secret = ApiToken.issue(people["data_manager"].user, "nightly import")
    file = SimpleUploadedFile("survey.gpkg", survey.read_bytes())
    response = client.post(
        import_url(),
        {"file": file, "mapping": "Northern survey"},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 201
    assert ImportJob.objects.get().created_by == people["data_manager"].user


def test_the_history_lists_imports_latest_first(clients, survey, mapping):
    send(clients["data_manager"], survey, mapping="Northern survey", dry_run="true")
    send(clients["data_manager"], survey, mapping="Northern survey")
    response = clients["data_manager"].get(reverse("api:article5_import_list"))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [(job["status"], job["created"]) for job in body["results"]] == [
        ("done", 3),
        ("checked", 3),
    ]
    assert "errors" not in body["results"][0]
    checked = clients["data_manager"].get(
        reverse("api:article5_import_list"), {"status": "checked"}
    )
    assert [job["status"] for job in checked.json()["results"]] == ["checked"]
    wrong = clients["data_manager"].get(reverse("api:article5_import_list"), {"kind": "mines"})
    assert wrong.status_code == 400
    assert wrong.json()["errors"] == {"kind": ["This value is not one of the choices."]}


def test_an_import_is_read_with_its_progress_and_report(clients, survey, mapping):
    created = send(clients["data_manager"], survey, mapping="Northern survey").json()
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.SAVING, processed_rows=1, total_rows=4
    )
    url = reverse("api:article5_import_detail", args=[job.public_id])
    body = clients["lead_authority"].get(url).json()
    assert (body["status"], body["percent"], body["processed_rows"]) == ("saving", 25, 1)
    assert body["columns"] == created["columns"]


@pytest.mark.parametrize("persona", ["outsider", *OTHER_READERS])
def test_other_people_may_not_read_imports(clients, survey, mapping, persona):
    send(clients["data_manager"], survey, mapping="Northern survey")
    job = ImportJob.objects.get()
    list_response = clients[persona].get(reverse("api:article5_import_list"))
    assert list_response.status_code == 403
    for name in ("api:article5_import_detail", "api:article5_import_errors_csv"):
        response = clients[persona].get(reverse(name, args=[job.public_id]))
        assert response.status_code == (404 if persona == "outsider" else 403)


def test_an_unknown_import_is_not_found(clients):
    url = reverse("api:article5_import_detail", args=["00000000-0000-0000-0000-000000000000"])
    assert clients["data_manager"].get(url).status_code == 404
