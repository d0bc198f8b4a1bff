"""Running an import: read the file, map its columns, check every row, then save everything in
one transaction, or nothing when any row has an error.

`run_import` is what the command line, the pages and the API share; `run_job` runs a stored
`ImportJob` and keeps its progress and report up to date for the pages that follow it.
"""

import contextlib
import logging
import shutil
import tempfile
import time
from pathlib import Path

from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mineaction.landrelease.importers.admin_areas import AdminAreaImporter
from mineaction.landrelease.importers.base import Row
from mineaction.landrelease.importers.columns import (
    CANONICAL_COLUMNS,
    required_columns,
    suggest_columns,
)
from mineaction.landrelease.importers.hazards import HazardImporter
from mineaction.landrelease.importers.milestones import MilestoneImporter
from mineaction.landrelease.importers.releases import ReleaseImporter
from mineaction.landrelease.importers.report import ImportReport
from mineaction.landrelease.importers.tables import ImportFileError, read_table
from mineaction.landrelease.models import ImportJob, ImportKind
from mineaction.landrelease.services import progress

logger = logging.getLogger(__name__)

IMPORTERS = {
    ImportKind.ADMIN_AREAS: AdminAreaImporter,
    ImportKind.HAZARDS: HazardImporter,
    ImportKind.RELEASES: ReleaseImporter,
    ImportKind.MILESTONES: MilestoneImporter,
}
PROGRESS_EVERY_ROWS = 1000
PROGRESS_EVERY_SECONDS = 0.5
# A job keeps this many errors and warnings each; the last entry says how many more there were.
STORED_ISSUES = 10_000


def run_import(
    kind, path, *, original_name=None, columns=None, dry_run=False, progress=None, actor=None
):
    """Import the file at `path` as `kind` ("hazards", ...); the report says what was found and
    done. Nothing is written when any row has an error, nor on a dry run.

    `progress(processed, total, phase)` is called while rows are checked ("validating", at most
    every 1,000 rows) and once before saving ("saving"), never inside the saving transaction,
    so it may write to the database itself.
    """
    kind = ImportKind(kind)
    report = ImportReport(kind=kind.value, dry_run=dry_run)
    notify = progress or (lambda processed, total, phase: None)
    try:
        table = read_table(path, original_name=original_name, kind=kind.value)
    except ImportFileError as error:
        report.error(0, "", str(error))
        return report
    report.total_rows = table.total
    report.columns = map_columns(kind, table.columns, columns, report)
    if not report.ok:
        return report
    importer = IMPORTERS[kind](report, report.columns, actor=actor)
    records = check_rows(importer, table, notify)
    importer.match(records)
    importer.check_records(records)
    creates, updates, unchanged = importer.plan(records)
    report.sort()
    if not report.ok:
        return report
    report.created, report.updated, report.unchanged = len(creates), len(updates), unchanged
    if not dry_run:
        notify(table.total, table.total, "saving")
        save(importer, creates, updates, report)
    return report


def check_rows(importer, table, notify):
    importer.prepare()
    records = []
    next_notice = time.monotonic() + PROGRESS_EVERY_SECONDS
    notify(0, table.total, "validating")
    for processed, (line, cells) in enumerate(table.rows(), start=1):
        records.append(importer.parse_row(Row(line, cells, importer.columns, importer.report)))
        if processed % PROGRESS_EVERY_ROWS == 0 and time.monotonic() >= next_notice:
            notify(processed, table.total, "validating")
            next_notice = time.monotonic() + PROGRESS_EVERY_SECONDS
    notify(table.total, table.total, "validating")
    return records


def save(importer, creates, updates, report):
    try:
        with transaction.atomic():
            importer.save(creates, updates)
            progress.data_changed()
    except DatabaseError as error:
        # Another import or an edit changed the same records meanwhile; nothing was saved.
        logger.warning("Import refused by the database: %s", error)
        report.created = report.updated = report.unchanged = 0
        report.error(
            0,
            "",
            _("The database refused the changes (%(detail)s); nothing was saved. Try again.")
            % {"detail": str(error)[:200]},
        )


