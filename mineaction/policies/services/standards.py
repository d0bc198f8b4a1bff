"""Which national mine action standards (NMAS chapters) lag behind the IMAS they follow.

An NMAS chapter records the date of the IMAS edition it follows; the IMAS catalogue holds each
standard's current edition. The lag is the time between the two, in whole months: a chapter
following an edition older than the current one lags, even by less than a month.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mineaction.core.tables import Column
from mineaction.policies.models import Instrument, InstrumentKind

LAGGING = "lagging"
NO_IMAS = "no_imas"
NO_EDITION = "no_edition"
CURRENT = "current"
STATUS_LABELS = {
    LAGGING: _("Lags behind the IMAS"),
    NO_IMAS: _("No IMAS recorded"),
    NO_EDITION: _("Edition followed not recorded"),
    CURRENT: _("Follows the current edition"),
}
# Lagging chapters first, then those that cannot be compared, then the up-to-date ones.
STATUS_ORDER = {LAGGING: 0, NO_IMAS: 1, NO_EDITION: 2, CURRENT: 3}


def months_between(earlier, later):
    """Whole months from `earlier` to `later` (0 when `later` is not after `earlier`)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return max(months, 0)


def lag_text(months):
    """A lag of `months` whole months in words: "2 years and 3 months", "less than a month"."""
    years, rest = divmod(months, 12)
    year_words = ngettext("%(count)s year", "%(count)s years", years) % {"count": years}
    month_words = ngettext("%(count)s month", "%(count)s months", rest) % {"count": rest}
    if years and rest:
        return _("%(years)s and %(months)s") % {"years": year_words, "months": month_words}
    if years:
        return year_words
    if rest:
        return month_words
    return str(_("less than a month"))


@dataclass(frozen=True)
class ChapterLag:
    chapter: Instrument
    status: str
    lag_months: int | None  # whole months behind the current edition; None when not comparable

    @property
    def imas(self):
        return self.chapter.imas_standard

    @property
    def is_lagging(self):
        return self.status == LAGGING

    @property
    def is_flagged(self):
        return self.status in (NO_IMAS, NO_EDITION)

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def lag_years_part(self):
        return None if self.lag_months is None else self.lag_months // 12

    @property
    def lag_months_part(self):
        return None if self.lag_months is None else self.lag_months % 12

    @property
    def lag_text(self):
        return lag_text(self.lag_months) if self.is_lagging else ""


def chapter_lag(chapter):
    """How far one NMAS chapter lags behind the current edition of its IMAS."""
    imas = chapter.imas_standard
    if imas is None:
        return ChapterLag(chapter, NO_IMAS, None)
    followed = chapter.imas_edition_followed
    if followed is None:
        return ChapterLag(chapter, NO_EDITION, None)
    if chapter.lags_imas:
        return ChapterLag(chapter, LAGGING, months_between(followed, imas.edition_date))
    return ChapterLag(chapter, CURRENT, 0)


def nmas_chapters():
    return Instrument.objects.filter(kind=InstrumentKind.NMAS_CHAPTER).select_related(
        "imas_standard", "responsible_body"
    )


def _sort_key(row):
    days_behind = 0
    if row.is_lagging:
        days_behind = (row.imas.edition_date - row.chapter.imas_edition_followed).days
    return (STATUS_ORDER[row.status], -days_behind, row.chapter.reference, row.chapter.title)


def standards_rows(chapters=None):
    """Every NMAS chapter with its lag: the most lagging first, then the chapters that cannot
    be compared (flagged), then those following the current edition."""
    chapters = nmas_chapters() if chapters is None else chapters
    return sorted((chapter_lag(chapter) for chapter in chapters), key=_sort_key)


def standards_summary(rows):
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for row in rows:
        counts[row.status] += 1
    return [
        {"status": status, "label": STATUS_LABELS[status], "count": counts[status]}
        for status in STATUS_ORDER
    ]


def _imas_value(name):
    return lambda row: getattr(row.imas, name) if row.imas else None


STANDARD_COLUMNS = [
    Column(_("NMAS reference"), lambda row: row.chapter.reference),
    Column(_("NMAS title"), lambda row: row.chapter.title),
    Column(_("Stage"), lambda row: str(row.chapter.get_stage_display())),
    Column(_("IMAS number"), _imas_value("reference")),
    Column(_("IMAS title"), _imas_value("title")),
    Column(_("IMAS edition followed"), lambda row: row.chapter.imas_edition_followed),
    Column(_("IMAS current edition"), _imas_value("edition")),
    Column(_("IMAS current edition date"), _imas_value("edition_date")),
    Column(_("Status"), lambda row: str(row.status_label)),
    Column(_("Lag (months)"), lambda row: row.lag_months),
]


def standard_row_data(row):
    """One row as plain data (the JSON twin of the page and the API)."""
    imas = row.imas
    return {
        "chapter": {
            "public_id": row.chapter.public_id,
            "reference": row.chapter.reference,
            "title": row.chapter.title,
            "stage": row.chapter.stage,
        },
        "imas": None
        if imas is None
        else {
            "public_id": imas.public_id,
            "reference": imas.reference,
            "title": imas.title,
            "edition": imas.edition,
            "edition_date": imas.edition_date,
        },
        "edition_followed": row.chapter.imas_edition_followed,
        "status": row.status,
        "lags": row.is_lagging,
        "lag_months": row.lag_months,
        "lag": None
        if row.lag_months is None
        else {"years": row.lag_years_part, "months": row.lag_months_part},
    }
