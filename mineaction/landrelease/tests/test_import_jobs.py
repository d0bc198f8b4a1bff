"""Stored import jobs (their progress and report), the error CSV, and the `import` command."""

import contextlib
import csv
import datetime
import io

import pytest
from django import db
from django.core.files.base import ContentFile
from django.core.management import ManagementUtility
from django.db import connection

from mineaction.landrelease.importers import RowIssue, issues_csv, run_job
from mineaction.landrelease.importers import run as import_run
from mineaction.landrelease.models import HazardArea, ImportJob, ImportMapping
from mineaction.landrelease.tests import factories, gisfiles

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def csv_job(rows, *, name="hazards.csv", **fields):
    job = ImportJob(kind="hazards", original_name=name, **fields)
    job.file.save(name, ContentFile(gisfiles.csv_text(rows).encode()), save=True)
    return job


def good_rows(count=3):
    return [gisfiles.hazard_row(number) for number in range(1, count + 1)]


# Jobs ------------------------------------------------------------------------------------------


def test_a_job_imports_its_file_and_records_the_counts(people):
    job = csv_job(good_rows(), created_by=people["data_manager"].user)

    run_job(job)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert (job.total_rows, job.processed_rows, job.percent) == (3, 3, 100)
    assert (job.created_count, job.updated_count, job.unchanged_count) == (3, 0, 0)
    assert job.errors == [] and job.finished_at is not None
    assert job.columns["external_id"] == "external_id"
    assert set(HazardArea.objects.values_list("created_by", flat=True)) == {
        people["data_manager"].user.pk
    }


def test_a_refused_job_keeps_its_errors_and_changes_nothing():
    factories.make_hazard("HA-STORED")
    before = gisfiles.database_snapshot()
    job = csv_job([gisfiles.hazard_row(1, type="XYZ"), gisfiles.hazard_row(2, area_m2="-1")])

    run_job(job)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.REFUSED
    assert job.errors == [
        {"line": 2, "column": "type", "message": "“XYZ” is not one of: SHA, CHA."},
        {"line": 3, "column": "area_m2", "message": "“-1” is a negative area."},
    ]
    assert (job.created_count, job.updated_count) == (0, 0)
    assert gisfiles.database_snapshot() == before


def test_a_dry_run_job_is_checked_and_saves_nothing():
    job = csv_job(good_rows(), dry_run=True)

    run_job(job)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED
    assert job.created_count == 3
    assert HazardArea.objects.count() == 0


def test_a_job_uses_its_saved_mapping_when_it_has_no_columns():
    mapping = ImportMapping.objects.create(
        name="IMSMA export", kind="hazards", columns={"external_id": "Hazard ID"}
    )
    rows = [{"Hazard ID": "HA-9", "type": "CHA", "date_recorded": "2019-01-01", "area_m2": 50}]
    job = csv_job(rows, mapping=mapping)

    run_job(job)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.columns["external_id"] == "Hazard ID"
    assert HazardArea.objects.get().external_id == "HA-9"


def test_a_job_whose_file_is_gone_is_refused():
    job = csv_job(good_rows())
    job.file.storage.delete(job.file.name)

    run_job(job)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.REFUSED
    assert job.errors == [
        {"line": 0, "column": "", "message": "The file cannot be found or opened."}
    ]


def test_stored_errors_are_capped_and_say_how_many_more(monkeypatch):
    monkeypatch.setattr(import_run, "STORED_ISSUES", 5)
    job = csv_job([gisfiles.hazard_row(number, area_m2="-1") for number in range(1, 9)])

    run_job(job)

    job.refresh_from_db()
    assert [error["line"] for error in job.errors] == [2, 3, 4, 5, 6, 0]
    assert job.errors[-1]["message"] == "3 more errors are not listed."


def test_progress_is_reported_outside_the_saving_transaction(monkeypatch):
    monkeypatch.setattr(import_run, "PROGRESS_EVERY_ROWS", 10)
    monkeypatch.setattr(import_run, "PROGRESS_EVERY_SECONDS", 0)
    job = csv_job(good_rows(25))
    depth = len(connection.atomic_blocks)
    seen = []

    def watch(processed, total, phase):
        stored = ImportJob.objects.get(pk=job.pk)
        seen.append((phase, processed, stored.status, len(connection.atomic_blocks) == depth))

    import_run.execute_job(job, progress=watch)

    assert seen[0] == ("validating", 0, "validating", True)
    assert ("validating", 10, "validating", True) in seen
    assert ("validating", 20, "validating", True) in seen
    assert seen[-1][:2] == ("saving", 25)
    assert all(outside for *_rest, outside in seen)
    job.refresh_from_db()
    assert (job.status, job.processed_rows) == (ImportJob.Status.DONE, 25)


def test_the_job_shows_progress_while_rows_are_checked(monkeypatch):
    monkeypatch.setattr(import_run, "PROGRESS_EVERY_ROWS", 10)
    monkeypatch.setattr(import_run, "PROGRESS_EVERY_SECONDS", 0)
    job = csv_job(good_rows(25))
    stored_progress = []

    def watch(processed, total, phase):
        stored = ImportJob.objects.get(pk=job.pk)
        stored_progress.append((stored.status, stored.processed_rows, stored.total_rows))

    import_run.execute_job(job, progress=watch)

    # The job's row is written before the callback of the command line runs.
    assert stored_progress[0] == ("validating", 0, 0)
    assert ("validating", 10, 25) in stored_progress
    assert ("validating", 25, 25) in stored_progress


