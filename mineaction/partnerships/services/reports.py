"""Progress reports of a partnership: its reporting periods, drafts, submission, corrections
and the secretariat's view of who has and has not reported.

The periods follow the partnership's reporting frequency from its start date (quarters, half
years or years; the last one cut at the partnership's end) and each report is due
`report_due_days` after its period ends. A report is a draft until submitted, then locked: a
correction is a new version (a draft copying the narrative and values) that supersedes it, and
the latest submitted version of a period is the one that counts. Whether a report came on time
is decided by its period's first submission, so a later correction does not make it late.
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mineaction.core import access
from mineaction.core.tables import Column
from mineaction.partnerships.models import (
    IndicatorValue,
    IndicatorValuePart,
    Partnership,
    ProgressReport,
    ReportingFrequency,
    ReportStatus,
)
from mineaction.partnerships.services import indicators as indicator_services

MONTHS = {
    ReportingFrequency.QUARTERLY: 3,
    ReportingFrequency.HALF_YEARLY: 6,
    ReportingFrequency.YEARLY: 12,
}
# Reports due within this many days show as "due soon" on the secretariat's view.
DUE_SOON_DAYS = 14

# Where a period's report stands, and whether it came (or is coming) in time.
SUBMITTED, DRAFT, NOT_STARTED = "submitted", "draft", "not_started"
ON_TIME, LATE, OVERDUE, DUE_SOON, NOT_DUE = "on_time", "late", "overdue", "due_soon", "not_due"
STAGE_LABELS = {
    SUBMITTED: _("Submitted"),
    DRAFT: pgettext_lazy("report", "Draft"),
    NOT_STARTED: _("Not started"),
}
TIMING_LABELS = {
    ON_TIME: _("On time"),
    LATE: _("Late"),
    OVERDUE: _("Overdue"),
    DUE_SOON: _("Due soon"),
    NOT_DUE: _("Not yet due"),
}
STATUS_LABELS = {
    SUBMITTED: _("Submitted"),
    ON_TIME: _("Submitted on time"),
    LATE: _("Submitted late"),
    DRAFT: pgettext_lazy("report", "Draft"),
    NOT_STARTED: _("Not started"),
    DUE_SOON: _("Due soon"),
    OVERDUE: _("Overdue"),
}


# Periods ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    due_on: datetime.date

    @property
    def key(self):
        return (self.start, self.end)


def add_months(day, months):
    """`day` moved by whole months; the 31st becomes the last day of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def report_periods(partnership, until=None):
    """The partnership's reporting periods from its start date, the last cut at its end: every
    one, or those that have started by `until`."""
    months = MONTHS[partnership.reporting_frequency]
    due_days = datetime.timedelta(days=partnership.report_due_days)
    periods = []
    number = 0
    start = partnership.starts_on
    while start <= partnership.ends_on and (until is None or start <= until):
        number += 1
        # Counted from the start date each time, so a start on the 31st does not drift.
        following = add_months(partnership.starts_on, months * number)
        end = min(following - datetime.timedelta(days=1), partnership.ends_on)
        periods.append(Period(start=start, end=end, due_on=end + due_days))
        start = following
    return periods


def available_periods(partnership, today=None):
    """The periods a new report may be started for: begun by today, without any report."""
    today = today or timezone.localdate()
    taken = set(partnership.progress_reports.values_list("period_start", "period_end").distinct())
    return [period for period in report_periods(partnership, today) if period.key not in taken]


def period_label(start, end):
    return _("%(start)s to %(end)s") % {
        "start": formats.date_format(start, "DATE_FORMAT"),
        "end": formats.date_format(end, "DATE_FORMAT"),
    }


# Changes ---------------------------------------------------------------------------------------


def _locked_error(report):
    return ValidationError(indicator_services.locked_message(report), code="locked")


@transaction.atomic
def report_create(*, partnership, period_start, today=None):
    """Start the draft report of a period that has begun and has no report yet."""
    chosen = next(
        (p for p in available_periods(partnership, today) if p.start == period_start), None
    )
    if chosen is None:
        raise ValidationError(
            {"period": [_("Choose a period that has begun and has no report yet.")]}
        )
    return ProgressReport.objects.create(
        partnership=partnership,
        period_start=chosen.start,
        period_end=chosen.end,
        due_on=chosen.due_on,
    )


