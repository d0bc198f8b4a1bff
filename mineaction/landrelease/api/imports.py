"""Article 5 imports API: import a file (as the `mineaction import` command does), the history
of imports with their progress and reports, and a report's errors as CSV. Data managers only.

An import runs within the request and answers its report: 201 when the records were saved,
200 when a check only (dry run) found nothing wrong, 422 when the file was refused. Every 422
of the import has the same shape, a problem whose `errors` list the problems by line and
column (line 0: the file or the request as a whole), so that a client reads them one way.
"""

import datetime
import uuid
from typing import Annotated

from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from mineaction.core import access
from mineaction.core.api import (
    INVALID_INPUT_TYPE,
    PROBLEM_CONTENT_TYPE,
    PROBLEM_TITLES,
    PageOut,
    PageParams,
    Problem,
    choice,
    error_responses,
    paginate,
)
from mineaction.landrelease.forms_imports import ImportUploadForm
from mineaction.landrelease.importers import run_job
from mineaction.landrelease.models import ImportJob, ImportKind, ImportMapping
from mineaction.landrelease.views.imports import errors_csv_response, import_history

router = Router(tags=["article5"])

# The answer of each finished status to the request that ran the import.
RUN_STATUS = {ImportJob.Status.DONE: 201, ImportJob.Status.CHECKED: 200}


class IssueOut(Schema):
    line: int = Field(description="Line of the file (0: the file or the request as a whole).")
    column: str = Field(description="The column of the file, or empty.")
    message: str


class ImportSummaryOut(Schema):
    public_id: uuid.UUID
    kind: ImportKind
    original_name: str = Field(description="The name of the uploaded file.")
    mapping: str | None = Field(description="The name of the saved mapping used, if any.")
    dry_run: bool = Field(description="Check only: nothing is saved.")
    status: ImportJob.Status
    total_rows: int
    processed_rows: int
    percent: int = Field(description="Progress from 0 to 100.")
    created: int
    updated: int
    unchanged: int
    error_count: int
    warning_count: int
    created_at: datetime.datetime
    finished_at: datetime.datetime | None


class ImportOut(ImportSummaryOut):
    columns: dict[str, str] = Field(description="{canonical column: column of the file}")
    errors: list[IssueOut] = Field(description="Every problem that stopped the import.")
    warnings: list[IssueOut] = Field(description="Rows to check; they do not stop an import.")
    errors_csv: str = Field(description="Address of the errors as CSV (line,column,message).")


class ImportPageOut(PageOut):
    results: list[ImportSummaryOut]


class ImportRefusedOut(Schema):
    """The file was refused and nothing was saved (problem details, RFC 9457)."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[IssueOut]
    warnings: list[IssueOut]
    total_rows: int
    error_count: int
    warning_count: int
    report: ImportOut | None = Field(
        description="The import as recorded; null when the request or the file could not be "
        "read, in which case no import is recorded."
    )


class ImportFilters(PageParams):
    kind: str | None = choice(ImportKind.choices)
    status: str | None = choice(ImportJob.Status.choices)


def import_summary_out(job):
    return {
        "public_id": job.public_id,
        "kind": job.kind,
        "original_name": job.original_name,
        "mapping": job.mapping.name if job.mapping else None,
        "dry_run": job.dry_run,
        "status": job.status,
        "total_rows": job.total_rows,
        "processed_rows": job.processed_rows,
        "percent": job.percent,
        "created": job.created_count,
        "updated": job.updated_count,
        "unchanged": job.unchanged_count,
        "error_count": job.error_count,
        "warning_count": job.warning_count,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


def import_out(job):
    job.error_count, job.warning_count = len(job.errors), len(job.warnings)
    return {
        **import_summary_out(job),
        "columns": job.columns,
        "errors": job.errors,
        "warnings": job.warnings,
        "errors_csv": reverse("api:article5_import_errors_csv", args=[job.public_id]),
    }


def _refused(detail, *, errors, job=None):
    """422 as problem+json, shaped by ImportRefusedOut."""
    body = {
        "type": INVALID_INPUT_TYPE,
        "title": str(PROBLEM_TITLES[422]),
        "status": 422,
        "detail": str(detail),
        "errors": errors,
        "warnings": job.warnings if job else [],
        "total_rows": job.total_rows if job else 0,
        "error_count": len(errors),
        "warning_count": len(job.warnings) if job else 0,
        "report": import_out(job) if job else None,
    }
    return JsonResponse(
        ImportRefusedOut.model_validate(body).model_dump(mode="json"),
        status=422,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def _request_problems(form):
    """The upload form's messages as problems of the file as a whole (line 0)."""
    return [
        {"line": 0, "column": "", "message": str(message)}
        for messages in form.errors.values()
        for message in messages
    ]


