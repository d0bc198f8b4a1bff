"""Indicator pages: create (from a partnership, a commitment or a plan action), edit, the
indicator with its values over time against baseline and target (table, chart and JSON twin)
and the State's own yearly figure for a plan action's indicator. Every view: check access, act,
redirect."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mineaction.core import access
from mineaction.core.api import problem_response
from mineaction.core.charts import is_rtl, render_svg
from mineaction.core.pages import form_data
from mineaction.partnerships.forms_reports import (
    DirectValueForm,
    IndicatorForm,
    add_problems,
    dimension_formset,
    formset_dimensions,
)
from mineaction.partnerships.models import Indicator
from mineaction.partnerships.services import indicators as services
from mineaction.partnerships.services.reports import period_label

WIDTH, HEIGHT = 560, 260
VALUE_COLOUR, BASELINE_COLOUR, TARGET_COLOUR = "#0072B2", "#999999", "#009E73"


def _link_from_query(request):
    """What the new indicator is for, from the page it was opened from, through its gate:
    a partnership or a commitment (its parties or managers), a plan action (managers). Without
    one, managers choose on the form."""
    user, query = request.user, request.GET
    if query.get("partnership"):
        return {"partnership": access.get_partnership_as_party(user, query["partnership"])}
    if query.get("commitment"):
        commitment = access.get_commitment_for_user(user, query["commitment"])
        if not access.can_write_for_partnership(user, commitment.partnership):
            raise PermissionDenied
        return {"commitment": commitment, "partnership": commitment.partnership}
    if query.get("plan_action"):
        return {
            "plan_action": access.get_plan_action_for_user(user, query["plan_action"], write=True)
        }
    access.require_partnership_manager(user)
    return {}


def _record_url(link):
    if link.get("commitment") is not None:
        return reverse("partnerships:commitment_detail", args=[link["commitment"].public_id])
    if link.get("partnership") is not None:
        return reverse("partnerships:partnership_detail", args=[link["partnership"].public_id])
    if link.get("plan_action") is not None:
        return reverse("partnerships:plan_action_detail", args=[link["plan_action"].public_id])
    return reverse("partnerships:partnership_list")


def _save(request, form, dimensions, indicator=None):
    """The saved indicator, or None with the services' messages on the form."""
    forms_valid = [form.is_valid(), dimensions.is_valid()]
    if not all(forms_valid):
        if dimensions.is_valid():
            # The dimensions' problems are shown at the same time as the fields'.
            _wanted, problems = services.normalised_dimensions(
                by_sex_and_age=form.cleaned_data.get("by_sex_and_age", False),
                dimensions=formset_dimensions(dimensions),
            )
            dimensions.dimension_errors = problems.get("dimensions", [])
        return None
    try:
        return services.indicator_save(
            indicator=indicator, **form.values(), dimensions=formset_dimensions(dimensions)
        )
    except ValidationError as error:
        problems = dict(error.message_dict)
        dimensions.dimension_errors = problems.pop("dimensions", [])
        add_problems(form, problems)
        return None


