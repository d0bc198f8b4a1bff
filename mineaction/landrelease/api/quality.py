"""Quality API: the geometry quality checks run over the stored hazard areas, as on the page."""

import uuid

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from mineaction.core import access
from mineaction.core.api import PageOut, PageParams, Problem, choice, error_responses, paginate
from mineaction.landrelease import quality
from mineaction.landrelease.models import HazardArea

router = Router(tags=["article5"])

CHECK_CHOICES = [(code, label) for code, (_severity, label) in quality.CHECKS.items()]


class FindingOut(Schema):
    code: str = Field(json_schema_extra={"enum": list(quality.CHECKS)})
    severity: str = Field(json_schema_extra={"enum": [quality.ERROR, quality.WARNING]})
    check: str = Field(description="The name of the check, in the request's language.")
    message: str
    external_id: str | None
    other_external_id: str | None = Field(
        description="The other hazard area of an overlap or of a duplicate geometry."
    )
    hazard: uuid.UUID | None = Field(description="Public id of the hazard area.")
    other_hazard: uuid.UUID | None = Field(description="Public id of the other hazard area.")


class CheckCountOut(Schema):
    code: str
    severity: str
    check: str
    count: int


class QualityLimitsOut(Schema):
    max_vertex_spacing_m: int
    country_margin_m: int
    country_extent: list[float] | None = Field(
        description="[min_lon, min_lat, max_lon, max_lat] of the admin areas grown by the "
        "margin; null when no admin area has a boundary (the check does not run)."
    )


class QualityPageOut(PageOut):
    hazards_checked: int
    limits: QualityLimitsOut
    counts: list[CheckCountOut] = Field(description="Findings per check, before the filters.")
    results: list[FindingOut]


class QualityFilters(PageParams):
    code: str | None = choice(CHECK_CHOICES, "Only the findings of this check.")
    severity: str | None = choice(list(quality.SEVERITY_LABELS.items()))


class FindingList(list):
    """Findings that `paginate` pages through like a queryset."""

    def count(self):
        return len(self)


@router.get(
    "/article5/quality",
    response={200: QualityPageOut, **error_responses(400, 403)},
    url_name="article5_quality",
    summary="Geometry quality checks",
)
def article5_quality(request, filters: Query[QualityFilters]):
    """Every geometry quality check run now over the stored hazard areas (data managers, the
    lead authority and administrators): errors first, then warnings."""
    access.require_reader(request.auth)
    if not access.can_manage_land_data(request.auth):
        raise Problem(
            403,
            _("Only data managers, the lead authority and administrators run the quality checks."),
        )
    _refuse_unknown(filters)
    findings = quality.run_checks()
    selected = quality.filter_findings(findings, code=filters.code, severity=filters.severity)
    page = paginate(FindingList(selected), filters, lambda finding: finding)
    public_ids = quality.hazard_public_ids(page["results"])
    page["results"] = [
        {
            **finding.as_dict(),
            "check": str(finding.label),
            "hazard": public_ids.get(finding.external_id),
            "other_hazard": public_ids.get(finding.other_external_id),
        }
        for finding in page["results"]
    ]
    extent = quality.country_extent()
    return {
        **page,
        "hazards_checked": HazardArea.objects.count(),
        "limits": {
            "max_vertex_spacing_m": settings.GEOMETRY_MAX_VERTEX_SPACING_M,
            "country_margin_m": settings.GEOMETRY_COUNTRY_MARGIN_M,
            "country_extent": list(extent) if extent is not None else None,
        },
        "counts": [
            {
                "code": count["code"],
                "severity": count["severity"],
                "check": str(count["label"]),
                "count": count["count"],
            }
            for count in quality.counts_by_check(findings)
        ],
    }


def _refuse_unknown(filters):
    """400 for a check or a severity that does not exist, with the forms' own message."""
    message = forms.ChoiceField.default_error_messages["invalid_choice"]
    errors = {
        name: [message % {"value": value}]
        for name, value, known in (
            ("code", filters.code, quality.CHECKS),
            ("severity", filters.severity, quality.SEVERITY_LABELS),
        )
        if value and value not in known
    }
    if errors:
        raise Problem(400, errors=errors)
