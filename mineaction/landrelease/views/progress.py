"""The Article 5 dashboard: how much contamination remains, how fast land is released, whether
the milestones are met and whether the deadline will hold, at any past date, nationally or in
one region; each chart with its data table, and the page's JSON twin.

Every figure comes from `services.progress.summary`, the function behind the API's summary, so
a figure is the same on every page. Bad filters are reported and ignored on the page (the
figures fall back to today and the whole country), and refused with 400 by the JSON twin.
"""

import datetime
import decimal

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from mineaction.core import access
from mineaction.core.api import form_errors, problem_response
from mineaction.landrelease import charts
from mineaction.landrelease.forms import AdminAreaFilterMixin, DateInput, admin_area_filter_field
from mineaction.landrelease.models import HazardArea
from mineaction.landrelease.services import progress

DEFAULT_CAPACITY_CHANGE_PERCENT = 50
# The burn-down chart shows the remaining area at the end of at most this many past years.
BURN_DOWN_YEARS = 10


class ProgressFilterForm(AdminAreaFilterMixin, forms.Form):
    """The dashboard's filters; the JSON twin takes the same ones."""

    as_of = forms.DateField(
        label=_("Figures on"),
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        help_text=_("Today when empty. Any past date shows the figures as they were then."),
        error_messages={"invalid": _("Enter the date as YYYY-MM-DD, such as 2024-12-31.")},
    )
    admin_area = admin_area_filter_field()
    level = forms.TypedChoiceField(
        label=_("Break the remaining area down by"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", _("The level below the region")),
            (1, _("Admin level 1")),
            (2, _("Admin level 2")),
            (3, _("Admin level 3")),
            (4, _("Admin level 4")),
        ],
    )
    capacity_change_percent = forms.DecimalField(
        label=_("Capacity change for the scenario (%)"),
        required=False,
        min_value=-100,
        max_value=1000,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "any", "placeholder": "50"}),
        help_text=_(
            "Capacity grows by this much, for example when the funding gap is closed; a "
            "negative value is a cut. 50 when empty."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_admin_area_choices()

    def clean_as_of(self):
        as_of = self.cleaned_data["as_of"]
        if as_of and as_of > timezone.localdate():
            raise forms.ValidationError(
                _("Choose today or a date in the past: the figures are those recorded by then.")
            )
        return as_of

    def figures_filters(self):
        """The arguments of `summary` from the valid filters; an invalid filter counts as
        empty (today, the whole country, level 1 or the one below the region, a 50 % rise)."""
        data = self.cleaned_data if self.is_bound else {}
        region = data.get("admin_area")
        level = data.get("level") or (min(region.level + 1, 4) if region else 1)
        change = data.get("capacity_change_percent")
        if change is None:
            change = DEFAULT_CAPACITY_CHANGE_PERCENT
        return {
            "as_of": data.get("as_of") or timezone.localdate(),
            "admin_area": region,
            "level": level,
            "capacity_change_percent": _plain_number(change),
        }


def _plain_number(value):
    """50 rather than Decimal("50.00"), so the JSON twin holds a number."""
    value = decimal.Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _filter_form(request):
    form = ProgressFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    return form


def _query(filters):
    """The query string of the figures shown, for the JSON links."""
    region = filters["admin_area"]
    return {
        "as_of": filters["as_of"].isoformat(),
        **({"admin_area": region.code} if region else {}),
        "level": filters["level"],
        "capacity_change_percent": filters["capacity_change_percent"],
    }


def remaining_series(summary, admin_area):
    """[(date, remaining m²)]: the end of each past year since the year before the first
    release (at most BURN_DOWN_YEARS of them), then the summary's date."""
    as_of = summary["as_of"]
    released = summary["released_by_year"]
    first_year = released[0]["year"] - 1 if released else as_of.year
    years = range(max(first_year, as_of.year - BURN_DOWN_YEARS), as_of.year)
    series = [
        (year_end, progress.remaining_at(year_end, admin_area=admin_area))
        for year_end in (datetime.date(year, 12, 31) for year in years)
    ]
    return [*series, (as_of, summary["remaining_area_m2"])]


def headline(summary):
    """The cards above the charts, with their numbers formatted like the tables."""
    forecast = summary["forecast"]
    scenario = forecast["scenario"] or {}
    change = scenario.get("capacity_change_percent")
    days_left = summary["deadline"]["days_left"]
    return {
        "days_overdue": -days_left if days_left is not None and days_left < 0 else None,
        "remaining": charts.format_number(summary["remaining_area_m2"]),
        "rate": charts.format_number(forecast["rate_m2_per_year"]),
        "rate_low": charts.format_number(forecast["rate_low_m2_per_year"]),
        "rate_high": charts.format_number(forecast["rate_high_m2_per_year"]),
        "scenario_rate": charts.format_number(scenario.get("rate_m2_per_year")),
        "scenario_change": formats.number_format(abs(change)) if change is not None else "",
        "scenario_grows": change is not None and change >= 0,
        "basis_years": ", ".join(str(year) for year in forecast["basis_years"]),
    }


@require_GET
@login_required
def progress_dashboard(request):
    access.require_reader(request.user)
    filters_form = _filter_form(request)
    context = {
        "filters": filters_form,
        "has_data": HazardArea.objects.exists(),
        "can_manage_land_data": access.can_manage_land_data(request.user),
    }
    if context["has_data"]:
        filters = filters_form.figures_filters()
        summary = progress.summary(**filters)
        query = _query(filters)
        dashboard_charts = charts.dashboard_charts(
            summary, remaining_series(summary, filters["admin_area"])
        )
        json_url = reverse("landrelease:progress_json")
        for chart in dashboard_charts:
            chart.json_url = f"{json_url}?{urlencode({**query, 'chart': chart.key})}"
        context.update(
            summary=summary,
            region=filters["admin_area"],
            headline=headline(summary),
            charts=dashboard_charts,
            json_url=f"{json_url}?{urlencode(query)}",
        )
    return render(request, "landrelease/progress_dashboard.html", context)


@require_GET
@login_required
def progress_json(request):
    """The dashboard's figures: the whole summary, or with `?chart=` the part one chart draws."""
    access.require_reader(request.user)
    filters_form = _filter_form(request)
    chart_key = request.GET.get("chart", "")
    errors = form_errors(filters_form) if filters_form.is_bound else {}
    if chart_key and chart_key not in charts.SUMMARY_KEYS:
        errors["chart"] = [
            _("There is no chart %(chart)s. Choose one of: %(charts)s.")
            % {"chart": chart_key, "charts": ", ".join(charts.SUMMARY_KEYS)}
        ]
    if errors:
        return problem_response(400, errors=errors)
    filters = filters_form.figures_filters()
    summary = progress.summary(**filters)
    if chart_key:
        summary = _chart_figures(summary, chart_key, filters["admin_area"])
    return JsonResponse(summary, encoder=DjangoJSONEncoder, json_dumps_params={"indent": None})


def _chart_figures(summary, chart_key, admin_area):
    """What one chart draws: its keys of the summary, with the date of the figures (and for
    the burn-down, the remaining area at the end of the past years)."""
    figures = {"as_of": summary["as_of"], "chart": chart_key}
    figures.update((key, summary[key]) for key in charts.SUMMARY_KEYS[chart_key])
    if chart_key == "forecast":
        figures["remaining_series"] = [
            {"date": day, "remaining_m2": area}
            for day, area in remaining_series(summary, admin_area)
        ]
    return figures


urlpatterns = [
    path("", progress_dashboard, name="progress_dashboard"),
    path("progress.json", progress_json, name="progress_json"),
]
