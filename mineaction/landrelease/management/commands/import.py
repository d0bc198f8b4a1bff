"""`mineaction import admin-areas|hazards|releases|milestones FILE [--mapping NAME] [--dry-run]
[--errors-csv PATH]`: import a file entirely or not at all, as the import pages do.

A real import is recorded as an import (the file is kept with its report, as for an upload),
so that the imports page lists what changed the data whoever brought it in. A dry run checks
the file and writes nothing at all.
"""

import sys
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mineaction.landrelease.importers import issues_csv, run_import
from mineaction.landrelease.importers.run import execute_job
from mineaction.landrelease.models import ImportJob, ImportKind, ImportMapping


def issue_line(issue):
    if not issue.line:
        return _("file: %(message)s") % {"message": issue.message}
    if issue.column:
        return _("line %(line)s, %(column)s: %(message)s") % {
            "line": issue.line,
            "column": issue.column,
            "message": issue.message,
        }
    return _("line %(line)s: %(message)s") % {"line": issue.line, "message": issue.message}


class Command(BaseCommand):
    help = (
        "Import admin areas, hazard areas, land release or Article 5 milestones from a CSV, "
        "XLSX, GeoJSON, GeoPackage, zipped shapefile or KML file. The file is imported entirely "
        "or not at all; every bad row is listed and the exit status is 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ImportKind.values, help="What the file holds.")
        parser.add_argument("file", help="The file to import.")
        parser.add_argument(
            "--mapping", help="Name of a saved column mapping of this kind (from the pages)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and save nothing."
        )
        parser.add_argument(
            "--errors-csv", help="Also write the errors to this CSV file (line,column,message)."
        )

    def handle(self, *args, kind, file, mapping, dry_run, errors_csv, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("There is no file %(path)s.") % {"path": file})
        saved_mapping = self.saved_mapping(kind, mapping)
        columns = saved_mapping.columns if saved_mapping else None
        progress = self.progress if options["verbosity"] >= 2 else None
        if dry_run:
            report = run_import(kind, path, columns=columns, dry_run=True, progress=progress)
        else:
            report = self.recorded_import(kind, path, saved_mapping, progress)
        for issue in report.warnings:
            self.stdout.write(_("warning: %(issue)s") % {"issue": issue_line(issue)})
        if errors_csv:
            Path(errors_csv).write_text(issues_csv(report.errors), encoding="utf-8")
        if not report.ok:
            for issue in report.errors:
                self.stderr.write(issue_line(issue))
            raise CommandError(
                ngettext(
                    "The file was refused (%(count)s error); nothing was imported.",
                    "The file was refused (%(count)s errors); nothing was imported.",
                    len(report.errors),
                )
                % {"count": len(report.errors)}
            )
        self.stdout.write(self.summary(kind, report))

    def saved_mapping(self, kind, name):
        if not name:
            return None
        found = ImportMapping.objects.filter(kind=kind, name=name).first()
        if found is None:
            names = ImportMapping.objects.filter(kind=kind).values_list("name", flat=True)
            raise CommandError(
                _("There is no saved mapping “%(name)s” for %(kind)s. Saved mappings: %(names)s.")
                % {
                    "name": name,
                    "kind": ImportKind(kind).label,
                    "names": ", ".join(names) or _("none"),
                }
            )
        return found

    def recorded_import(self, kind, path, saved_mapping, progress):
        job = ImportJob(kind=kind, original_name=path.name, mapping=saved_mapping)
        with path.open("rb") as source:
            job.file.save(path.name, File(source), save=True)
        job, report = execute_job(job, progress=progress)
        return report

    def progress(self, processed, total, phase):
        if phase == "saving":
            message = _("Saving %(total)s rows…") % {"total": total}
        else:
            message = _("Checked %(processed)s of %(total)s rows") % {
                "processed": processed,
                "total": total,
            }
        self.stderr.write(message)
        sys.stderr.flush()

    def summary(self, kind, report):
        count = len(report.warnings)
        if count:
            warnings = ngettext("%(count)s warning", "%(count)s warnings", count) % {"count": count}
        else:
            warnings = _("no warnings")
        counts = _(
            "%(kind)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged, "
            "%(warnings)s."
        ) % {
            "kind": ImportKind(kind).label,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "warnings": warnings,
        }
        if report.dry_run:
            return " ".join([counts, _("Dry run: nothing was saved.")])
        return counts
