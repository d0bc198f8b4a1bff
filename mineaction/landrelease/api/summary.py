"""Article 5 summary API: the dashboard's figures as data, at any date, nationally or in one
region, with the completion forecast and an optional capacity scenario.

The figures come from `services.progress.summary`, the same function as the dashboard's, so a
figure is the same everywhere.
"""

import datetime
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from mineaction.core import access
from mineaction.core.api import Problem, date, error_responses, form_errors
from mineaction.landrelease.models import AdminArea, DeviceCategory, HazardStatus
from mineaction.landrelease.services import progress

router = Router(tags=["article5"])


class SummaryForm(forms.Form):
    """The summary's query parameters; every bad value is reported by name."""

    as_of = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Enter the date as YYYY-MM-DD, such as 2024-12-31.")},
    )
    admin_area = forms.ModelChoiceField(
        queryset=AdminArea.objects.all(),
        required=False,
        to_field_name="code",
        error_messages={"invalid_choice": _("There is no admin area with this code.")},
    )
    level = forms.IntegerField(required=False, min_value=1, max_value=4)
    capacity_change_percent = forms.DecimalField(
        required=False, min_value=-100, max_value=1000, decimal_places=2
    )

    def clean_as_of(self):
        as_of = self.cleaned_data["as_of"]
        if as_of and as_of > timezone.localdate():
            raise forms.ValidationError(
                _("Choose today or a date in the past: the figures are those recorded by then.")
            )
        return as_of


class SummaryParams(Schema):
    as_of: str | None = date(
        "The date of the figures (YYYY-MM-DD), today or in the past; today when empty."
    )
    admin_area: str | None = Field(
        None,
        description="Code of an admin area: every figure is then for the hazard areas in it, "
        "and the milestones are that region's.",
    )
    level: str | None = Field(
        None,
        description="Admin level (1 to 4) of the remaining area by admin area; 1 when empty.",
        json_schema_extra={"enum": ["1", "2", "3", "4"]},
    )
    capacity_change_percent: str | None = Field(
        None,
        description="A forecast scenario: release capacity changed by this percentage "
        "(-100 to 1000), such as 50 when the funding gap is closed or -30 for a cut.",
        json_schema_extra={"examples": ["50"]},
    )


class AdminAreaRefOut(Schema):
    public_id: uuid.UUID
    code: str
    name: str
    level: int


class RemainingByTypeOut(Schema):
    SHA: int = Field(description="Remaining area of suspected hazardous areas (m²).")
    CHA: int = Field(description="Remaining area of confirmed hazardous areas (m²).")


class StatusOut(Schema):
    status: HazardStatus
    label: str
    count: int = Field(description="Hazard areas in this status on the date.")
    remaining_m2: int


class AdminAreaRemainingOut(Schema):
    public_id: uuid.UUID | None = Field(description="None for the unassigned row.")
    code: str = Field(description="Empty for hazard areas without an admin area at the level.")
    name: str
    level: int
    remaining_m2: int
    sha_m2: int
    cha_m2: int
    hazard_count: int = Field(description="Hazard areas open on the date.")


class ReleasedYearOut(Schema):
    year: int
    cancelled_m2: int = Field(description="Cancelled by non-technical survey.")
    reduced_m2: int = Field(description="Reduced by technical survey.")
    cleared_m2: int
    total_m2: int


class MilestoneProgressOut(Schema):
    year: int
    planned_m2: int
    actual_m2: int = Field(description="All land released in the year, up to the date.")
    met: bool | None = Field(description="None until the year is over.")


class DevicesOut(Schema):
    category: DeviceCategory
    label: str
    count: int


class DeadlineOut(Schema):
    date: datetime.date | None = Field(description="The Article 5 deadline in force.")
    days_left: int | None = Field(description="Negative once the deadline has passed.")
    extension_count: int | None


class ScenarioOut(Schema):
    capacity_change_percent: float
    rate_m2_per_year: int
    completion_date: datetime.date | None
    meets_deadline: bool | None


class ForecastOut(Schema):
    rate_m2_per_year: int = Field(
        description="Mean release per year over the basis years (the observed rate)."
    )
    rate_low_m2_per_year: int
    rate_high_m2_per_year: int
    basis_years: list[int] = Field(
        description="The last (up to three) complete years the rate is taken from; the "
        "current year, pro rata, when none is complete."
    )
    completion_date: datetime.date | None = Field(description="None when nothing is released.")
    completion_earliest: datetime.date | None = Field(description="At the highest annual rate.")
    completion_latest: datetime.date | None = Field(description="At the lowest annual rate.")
    meets_deadline: bool | None
    scenario: ScenarioOut | None


class SummaryOut(Schema):
    as_of: datetime.date
    admin_area: AdminAreaRefOut | None = Field(description="The region, or None: national.")
    level: int
    remaining_area_m2: int
    remaining_by_type: RemainingByTypeOut
    hazards_by_status: list[StatusOut]
    remaining_by_admin_area: list[AdminAreaRemainingOut]
    released_by_year: list[ReleasedYearOut]
    milestones: list[MilestoneProgressOut]
    devices_destroyed: list[DevicesOut]
    deadline: DeadlineOut
    forecast: ForecastOut


@router.get(
    "/article5/summary",
    response={200: SummaryOut, **error_responses(403, 422)},
    url_name="article5_summary",
    summary="Article 5 progress summary",
)
def article5_summary(request, params: Query[SummaryParams]):
    """Remaining contamination (by type, status and admin area), land released per year by
    method, milestones planned and achieved, devices destroyed, the deadline and the
    completion forecast, on a date (today by default), nationally or in one region.

    The remaining area of a hazard area is its baseline area minus the land released from it by
    the date, never below zero; a hazard area closed or handed over by then counts zero."""
    access.require_reader(request.auth)
    form = SummaryForm(data=params.model_dump(exclude_none=True))
    if not form.is_valid():
        raise Problem(422, errors=form_errors(form))
    region = form.cleaned_data["admin_area"]
    level = form.cleaned_data["level"] or 1
    change = form.cleaned_data["capacity_change_percent"]
    figures = progress.summary(
        form.cleaned_data["as_of"],
        admin_area=region,
        level=level,
        capacity_change_percent=change,
    )
    region_out = None
    if region is not None:
        region_out = {
            "public_id": region.public_id,
            "code": region.code,
            "name": region.name,
            "level": region.level,
        }
    return {**figures, "admin_area": region_out, "level": level}
