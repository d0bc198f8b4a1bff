"""`mineaction import-imas FILE.csv`: import the IMAS catalogue entirely or not at all.

The file has the columns reference, title, edition and edition_date (YYYY-MM-DD). Rows are
matched to the catalogue by their IMAS number, so a newer list updates the editions. Every bad
row is reported with its line and reason, nothing is written, and the exit status is 1.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mineaction.core.csvfiles import issue_line
from mineaction.policies.services.imas import imas_import


class Command(BaseCommand):
    help = (
        "Import the IMAS catalogue from a CSV file with the columns reference, title, edition "
        "and edition_date (YYYY-MM-DD). The file is imported entirely or not at all; every bad "
        "row is listed and the exit status is 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file to import.")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("There is no file %(path)s.") % {"path": file})
        report = imas_import(path.read_bytes())
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
        self.stdout.write(
            _("IMAS catalogue: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % {
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
            }
        )
