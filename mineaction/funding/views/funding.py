"""Resource mobilisation pages: the funding gap (tables, charts, JSON twin and XLSX), funding
requirements (entered, or taken from the work plans' budgets) and exchange rates per year.

Members read them all; the secretariat, the lead authority and administrators change them.
Every view: check access, act through `services`, redirect. Pledges and disbursements are in
`pledges.py`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mineaction.core import access
from mineaction.core.api import form_errors, problem_response
from mineaction.core.pages import confirmed, form_data, render_form
from mineaction.core.tables import FORMAT_LABELS
from mineaction.funding import charts, exports
from mineaction.funding.forms import ExchangeRateForm, GapFilterForm, RequirementForm
from mineaction.funding.models import ExchangeRate, FundingRequirement, Source
from mineaction.funding.services import records
from mineaction.funding.services.gap import (
    component_label,
    funding_gap,
    gap_json,
    region_label,
)
from mineaction.funding.services.money import base_currency, load_rates

SUMMARY_FORMATS = ("json", "xlsx")


def _export_format(request):
    fmt = request.GET.get("format")
    return fmt if fmt in exports.EXPORT_FORMATS else None


# The funding gap -----------------------------------------------------------------------------


def _gap_filters(request):
    data = {key: value for key, value in request.GET.items() if key not in ("format", "chart")}
    form = GapFilterForm(data or None)
    if form.is_bound:
        form.is_valid()
    return form


def _query(gap):
    query = {"first_year": gap["first_year"], "last_year": gap["last_year"]}
    if gap["component"] is not None:
        query["component"] = gap["component"] or "none"
    if gap["region"] is not None:
        query["region"] = gap["region"].code
    return query


def _summary_json(request, form, gap):
    chart_key = request.GET.get("chart", "")
    errors = form_errors(form) if form.is_bound else {}
    if chart_key and chart_key not in charts.SUMMARY_KEYS:
        errors["chart"] = [
            _("There is no chart %(chart)s. Choose one of: %(charts)s.")
            % {"chart": chart_key, "charts": ", ".join(charts.SUMMARY_KEYS)}
        ]
    if errors:
        return problem_response(400, errors=errors)
    figures = gap_json(gap)
    if chart_key:
        keys = ("base_currency", "first_year", "last_year", *charts.SUMMARY_KEYS[chart_key])
        figures = {"chart": chart_key, **{key: figures[key] for key in keys}}
    return JsonResponse(figures, json_dumps_params={"indent": None})


MEASURES = ("requirement", "pledged", "committed", "disbursed", "gap")
DONOR_MEASURES = ("pledged", "committed", "disbursed")


def _measure_labels():
    return {**charts.measure_labels(), "gap": _("Gap")}


def _cards(gap, today):
    """The five figures of the period, with this year's when it lies in the period."""
    current = next((row for row in gap["years"] if row["year"] == today.year), None)
    labels = _measure_labels()
    return [
        {
            "measure": measure,
            "label": labels[measure],
            "period": gap["totals"][measure],
            "current": current[measure] if current else None,
        }
        for measure in MEASURES
    ]


def _lines(years, measures):
    return [{"year": row["year"], "values": [row[m] for m in measures]} for row in years]


def _tables(gap):
    """The tables of the page: per year, then per donor, component and region and year."""
    labels = _measure_labels()
    base = gap["base_currency"]

    def headers(measures):
        return [
            _("%(measure)s (%(currency)s)") % {"measure": labels[m], "currency": base}
            for m in measures
        ]

    def groups(rows, label, measures):
        return [
            {
                "label": label(row),
                "lines": _lines(row["years"], measures),
                "total": [row["total"][m] for m in measures],
            }
            for row in rows
        ]

    return [
        {
            "key": "per-year",
            "title": _("Per year"),
            "headers": headers(MEASURES),
            "groups": [{"label": "", "lines": _lines(gap["years"], MEASURES), "total": []}],
            "footer": [gap["totals"][m] for m in MEASURES],
        },
        {
            "key": "per-donor",
            "title": _("Per donor and year"),
            "group_header": _("Donor"),
            "headers": headers(DONOR_MEASURES),
            "groups": groups(gap["donors"], lambda row: row["donor"].name, DONOR_MEASURES),
            "footer": [gap["totals"][m] for m in DONOR_MEASURES],
        },
        {
            "key": "per-component",
            "title": _("Per component and year"),
            "group_header": _("Component"),
            "headers": headers(MEASURES),
            "groups": groups(gap["components"], lambda row: row["label"], MEASURES),
            "footer": [gap["totals"][m] for m in MEASURES],
        },
        {
            "key": "per-region",
            "title": _("Per region and year"),
            "group_header": _("Region"),
            "headers": headers(MEASURES),
            "groups": groups(gap["regions"], region_label, MEASURES),
            "footer": [gap["totals"][m] for m in MEASURES],
        },
    ]