@transaction.atomic
def report_update(*, report, narrative=None, values=(), stamp=None):
    """Change a draft: its narrative (when given) and values, all or nothing. `values` are
    [{"indicator", "total" (Decimal, or None to remove the value), "parts", "note"}]. Every
    problem of every value is reported at once, keyed "values.<indicator public id>". `stamp`
    is when the draft was last saved as the writer saw it: a save by someone else since then is
    refused rather than overwritten."""
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if report.is_locked:
        raise _locked_error(report)
    if stamp is not None and stamp != report.updated_at.isoformat():
        raise ValidationError(
            {
                "stamp": [
                    _(
                        "Someone else saved this report after you opened it. Nothing was "
                        "saved: reload the page to see their changes, then enter yours again."
                    )
                ]
            },
            code="conflict",
        )
    errors, seen = {}, set()
    for entry in values:
        indicator = entry["indicator"]
        key = f"values.{indicator.public_id}"
        if indicator.pk in seen:
            errors[key] = [_("“%(indicator)s” is given twice.") % {"indicator": indicator}]
        seen.add(indicator.pk)
        if entry.get("total") is None or key in errors:
            continue
        problems = indicator_services.value_problems(
            indicator=indicator,
            dimensions=indicator_services.indicator_dimensions(indicator),
            total=entry["total"],
            parts=entry.get("parts") or [],
            period_start=report.period_start,
            period_end=report.period_end,
            progress_report=report,
        )
        if problems:
            errors[key] = problems
    if errors:
        raise ValidationError(errors)
    if narrative is not None:
        report.narrative = narrative.strip()
    # Saved even when only values change, so the next writer's stamp sees the change.
    report.save()
    for entry in values:
        _set_value(report, entry)
    return report


def _set_value(report, entry):
    indicator = entry["indicator"]
    if entry.get("total") is None:
        for value in IndicatorValue.objects.filter(indicator=indicator, progress_report=report):
            value.delete()
        return
    indicator_services.indicator_value_save(
        indicator=indicator,
        total=entry["total"],
        parts=entry.get("parts") or [],
        period_start=report.period_start,
        period_end=report.period_end,
        progress_report=report,
        note=entry.get("note") or "",
    )


def report_submit_problems(report):
    if report.is_locked:
        return [indicator_services.locked_message(report)]
    if not report.narrative.strip() and not report.values.exists():
        return [_("Write the narrative or give at least one value before submitting.")]
    return []


@transaction.atomic
def report_submit(*, report, user, now=None):
    """Submit a draft: it is locked from now on, and (as the latest submitted version of its
    period) it is the one that counts."""
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    problems = report_submit_problems(report)
    if problems:
        raise ValidationError(problems[0], code="locked" if report.is_locked else "empty")
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = now or timezone.now()
    report.submitted_by = access.person_of(user)
    report.save()
    return report


def correction_problems(report):
    if not report.is_locked:
        return [_("Only a submitted report is corrected. Edit this draft instead.")]
    newer = (
        ProgressReport.objects.filter(
            partnership_id=report.partnership_id,
            period_start=report.period_start,
            period_end=report.period_end,
            version__gt=report.version,
        )
        .order_by("-version")
        .first()
    )
    if newer is not None:
        return [
            _("Only the latest version is corrected: version %(version)s is newer.")
            % {"version": newer.version}
        ]
    return []


@transaction.atomic
def report_correct(*, report):
    """Start a correction of the latest submitted version: a new draft version copying its
    narrative and values, which supersedes it once submitted."""
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    problems = correction_problems(report)
    if problems:
        raise ValidationError(problems, code="conflict")
    correction = ProgressReport.objects.create(
        partnership_id=report.partnership_id,
        period_start=report.period_start,
        period_end=report.period_end,
        due_on=report.due_on,
        version=report.version + 1,
        supersedes=report,
        narrative=report.narrative,
    )
    for value in report.values.prefetch_related("parts"):
        copy = IndicatorValue.objects.create(
            indicator_id=value.indicator_id,
            progress_report=correction,
            period_start=value.period_start,
            period_end=value.period_end,
            total=value.total,
            note=value.note,
        )
        IndicatorValuePart.objects.bulk_create(
            IndicatorValuePart(value=copy, categories=part.categories, amount=part.amount)
            for part in value.parts.all()
        )
    return correction


# Reads -----------------------------------------------------------------------------------------


def report_versions(report):
    """Every version of the report's period, latest first."""
    return (
        ProgressReport.objects.filter(
            partnership_id=report.partnership_id,
            period_start=report.period_start,
            period_end=report.period_end,
        )
        .select_related("submitted_by__organisation")
        .order_by("-version")
    )


def counting_version(versions):
    """The version that counts among a period's versions: the latest submitted one."""
    submitted = [v for v in versions if v.status == ReportStatus.SUBMITTED]
    return max(submitted, key=lambda v: v.version) if submitted else None


