"""Progress reports API: list (filters), start a partnership's draft for a period, read with
values and versions, change a draft (all or nothing), submit (locks it), correct (a new
version), and the secretariat's view of who has and has not reported.

Same gates, forms and services as the pages, so the rules, figures and messages are the same.
A submitted report is locked: changing it answers 409.
"""

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from mineaction.core import access
from mineaction.core.api import (
    NON_FIELD_ERRORS,
    PageOut,
    PageParams,
    PersonRefOut,
    Problem,
    date,
    error_responses,
    form_errors,
    input_schema_extra,
    paginate,
    person_ref,
    public_id_field,
)
from mineaction.core.pages import uuid_or_none
from mineaction.partnerships.api.indicators import PartIn, RefOut, ReportRefOut, ValueOut
from mineaction.partnerships.forms_reports import ProgressReportFilterForm, ReportStatusFilterForm
from mineaction.partnerships.models import Indicator, Partnership, ProgressReport, ReportStatus
from mineaction.partnerships.services import indicators as indicator_services
from mineaction.partnerships.services import reports as services

router = Router(tags=["partnerships"])

READ = error_responses(403, 404)
WRITE = error_responses(400, 403, 404, 409, 422)
LIST = error_responses(400, 403)


# Schemas ---------------------------------------------------------------------------------------


class ProgressReportOut(Schema):
    public_id: uuid.UUID
    partnership: RefOut
    period_start: datetime.date
    period_end: datetime.date
    due_on: datetime.date
    version: int
    status: ReportStatus
    supersedes: ReportRefOut | None = Field(description="The version this one corrects.")
    narrative: str
    submitted_at: datetime.datetime | None
    submitted_by: PersonRefOut | None


class ReportValueOut(ValueOut):
    indicator: RefOut


class ProgressReportDetailOut(ProgressReportOut):
    values: list[ReportValueOut]
    versions: list[ReportRefOut] = Field(description="Every version of the period, latest first.")
    counting: ReportRefOut | None = Field(
        description="The version that counts: the latest submitted one, or null."
    )


class ProgressReportPageOut(PageOut):
    results: list[ProgressReportOut]


class ProgressReportFilters(PageParams):
    partnership: str | None = public_id_field("Public id of a partnership.")
    status: str | None = Field(None, json_schema_extra={"enum": ReportStatus.values})
    year: int | None = Field(None, description="The year the period ends in.")


class ProgressReportCreateIn(Schema):
    model_config = {"extra": "forbid", "json_schema_extra": input_schema_extra(["period_start"])}

    period_start: str | None = date(
        "The first day of a reporting period that has begun and has no report yet."
    )


class ReportValueIn(Schema):
    model_config = {"extra": "forbid", "json_schema_extra": input_schema_extra(["indicator"])}

    indicator: str | None = public_id_field("Public id of an indicator of the partnership.")
    total: Decimal | None = Field(
        None, description="At most two decimals; null removes the indicator's value."
    )
    parts: list[PartIn] = Field(default_factory=list)
    note: str = ""


class ProgressReportIn(Schema):
    model_config = {"extra": "forbid"}

    narrative: str | None = None
    values: list[ReportValueIn] = Field(
        default_factory=list,
        description="Values to set (the others are kept). Saved all together or not at all.",
    )


class PeriodStatusOut(Schema):
    partnership: RefOut
    period_start: datetime.date
    period_end: datetime.date
    due_on: datetime.date
    stage: str = Field(json_schema_extra={"enum": list(services.STAGE_LABELS)})
    timing: str = Field(json_schema_extra={"enum": list(services.TIMING_LABELS)})
    counting: ReportRefOut | None
    draft: ReportRefOut | None
    first_submitted_at: datetime.datetime | None


class ReportStatusOut(Schema):
    today: datetime.date
    counts: dict[str, int] = Field(description="Periods per status, before the status filter.")
    periods: list[PeriodStatusOut]


