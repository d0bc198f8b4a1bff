"""The instrument list as a table (CSV and XLSX, pages and API): one row per instrument."""

from django.utils.translation import gettext_lazy as _

from mineaction.core.tables import Column


def _challenges(instrument):
    """The challenges addressed that the exporting user may see (prefetched as
    `visible_challenges`)."""
    return ", ".join(challenge.reference for challenge in instrument.visible_challenges)


def _imas(name):
    return lambda instrument: (
        getattr(instrument.imas_standard, name) if instrument.imas_standard_id else None
    )


INSTRUMENT_COLUMNS = [
    Column(_("Reference"), lambda instrument: instrument.reference),
    Column(_("Title"), lambda instrument: instrument.title),
    Column(_("Kind"), lambda instrument: str(instrument.get_kind_display())),
    Column(_("Component"), lambda instrument: str(instrument.get_component_display())),
    Column(_("Stage"), lambda instrument: str(instrument.get_stage_display())),
    Column(_("Stage since"), lambda instrument: instrument.stage_changed_on),
    Column(
        _("Responsible body"),
        lambda instrument: instrument.responsible_body.name if instrument.responsible_body else "",
    ),
    Column(_("Target date"), lambda instrument: instrument.target_date),
    Column(_("Overdue"), lambda instrument: instrument.overdue),
    Column(_("Version"), lambda instrument: instrument.version),
    Column(_("Version date"), lambda instrument: instrument.version_date),
    Column(_("IMAS number"), _imas("reference")),
    Column(_("IMAS edition followed"), lambda instrument: instrument.imas_edition_followed),
    Column(_("IMAS current edition date"), _imas("edition_date")),
    Column(_("Lags behind the IMAS"), lambda instrument: instrument.lags_imas),
    Column(_("Link"), lambda instrument: instrument.link),
    Column(_("Challenges addressed"), _challenges),
    Column(_("Description"), lambda instrument: instrument.description),
]
