"""The import pages from upload to report: a real GeoPackage and real CSV files written with
GDAL (pyogrio) and the csv module, the column mapping with its preview, saved mappings, the run
with its progress partial, refused files and their errors as CSV."""

import datetime

import pytest
import shapely
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from mineaction.landrelease.models import HazardArea, ImportJob, ImportMapping
from mineaction.landrelease.tests import gisfiles

RECORDED = datetime.date(2021, 3, 4)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def manager(clients):
    return clients["data_manager"]


def hazard_rows(count=3, *, id_column="HAZ_ID"):
    """Hazard areas whose id column has a name the platform does not know."""
    return [
        {
            id_column: f"NR-{number:03d}",
            "type": "CHA" if number % 2 else "SHA",
            "date_recorded": RECORDED,
            "geometry": shapely.box(30 + number * 0.01, -18, 30.002 + number * 0.01, -17.998),
        }
        for number in range(1, count + 1)
    ]


def upload(path, name=None):
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def start_upload(client, path, kind="hazards", **fields):
    response = client.post(
        reverse("landrelease:imports_new"), {"kind": kind, "file": upload(path), **fields}
    )
    assert response.status_code == 302, response.context["form"].errors
    job = ImportJob.objects.latest("created_at")
    assert response["Location"] == reverse("landrelease:imports_columns", args=[job.public_id])
    return job


def columns_data(job, **chosen):
    """The columns form as posted: every canonical column, chosen or left out."""
    from mineaction.landrelease.importers import CANONICAL_COLUMNS

    data = {column.name: "" for column in CANONICAL_COLUMNS[job.kind]}
    data.update(chosen)
    return data


def run(client, job):
    return client.post(reverse("landrelease:imports_run", args=[job.public_id]), {"confirm": "1"})


HAZARD_COLUMNS = {"external_id": "HAZ_ID", "type": "type", "date_recorded": "date_recorded"}