class ReportStatusFilters(Schema):
    partnership: str | None = public_id_field("Public id of a partnership.")
    party: str | None = public_id_field("Public id of a party (the State's or a partner).")
    status: str | None = Field(None, json_schema_extra={"enum": list(services.STATUS_LABELS)})
    year: int | None = Field(None, description="The year the period ends in.")


# Helpers ---------------------------------------------------------------------------------------


def report_ref(report):
    return None if report is None else {"public_id": report.public_id, "version": report.version}


def report_out(report):
    return {
        "public_id": report.public_id,
        "partnership": {
            "public_id": report.partnership.public_id,
            "title": report.partnership.title,
        },
        "period_start": report.period_start,
        "period_end": report.period_end,
        "due_on": report.due_on,
        "version": report.version,
        "status": report.status,
        "supersedes": report_ref(report.supersedes),
        "narrative": report.narrative,
        "submitted_at": report.submitted_at,
        "submitted_by": person_ref(report.submitted_by) if report.submitted_by else None,
    }


def _with_related(queryset):
    return queryset.select_related("partnership", "supersedes", "submitted_by__organisation")


def _get(request, public_id, *, write=False):
    report = access.get_progress_report_for_user(request.auth, public_id, write=write)
    return _with_related(ProgressReport.objects).get(pk=report.pk)


def _detail_out(report):
    versions = list(services.report_versions(report))
    values = report.values.select_related("indicator").prefetch_related(
        "parts", "indicator__dimensions"
    )
    value_list = []
    for value in values.order_by("indicator__name", "id"):
        indicator = value.indicator
        dimensions = indicator_services.indicator_dimensions(indicator)
        value_list.append(
            {
                **indicator_services.value_json(value, dimensions),
                "indicator": {"public_id": indicator.public_id, "title": indicator.name},
            }
        )
    return {
        **report_out(report),
        "values": value_list,
        "versions": [report_ref(version) for version in versions],
        "counting": report_ref(services.counting_version(versions)),
    }


def _conflict(error):
    return Problem(409, " ".join(error.messages))


def _values_in(report, payload):
    """The values as `report_update` takes them; unknown indicators answer 422."""
    ids = [uuid_or_none(value.indicator) for value in payload.values]
    indicators = {
        indicator.public_id: indicator
        for indicator in Indicator.objects.filter(
            public_id__in=[i for i in ids if i]
        ).prefetch_related("dimensions")
    }
    entries, errors = [], {}
    for position, (value, public_id) in enumerate(zip(payload.values, ids, strict=True)):
        indicator = indicators.get(public_id)
        if indicator is None:
            errors[f"values.{position}.indicator"] = [_("There is no indicator with this id.")]
            continue
        entries.append(
            {
                "indicator": indicator,
                "total": value.total,
                "parts": [part.model_dump() for part in value.parts],
                "note": value.note,
            }
        )
    if errors:
        raise Problem(422, errors=errors)
    return entries


# Endpoints -------------------------------------------------------------------------------------


@router.get(
    "/progress-reports",
    response={200: ProgressReportPageOut, **LIST},
    url_name="progress_report_list",
    summary="List progress reports",
)
def progress_report_list(request, filters: Query[ProgressReportFilters]):
    """Every version of every report, latest period first."""
    access.require_reader(request.auth)
    sent = filters.model_fields_set - set(PageParams.model_fields)
    form = ProgressReportFilterForm(data=filters.model_dump(include=sent))
    if not form.is_valid():
        raise Problem(400, errors=form_errors(form))
    reports = _with_related(form.filter(ProgressReport.objects.all())).order_by(
        "-period_end", "partnership__title", "partnership_id", "-version"
    )
    return paginate(reports, filters, report_out)


