"""Forms of the import pages: the upload, the column mapping and the saved mappings.

The API validates its uploads with the same upload form, so the rules and messages agree.
"""

import contextlib
import itertools
import os
import shutil
import tempfile

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from mineaction.landrelease.importers import CANONICAL_COLUMNS, ImportFileError, read_table
from mineaction.landrelease.models import ImportJob, ImportKind, ImportMapping

# The formats the importers read, by file name extension.
ALLOWED_EXTENSIONS = (
    ".csv",
    ".tsv",
    ".txt",
    ".xlsx",
    ".xlsm",
    ".geojson",
    ".json",
    ".gpkg",
    ".zip",
    ".kml",
)
# Canonical columns that may come from the same file column: a release done in one day has
# one date, which is both its start and its end.
SHAREABLE_COLUMNS = {frozenset({"start_date", "end_date"})}
# The preview shows this many rows. A file's sample (its columns, first rows and row count) is
# kept in the cache for a while, so that the preview follows the columns as they are chosen
# without reading a large file again each time.
PREVIEW_ROWS = 10
SAMPLE_CACHE_SECONDS = 3600
MAPPING_NAME_HELP = _(
    "Optional. Enter a name to reuse these columns for the next file from the same source; "
    "enter the name of a saved mapping to update it."
)


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of data"),
        choices=[("", _("Choose what the file holds")), *ImportKind.choices],
    )
    file = forms.FileField(
        label=_("File"),
        error_messages={"required": _("Choose the file to import.")},
    )
    mapping = forms.ModelChoiceField(
        label=_("Saved mapping"),
        queryset=ImportMapping.objects.all(),
        to_field_name="public_id",
        required=False,
        empty_label=_("None: match the columns by name"),
        help_text=_("The columns saved from an earlier file of the same source."),
        error_messages={
            "invalid_choice": _("There is no such saved mapping. Choose one from the list.")
        },
    )
    dry_run = forms.BooleanField(
        label=_("Check only (dry run): report the problems and save nothing"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "CSV, Excel (XLSX), GeoJSON, GeoPackage, zipped Shapefile or KML, up to %(size)s."
        ) % {"size": filesizeformat(settings.IMPORT_MAX_FILE_SIZE)}
        self.fields["file"].widget.attrs["accept"] = ",".join(ALLOWED_EXTENSIONS)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        extension = os.path.splitext(upload.name)[1].lower()
        if extension not in ALLOWED_EXTENSIONS:
            raise forms.ValidationError(
                _(
                    "Files of this type cannot be imported. Choose a CSV, XLSX, GeoJSON, "
                    "GeoPackage (GPKG), zipped Shapefile (ZIP) or KML file."
                ),
                code="file_type",
            )
        if upload.size > settings.IMPORT_MAX_FILE_SIZE:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s.")
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.IMPORT_MAX_FILE_SIZE),
                },
                code="file_size",
            )
        # An unreadable file is refused here, with the importer's reason, before anything is
        # kept. The kind picks the layer or sheet of that name in a file that has several.
        try:
            with uploaded_path(upload) as path:
                kind = self.cleaned_data.get("kind")
                self.sample = table_sample(read_table(path, original_name=upload.name, kind=kind))
        except ImportFileError as error:
            raise forms.ValidationError(str(error), code="unreadable") from None
        return upload

    def clean(self):
        cleaned = super().clean()
        mapping, kind = cleaned.get("mapping"), cleaned.get("kind")
        if mapping is not None and kind and mapping.kind != kind:
            self.add_error(
                "mapping",
                _("This mapping is for %(mapping_kind)s, not for %(kind)s.")
                % {
                    "mapping_kind": mapping.get_kind_display(),
                    "kind": ImportKind(kind).label,
                },
            )
        return cleaned

    def save(self):
        """The upload as an import job, waiting to run."""
        upload = self.cleaned_data["file"]
        mapping = self.cleaned_data.get("mapping")
        job = ImportJob(
            kind=self.cleaned_data["kind"],
            original_name=os.path.basename(upload.name)[:255],
            mapping=mapping,
            dry_run=self.cleaned_data.get("dry_run", False),
        )
        upload.seek(0)
        job.file.save(job.original_name, upload, save=True)
        cache.set(_sample_key(job), self.sample, SAMPLE_CACHE_SECONDS)
        return job


def table_sample(table):
    return {
        "columns": table.columns,
        "rows": list(itertools.islice(table.rows(), PREVIEW_ROWS)),
        "total": table.total,
    }


def _sample_key(job):
    return f"landrelease:import-sample:{job.public_id}"


def file_sample(job):
    """The columns, first rows and row count of the job's file, as `read_table` reads them
    (ImportFileError when it cannot)."""
    sample = cache.get(_sample_key(job))
    if sample is None:
        with stored_path(job) as path:
            sample = table_sample(read_table(path, original_name=job.original_name, kind=job.kind))
        cache.set(_sample_key(job), sample, SAMPLE_CACHE_SECONDS)
    return sample


