"""The IMAS catalogue: the standards NMAS chapters follow, and importing it from a CSV file.

An import file has the columns reference, title, edition, edition_date (YYYY-MM-DD). It is
imported entirely or not at all: every bad row is reported with its line and reason and nothing
is written. Rows are matched to the catalogue by their IMAS number, so importing a newer list
updates the editions instead of adding duplicates.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from mineaction.core.csvfiles import ImportIssue, read_rows
from mineaction.policies.forms import ImasStandardForm, normalise_reference
from mineaction.policies.models import ImasStandard

IMPORT_COLUMNS = ("reference", "title", "edition", "edition_date")


@dataclass
class ImportReport:
    errors: list = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self):
        return not self.errors


def _read_rows(content, report):
    return read_rows(
        content, IMPORT_COLUMNS, errors=report.errors, empty_message=_("The file has no IMAS rows.")
    )


def _row_message(form):
    """The form's errors, each after the name of its column in the file."""
    parts = []
    for name, messages in form.errors.items():
        message = " ".join(messages)
        if name in IMPORT_COLUMNS:
            message = _("%(column)s: %(message)s") % {"column": name, "message": message}
        parts.append(str(message))
    return " ".join(parts)


def _checked_forms(rows, report):
    """A bound, valid form per row; every problem goes to the report."""
    existing = {standard.reference: standard for standard in ImasStandard.objects.all()}
    seen = {}
    forms = []
    for line, values in rows:
        values["reference"] = normalise_reference(values["reference"])
        reference = values["reference"]
        if reference and reference in seen:
            report.errors.append(
                ImportIssue(
                    line,
                    _("IMAS %(reference)s is already on line %(line)s.")
                    % {"reference": reference, "line": seen[reference]},
                )
            )
            continue
        seen[reference] = line
        form = ImasStandardForm(data=values, instance=existing.get(reference))
        if form.is_valid():
            forms.append(form)
        else:
            report.errors.append(ImportIssue(line, _row_message(form)))
    return forms


def imas_import(content):
    """Import the IMAS catalogue CSV `content` (bytes): all rows or none. Returns the report."""
    report = ImportReport()
    rows = _read_rows(content, report)
    if rows is None:
        return report
    forms = _checked_forms(rows, report)
    if report.errors:
        report.errors.sort(key=lambda issue: issue.line)
        return report
    with transaction.atomic():
        for form in forms:
            if form.instance.pk is None:
                report.created += 1
            elif form.has_changed():
                report.updated += 1
            else:
                report.unchanged += 1
                continue
            form.save()
    return report
