"""`mineaction load-action-plan FILE.csv`: load an action plan's sections and actions, entirely
or not at all.

One line per action, with the columns plan_code, plan_title, first_year, last_year,
section_number, section_title, action_number and short_title. Plans are matched by code and
actions by plan and number, so loading a corrected list updates the catalogue. Every bad line is
reported with its number and reason, nothing is written, and the exit status is 1.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mineaction.core.csvfiles import issue_line
from mineaction.partnerships.services.plans import action_plan_import


class Command(BaseCommand):
    help = (
        "Load action plans from a CSV file with the columns plan_code, plan_title, first_year, "
        "last_year, section_number, section_title, action_number and short_title (one line "
        "per action). The file is loaded entirely or not at all; every bad line is listed and "
        "the exit status is 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV file to load.")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("There is no file %(path)s.") % {"path": file})
        report = action_plan_import(path.read_bytes())
        if not report.ok:
            for issue in report.errors:
                self.stderr.write(issue_line(issue))
            raise CommandError(
                ngettext(
                    "The file was refused (%(count)s error); nothing was loaded.",
                    "The file was refused (%(count)s errors); nothing was loaded.",
                    len(report.errors),
                )
                % {"count": len(report.errors)}
            )
        for kind, label in (
            ("plans", _("Action plans")),
            ("sections", _("Sections")),
            ("actions", _("Actions")),
        ):
            self.stdout.write(
                _("%(what)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
                % {
                    "what": label,
                    "created": report.count(kind, "created"),
                    "updated": report.count(kind, "updated"),
                    "unchanged": report.count(kind, "unchanged"),
                }
            )