@dataclass
class PeriodStatus:
    """Where one period's report of one partnership stands."""

    partnership: Partnership
    start: datetime.date
    end: datetime.date
    due_on: datetime.date
    versions: list = field(default_factory=list)  # its reports, latest version first
    today: datetime.date = None
    due_soon_days: int = DUE_SOON_DAYS

    @property
    def counting(self):
        return counting_version(self.versions)

    @property
    def draft(self):
        """The draft being written (a first report or a correction), if any."""
        return next((v for v in self.versions if v.status == ReportStatus.DRAFT), None)

    @property
    def latest(self):
        return self.versions[0] if self.versions else None

    @property
    def first_submitted_at(self):
        dates = [v.submitted_at for v in self.versions if v.submitted_at is not None]
        return min(dates) if dates else None

    @property
    def stage(self):
        if self.counting is not None:
            return SUBMITTED
        return DRAFT if self.draft is not None else NOT_STARTED

    @property
    def timing(self):
        submitted_at = self.first_submitted_at
        if submitted_at is not None:
            return ON_TIME if timezone.localdate(submitted_at) <= self.due_on else LATE
        if self.due_on < self.today:
            return OVERDUE
        if self.due_on <= self.today + datetime.timedelta(days=self.due_soon_days):
            return DUE_SOON
        return NOT_DUE

    def matches(self, status):
        """Whether the period has the status of the secretariat's filter."""
        return status in (self.stage, self.timing)

    @property
    def stage_label(self):
        return STAGE_LABELS[self.stage]

    @property
    def timing_label(self):
        return TIMING_LABELS[self.timing]


def period_statuses(partnerships, *, today=None, due_soon_days=DUE_SOON_DAYS):
    """Per partnership (in the given order) and period begun by today, latest period first:
    where its report stands. Reports of periods outside the partnership's current calendar
    (its dates or frequency changed) are listed too. Two queries, however many partnerships."""
    today = today or timezone.localdate()
    partnerships = list(partnerships)
    reports = ProgressReport.objects.filter(partnership__in=partnerships).select_related(
        "submitted_by"
    )
    by_period = {}
    for report in reports.order_by("-version"):
        key = (report.partnership_id, report.period_start, report.period_end)
        by_period.setdefault(key, []).append(report)
    rows = []
    for partnership in partnerships:
        periods = {
            (period.start, period.end): period.due_on
            for period in report_periods(partnership, today)
        }
        for (partnership_id, start, end), versions in by_period.items():
            if partnership_id == partnership.pk and (start, end) not in periods:
                periods[(start, end)] = versions[0].due_on
        for (start, end), due_on in sorted(periods.items(), reverse=True):
            rows.append(
                PeriodStatus(
                    partnership=partnership,
                    start=start,
                    end=end,
                    due_on=due_on,
                    versions=by_period.get((partnership.pk, start, end), []),
                    today=today,
                    due_soon_days=due_soon_days,
                )
            )
    return rows


def status_counts(rows):
    """How many periods have each status of the filter."""
    counts = dict.fromkeys(STATUS_LABELS, 0)
    for row in rows:
        counts[row.stage] += 1
        if row.timing in counts:
            counts[row.timing] += 1
    return counts


# Exports ---------------------------------------------------------------------------------------


def status_columns():
    return [
        Column(_("Partnership"), lambda row: row.partnership.title),
        Column(_("For the State"), lambda row: row.partnership.state_party.name),
        Column(_("Period from"), lambda row: row.start),
        Column(_("Period to"), lambda row: row.end),
        Column(_("Due"), lambda row: row.due_on),
        Column(_("Report"), lambda row: str(row.stage_label)),
        Column(_("Timeliness"), lambda row: str(row.timing_label)),
        Column(
            _("Version that counts"),
            lambda row: row.counting.version if row.counting else None,
        ),
        Column(_("First submitted"), lambda row: row.first_submitted_at),
    ]


def status_json(row):
    counting, draft = row.counting, row.draft
    return {
        "partnership": {
            "public_id": str(row.partnership.public_id),
            "title": row.partnership.title,
        },
        "period_start": row.start.isoformat(),
        "period_end": row.end.isoformat(),
        "due_on": row.due_on.isoformat(),
        "stage": row.stage,
        "timing": row.timing,
        "counting": None
        if counting is None
        else {"public_id": str(counting.public_id), "version": counting.version},
        "draft": None
        if draft is None
        else {"public_id": str(draft.public_id), "version": draft.version},
        "first_submitted_at": row.first_submitted_at.isoformat()
        if row.first_submitted_at
        else None,
    }
