"""The planned budget per year: what the work plans' activities ask for, by year, currency and
component, for one plan, a kind of plan or all of them; as a page, JSON, CSV or XLSX.

Every figure comes from `services.budget.planned_budget_by_year`, the function the funding
requirement reads, so the budget is the same on every page and in every file.
"""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import path
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from mineaction.core import access
from mineaction.core.api import form_errors, problem_response
from mineaction.core.tables import table_response
from mineaction.workplans.forms import PlanScopeForm
from mineaction.workplans.models import Activity
from mineaction.workplans.services import exports
from mineaction.workplans.services.budget import (
    planned_budget_by_year,
    totals_by_year_and_currency,
)
from mineaction.workplans.views.plans import budget_context, unknown_format

FORMATS = ("json", "csv", "xlsx")


def budget_json(rows, scope):
    """The JSON twin: amounts as strings with cents, so no figure is rounded on the way."""
    plan = scope.get("plan")
    return {
        "plan": str(plan.public_id) if plan else None,
        "kind": scope.get("kind") or None,
        "rows": [{**row, "amount": str(row["amount"])} for row in rows],
        "totals": [
            {**row, "amount": str(row["amount"])} for row in totals_by_year_and_currency(rows)
        ],
    }


@require_GET
@login_required
def budget(request):
    access.require_reader(request.user)
    fmt = request.GET.get("format", "")
    if fmt and fmt not in FORMATS:
        return unknown_format(fmt, FORMATS)
    scope = PlanScopeForm(request.GET)
    valid = scope.is_valid()
    if fmt and not valid:
        return problem_response(400, errors=form_errors(scope))
    cleaned = scope.cleaned_data if valid else {}
    rows = planned_budget_by_year(scope.filter(Activity.objects.all()) if valid else None)
    if fmt == "json":
        return JsonResponse(budget_json(rows, cleaned))
    if fmt:
        return table_response(
            exports.BUDGET_COLUMNS, rows, fmt=fmt, filename="planned-budget", title=_("Budget")
        )
    query = {name: request.GET[name] for name in ("plan", "kind") if request.GET.get(name)}
    links = {name: "?" + urlencode({**query, "format": name}) for name in FORMATS}
    return render(
        request,
        "workplans/budget_page.html",
        {
            "filters": scope,
            "links": links,
            **budget_context(rows),
        },
    )


urlpatterns = [path("budget/", budget, name="budget")]
