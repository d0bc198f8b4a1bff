"""The tables of the work plans' exports (CSV and XLSX through `core.tables`): activities, and
the planned budget per year."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mineaction.core.choices import Component
from mineaction.core.tables import Column


def component_label(value):
    return str(Component(value).label) if value in Component.values else value


def activity_columns(today=None):
    """Columns of the activity export; the activities need their plan, responsible
    organisation and the challenges the reader may see prefetched as `visible_challenges`."""
    today = today or timezone.localdate()
    return [
        Column(_("Work plan"), lambda a: a.work_plan.title),
        Column(_("Kind of plan"), lambda a: a.work_plan.get_kind_display()),
        Column(_("Code"), lambda a: a.code),
        Column(_("Title"), lambda a: a.title),
        Column(_("Description"), lambda a: a.description),
        Column(_("Component"), lambda a: a.get_component_display()),
        Column(_("Responsible organisation"), lambda a: a.responsible_organisation.name),
        Column(_("Starts"), lambda a: a.starts_on),
        Column(_("Ends"), lambda a: a.ends_on),
        Column(_("Budget"), lambda a: a.budget),
        Column(_("Currency"), lambda a: a.currency if a.budget is not None else ""),
        Column(_("Status"), lambda a: a.get_status_display()),
        Column(_("Progress (%)"), lambda a: a.progress_percent),
        Column(_("Late"), lambda a: a.is_late(today)),
        Column(
            _("Challenges addressed"),
            lambda a: ", ".join(c.reference for c in a.visible_challenges),
        ),
        Column(_("Public id"), lambda a: str(a.public_id)),
    ]


BUDGET_COLUMNS = [
    Column(_("Year"), lambda row: row["year"]),
    Column(_("Currency"), lambda row: row["currency"]),
    Column(_("Component"), lambda row: component_label(row["component"])),
    Column(_("Planned budget"), lambda row: row["amount"]),
]