IMPORT_RESPONSES = {
    200: ImportOut,
    201: ImportOut,
    **error_responses(403, 404),
    422: ImportRefusedOut,
}


@router.get(
    "/article5/imports/{uuid:public_id}",
    response={200: ImportOut, **error_responses(403, 404)},
    url_name="article5_import_detail",
    summary="Get an import",
)
def article5_import_detail(request, public_id: uuid.UUID):
    """An import with its progress while it runs, and its report: counts, errors, warnings."""
    return import_out(access.get_import_job_for_user(request.auth, public_id))


@router.post(
    "/article5/imports/{kind}",
    response=IMPORT_RESPONSES,
    url_name="article5_import",
    summary="Import a file",
)
def article5_import(
    request,
    kind: str,
    file: Annotated[UploadedFile, File(description="The file to import.")] = None,
    mapping: Annotated[str, Form(description="The name of a saved mapping of this kind.")] = None,
    dry_run: Annotated[bool, Form(description="Check the file and save nothing.")] = False,
):
    """Import a file of admin areas, hazard areas, land release or milestones
    (`multipart/form-data`), entirely or not at all, as the `mineaction import` command does.

    - `file`: CSV, XLSX, GeoJSON, GeoPackage, zipped Shapefile or KML.
    - `mapping`: the name of a saved mapping of this kind; without one, columns are matched by
      their names and common aliases.
    - `dry_run`: check the file and save nothing.

    Answers 201 with the report when the records were saved, 200 when a check found nothing
    wrong, and 422 with every problem by line and column when the file was refused.
    """
    access.require_land_data_manager(request.auth)
    if kind not in ImportKind.values:
        raise Problem(
            404,
            _("There is no import of this kind. Use one of: %(kinds)s.")
            % {"kinds": ", ".join(ImportKind.values)},
        )
    form = ImportUploadForm(
        data={"kind": kind, "mapping": mapping or "", "dry_run": dry_run},
        files={"file": file} if file is not None else {},
    )
    mapping_field = form.fields["mapping"]
    mapping_field.queryset = ImportMapping.objects.filter(kind=kind)
    mapping_field.to_field_name = "name"
    # The kind is filled in now; the form fills in the name (`value`) when it refuses it.
    mapping_field.error_messages["invalid_choice"] = _(
        "There is no saved mapping “%(value)s” for %(kind)s."
    ) % {"kind": ImportKind(kind).label, "value": "%(value)s"}
    if not form.is_valid():
        return _refused(_("The file was not imported."), errors=_request_problems(form))
    # As on the command line: the saved mapping's columns, the others matched by name.
    job = form.save()
    run_job(job)
    job.refresh_from_db()
    if job.status in RUN_STATUS:
        return Status(RUN_STATUS[job.status], import_out(job))
    return _refused(
        _("The file was refused and nothing was saved: see the errors by line."),
        errors=job.errors,
        job=job,
    )


@router.get(
    "/article5/imports",
    response={200: ImportPageOut, **error_responses(400, 403)},
    url_name="article5_import_list",
    summary="List imports",
)
def article5_import_list(request, filters: Query[ImportFilters]):
    """Past imports, latest first, with their status and counts."""
    access.require_land_data_manager(request.auth)
    jobs = import_history()
    for name, choices in (("kind", ImportKind), ("status", ImportJob.Status)):
        value = getattr(filters, name)
        if value is None:
            continue
        if value not in choices.values:
            raise Problem(400, errors={name: [_("This value is not one of the choices.")]})
        jobs = jobs.filter(**{name: value})
    return paginate(jobs, filters, import_summary_out)


@router.get(
    "/article5/imports/{uuid:public_id}/errors.csv",
    response={200: None, **error_responses(403, 404)},
    url_name="article5_import_errors_csv",
    summary="Get the errors of an import as CSV",
    openapi_extra={
        "responses": {200: {"description": "line,column,message", "content": {"text/csv": {}}}}
    },
)
def article5_import_errors_csv(request, public_id: uuid.UUID):
    """The errors of an import, one per line: line,column,message."""
    return errors_csv_response(access.get_import_job_for_user(request.auth, public_id))