def unconverted_items(items):
    return [{**item, "label": exports.unconverted_label(item["what"])} for item in items]


@require_GET
@login_required
def funding_summary(request):
    """The gap per year, donor, component and region; `?format=json` or `xlsx` for the same
    figures as data."""
    access.require_reader(request.user)
    form = _gap_filters(request)
    fmt = request.GET.get("format")
    if fmt is not None and fmt not in SUMMARY_FORMATS:
        return problem_response(
            400,
            errors={
                "format": [_("Unknown format: %(format)s. Choose json or xlsx.") % {"format": fmt}]
            },
        )
    today = timezone.localdate()
    gap = funding_gap(**form.gap_filters(), today=today)
    if fmt == "json":
        return _summary_json(request, form, gap)
    if fmt == "xlsx":
        if form.errors:
            return problem_response(400, errors=form_errors(form))
        return exports.gap_response(gap)
    query = _query(gap)
    gap_charts = charts.gap_charts(gap)
    for chart in gap_charts:
        chart.json_url = f"?{urlencode({**query, 'format': 'json', 'chart': chart.key})}"
    return render(
        request,
        "funding/funding_summary.html",
        {
            "filters": form,
            "gap": gap,
            "cards": _cards(gap, today),
            "today": today,
            "charts": gap_charts,
            "tables": _tables(gap),
            "unconverted": unconverted_items(gap["unconverted"]),
            "base_currency": gap["base_currency"],
            "component_label": (
                component_label(gap["component"]) if gap["component"] is not None else ""
            ),
            "json_url": f"?{urlencode({**query, 'format': 'json'})}",
            "xlsx_url": f"?{urlencode({**query, 'format': 'xlsx'})}",
            "can_manage": access.can_manage_funding(request.user),
        },
    )


# Funding requirements ------------------------------------------------------------------------


@require_GET
@login_required
def requirement_list(request):
    access.require_reader(request.user)
    requirements = FundingRequirement.objects.select_related("region__parent").prefetch_related(
        "challenges"
    )
    fmt = _export_format(request)
    if fmt:
        return exports.list_export("requirements", requirements, fmt=fmt)
    requirements = list(requirements)
    rates = load_rates()
    totals = records.requirement_totals(requirements, rates=rates)
    years = []
    for requirement in requirements:
        if not years or years[-1]["year"] != requirement.year:
            total, unconverted = totals[requirement.year]
            years.append(
                {
                    "year": requirement.year,
                    "rows": [],
                    "total": total,
                    "unconverted": ", ".join(
                        f"{charts.money_text(amount)} {currency}"
                        for currency, amount in unconverted
                    ),
                }
            )
        years[-1]["rows"].append(requirement)
    return render(
        request,
        "funding/funding_requirement_list.html",
        {
            "years": years,
            "base_currency": rates.base,
            "formats": FORMAT_LABELS,
            "can_manage": access.can_manage_funding(request.user),
        },
    )