def _render_form(request, form, dimensions, *, title, cancel_url, indicator=None, link=None):
    return render(
        request,
        "partnerships/indicators_form.html",
        {
            "form": form,
            "dimensions": dimensions,
            "title": title,
            "cancel_url": cancel_url,
            "indicator": indicator,
            "link": link or {},
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def indicator_create(request):
    link = _link_from_query(request)
    form = IndicatorForm(form_data(request), user=request.user, link=link)
    dimensions = dimension_formset(form_data(request))
    if request.method == "POST":
        indicator = _save(request, form, dimensions)
        if indicator is not None:
            messages.success(request, _("The indicator has been created."))
            return redirect("partnerships:indicator_detail", indicator.public_id)
    return _render_form(
        request,
        form,
        dimensions,
        title=_("New indicator"),
        cancel_url=_record_url(link),
        link=link,
    )


def _get_indicator(request, public_id, *, write=False):
    indicator = access.get_indicator_for_user(request.user, public_id, write=write)
    return (
        Indicator.objects.select_related(
            "partnership", "commitment__party", "plan_action__section__action_plan"
        )
        .prefetch_related("dimensions")
        .get(pk=indicator.pk)
    )


@require_http_methods(["GET", "POST"])
@login_required
def indicator_edit(request, public_id):
    indicator = _get_indicator(request, public_id, write=True)
    form = IndicatorForm(form_data(request), user=request.user, indicator=indicator)
    dimensions = dimension_formset(form_data(request), indicator=indicator)
    if request.method == "POST":
        saved = _save(request, form, dimensions, indicator=indicator)
        if saved is not None:
            messages.success(request, _("The indicator has been saved."))
            return redirect("partnerships:indicator_detail", saved.public_id)
    return _render_form(
        request,
        form,
        dimensions,
        title=_("Edit the indicator"),
        cancel_url=reverse("partnerships:indicator_detail", args=[indicator.public_id]),
        indicator=indicator,
    )


# The indicator's page ---------------------------------------------------------------------------


def _value_rows(series, dimensions):
    rows = []
    for value in series:
        report = value.progress_report
        rows.append(
            {
                "value": value,
                "period": period_label(value.period_start, value.period_end),
                "breakdown": services.value_breakdown(value, dimensions),
                "cells": services.value_cells(value, dimensions),
                "report": report,
            }
        )
    return rows


def _chart(indicator, series):
    """The values over time against the baseline and the target: the SVG and its table."""
    title = _("%(indicator)s: values against baseline and target") % {"indicator": indicator}
    recorded, baseline, target = _("Recorded"), _("Baseline"), _("Target")
    first = indicator.baseline_date or (series[0].period_end if series else indicator.target_date)
    points = [
        {"date": value.period_end.isoformat(), "amount": float(value.total), "series": recorded}
        for value in series
    ]
    lines = [
        {"date": first.isoformat(), "amount": float(indicator.baseline), "series": baseline},
        {
            "date": indicator.target_date.isoformat(),
            "amount": float(indicator.baseline),
            "series": baseline,
        },
        {"date": first.isoformat(), "amount": float(indicator.target), "series": target},
        {
            "date": indicator.target_date.isoformat(),
            "amount": float(indicator.target),
            "series": target,
        },
    ]
    labels = [recorded, baseline, target]
    encoding = {
        "x": {
            "field": "date",
            "type": "temporal",
            "title": _("Period end"),
            "scale": {"type": "utc", "reverse": is_rtl()},
            "axis": {"format": "%Y-%m", "formatType": "utc"},
        },
        "y": {
            "field": "amount",
            "type": "quantitative",
            "title": indicator.unit,
            "axis": {"format": ",~f", "orient": "right" if is_rtl() else "left"},
        },
        "color": {
            "field": "series",
            "type": "nominal",
            "title": None,
            "sort": labels,
            "scale": {"domain": labels, "range": [VALUE_COLOUR, BASELINE_COLOUR, TARGET_COLOUR]},
        },
    }
    spec = {
        "title": {"text": title},
        "description": _("%(title)s. The figures are in the table below the chart.")
        % {"title": title},
        "width": WIDTH,
        "height": HEIGHT,
        "encoding": encoding,
        "layer": [
            {
                "data": {"values": lines},
                "mark": {"type": "line", "strokeDash": [6, 4]},
                "encoding": {"detail": {"field": "series"}},
            },
            {"data": {"values": points}, "mark": {"type": "line", "point": True}},
        ],
    }
    return render_svg(spec)


@require_GET
@login_required
def indicator_detail(request, public_id):
    indicator = _get_indicator(request, public_id)
    dimensions = services.indicator_dimensions(indicator)
    series = services.indicator_series(indicator)
    fmt = request.GET.get("format", "")
    if fmt == "json":
        return JsonResponse(services.indicator_json(indicator, dimensions, series))
    if fmt:
        return problem_response(
            400,
            errors={
                "format": [
                    _("Unknown format “%(format)s”. Choose one of: %(formats)s.")
                    % {"format": fmt, "formats": "json"}
                ]
            },
        )
    can_write = access.can_write_for_partnership(request.user, indicator.partnership)
    return render(
        request,
        "partnerships/indicators_detail.html",
        {
            "indicator": indicator,
            "dimensions": [services.dimension_json(d) for d in dimensions],
            "rows": _value_rows(series, dimensions),
            "chart_svg": _chart(indicator, series),
            "can_edit": can_write,
            "can_add_value": indicator.plan_action_id is not None
            and access.can_manage_partnerships(request.user),
        },
    )


# The State's own figure ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def indicator_value(request, public_id):
    """The State's figure of a year for a plan action's indicator (managers)."""
    indicator = _get_indicator(request, public_id)
    if not access.can_manage_partnerships(request.user):
        raise PermissionDenied
    if indicator.plan_action_id is None:
        raise Http404
    dimensions = services.indicator_dimensions(indicator)
    form = DirectValueForm(form_data(request), indicator=indicator, dimensions=dimensions)
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        try:
            services.indicator_value_save(
                indicator=indicator,
                total=form.cleaned_data["total"],
                parts=form.parts(),
                period_start=datetime.date(year, 1, 1),
                period_end=datetime.date(year, 12, 31),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request, _("The value of %(year)s has been recorded.") % {"year": year}
            )
            return redirect("partnerships:indicator_detail", indicator.public_id)
    return render(
        request,
        "partnerships/indicators_value.html",
        {
            "indicator": indicator,
            "form": form,
            "cancel_url": reverse("partnerships:indicator_detail", args=[indicator.public_id]),
        },
    )


urlpatterns = [
    path("indicators/new/", indicator_create, name="indicator_create"),
    path("indicators/<uuid:public_id>/", indicator_detail, name="indicator_detail"),
    path("indicators/<uuid:public_id>/edit/", indicator_edit, name="indicator_edit"),
    path("indicators/<uuid:public_id>/value/", indicator_value, name="indicator_value"),
]
