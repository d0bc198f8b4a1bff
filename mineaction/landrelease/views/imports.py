"""Import pages of the data managers: past imports, a new import (upload → columns with a
preview → run with a progress bar → report and its errors as CSV), and the saved column
mappings. Every view: check access, act, redirect.

A run happens within the POST that starts it. The page sends that POST with htmx and polls
the progress partial meanwhile; without JavaScript the POST returns when the report is ready.
"""

import logging
import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Func, IntegerField
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mineaction.core import access
from mineaction.core.pages import form_data, results_template
from mineaction.landrelease.forms_imports import (
    ImportColumnsForm,
    ImportMappingForm,
    ImportUploadForm,
    canonical_columns,
    file_sample,
)
from mineaction.landrelease.importers import ImportFileError, issues_csv, run_job, suggest_columns
from mineaction.landrelease.models import ImportJob, ImportKind, ImportMapping

logger = logging.getLogger(__name__)

PAGE_SIZE = 25
ISSUES_PAGE_SIZE = 50
PREVIEW_TEXT_LENGTH = 60
RUNNING = {ImportJob.Status.VALIDATING, ImportJob.Status.SAVING}
# A page that has just sent the run keeps polling while the job still waits to start, but
# not for ever: a run that never began (the POST failed) shows the start button again.
MAX_START_POLLS = 30


def _documented_kinds():
    """Each kind of data with its canonical columns, for people preparing a file."""
    return [
        {"value": kind.value, "label": kind.label, "columns": canonical_columns(kind.value)}
        for kind in ImportKind
    ]


class JSONArrayLength(Func):
    """The length of a JSON list column (SQLite and PostgreSQL)."""

    function = "JSON_ARRAY_LENGTH"
    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="JSONB_ARRAY_LENGTH", **extra)


def import_history():
    """Imports, latest first, with their error and warning counts but not the lists, which
    may hold thousands of entries each."""
    return (
        ImportJob.objects.select_related("created_by__person", "mapping")
        .defer("errors", "warnings", "columns")
        .annotate(error_count=JSONArrayLength("errors"), warning_count=JSONArrayLength("warnings"))
    )