def _save_requirement(request, form, *, success):
    try:
        requirement = records.requirement_save(
            requirement=form.requirement(), challenges=form.challenges()
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None
    messages.success(request, success)
    return requirement


@require_http_methods(["GET", "POST"])
@login_required
def requirement_create(request):
    access.require_funding_manager(request.user)
    form = RequirementForm(form_data(request), user=request.user, base_currency=base_currency())
    if form.is_valid() and _save_requirement(
        request, form, success=_("The funding requirement has been added.")
    ):
        return redirect("funding:requirement_list")
    return render_form(
        request,
        form,
        title=_("New funding requirement"),
        intro=_("What the programme needs for one year, for a component and region or for all."),
        cancel_url=reverse("funding:requirement_list"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def requirement_edit(request, public_id):
    requirement = access.get_funding_requirement_for_user(request.user, public_id, write=True)
    form = RequirementForm(
        form_data(request), instance=requirement, user=request.user, base_currency=base_currency()
    )
    if form.is_valid() and _save_requirement(
        request, form, success=_("The funding requirement has been saved.")
    ):
        return redirect("funding:requirement_list")
    return render_form(
        request,
        form,
        title=_("Edit funding requirement"),
        subject=str(requirement.year),
        intro=records.work_plan_refusal() if requirement.source == Source.WORK_PLAN else "",
        cancel_url=reverse("funding:requirement_list"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def requirement_delete(request, public_id):
    requirement = access.get_funding_requirement_for_user(request.user, public_id, write=True)
    refusal = ""
    if requirement.source == Source.WORK_PLAN:
        refusal = records.work_plan_refusal()
    elif confirmed(request):
        records.requirement_delete(requirement=requirement)
        messages.success(request, _("The funding requirement has been deleted."))
        return redirect("funding:requirement_list")
    return render(
        request,
        "funding/funding_requirement_delete.html",
        {"requirement": requirement, "refusal": refusal},
        status=400 if refusal and request.method == "POST" else 200,
    )


def _change_rows(changes):
    """The changes as table rows: (year, currency, component label, before, after, kind)."""
    kinds = (
        (changes.added, _("Added")),
        (changes.changed, _("Changed")),
        (changes.removed, _("Removed")),
    )
    rows = []
    for entries, kind in kinds:
        for year, currency, component, before, after in entries:
            rows.append(
                {
                    "year": year,
                    "currency": currency,
                    "component": records.component_label(component) or _("All components"),
                    "before": before,
                    "after": after,
                    "kind": kind,
                }
            )
    return sorted(rows, key=lambda row: (row["year"], row["currency"], str(row["component"])))


@require_http_methods(["GET", "POST"])
@login_required
def requirement_from_work_plans(request):
    """What taking the requirements from the work plans would change; confirmed, it does."""
    access.require_funding_manager(request.user)
    if confirmed(request):
        changes = records.requirements_from_work_plans()
        messages.success(
            request,
            _(
                "Requirements from the work plans: %(added)s added, %(changed)s changed, "
                "%(removed)s removed, %(unchanged)s unchanged."
            )
            % {
                "added": len(changes.added),
                "changed": len(changes.changed),
                "removed": len(changes.removed),
                "unchanged": changes.unchanged,
            },
        )
        return redirect("funding:requirement_list")
    changes, _existing = records.work_plan_changes()
    return render(
        request,
        "funding/funding_requirement_work_plans.html",
        {"changes": changes, "rows": _change_rows(changes)},
    )


# Exchange rates ------------------------------------------------------------------------------


@require_GET
@login_required
def rate_list(request):
    access.require_reader(request.user)
    rates = ExchangeRate.objects.order_by("-year", "currency")
    fmt = _export_format(request)
    if fmt:
        return exports.list_export("rates", rates, fmt=fmt)
    table = load_rates()
    return render(
        request,
        "funding/funding_rate_list.html",
        {
            "rates": rates,
            "base_currency": table.base,
            "missing": records.missing_rates(rates=table),
            "formats": FORMAT_LABELS,
            "can_manage": access.can_manage_funding(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def rate_create(request):
    access.require_funding_manager(request.user)
    base = base_currency()
    initial = {name: request.GET[name] for name in ("currency", "year") if name in request.GET}
    form = ExchangeRateForm(form_data(request), initial=initial, base_currency=base)
    if form.is_valid():
        try:
            records.rate_save(rate=form.instance)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The exchange rate has been added."))
            return redirect("funding:rate_list")
    return render_form(
        request,
        form,
        title=_("New exchange rate"),
        intro=_(
            "Amounts in other currencies are converted to %(base)s with the rate of their year."
        )
        % {"base": base},
        cancel_url=reverse("funding:rate_list"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def rate_edit(request, public_id):
    rate = access.get_exchange_rate_for_user(request.user, public_id, write=True)
    form = ExchangeRateForm(form_data(request), instance=rate, base_currency=base_currency())
    if form.is_valid():
        try:
            records.rate_save(rate=form.instance)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The exchange rate has been saved."))
            return redirect("funding:rate_list")
    return render_form(
        request,
        form,
        title=_("Edit exchange rate"),
        subject=f"{rate.currency} {rate.year}",
        cancel_url=reverse("funding:rate_list"),
    )


urlpatterns = [
    path("", funding_summary, name="funding_summary"),
    path("requirements/", requirement_list, name="requirement_list"),
    path("requirements/new/", requirement_create, name="requirement_create"),
    path(
        "requirements/from-work-plans/",
        requirement_from_work_plans,
        name="requirement_from_work_plans",
    ),
    path("requirements/<uuid:public_id>/edit/", requirement_edit, name="requirement_edit"),
    path("requirements/<uuid:public_id>/delete/", requirement_delete, name="requirement_delete"),
    path("exchange-rates/", rate_list, name="rate_list"),
    path("exchange-rates/new/", rate_create, name="rate_create"),
    path("exchange-rates/<uuid:public_id>/edit/", rate_edit, name="rate_edit"),
]