def test_a_data_manager_imports_a_geopackage_with_a_renamed_column(manager, tmp_path, people):
    path = gisfiles.write_gpkg(tmp_path / "survey.gpkg", hazard_rows())
    job = start_upload(manager, path)
    assert job.status == ImportJob.Status.UPLOADED
    assert job.original_name == "survey.gpkg"
    assert job.created_by == people["data_manager"].user

    page = manager.get(reverse("landrelease:imports_columns", args=[job.public_id]))
    form = page.context["form"]
    # The known names are suggested; the renamed id column is not.
    assert form.initial == {
        "type": "type",
        "date_recorded": "date_recorded",
        "geometry": "geometry",
    }
    assert form.fields["external_id"].required is True
    assert [choice for choice, _label in form.fields["external_id"].choices] == [
        "",
        "HAZ_ID",
        "type",
        "date_recorded",
        "geometry",
    ]

    response = manager.post(
        reverse("landrelease:imports_columns", args=[job.public_id]),
        columns_data(job, geometry="geometry", save_as="Northern survey", **HAZARD_COLUMNS),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("landrelease:imports_detail", args=[job.public_id])
    job.refresh_from_db()
    assert {name: column for name, column in job.columns.items() if column} == {
        **HAZARD_COLUMNS,
        "geometry": "geometry",
    }
    mapping = ImportMapping.objects.get()
    assert (mapping.name, mapping.kind, job.mapping) == ("Northern survey", "hazards", mapping)
    assert mapping.columns == {**HAZARD_COLUMNS, "geometry": "geometry"}

    detail = manager.get(reverse("landrelease:imports_detail", args=[job.public_id]))
    assert "Start import" in detail.text
    assert HazardArea.objects.count() == 0

    response = run(manager, job)
    assert response.status_code == 302
    assert response["Location"] == reverse("landrelease:imports_detail", args=[job.public_id])
    job.refresh_from_db()
    assert (job.status, job.created_count, job.errors) == (ImportJob.Status.DONE, 3, [])
    assert sorted(HazardArea.objects.values_list("external_id", "hazard_type")) == [
        ("NR-001", "CHA"),
        ("NR-002", "SHA"),
        ("NR-003", "CHA"),
    ]
    report = manager.get(reverse("landrelease:imports_detail", args=[job.public_id])).text
    assert "Imported: 3 created, 0 updated, 0 unchanged." in report
    assert 'value="100"' in report
    assert "Start import" not in report


def test_a_saved_mapping_fills_in_the_columns_of_the_next_file(manager, tmp_path):
    mapping = ImportMapping.objects.create(
        name="Northern survey", kind="hazards", columns=HAZARD_COLUMNS
    )
    path = gisfiles.write_gpkg(tmp_path / "survey.gpkg", hazard_rows())
    job = start_upload(manager, path, mapping=str(mapping.public_id))
    assert job.mapping == mapping

    page = manager.get(reverse("landrelease:imports_columns", args=[job.public_id]))
    assert page.context["form"].initial == {**HAZARD_COLUMNS, "geometry": "geometry"}
    assert page.context["missing"] == []

    # The choices are taken as they are: the same file imported twice updates nothing.
    data = columns_data(job, geometry="geometry", **HAZARD_COLUMNS)
    manager.post(reverse("landrelease:imports_columns", args=[job.public_id]), data)
    run(manager, job)
    second = start_upload(manager, path, mapping=str(mapping.public_id))
    manager.post(reverse("landrelease:imports_columns", args=[second.public_id]), data)
    run(manager, second)
    second.refresh_from_db()
    assert (second.created_count, second.updated_count, second.unchanged_count) == (0, 0, 3)
    assert HazardArea.objects.count() == 3


def test_a_saved_mapping_names_the_columns_a_new_file_lacks(manager, tmp_path):
    mapping = ImportMapping.objects.create(
        name="Old export", kind="hazards", columns={**HAZARD_COLUMNS, "name": "LOCALITY"}
    )
    path = gisfiles.write_gpkg(tmp_path / "survey.gpkg", hazard_rows())
    job = start_upload(manager, path, mapping=str(mapping.public_id))
    page = manager.get(reverse("landrelease:imports_columns", args=[job.public_id]))
    assert page.context["missing"] == [{"canonical": "name", "column": "LOCALITY"}]
    assert "“LOCALITY”" in page.text
    assert "name" not in page.context["form"].initial


def test_the_preview_shows_the_first_ten_rows_as_mapped(manager, tmp_path):
    rows = [
        {"REF": f"NR-{number:03d}", "type": "SHA", "date_recorded": "2021-03-04", "area_m2": 500}
        for number in range(1, 13)
    ]
    job = start_upload(manager, gisfiles.write_csv(tmp_path / "survey.csv", rows))
    page = manager.get(reverse("landrelease:imports_columns", args=[job.public_id]))
    preview = page.context["preview"]
    # "REF" is a common alias of the external id: suggested.
    assert [header["canonical"] for header in preview["headers"]] == [
        "external_id",
        "type",
        "area_m2",
        "date_recorded",
    ]
    assert len(preview["rows"]) == 10
    assert preview["rows"][0] == {"line": 2, "cells": ["NR-001", "SHA", "500", "2021-03-04"]}
    assert preview["rows"][-1]["line"] == 11
    assert "Preview of the first 10 rows" in page.text
    assert "<td>NR-010</td>" in page.text
    assert "NR-011" not in page.text


def test_the_preview_follows_the_columns_as_they_change(manager, tmp_path):
    job = start_upload(manager, gisfiles.write_gpkg(tmp_path / "survey.gpkg", hazard_rows()))
    response = manager.get(
        reverse("landrelease:imports_columns", args=[job.public_id]),
        {"external_id": "HAZ_ID", "type": "type", "geometry": "geometry"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="preview"')
    assert [header["canonical"] for header in response.context["preview"]["headers"]] == [
        "external_id",
        "type",
        "geometry",
    ]
    assert response.context["preview"]["rows"][0] == {
        "line": 1,
        "cells": ["NR-001", "CHA", "Polygon"],
    }
    job.refresh_from_db()
    assert job.columns == {}


def test_required_columns_must_be_chosen_and_a_file_column_used_once(manager, tmp_path):
    job = start_upload(manager, gisfiles.write_gpkg(tmp_path / "survey.gpkg", hazard_rows()))
    response = manager.post(
        reverse("landrelease:imports_columns", args=[job.public_id]),
        columns_data(job, type="type", date_recorded="type", name="HAZ_ID"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "external_id": ["This column is required: choose the column of the file that holds it."],
        "date_recorded": ["The file column “type” is already chosen for type."],
    }
    job.refresh_from_db()
    assert job.columns == {}
    assert ImportMapping.objects.count() == 0


def test_start_and_end_date_may_come_from_the_same_column(manager, tmp_path):
    rows = [{"id": "LR-1", "hazard": "NR-001", "method": "cleared", "area": 10, "on": "2022-05-01"}]
    job = start_upload(manager, gisfiles.write_csv(tmp_path / "r.csv", rows), kind="releases")
    response = manager.post(
        reverse("landrelease:imports_columns", args=[job.public_id]),
        columns_data(
            job,
            external_id="id",
            hazard_external_id="hazard",
            method="method",
            area_m2="area",
            start_date="on",
            end_date="on",
        ),
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.columns["start_date"], job.columns["end_date"]) == ("on", "on")


def test_saving_a_mapping_under_its_name_updates_it(manager, tmp_path):
    mapping = ImportMapping.objects.create(name="Survey", kind="hazards", columns={"type": "x"})
    job = start_upload(manager, gisfiles.write_gpkg(tmp_path / "survey.gpkg", hazard_rows()))
    manager.post(
        reverse("landrelease:imports_columns", args=[job.public_id]),
        columns_data(job, save_as="Survey", **HAZARD_COLUMNS),
    )
    mapping.refresh_from_db()
    assert mapping.columns == HAZARD_COLUMNS
    assert ImportMapping.objects.count() == 1


def test_a_refused_file_lists_every_error_and_changes_nothing(manager, tmp_path):
    before = gisfiles.database_snapshot()
    rows = [
        {"external_id": "NR-001", "type": "CHA", "date_recorded": "2021-03-04", "area_m2": "500"},
        {"external_id": "NR-002", "type": "CHA", "date_recorded": "31/02/2021", "area_m2": "500"},
        {"external_id": "NR-003", "type": "CHA", "date_recorded": "2021-03-04", "area_m2": "-20"},
    ]
    job = start_upload(manager, gisfiles.write_csv(tmp_path / "broken.csv", rows))
    data = columns_data(
        job,
        external_id="external_id",
        type="type",
        date_recorded="date_recorded",
        area_m2="area_m2",
    )
    manager.post(reverse("landrelease:imports_columns", args=[job.public_id]), data)
    run(manager, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.REFUSED
    assert [(error["line"], error["column"]) for error in job.errors] == [
        (3, "date_recorded"),
        (4, "area_m2"),
    ]
    assert gisfiles.database_snapshot() == before

    listed = manager.get(reverse("landrelease:imports_list")).context["page"].object_list
    assert [(listed_job.status, listed_job.error_count) for listed_job in listed] == [
        ("refused", 2)
    ]
    page = manager.get(reverse("landrelease:imports_detail", args=[job.public_id])).text
    assert "Refused: 2 problems were found, so nothing was saved." in page
    for error in job.errors:
        assert f'<td class="number">{error["line"]}</td>' in page
        assert error["message"] in page
    assert reverse("landrelease:imports_errors_csv", args=[job.public_id]) in page

    download = manager.get(reverse("landrelease:imports_errors_csv", args=[job.public_id]))
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert download["Content-Disposition"] == 'attachment; filename="broken-errors.csv"'
    lines = download.content.decode().splitlines()
    assert lines[0] == "line,column,message"
    assert [line.split(",")[:2] for line in lines[1:]] == [
        ["3", "date_recorded"],
        ["4", "area_m2"],
    ]


def test_many_errors_are_shown_a_page_at_a_time(manager, tmp_path):
    rows = [
        {"external_id": f"NR-{number:03d}", "type": "XYZ", "date_recorded": "2021-03-04", "m2": 5}
        for number in range(1, 61)
    ]
    job = start_upload(manager, gisfiles.write_csv(tmp_path / "bad-types.csv", rows))
    manager.post(
        reverse("landrelease:imports_columns", args=[job.public_id]),
        columns_data(
            job, external_id="external_id", type="type", date_recorded="date_recorded", area_m2="m2"
        ),
    )
    run(manager, job)
    url = reverse("landrelease:imports_detail", args=[job.public_id])
    first = manager.get(url)
    assert [error["line"] for error in first.context["errors_page"]] == list(range(2, 52))
    assert f'href="{url}?page=2#errors"' in first.text
    second = manager.get(url, {"page": 2})
    assert [error["line"] for error in second.context["errors_page"]] == list(range(52, 62))


def test_a_check_only_run_saves_nothing(manager, tmp_path):
    path = gisfiles.write_gpkg(tmp_path / "survey.gpkg", hazard_rows())
    job = start_upload(manager, path, dry_run="on")
    assert job.dry_run is True
    manager.post(
        reverse("landrelease:imports_columns", args=[job.public_id]),
        columns_data(job, geometry="geometry", **HAZARD_COLUMNS),
    )
    assert (
        "Start the check"
        in manager.get(reverse("landrelease:imports_detail", args=[job.public_id])).text
    )
    run(manager, job)
    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportJob.Status.CHECKED, 3)
    assert HazardArea.objects.count() == 0
    page = manager.get(reverse("landrelease:imports_detail", args=[job.public_id])).text
    assert "Checked 3 rows: no problem was found. Nothing was saved (check only)." in page


def test_a_job_runs_only_once(manager, tmp_path):
    job = start_upload(manager, gisfiles.write_gpkg(tmp_path / "survey.gpkg", hazard_rows()))
    manager.post(
        reverse("landrelease:imports_columns", args=[job.public_id]),
        columns_data(job, geometry="geometry", **HAZARD_COLUMNS),
    )
    run(manager, job)
    job.refresh_from_db()
    finished_at = job.finished_at
    HazardArea.objects.all().delete()

    response = run(manager, job)
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.finished_at, job.created_count) == (finished_at, 3)
    assert HazardArea.objects.count() == 0
    page = manager.get(response["Location"]).text
    assert "This import has already been started; it runs only once." in page


def test_a_job_that_is_already_running_is_not_started_again(manager, tmp_path):
    job = start_upload(manager, gisfiles.write_gpkg(tmp_path / "survey.gpkg", hazard_rows()))
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.VALIDATING, columns=HAZARD_COLUMNS
    )
    run(manager, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.VALIDATING
    assert HazardArea.objects.count() == 0


def test_the_run_asks_for_its_confirm_field_and_for_the_columns(manager, tmp_path):
    job = start_upload(manager, gisfiles.write_gpkg(tmp_path / "survey.gpkg", hazard_rows()))
    url = reverse("landrelease:imports_run", args=[job.public_id])
    assert manager.post(url).status_code == 200
    response = manager.post(url, {"confirm": "1"})
    assert response["Location"] == reverse("landrelease:imports_columns", args=[job.public_id])
    job.refresh_from_db()
    assert job.status == ImportJob.Status.UPLOADED


def test_the_columns_of_a_job_that_ran_no_longer_change(manager, tmp_path):
    job = start_upload(manager, gisfiles.write_gpkg(tmp_path / "survey.gpkg", hazard_rows()))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE)
    response = manager.post(
        reverse("landrelease:imports_columns", args=[job.public_id]),
        columns_data(job, **HAZARD_COLUMNS),
    )
    assert response["Location"] == reverse("landrelease:imports_detail", args=[job.public_id])
    job.refresh_from_db()
    assert job.columns == {}


def test_an_htmx_run_answers_the_report_partial(manager, tmp_path):
    job = start_upload(manager, gisfiles.write_gpkg(tmp_path / "survey.gpkg", hazard_rows()))
    manager.post(
        reverse("landrelease:imports_columns", args=[job.public_id]),
        columns_data(job, geometry="geometry", **HAZARD_COLUMNS),
    )
    response = manager.post(
        reverse("landrelease:imports_run", args=[job.public_id]),
        {"confirm": "1"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="job-status"')
    assert "hx-trigger" not in response.text
    assert "Imported: 3 created, 0 updated, 0 unchanged." in response.text


def progress(client, job, **params):
    return client.get(
        reverse("landrelease:imports_progress", args=[job.public_id]),
        params,
        headers={"HX-Request": "true"},
    )


def test_the_progress_partial_polls_while_the_import_runs(manager, tmp_path):
    job = start_upload(manager, gisfiles.write_gpkg(tmp_path / "survey.gpkg", hazard_rows()))
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.VALIDATING, processed_rows=50, total_rows=200
    )
    response = progress(manager, job)
    text = response.text
    assert text.lstrip().startswith('<section id="job-status"')
    assert 'hx-trigger="every 1s"' in text
    assert '<progress id="job-progress" max="100" value="25"' in text
    assert "50 of 200 rows (25 %)" in text
    assert "Checking the rows" in text

    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.SAVING, processed_rows=200)
    assert "Saving the records" in progress(manager, job).text

    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.DONE, created_count=200)
    finished = progress(manager, job).text
    assert "hx-trigger" not in finished
    assert 'value="100"' in finished
    assert "Imported: 200 created, 0 updated, 0 unchanged." in finished


def test_the_progress_partial_waits_a_while_for_a_run_to_start(manager, tmp_path):
    job = start_upload(manager, gisfiles.write_gpkg(tmp_path / "survey.gpkg", hazard_rows()))
    ImportJob.objects.filter(pk=job.pk).update(columns=HAZARD_COLUMNS)
    waiting = progress(manager, job, waiting=3).text
    assert "Starting" in waiting
    assert "progress/?waiting=4" in waiting
    assert 'hx-trigger="every 1s"' in waiting
    # A run that never began: the start button again, and no more polling.
    given_up = progress(manager, job, waiting=30).text
    assert 'hx-trigger="every 1s"' not in given_up
    assert "Start import" in given_up
    # A page that did not start the run does not poll.
    assert 'hx-trigger="every 1s"' not in progress(manager, job).text


def test_the_progress_address_without_htmx_is_the_whole_page(manager, tmp_path):
    job = start_upload(manager, gisfiles.write_gpkg(tmp_path / "survey.gpkg", hazard_rows()))
    response = manager.get(reverse("landrelease:imports_progress", args=[job.public_id]))
    assert "<html" in response.text


def test_the_list_shows_past_imports_and_the_columns_of_each_kind(manager, tmp_path, people):
    job = start_upload(manager, gisfiles.write_gpkg(tmp_path / "survey.gpkg", hazard_rows()))
    page = manager.get(reverse("landrelease:imports_list"))
    assert page.status_code == 200
    text = page.text
    assert reverse("landrelease:imports_detail", args=[job.public_id]) in text
    assert str(people["data_manager"]) in text
    assert reverse("landrelease:imports_new") in text
    assert reverse("landrelease:imports_mappings") in text
    for name in ("hazard_external_id", "planned_area_m2", "parent_code", "devices_uxo"):
        assert f"<code>{name}</code>" in text


def test_the_list_takes_the_same_queries_for_many_imports(manager, tmp_path):
    start_upload(manager, gisfiles.write_gpkg(tmp_path / "survey.gpkg", hazard_rows()))
    with CaptureQueriesContext(connection) as one:
        manager.get(reverse("landrelease:imports_list"))
    for _number in range(10):
        start_upload(manager, gisfiles.write_gpkg(tmp_path / "survey.gpkg", hazard_rows()))
    with CaptureQueriesContext(connection) as many:
        manager.get(reverse("landrelease:imports_list"))
    assert len(many) == len(one)


def test_warnings_are_reported_without_stopping_the_import(manager, tmp_path):
    rows = [{**row, "area_m2": 1000} for row in hazard_rows(1)]  # the polygon is ~49,000 m²
    job = start_upload(manager, gisfiles.write_gpkg(tmp_path / "survey.gpkg", rows))
    manager.post(
        reverse("landrelease:imports_columns", args=[job.public_id]),
        columns_data(job, geometry="geometry", area_m2="area_m2", **HAZARD_COLUMNS),
    )
    run(manager, job)
    job.refresh_from_db()
    assert (job.status, job.created_count, job.errors) == (ImportJob.Status.DONE, 1, [])
    [warning] = job.warnings
    assert warning["line"] == 1
    page = manager.get(reverse("landrelease:imports_detail", args=[job.public_id])).text
    assert "1 warning" in page
    assert escape(warning["message"]) in page


class ObjectStorage(Storage):
    """A storage without local paths, as object storage (S3...) is: files kept in memory."""

    def __init__(self):
        self.files = {}

    def _save(self, name, content):
        content.seek(0)
        self.files[name] = content.read()
        return name

    def _open(self, name, mode="rb"):
        return ContentFile(self.files[name], name=name)

    def exists(self, name):
        return name in self.files

    def delete(self, name):
        self.files.pop(name, None)

    def size(self, name):
        return len(self.files[name])


def test_imports_work_on_a_storage_without_local_paths(manager, tmp_path, settings):
    """The file is copied out of the storage to be read."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.ObjectStorage"},
    }
    job = start_upload(manager, gisfiles.write_gpkg(tmp_path / "survey.gpkg", hazard_rows()))
    cache.clear()  # the preview reads the stored file, not the sample kept at upload
    page = manager.get(reverse("landrelease:imports_columns", args=[job.public_id]))
    assert page.context["table"]["total"] == 3
    manager.post(
        reverse("landrelease:imports_columns", args=[job.public_id]),
        columns_data(job, geometry="geometry", **HAZARD_COLUMNS),
    )
    run(manager, job)
    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportJob.Status.DONE, 3)
