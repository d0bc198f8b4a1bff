"""The upload page: what it accepts, and the files it refuses before anything is kept."""

import datetime

import pytest
import shapely
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from mineaction.core.models import AuditEntry
from mineaction.landrelease.models import ImportJob, ImportMapping
from mineaction.landrelease.tests import gisfiles

HAZARD = {
    "external_id": "NR-001",
    "type": "CHA",
    "date_recorded": datetime.date(2021, 3, 4),
    "geometry": shapely.box(30, -18, 30.002, -17.998),
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media):
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def post(client, file, kind="hazards", **fields):
    return client.post(reverse("landrelease:imports_new"), {"kind": kind, "file": file, **fields})


def assert_nothing_kept(media):
    assert ImportJob.objects.count() == 0
    assert stored_files(media) == []


def test_the_upload_page_offers_the_kinds_and_the_saved_mappings(clients):
    ImportMapping.objects.create(name="Northern survey", kind="hazards", columns={})
    page = clients["data_manager"].get(reverse("landrelease:imports_new"), {"kind": "releases"})
    assert page.status_code == 200
    form = page.context["form"]
    assert form["kind"].value() == "releases"
    assert [str(label) for _value, label in form.fields["kind"].choices] == [
        "Choose what the file holds",
        "Admin areas",
        "Hazard areas",
        "Land release",
        "Article 5 milestones",
    ]
    assert "Northern survey" in page.text
    assert 'enctype="multipart/form-data"' in page.text
    assert 'accept=".csv,' in page.text


def test_an_empty_form_is_shown_again_with_its_errors_and_creates_nothing(clients, media):
    audit_entries = AuditEntry.objects.count()
    response = clients["data_manager"].post(reverse("landrelease:imports_new"), {})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "kind": ["This field is required."],
        "file": ["Choose the file to import."],
    }
    assert_nothing_kept(media)
    assert AuditEntry.objects.count() == audit_entries


def test_a_file_of_another_type_is_refused(clients, media):
    response = post(clients["data_manager"], SimpleUploadedFile("survey.pdf", b"%PDF-1.7\n"))
    assert response.context["form"].errors["file"] == [
        "Files of this type cannot be imported. Choose a CSV, XLSX, GeoJSON, GeoPackage "
        "(GPKG), zipped Shapefile (ZIP) or KML file."
    ]
    assert_nothing_kept(media)


def test_a_file_over_the_size_limit_is_refused(clients, media, settings, tmp_path):
    settings.IMPORT_MAX_FILE_SIZE = 100
    path = gisfiles.write_csv(tmp_path / "big.csv", [HAZARD] * 5)
    response = post(clients["data_manager"], SimpleUploadedFile("big.csv", path.read_bytes()))
    size = path.stat().st_size
    assert response.context["form"].errors["file"] == [
        f"The file is {size}\xa0bytes; the limit is 100\xa0bytes."
    ]
    assert_nothing_kept(media)


def test_a_truncated_geopackage_is_refused_with_the_reason(clients, media, tmp_path):
    whole = gisfiles.write_gpkg(tmp_path / "survey.gpkg", [HAZARD] * 20).read_bytes()
    response = post(clients["data_manager"], SimpleUploadedFile("survey.gpkg", whole[:5000]))
    assert response.status_code == 200
    [message] = response.context["form"].errors["file"]
    assert message.startswith("The file is not a readable GeoPackage")
    assert escape(message) in response.text
    assert_nothing_kept(media)


def test_a_csv_in_another_encoding_is_refused_with_the_line(clients, media, tmp_path):
    rows = [{**HAZARD, "name": "Champ de Bérénice"}]
    path = gisfiles.write_csv(tmp_path / "latin.csv", rows, encoding="latin-1")
    response = post(clients["data_manager"], SimpleUploadedFile("latin.csv", path.read_bytes()))
    [message] = response.context["form"].errors["file"]
    assert message.startswith("The file is not in UTF-8: line 2")
    assert_nothing_kept(media)


def test_a_file_without_rows_is_refused(clients, media):
    response = post(clients["data_manager"], SimpleUploadedFile("empty.csv", b"external_id,type\n"))
    assert response.context["form"].errors["file"] == ["The file has no rows to import."]
    assert_nothing_kept(media)


def test_a_mapping_of_another_kind_is_refused(clients, media, tmp_path):
    mapping = ImportMapping.objects.create(name="Releases", kind="releases", columns={})
    path = gisfiles.write_csv(tmp_path / "survey.csv", [HAZARD])
    response = post(
        clients["data_manager"],
        SimpleUploadedFile("survey.csv", path.read_bytes()),
        mapping=str(mapping.public_id),
    )
    assert response.context["form"].errors == {
        "mapping": ["This mapping is for Land release, not for Hazard areas."]
    }
    assert_nothing_kept(media)


@pytest.mark.parametrize(
    ("writer", "name"),
    [
        (gisfiles.write_csv, "survey.csv"),
        (gisfiles.write_xlsx, "survey.xlsx"),
        (gisfiles.write_geojson, "survey.geojson"),
        (gisfiles.write_gpkg, "survey.gpkg"),
        (gisfiles.write_shapefile_zip, "survey.zip"),
        (gisfiles.write_kml, "survey.kml"),
    ],
)
def test_every_format_is_uploaded_and_kept_with_its_name(clients, media, tmp_path, writer, name):
    path = writer(tmp_path / name, [HAZARD])
    response = post(clients["data_manager"], SimpleUploadedFile(name, path.read_bytes()))
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert (job.original_name, job.kind, job.status) == (name, "hazards", "uploaded")
    assert job.file.read() == path.read_bytes()
    columns = clients["data_manager"].get(response["Location"]).context["table"]["columns"]
    assert "type" in columns
