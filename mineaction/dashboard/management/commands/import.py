"""`mineaction import admin-areas|hazards|releases|milestones FILE [--mapping NAME] [--dry-run]
[--errors-csv PATH]` and `mineaction import iati FILE [--country XX] [--dry-run]`: import a
file entirely or not at all, as the import pages do.

A real import is recorded as an import (an Article 5 file is kept with its report, as for an
upload; an IATI import keeps its report), so that the imports pages list what changed the data
whoever brought it in. A dry run checks the file and writes nothing at all. The command lives
in the dashboard, the top floor, because it imports into several apps.
"""

import sys
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mineaction.funding.iati import import_iati
from mineaction.funding.models import IatiImport, IatiTransaction
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


IATI = "iati"


def iati_issue_line(issue):
    """An IATI problem as the command prints it: line, activity, message."""
    where = {"line": issue["line"], "activity": issue["activity"], "message": issue["message"]}
    if issue["line"] and issue["activity"]:
        return _("line %(line)s, %(activity)s: %(message)s") % where
    if issue["line"]:
        return _("line %(line)s: %(message)s") % where
    if issue["activity"]:
        return _("%(activity)s: %(message)s") % where
    return _("file: %(message)s") % where


class Command(BaseCommand):
    help = (
        "Import admin areas, hazard areas, land release or Article 5 milestones from a CSV, "
        "XLSX, GeoJSON, GeoPackage, zipped shapefile or KML file, or the mine action "
        "activities (DAC sector 15250) of an IATI activity file. The file is imported entirely "
        "or not at all; every bad row is listed and the exit status is 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=[*ImportKind.values, IATI], help="What the file holds.")
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
        parser.add_argument(
            "--country",
            help="IATI only: the recipient country (ISO 3166 two-letter code, such as LA); "
            "only activities and transactions for it are imported.",
        )

    def handle(self, *args, kind, file, mapping, dry_run, errors_csv, country, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("There is no file %(path)s.") % {"path": file})
        if kind == IATI:
            if mapping or errors_csv:
                raise CommandError(
                    _("--mapping and --errors-csv are for table files, not for IATI files.")
                )
            return self.iati_import(path, country=country, dry_run=dry_run)
        if country:
            raise CommandError(_("--country is for IATI files only."))
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

    # IATI activity files --------------------------------------------------------------------

    def iati_import(self, path, *, country, dry_run):
        record = import_iati(path, country=country, dry_run=dry_run)
        report = record.report
        for issue in report["warnings"]:
            self.stdout.write(_("warning: %(issue)s") % {"issue": iati_issue_line(issue)})
        if record.status == IatiImport.Status.REFUSED:
            for issue in report["errors"]:
                self.stderr.write(iati_issue_line(issue))
            raise CommandError(
                ngettext(
                    "The file was refused (%(count)s error); nothing was imported.",
                    "The file was refused (%(count)s errors); nothing was imported.",
                    len(report["errors"]),
                )
                % {"count": len(report["errors"])}
            )
        for line in iati_summary(report):
            self.stdout.write(line)


def iati_summary(report):
    """The report of an IATI import as lines of text."""
    activities = report["activities"]
    skipped = activities["skipped"]
    lines = [
        _(
            "IATI activities: %(created)s created, %(updated)s updated, %(unchanged)s "
            "unchanged, %(skipped)s skipped (%(no_sector)s without sector 15250, "
            "%(other_country)s for another country, %(no_country)s without a recipient "
            "country)."
        )
        % {
            "created": activities["created"],
            "updated": activities["updated"],
            "unchanged": activities["unchanged"],
            "skipped": sum(skipped.values()),
            "no_sector": skipped["no_mine_action_sector"],
            "other_country": skipped["other_country"],
            "no_country": skipped["no_recipient_country"],
        }
    ]
    for row in report["transactions"]["by_type"]:
        sums = ", ".join(
            _("%(currency)s %(value)s (weighted %(weighted)s)") % entry
            for entry in row["currencies"]
        )
        lines.append(
            ngettext(
                "%(type)s: %(count)s transaction, %(sums)s",
                "%(type)s: %(count)s transactions, %(sums)s",
                row["count"],
            )
            % {"type": IatiTransaction.Type(row["type"]).label, "count": row["count"], "sums": sums}
        )
    lines.append(
        _("Pledges derived: %(pledges)s; disbursements derived: %(disbursements)s.")
        % report["derived"]
    )
    for organisation in report["organisations_created"]:
        lines.append(_("Organisation created: %(name)s (%(iati_identifier)s).") % organisation)
    if report["dry_run"]:
        lines.append(_("Dry run: nothing was saved."))
    return lines