@require_GET
@login_required
def imports_list(request):
    access.require_land_data_manager(request.user)
    jobs = import_history()
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        results_template(request, "landrelease/imports_list.html"),
        {
            "page": page,
            "mapping_count": ImportMapping.objects.count(),
            "kinds": _documented_kinds(),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def imports_new(request):
    access.require_land_data_manager(request.user)
    form = ImportUploadForm(
        form_data(request),
        request.FILES if request.method == "POST" else None,
        initial={"kind": request.GET.get("kind")},
    )
    if form.is_valid():
        job = form.save()
        messages.success(request, _("The file has been uploaded. Check how its columns map."))
        return redirect("landrelease:imports_columns", job.public_id)
    return render(
        request,
        "landrelease/imports_new.html",
        {"form": form, "mappings": ImportMapping.objects.all()},
    )


def _get_job(request, public_id):
    return access.get_import_job_for_user(request.user, public_id)


def _read_file(job):
    """The file's columns and first rows, or the reason it cannot be read (a file removed from
    the storage, or one that can no longer be read)."""
    if not job.file or not job.file.storage.exists(job.file.name):
        return None, _("The uploaded file is no longer available. Upload it again.")
    try:
        return file_sample(job), None
    except ImportFileError as error:
        return None, str(error)


def _initial_columns(job, file_columns):
    """The columns chosen before, else the saved mapping's over the suggested ones."""
    if job.columns:
        chosen = job.columns
    else:
        chosen = suggest_columns(job.kind, file_columns)
        if job.mapping is not None:
            chosen = {**chosen, **job.mapping.columns}
    return {canonical: column for canonical, column in chosen.items() if column in file_columns}


def _missing_from_file(job, file_columns):
    """The saved mapping's columns that this file does not have."""
    if job.mapping is None or job.columns:
        return []
    return [
        {"canonical": canonical, "column": column}
        for canonical, column in job.mapping.columns.items()
        if column not in file_columns
    ]


def _cell(value):
    """A value of the file as the preview shows it: geometries by their type, long texts cut."""
    if value is None:
        return ""
    geometry_type = getattr(value, "geom_type", None)
    if geometry_type is None and isinstance(value, dict):
        geometry_type = value.get("type")
    if geometry_type:
        return geometry_type
    text = str(value)
    if len(text) > PREVIEW_TEXT_LENGTH:
        return text[: PREVIEW_TEXT_LENGTH - 1] + "…"
    return text


def _preview(kind, rows, columns):
    """The first rows as mapped: one column per mapped canonical column."""
    mapped = [column.name for column in canonical_columns(kind) if columns.get(column.name)]
    return {
        "headers": [{"canonical": name, "column": columns[name]} for name in mapped],
        "rows": [
            {"line": line, "cells": [_cell(values.get(columns[name])) for name in mapped]}
            for line, values in rows
        ],
    }


def _chosen_columns(form, file_columns):
    """The columns a form shows, valid or not (for the preview of an unsaved choice)."""
    if not form.is_bound:
        return {name: form.initial.get(name) for name in form.fields if form.initial.get(name)}
    return {
        column.name: form.data.get(column.name)
        for column in canonical_columns(form.kind)
        if form.data.get(column.name) in file_columns
    }


@require_http_methods(["GET", "POST"])
@login_required
def imports_columns(request, public_id):
    """Choose the file column of each canonical column, with a preview of the first rows.
    An htmx GET with the choices answers the preview alone, as the choices change."""
    job = _get_job(request, public_id)
    if job.status != ImportJob.Status.UPLOADED:
        messages.info(request, _("This import has run; its columns can no longer change."))
        return redirect("landrelease:imports_detail", job.public_id)
    table, file_error = _read_file(job)
    context = {"job": job, "file_error": file_error}
    if table is None:
        return render(request, "landrelease/imports_columns.html", context)
    previewing = request.htmx and request.method == "GET"
    data = request.GET if previewing else form_data(request)
    form = ImportColumnsForm(
        data,
        kind=job.kind,
        file_columns=table["columns"],
        initial=_initial_columns(job, table["columns"]),
    )
    if not previewing and form.is_valid():
        _save_columns(request, job, form)
        return redirect("landrelease:imports_detail", job.public_id)
    context.update(
        form=form,
        table=table,
        missing=_missing_from_file(job, table["columns"]),
        preview=_preview(job.kind, table["rows"], _chosen_columns(form, table["columns"])),
    )
    template = "landrelease/imports_columns.html"
    return render(request, f"{template}#preview" if previewing else template, context)


@transaction.atomic
def _save_columns(request, job, form):
    job.columns = form.mapped_columns()
    name = form.cleaned_data["save_as"].strip()
    if name:
        # A saved mapping keeps the chosen columns only: the next file's other columns are
        # matched by name, as they are when no mapping is used.
        chosen = {canonical: column for canonical, column in job.columns.items() if column}
        job.mapping, created = ImportMapping.objects.update_or_create(
            kind=job.kind, name=name, defaults={"columns": chosen}
        )
        if created:
            messages.success(request, _("The mapping “%(name)s” has been saved.") % {"name": name})
        else:
            messages.success(
                request, _("The mapping “%(name)s” has been updated.") % {"name": name}
            )
    job.save()


def _status_context(request, job):
    """The job with one page of its errors and one of its warnings (there may be thousands)."""
    return {
        "job": job,
        "running": job.status in RUNNING,
        "errors_page": Paginator(job.errors, ISSUES_PAGE_SIZE).get_page(request.GET.get("page")),
        "warnings_page": Paginator(job.warnings, ISSUES_PAGE_SIZE).get_page(
            request.GET.get("warnings_page")
        ),
    }


@require_GET
@login_required
def imports_detail(request, public_id):
    job = _get_job(request, public_id)
    return render(request, "landrelease/imports_detail.html", _status_context(request, job))


@require_GET
@login_required
def imports_progress(request, public_id):
    """The job's status: the progress bar while it runs, the report once it has run. htmx
    polls it every second; `waiting` counts the polls of a page that has just sent the run."""
    job = _get_job(request, public_id)
    context = _status_context(request, job)
    try:
        waiting = int(request.GET.get("waiting", ""))
    except ValueError:
        waiting = None
    if waiting is not None and job.status == ImportJob.Status.UPLOADED:
        context["starting"] = waiting < MAX_START_POLLS
        context["next_wait"] = waiting + 1
    if request.htmx:
        return render(request, "landrelease/imports_detail.html#status", context)
    return render(request, "landrelease/imports_detail.html", context)


def _claim(job):
    """Mark the job as started, unless it already was: a job runs once, even when two
    requests ask for it at the same moment."""
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.UPLOADED).update(
        status=ImportJob.Status.VALIDATING
    )
    return claimed == 1


