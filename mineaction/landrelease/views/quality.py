"""The geometry quality report: every check run over the stored hazard areas on demand, for the
data managers who fix the data, as a page and as a CSV of the findings."""

import csv
import io

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from mineaction.core import access
from mineaction.core.pages import results_template
from mineaction.landrelease import quality
from mineaction.landrelease.models import HazardArea

PAGE_SIZE = 50
CSV_HEADER = ["severity", "code", "check", "external_id", "other_external_id", "message"]
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class FindingFilterForm(forms.Form):
    code = forms.ChoiceField(
        label=_("Check"),
        required=False,
        choices=[
            ("", _("All checks")),
            *((code, label) for code, (_s, label) in quality.CHECKS.items()),
        ],
    )
    severity = forms.ChoiceField(
        label=_("Severity"),
        required=False,
        choices=[("", _("Errors and warnings")), *quality.SEVERITY_LABELS.items()],
    )

    def filter(self, findings):
        """The findings the filters select; an unknown value filters nothing (the form says
        why)."""
        data = self.cleaned_data if self.is_valid() else {}
        return quality.filter_findings(
            findings, code=data.get("code"), severity=data.get("severity")
        )


def limits():
    """The limits in force, for the note under the report."""
    return {
        "max_vertex_spacing_km": settings.GEOMETRY_MAX_VERTEX_SPACING_M / 1000,
        "country_margin_km": settings.GEOMETRY_COUNTRY_MARGIN_M / 1000,
        "country_extent": quality.country_extent(),
    }


@require_GET
@login_required
def quality_report(request):
    access.require_land_data_manager(request.user)
    findings = quality.run_checks()
    filters = FindingFilterForm(request.GET)
    page = Paginator(filters.filter(findings), PAGE_SIZE).get_page(request.GET.get("page"))
    public_ids = quality.hazard_public_ids(page.object_list)
    rows = [
        {
            "finding": finding,
            "hazard": public_ids.get(finding.external_id),
            "other_hazard": public_ids.get(finding.other_external_id),
        }
        for finding in page.object_list
    ]
    return render(
        request,
        results_template(request, "landrelease/quality_report.html"),
        {
            "filters": filters,
            "page": page,
            "rows": rows,
            "counts": quality.counts_by_check(findings),
            "total": len(findings),
            "hazard_count": HazardArea.objects.count(),
            **limits(),
        },
    )


def _cell(value):
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not _is_number(text):
        return f"'{text}"
    return text


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def findings_csv(findings):
    """The findings as CSV text, one per line, with the header of CSV_HEADER."""
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for finding in findings:
        writer.writerow(
            _cell(value)
            for value in (
                finding.severity,
                finding.code,
                finding.label,
                finding.external_id,
                finding.other_external_id,
                finding.message,
            )
        )
    return output.getvalue()


@require_GET
@login_required
def quality_findings_csv(request):
    access.require_land_data_manager(request.user)
    findings = FindingFilterForm(request.GET).filter(quality.run_checks())
    response = HttpResponse(findings_csv(findings), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="hazard-area-quality.csv"'
    return response


urlpatterns = [
    path("quality/", quality_report, name="quality_report"),
    path("quality/findings.csv", quality_findings_csv, name="quality_findings_csv"),
]