@router.get(
    "/progress-reports/status",
    response={200: ReportStatusOut, **LIST},
    url_name="progress_report_status",
    summary="Who has reported",
)
def progress_report_status(request, filters: Query[ReportStatusFilters]):
    """Per partnership and period begun: submitted (on time or late), draft, not started, due
    soon or overdue. The secretariat's view, readable by every member."""
    access.require_reader(request.auth)
    form = ReportStatusFilterForm(data=filters.model_dump(exclude_none=True))
    if not form.is_valid():
        raise Problem(400, errors=form_errors(form))
    today = timezone.localdate()
    partnerships = form.partnerships(
        Partnership.objects.select_related("state_party").order_by("title", "id")
    )
    rows = services.period_statuses(partnerships, today=today)
    counts = services.status_counts(rows)
    return {
        "today": today,
        "counts": counts,
        "periods": [services.status_json(row) for row in form.rows(rows)],
    }


@router.post(
    "/partnerships/{public_id}/progress-reports",
    response={201: ProgressReportDetailOut, **WRITE},
    url_name="progress_report_create",
    summary="Start a progress report",
)
def progress_report_create(request, public_id: str, payload: ProgressReportCreateIn):
    """Start the draft report of a period that has begun and has no report yet (the
    partnership's parties or managers)."""
    partnership = access.get_partnership_as_party(request.auth, public_id)
    try:
        period_start = datetime.date.fromisoformat(payload.period_start or "")
    except ValueError:
        message = _("Give the first day of a reporting period, as YYYY-MM-DD.")
        raise Problem(422, errors={"period_start": [message]}) from None
    try:
        report = services.report_create(partnership=partnership, period_start=period_start)
    except ValidationError as error:
        raise Problem(422, errors={"period_start": error.message_dict["period"]}) from None
    return Status(201, _detail_out(_get(request, report.public_id)))


@router.get(
    "/progress-reports/{public_id}",
    response={200: ProgressReportDetailOut, **READ},
    url_name="progress_report_detail",
    summary="Get a progress report",
)
def progress_report_detail(request, public_id: str):
    """The report with its values (each with its breakdown) and the versions of its period."""
    return _detail_out(_get(request, public_id))


@router.patch(
    "/progress-reports/{public_id}",
    response={200: ProgressReportDetailOut, **WRITE},
    url_name="progress_report_patch",
    summary="Change a draft report",
)
def progress_report_patch(request, public_id: str, payload: ProgressReportIn):
    """Change a draft's narrative and values, all together or not at all (every problem is
    answered at once). A submitted report is locked: 409."""
    report = _get(request, public_id, write=True)
    if report.is_locked:
        raise Problem(409, indicator_services.locked_message(report))
    entries = _values_in(report, payload)
    try:
        services.report_update(report=report, narrative=payload.narrative, values=entries)
    except ValidationError as error:
        if getattr(error, "code", None) == "locked":
            raise _conflict(error) from None
        raise Problem(422, errors=error.message_dict) from None
    return _detail_out(_get(request, public_id))


@router.post(
    "/progress-reports/{public_id}/submit",
    response={200: ProgressReportDetailOut, **WRITE},
    url_name="progress_report_submit",
    summary="Submit a progress report",
)
def progress_report_submit(request, public_id: str):
    """Submit a draft: it is locked from then on and, as the latest submitted version of its
    period, the one that counts."""
    report = _get(request, public_id, write=True)
    if report.is_locked:
        raise Problem(409, indicator_services.locked_message(report))
    try:
        services.report_submit(report=report, user=request.auth)
    except ValidationError as error:
        if getattr(error, "code", None) == "locked":
            raise _conflict(error) from None
        raise Problem(422, errors={NON_FIELD_ERRORS: error.messages}) from None
    return _detail_out(_get(request, public_id))


@router.post(
    "/progress-reports/{public_id}/correct",
    response={201: ProgressReportDetailOut, **WRITE},
    url_name="progress_report_correct",
    summary="Correct a progress report",
)
def progress_report_correct(request, public_id: str):
    """Start a correction of the latest submitted version: a new draft version with the same
    narrative and values, which replaces it once submitted. Anything else: 409."""
    report = _get(request, public_id, write=True)
    try:
        correction = services.report_correct(report=report)
    except ValidationError as error:
        raise _conflict(error) from None
    return Status(201, _detail_out(_get(request, correction.public_id)))