# The error CSV ---------------------------------------------------------------------------------


def test_issues_csv_lists_line_column_and_message_quoted_as_needed():
    issues = [
        RowIssue(0, "", "Required columns are missing: type, date_recorded."),
        {"line": 7, "column": "area_m2", "message": '“1,500” is not a number, "quoted".'},
    ]

    text = issues_csv(issues)

    assert list(csv.reader(io.StringIO(text))) == [
        ["line", "column", "message"],
        ["0", "", "Required columns are missing: type, date_recorded."],
        ["7", "area_m2", '“1,500” is not a number, "quoted".'],
    ]


# The command -----------------------------------------------------------------------------------


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


def test_the_command_imports_and_prints_a_summary(tmp_path):
    path = gisfiles.write_gpkg(tmp_path / "hazards.gpkg", good_rows())

    status, out, err = run_command("hazards", path)

    assert status == 0, err
    assert out.strip() == "Hazard areas: 3 created, 0 updated, 0 unchanged, no warnings."
    assert HazardArea.objects.count() == 3
    job = ImportJob.objects.get()
    assert (job.status, job.original_name, job.created_count) == ("done", "hazards.gpkg", 3)


def test_the_command_refuses_a_bad_file_with_every_error_and_exit_status_1(tmp_path):
    rows = good_rows()
    rows[0]["date_recorded"] = "2020-02-30"
    rows[2]["type"] = "XYZ"
    path = gisfiles.write_csv(tmp_path / "hazards.csv", rows)
    errors_csv = tmp_path / "errors.csv"

    status, out, err = run_command("hazards", path, "--errors-csv", errors_csv)

    assert status == 1
    assert err.splitlines() == [
        "line 2, date_recorded: “2020-02-30” is not a valid date.",
        "line 4, type: “XYZ” is not one of: SHA, CHA.",
        "CommandError: The file was refused (2 errors); nothing was imported.",
    ]
    assert HazardArea.objects.count() == 0
    assert list(csv.reader(io.StringIO(errors_csv.read_text(encoding="utf-8")))) == [
        ["line", "column", "message"],
        ["2", "date_recorded", "“2020-02-30” is not a valid date."],
        ["4", "type", "“XYZ” is not one of: SHA, CHA."],
    ]
    assert ImportJob.objects.get().status == "refused"


def test_the_command_prints_file_errors_and_warnings(tmp_path):
    path = tmp_path / "hazards.csv"
    path.write_text("external_id\nHA-1\n", encoding="utf-8")

    status, _out, err = run_command("hazards", path)

    assert status == 1
    assert err.splitlines()[0].startswith(
        "file: Required columns are missing: type, date_recorded."
    )


def test_the_command_dry_run_writes_nothing_at_all(tmp_path):
    path = gisfiles.write_csv(tmp_path / "hazards.csv", good_rows())

    status, out, _err = run_command("hazards", path, "--dry-run")

    assert status == 0
    assert out.strip() == (
        "Hazard areas: 3 created, 0 updated, 0 unchanged, no warnings. Dry run: nothing was saved."
    )
    assert HazardArea.objects.count() == 0
    assert ImportJob.objects.count() == 0


def test_the_command_uses_a_saved_mapping(tmp_path):
    ImportMapping.objects.create(
        name="IMSMA", kind="hazards", columns={"external_id": "Hazard ID", "date_recorded": "On"}
    )
    rows = [{"Hazard ID": "HA-9", "type": "CHA", "On": "2019-01-01", "area_m2": 50}]
    path = gisfiles.write_csv(tmp_path / "hazards.csv", rows)

    status, out, err = run_command("hazards", path, "--mapping", "IMSMA")

    assert status == 0, err
    assert HazardArea.objects.get().date_recorded == datetime.date(2019, 1, 1)


def test_the_command_refuses_an_unknown_mapping_naming_the_saved_ones(tmp_path):
    ImportMapping.objects.create(name="IMSMA", kind="hazards", columns={})
    ImportMapping.objects.create(name="Releases", kind="releases", columns={})
    path = gisfiles.write_csv(tmp_path / "hazards.csv", good_rows())

    status, _out, err = run_command("hazards", path, "--mapping", "Other")

    assert status == 1
    assert "There is no saved mapping “Other” for Hazard areas. Saved mappings: IMSMA." in err
    assert HazardArea.objects.count() == 0


def test_the_command_refuses_a_missing_file(tmp_path):
    status, _out, err = run_command("hazards", tmp_path / "nothing.csv")

    assert status == 1
    assert "There is no file" in err


def test_the_command_prints_warnings(tmp_path):
    path = gisfiles.write_csv(tmp_path / "hazards.csv", [gisfiles.hazard_row(1, area_m2=30_000)])

    status, out, _err = run_command("hazards", path)

    assert status == 0
    assert out.splitlines()[0].startswith(
        "warning: line 2, area_m2: The recorded area (30,000 m²) differs by "
    )
    assert out.splitlines()[1] == "Hazard areas: 1 created, 0 updated, 0 unchanged, 1 warning."