@contextlib.contextmanager
def uploaded_path(upload):
    """A path on disk holding the upload, with its extension (the importers need a file)."""
    if hasattr(upload, "temporary_file_path"):
        yield upload.temporary_file_path()
        return
    extension = os.path.splitext(upload.name)[1].lower()
    with tempfile.NamedTemporaryFile(suffix=extension) as copy:
        upload.seek(0)
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        upload.seek(0)
        yield copy.name


@contextlib.contextmanager
def stored_path(job):
    """A path on disk holding the job's stored file: the file itself on the local media
    storage, a temporary copy on object storage."""
    try:
        local_path = job.file.path
    except NotImplementedError:
        local_path = None
    if local_path:
        yield local_path
        return
    extension = os.path.splitext(job.original_name)[1].lower()
    with tempfile.NamedTemporaryFile(suffix=extension) as copy, job.file.open("rb") as stored:
        shutil.copyfileobj(stored, copy)
        copy.flush()
        yield copy.name


def canonical_columns(kind):
    return CANONICAL_COLUMNS[kind]


class ImportColumnsForm(forms.Form):
    """One choice per canonical column: the column of the file that holds it."""

    def __init__(self, *args, kind, file_columns, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        choices = [("", _("Not in the file")), *((name, name) for name in file_columns)]
        for column in canonical_columns(kind):
            self.fields[column.name] = forms.ChoiceField(
                label=column.name,
                choices=choices,
                required=column.required,
                help_text=column.description,
                error_messages={
                    "required": _(
                        "This column is required: choose the column of the file that holds it."
                    ),
                    "invalid_choice": _("The file has no column “%(value)s”."),
                },
            )
        self.fields["save_as"] = forms.CharField(
            label=_("Save this mapping as"),
            max_length=ImportMapping._meta.get_field("name").max_length,
            required=False,
            help_text=MAPPING_NAME_HELP,
        )

    def column_fields(self):
        return [self[name] for name in self.fields if name != "save_as"]

    def clean(self):
        cleaned = super().clean()
        used = {}
        for column in canonical_columns(self.kind):
            file_column = cleaned.get(column.name)
            if not file_column:
                continue
            first = used.setdefault(file_column, column.name)
            if first != column.name and frozenset({first, column.name}) not in SHAREABLE_COLUMNS:
                self.add_error(
                    column.name,
                    _("The file column “%(file_column)s” is already chosen for %(first)s.")
                    % {"file_column": file_column, "first": first},
                )
        return cleaned

    def mapped_columns(self):
        """{canonical column: file column}, "" for a column left out: the import then leaves
        it out rather than look for it by name."""
        return {
            column.name: self.cleaned_data.get(column.name) or ""
            for column in canonical_columns(self.kind)
        }


class ImportMappingForm(forms.Form):
    """A saved mapping edited without a file: the name of the file column of each canonical
    column, typed in. (The mapping's own name is `mapping_name`: "name" is a canonical column.)"""

    mapping_name = forms.CharField(
        label=_("Name of the mapping"),
        max_length=ImportMapping._meta.get_field("name").max_length,
    )

    def __init__(self, *args, mapping, **kwargs):
        super().__init__(*args, **kwargs)
        self.mapping = mapping
        self.fields["mapping_name"].initial = mapping.name
        for column in canonical_columns(mapping.kind):
            self.fields[column.name] = forms.CharField(
                label=column.name,
                max_length=200,
                required=False,
                initial=mapping.columns.get(column.name, ""),
                help_text=column.description,
            )

    def clean_mapping_name(self):
        name = self.cleaned_data["mapping_name"].strip()
        taken = ImportMapping.objects.filter(kind=self.mapping.kind, name=name).exclude(
            pk=self.mapping.pk
        )
        if taken.exists():
            raise forms.ValidationError(
                _("Another mapping for %(kind)s already has this name.")
                % {"kind": self.mapping.get_kind_display()}
            )
        return name

    def clean(self):
        cleaned = super().clean()
        used = {}
        for column in canonical_columns(self.mapping.kind):
            file_column = (cleaned.get(column.name) or "").strip()
            if not file_column:
                continue
            first = used.setdefault(file_column.casefold(), column.name)
            if first != column.name and frozenset({first, column.name}) not in SHAREABLE_COLUMNS:
                self.add_error(
                    column.name,
                    _("The file column “%(file_column)s” is already given for %(first)s.")
                    % {"file_column": file_column, "first": first},
                )
        return cleaned

    def save(self):
        self.mapping.name = self.cleaned_data["mapping_name"]
        self.mapping.columns = {
            column.name: self.cleaned_data[column.name].strip()
            for column in canonical_columns(self.mapping.kind)
            if self.cleaned_data.get(column.name, "").strip()
        }
        self.mapping.save()
        return self.mapping
