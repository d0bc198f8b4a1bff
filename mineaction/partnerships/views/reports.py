"""Progress report pages: the secretariat's view of who has and has not reported (with its
JSON, CSV and XLSX twins), a partnership's new report, a report with its values and versions,
the draft's narrative and values, submission (which locks it) and corrections (a new version).
Every view: check access, act, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mineaction.core import access
from mineaction.core.api import problem_response
from mineaction.core.pages import form_data, results_template
from mineaction.core.tables import table_response
from mineaction.partnerships.forms_reports import (
    ConfirmForm,
    IndicatorValueForm,
    ReportCreateForm,
    ReportNarrativeForm,
    ReportStatusFilterForm,
)
from mineaction.partnerships.models import Partnership, ProgressReport
from mineaction.partnerships.services import indicators as indicator_services
from mineaction.partnerships.services import reports as services

PAGE_SIZE = 50
FORMATS = ("json", "csv", "xlsx")


# The secretariat's view ------------------------------------------------------------------------


def status_rows(filters, *, today):
    """The rows of the view, filtered, and the counts per status before the status filter."""
    partnerships = filters.partnerships(
        Partnership.objects.select_related("state_party").order_by("title", "id")
    )
    rows = services.period_statuses(partnerships, today=today)
    counts = services.status_counts(rows)
    return filters.rows(rows), counts


def _writable_partnership_ids(user):
    """The partnerships whose reports the user writes: None for all (managers)."""
    if access.can_manage_partnerships(user):
        return None
    organisation_id = access.own_organisation_id(user)
    if organisation_id is None:
        return set()
    return set(
        Partnership.objects.filter(
            Q(state_party_id=organisation_id) | Q(partners__id=organisation_id)
        ).values_list("id", flat=True)
    )


@require_GET
@login_required
def report_status(request):
    """Per partnership and period begun: submitted (on time or late), draft, not started, due
    soon or overdue."""
    access.require_reader(request.user)
    fmt = request.GET.get("format", "")
    if fmt and fmt not in FORMATS:
        return problem_response(
            400,
            errors={
                "format": [
                    _("Unknown format “%(format)s”. Choose one of: %(formats)s.")
                    % {"format": fmt, "formats": ", ".join(FORMATS)}
                ]
            },
        )
    today = timezone.localdate()
    filters = ReportStatusFilterForm(request.GET)
    filters.is_valid()
    rows, counts = status_rows(filters, today=today)
    if fmt == "json":
        return JsonResponse(
            {
                "today": today.isoformat(),
                "counts": counts,
                "periods": [services.status_json(r) for r in rows],
            }
        )
    if fmt:
        return table_response(
            services.status_columns(),
            rows,
            fmt=fmt,
            filename="progress-reports",
            title=_("Progress reports"),
        )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    writable = _writable_partnership_ids(request.user)
    for row in page.object_list:
        row.can_start = not row.versions and (writable is None or row.partnership.pk in writable)
    return render(
        request,
        results_template(request, "partnerships/reports_status.html"),
        {
            "filters": filters,
            "page": page,
            "counts": [(key, label, counts[key]) for key, label in services.STATUS_LABELS.items()],
            "today": today,
            "due_soon_days": services.DUE_SOON_DAYS,
        },
    )


# A partnership's reports -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def report_create(request, public_id):
    """Start the draft of a period (the partnership's parties or managers)."""
    partnership = access.get_partnership_as_party(request.user, public_id)
    initial = {"period": request.GET.get("period", "")}
    form = ReportCreateForm(form_data(request), partnership=partnership, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(
                partnership=partnership, period_start=form.period_start()
            )
        except ValidationError as error:
            form.add_error("period", error.message_dict["period"])
        else:
            messages.success(
                request, _("The draft report has been started. Enter its values and narrative.")
            )
            return redirect("partnerships:report_edit", report.public_id)
    return render(
        request,
        "partnerships/reports_create.html",
        {
            "form": form,
            "partnership": partnership,
            "cancel_url": reverse("partnerships:partnership_detail", args=[partnership.public_id]),
        },
    )


def _get_report(request, public_id, *, write=False):
    report = access.get_progress_report_for_user(request.user, public_id, write=write)
    return ProgressReport.objects.select_related(
        "partnership__state_party", "submitted_by__organisation", "supersedes"
    ).get(pk=report.pk)


def _indicators(report):
    return list(
        indicator_services.partnership_indicators(report.partnership).prefetch_related("dimensions")
    )


def _values_by_indicator(report):
    return {
        value.indicator_id: value
        for value in report.values.select_related("indicator").prefetch_related("parts")
    }


@require_GET
@login_required
def report_detail(request, public_id):
    report = _get_report(request, public_id)
    values = _values_by_indicator(report)
    indicators = _indicators(report)
    known = {indicator.pk for indicator in indicators}
    # A value of an indicator since moved elsewhere is still part of what was reported.
    indicators += [value.indicator for value in values.values() if value.indicator_id not in known]
    entries = []
    for indicator in indicators:
        dimensions = indicator_services.indicator_dimensions(indicator)
        value = values.get(indicator.pk)
        row = None
        if value is not None:
            row = {
                "value": value,
                "breakdown": indicator_services.value_breakdown(value, dimensions),
                "cells": indicator_services.value_cells(value, dimensions),
            }
        entries.append({"indicator": indicator, "row": row})
    versions = list(services.report_versions(report))
    can_write = access.can_write_for_partnership(request.user, report.partnership)
    counting = services.counting_version(versions)
    return render(
        request,
        "partnerships/reports_detail.html",
        {
            "report": report,
            "period": services.period_label(report.period_start, report.period_end),
            "entries": entries,
            "versions": versions,
            "counting": counting,
            "can_edit": can_write and not report.is_locked,
            "can_correct": can_write and not services.correction_problems(report),
        },
    )


# Writing a draft -------------------------------------------------------------------------------


def _locked(request, report):
    messages.error(request, indicator_services.locked_message(report))
    return redirect("partnerships:report_detail", report.public_id)


def _value_forms(request, report):
    values = _values_by_indicator(report)
    return [
        IndicatorValueForm(
            form_data(request),
            indicator=indicator,
            dimensions=indicator_services.indicator_dimensions(indicator),
            value=values.get(indicator.pk),
            prefix=f"indicator-{indicator.pk}",
        )
        for indicator in _indicators(report)
    ]


def _save_draft(report, narrative_form, value_forms):
    """True when saved; otherwise every problem is on its form."""
    valid = [narrative_form.is_valid()] + [form.is_valid() for form in value_forms]
    if not all(valid):
        return False
    try:
        services.report_update(
            report=report,
            narrative=narrative_form.cleaned_data["narrative"],
            values=[form.value() for form in value_forms],
            stamp=narrative_form.cleaned_data["stamp"],
        )
    except ValidationError as error:
        forms = {f"values.{form.indicator.public_id}": form for form in value_forms}
        for key, problems in error.message_dict.items():
            target = forms.get(key, narrative_form)
            for problem in problems:
                target.add_error(None, problem)
        return False
    return True


@require_http_methods(["GET", "POST"])
@login_required
def report_edit(request, public_id):
    """The draft's narrative and values, saved all together or not at all."""
    report = _get_report(request, public_id, write=True)
    if report.is_locked:
        return _locked(request, report)
    narrative_form = ReportNarrativeForm(form_data(request), report=report)
    value_forms = _value_forms(request, report)
    if request.method == "POST" and _save_draft(report, narrative_form, value_forms):
        messages.success(request, _("The draft report has been saved."))
        return redirect("partnerships:report_detail", report.public_id)
    failed = [form for form in value_forms if form.errors]
    return render(
        request,
        "partnerships/reports_edit.html",
        {
            "report": report,
            "period": services.period_label(report.period_start, report.period_end),
            "narrative_form": narrative_form,
            "value_forms": value_forms,
            "failed": failed,
            "has_errors": bool(failed or narrative_form.errors),
            "cancel_url": reverse("partnerships:report_detail", args=[report.public_id]),
        },
    )


def _confirm_page(request, report, form, *, action, problems=(), missing=()):
    return render(
        request,
        "partnerships/reports_confirm.html",
        {
            "report": report,
            "period": services.period_label(report.period_start, report.period_end),
            "form": form,
            "action": action,
            "problems": problems,
            "missing": missing,
            "cancel_url": reverse("partnerships:report_detail", args=[report.public_id]),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def report_submit(request, public_id):
    """Submit the draft, after confirmation: it is locked from then on."""
    report = _get_report(request, public_id, write=True)
    if report.is_locked:
        return _locked(request, report)
    form = ConfirmForm(form_data(request))
    problems = services.report_submit_problems(report)
    if request.method == "POST" and form.is_valid() and not problems:
        try:
            services.report_submit(report=report, user=request.user)
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(request, _("The report has been submitted and is now locked."))
            return redirect("partnerships:report_detail", report.public_id)
    reported = set(report.values.values_list("indicator_id", flat=True))
    missing = [indicator for indicator in _indicators(report) if indicator.pk not in reported]
    return _confirm_page(request, report, form, action="submit", problems=problems, missing=missing)


@require_http_methods(["GET", "POST"])
@login_required
def report_correct(request, public_id):
    """Start a correction of the latest submitted version, after confirmation."""
    report = _get_report(request, public_id, write=True)
    form = ConfirmForm(form_data(request))
    problems = services.correction_problems(report)
    if request.method == "POST" and form.is_valid() and not problems:
        try:
            correction = services.report_correct(report=report)
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                _(
                    "Version %(version)s has been started as a draft. Once submitted, it "
                    "replaces version %(previous)s."
                )
                % {"version": correction.version, "previous": report.version},
            )
            return redirect("partnerships:report_edit", correction.public_id)
    return _confirm_page(request, report, form, action="correct", problems=problems)


urlpatterns = [
    path("reports/", report_status, name="report_status"),
    path("<uuid:public_id>/reports/new/", report_create, name="report_create"),
    path("reports/<uuid:public_id>/", report_detail, name="report_detail"),
    path("reports/<uuid:public_id>/edit/", report_edit, name="report_edit"),
    path("reports/<uuid:public_id>/submit/", report_submit, name="report_submit"),
    path("reports/<uuid:public_id>/correct/", report_correct, name="report_correct"),
]