def map_columns(kind, file_columns, columns, report):
    """{canonical: file column}: the caller's mapping, completed by suggestions for the
    canonical columns it does not mention (an empty value leaves a column out)."""
    canonical = {column.name for column in CANONICAL_COLUMNS[kind]}
    given = dict((columns or {}).items())
    unknown = sorted(set(given) - canonical)
    if unknown:
        report.error(
            0,
            "",
            _("The mapping names columns that %(kind)s do not have: %(columns)s.")
            % {"kind": kind.label, "columns": ", ".join(unknown)},
        )
    absent = sorted(
        str(file_column)
        for file_column in given.values()
        if file_column and file_column not in file_columns
    )
    if absent:
        report.error(
            0,
            "",
            _(
                "The mapping names columns the file does not have: %(absent)s. "
                "The file's columns are: %(columns)s."
            )
            % {"absent": ", ".join(absent), "columns": ", ".join(file_columns)},
        )
    used = {file_column for file_column in given.values() if file_column}
    suggested = suggest_columns(kind, [column for column in file_columns if column not in used])
    mapping = {name: column for name, column in suggested.items() if name not in given}
    mapping.update({name: column for name, column in given.items() if column and name in canonical})
    missing = [name for name in required_columns(kind) if name not in mapping]
    if missing:
        report.error(
            0,
            "",
            _("Required columns are missing: %(missing)s. The file's columns are: %(columns)s.")
            % {"missing": ", ".join(missing), "columns": ", ".join(file_columns)},
        )
    return mapping


# Stored jobs -----------------------------------------------------------------------------------


def run_job(job):
    """Run a stored ImportJob (its file, columns or saved mapping, dry run), recording its
    progress while it runs and its counts, errors and warnings at the end."""
    return execute_job(job)[0]


def execute_job(job, *, progress=None):
    """`run_job`, also returning the full ImportReport (the job keeps at most STORED_ISSUES
    errors and warnings); `progress` is told of the progress too. Messages are in the language
    of the job's creator."""
    language = getattr(job.created_by, "language", None) or translation.get_language()
    with translation.override(language):
        return _run_job(job, progress)


def _run_job(job, also_notify):
    set_job(job, status=ImportJob.Status.VALIDATING, processed_rows=0, finished_at=None)
    progress = JobProgress(job, also_notify)
    columns = job.columns or (job.mapping.columns if job.mapping_id else None)
    try:
        with job_file(job) as path:
            report = run_import(
                job.kind,
                path,
                original_name=job.original_name,
                columns=columns,
                dry_run=job.dry_run,
                progress=progress,
                actor=job.created_by,
            )
    except Exception:
        set_job(
            job,
            status=ImportJob.Status.REFUSED,
            errors=[
                {
                    "line": 0,
                    "column": "",
                    "message": _("The import failed unexpectedly; nothing was saved."),
                }
            ],
            finished_at=timezone.now(),
        )
        raise
    if not report.ok:
        status = ImportJob.Status.REFUSED
    elif report.dry_run:
        status = ImportJob.Status.CHECKED
    else:
        status = ImportJob.Status.DONE
    set_job(
        job,
        status=status,
        columns=report.columns or job.columns,
        total_rows=report.total_rows,
        processed_rows=report.total_rows,
        created_count=report.created,
        updated_count=report.updated,
        unchanged_count=report.unchanged,
        errors=stored_issues(report.errors, _("%(count)s more errors are not listed.")),
        warnings=stored_issues(report.warnings, _("%(count)s more warnings are not listed.")),
        finished_at=timezone.now(),
    )
    return job, report


def set_job(job, **fields):
    """Write some fields of the job at once, outside any transaction of the import, so that a
    page polling the job sees them (SQLite in WAL mode lets readers in while a writer works)."""
    fields["updated_at"] = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(**fields)
    for name, value in fields.items():
        setattr(job, name, value)


class JobProgress:
    """The `progress` callback of a job: writes the rows checked at most every half second."""

    def __init__(self, job, also_notify=None):
        self.job = job
        self.also_notify = also_notify
        self.last = 0.0

    def __call__(self, processed, total, phase):
        if self.also_notify:
            self.also_notify(processed, total, phase)
        now = time.monotonic()
        if phase == "saving":
            set_job(
                self.job, status=ImportJob.Status.SAVING, processed_rows=processed, total_rows=total
            )
        elif now - self.last >= PROGRESS_EVERY_SECONDS or processed in (0, total):
            set_job(self.job, processed_rows=processed, total_rows=total)
        else:
            return
        self.last = now


def stored_issues(issues, more_message):
    stored = [issue.as_dict() for issue in issues[:STORED_ISSUES]]
    if len(issues) > STORED_ISSUES:
        stored.append(
            {
                "line": 0,
                "column": "",
                "message": more_message % {"count": len(issues) - STORED_ISSUES},
            }
        )
    return stored


@contextlib.contextmanager
def job_file(job):
    """A local path to the job's file: the stored file itself, or a temporary copy when the
    storage is remote (S3...)."""
    try:
        local_path = job.file.path
    except NotImplementedError:
        local_path = None
    if local_path:
        yield local_path
        return
    suffix = Path(job.original_name or job.file.name).suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        with job.file.open("rb") as source:
            shutil.copyfileobj(source, copy)
        copy.flush()
        yield copy.name