@require_POST
@login_required
def imports_run(request, public_id):
    """Run the import (or the check) now; the POST returns when the report is ready."""
    job = _get_job(request, public_id)
    if not request.POST.get("confirm"):
        return render(request, "landrelease/imports_detail.html", _status_context(request, job))
    if not job.columns:
        messages.error(request, _("Choose the columns of the file before starting the import."))
        return redirect("landrelease:imports_columns", job.public_id)
    if job.status != ImportJob.Status.UPLOADED or not _claim(job):
        if not request.htmx:  # the partial answered shows the import as it is
            messages.info(request, _("This import has already been started; it runs only once."))
    else:
        job.refresh_from_db()
        try:
            run_job(job)
        except Exception:
            # The job records the failure ("nothing was saved") for its report page.
            logger.exception("Import %s failed", job.public_id)
        job.refresh_from_db()
    if request.htmx:
        return render(
            request, "landrelease/imports_detail.html#status", _status_context(request, job)
        )
    return redirect("landrelease:imports_detail", job.public_id)


def errors_csv_response(job):
    """The job's errors as a CSV download named after the file (shared with the API)."""
    response = HttpResponse(issues_csv(job.errors), content_type="text/csv; charset=utf-8")
    stem = os.path.splitext(job.original_name)[0] or "import"
    filename = f"{stem}-errors.csv".replace('"', "")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@login_required
def imports_errors_csv(request, public_id):
    return errors_csv_response(_get_job(request, public_id))


@require_GET
@login_required
def imports_mappings(request):
    access.require_land_data_manager(request.user)
    mappings = ImportMapping.objects.select_related("created_by__person")
    return render(request, "landrelease/imports_mappings.html", {"mappings": mappings})


def _get_mapping(request, public_id):
    return access.get_import_mapping_for_user(request.user, public_id, write=True)


@require_http_methods(["GET", "POST"])
@login_required
def imports_mapping_edit(request, public_id):
    mapping = _get_mapping(request, public_id)
    form = ImportMappingForm(form_data(request), mapping=mapping)
    if form.is_valid():
        form.save()
        messages.success(request, _("The mapping “%(name)s” has been saved.") % {"name": mapping})
        return redirect("landrelease:imports_mappings")
    return render(
        request, "landrelease/imports_mapping_edit.html", {"form": form, "mapping": mapping}
    )


@require_http_methods(["GET", "POST"])
@login_required
def imports_mapping_delete(request, public_id):
    """Confirmation page; the POST deletes only with its `confirm` field. Imports that used
    the mapping keep the columns they ran with."""
    mapping = _get_mapping(request, public_id)
    if request.method == "POST" and request.POST.get("confirm"):
        mapping.delete()
        messages.success(
            request, _("The mapping “%(name)s” has been deleted.") % {"name": mapping.name}
        )
        return redirect("landrelease:imports_mappings")
    return render(request, "landrelease/imports_mapping_delete.html", {"mapping": mapping})


urlpatterns = [
    path("imports/", imports_list, name="imports_list"),
    path("imports/new/", imports_new, name="imports_new"),
    path("imports/mappings/", imports_mappings, name="imports_mappings"),
    path(
        "imports/mappings/<uuid:public_id>/edit/",
        imports_mapping_edit,
        name="imports_mapping_edit",
    ),
    path(
        "imports/mappings/<uuid:public_id>/delete/",
        imports_mapping_delete,
        name="imports_mapping_delete",
    ),
    path("imports/<uuid:public_id>/", imports_detail, name="imports_detail"),
    path("imports/<uuid:public_id>/columns/", imports_columns, name="imports_columns"),
    path("imports/<uuid:public_id>/run/", imports_run, name="imports_run"),
    path("imports/<uuid:public_id>/progress/", imports_progress, name="imports_progress"),
    path("imports/<uuid:public_id>/errors.csv", imports_errors_csv, name="imports_errors_csv"),
]
