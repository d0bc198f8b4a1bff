"""Indicators API: list (filters), create (linked to a partnership, a commitment or a plan
action, with its disaggregation), read with the values that count, change, and the State's own
yearly figure of a plan action's indicator.

Same gates, forms and services as the pages, so the rules, figures and messages are the same.
"""

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from mineaction.core import access
from mineaction.core.api import (
    NON_FIELD_ERRORS,
    PageOut,
    PageParams,
    Problem,
    date,
    error_responses,
    form_errors,
    input_schema_extra,
    paginate,
    public_id_field,
    text,
)
from mineaction.partnerships.forms_reports import (
    DirectValueForm,
    IndicatorFilterForm,
    IndicatorForm,
)
from mineaction.partnerships.models import Indicator
from mineaction.partnerships.services import indicators as services

router = Router(tags=["partnerships"])

READ = error_responses(403, 404)
WRITE = error_responses(400, 403, 404, 409, 422)
LIST = error_responses(400, 403)
LINKS = ("partnership", "commitment", "plan_action")


# Schemas ---------------------------------------------------------------------------------------


class RefOut(Schema):
    public_id: uuid.UUID
    title: str


class CategoryOut(Schema):
    code: str
    label: str = Field(description="In the language of the request for the standard ones.")


class DimensionOut(Schema):
    code: str = Field(description='"sex" and "age" are the standard ones.')
    name: str
    categories: list[CategoryOut]


class BreakdownOut(Schema):
    status: str = Field(
        json_schema_extra={"enum": [services.FULL, services.PARTIAL, services.NONE]}
    )
    dimensions: list[str] = Field(description="Codes of the dimensions the parts use.")
    cells: int = Field(description="Cells of those dimensions' cross product.")
    cells_given: int
    covered: str = Field(description="What the given cells add up to (decimal).")
    share: str | None = Field(description="The share of the total they cover, 0 to 1.")


class PartOut(Schema):
    categories: dict[str, str] = Field(description='{"sex": "female", "age": "under_18"}')
    amount: str


class ReportRefOut(Schema):
    public_id: uuid.UUID
    version: int


class ValueOut(Schema):
    public_id: uuid.UUID
    period_start: datetime.date
    period_end: datetime.date
    total: str = Field(description="Decimal, as a string.")
    note: str
    progress_report: ReportRefOut | None = Field(
        description="The report it was given in, or null: the State's own figure."
    )
    breakdown: BreakdownOut
    parts: list[PartOut]


class IndicatorOut(Schema):
    public_id: uuid.UUID
    name: str
    unit: str
    baseline: str
    baseline_date: datetime.date | None
    target: str
    target_date: datetime.date
    partnership: RefOut | None
    commitment: RefOut | None
    plan_action: RefOut | None
    by_sex_and_age: bool
    dimensions: list[DimensionOut]


class IndicatorDetailOut(IndicatorOut):
    values: list[ValueOut] = Field(
        description="The values that count, by period: the latest submitted version of each "
        "progress report, and the State's own yearly figures."
    )


class IndicatorPageOut(PageOut):
    results: list[IndicatorOut]


class IndicatorFilters(PageParams):
    q: str | None = Field(None, description="Words in the name or unit.")
    partnership: str | None = public_id_field("Public id of a partnership.")
    commitment: str | None = public_id_field("Public id of a commitment.")
    plan_action: str | None = public_id_field("Public id of a plan action.")


class CategoryIn(Schema):
    model_config = {"extra": "forbid"}

    code: str | None = text("Letters, digits and underscores; derived from the label if left out.")
    label: str | None = text()


class DimensionIn(Schema):
    model_config = {"extra": "forbid"}

    code: str | None = text("Derived from the name if left out. Keep it to keep recorded values.")
    name: str | None = text()
    categories: list[CategoryIn] = Field(default_factory=list, description="Two or more.")


class IndicatorIn(Schema):
    model_config = {
        "extra": "forbid",
        "json_schema_extra": input_schema_extra(
            ["name", "unit", "baseline", "target", "target_date"]
        ),
    }

    name: str | None = text()
    unit: str | None = text("For example: people, m², %.")
    baseline: Decimal | None = Field(None, description="At most two decimals.")
    baseline_date: str | None = date()
    target: Decimal | None = Field(None, description="At most two decimals.")
    target_date: str | None = date("After the baseline date.")
    partnership: str | None = public_id_field("Public id of a partnership.")
    commitment: str | None = public_id_field("Public id of a commitment (of its partnership).")
    plan_action: str | None = public_id_field("Public id of a plan action (managers).")
    by_sex_and_age: bool | None = Field(
        None, description="Break down by sex (female, male) and age band (under 18, 18 to 59, 60+)."
    )
    dimensions: list[DimensionIn] | None = Field(
        None, description="The user-defined dimensions (all of them: this list replaces them)."
    )


class PartIn(Schema):
    model_config = {"extra": "forbid"}

    categories: dict[str, str] = Field(description='{"sex": "female", "age": "under_18"}')
    amount: Decimal


class DirectValueIn(Schema):
    model_config = {
        "extra": "forbid",
        "json_schema_extra": input_schema_extra(["year", "total"]),
    }

    year: int | None = Field(None, description="A year of the action plan, not in the future.")
    total: Decimal | None = Field(None, description="At most two decimals.")
    parts: list[PartIn] = Field(
        default_factory=list,
        description="The breakdown: every cell uses the same dimensions; all the cells of those "
        "dimensions add up to the total, or fewer (a partial breakdown) never exceed it.",
    )
    note: str = ""


# Helpers ---------------------------------------------------------------------------------------


def _with_related(queryset):
    return queryset.select_related(
        "partnership", "commitment__party", "plan_action__section__action_plan"
    ).prefetch_related("dimensions")


def _get(request, public_id, *, write=False):
    indicator = access.get_indicator_for_user(request.auth, public_id, write=write)
    return _with_related(Indicator.objects).get(pk=indicator.pk)


def indicator_out(indicator, *, with_values=False):
    dimensions = services.indicator_dimensions(indicator)
    series = services.indicator_series(indicator) if with_values else None
    return services.indicator_json(indicator, dimensions, series)


def _dimensions_in(dimensions):
    return [
        {
            "code": dimension.code,
            "name": dimension.name,
            "categories": [dict(category) for category in dimension.categories],
        }
        for dimension in dimensions
    ]


def _party_link(user, payload):
    """The link a party's person may use, through the gates (403 when not theirs)."""
    try:
        if payload.get("partnership"):
            return {"partnership": access.get_partnership_as_party(user, payload["partnership"])}
        if payload.get("commitment"):
            commitment = access.get_commitment_for_user(user, payload["commitment"])
            if not access.can_write_for_partnership(user, commitment.partnership):
                raise PermissionDenied
            return {"commitment": commitment}
    except Http404:
        name = "partnership" if payload.get("partnership") else "commitment"
        raise Problem(422, errors={name: [_("There is no such record.")]}) from None
    if payload.get("plan_action"):
        raise Problem(403, _("Only managers link indicators to plan actions."))
    return {}


def _save(indicator, form, dimensions, by_sex_and_age):
    if not form.is_valid():
        # The dimensions' problems are answered at the same time as the fields'.
        _wanted, problems = services.normalised_dimensions(
            by_sex_and_age=by_sex_and_age, dimensions=dimensions
        )
        raise Problem(422, errors={**form_errors(form), **problems})
    values = form.values()
    values["by_sex_and_age"] = by_sex_and_age
    try:
        return services.indicator_save(indicator=indicator, **values, dimensions=dimensions)
    except ValidationError as error:
        raise Problem(422, errors=error.message_dict) from None


def _form_data(payload):
    data = {name: payload.get(name) for name in ("name", "unit", "baseline_date", "target_date")}
    for name in ("baseline", "target"):
        data[name] = None if payload.get(name) is None else str(payload[name])
    for name in LINKS:
        data[name] = payload.get(name)
    return data


# Endpoints -------------------------------------------------------------------------------------


@router.get(
    "/indicators",
    response={200: IndicatorPageOut, **LIST},
    url_name="indicator_list",
    summary="List indicators",
)
def indicator_list(request, filters: Query[IndicatorFilters]):
    """Indicators by name, with their dimensions."""
    access.require_reader(request.auth)
    sent = filters.model_fields_set - set(PageParams.model_fields)
    form = IndicatorFilterForm(data=filters.model_dump(include=sent))
    if not form.is_valid():
        raise Problem(400, errors=form_errors(form))
    indicators = _with_related(form.filter(Indicator.objects.all())).order_by("name", "id")
    return paginate(indicators, filters, indicator_out)


@router.post(
    "/indicators",
    response={201: IndicatorDetailOut, **WRITE},
    url_name="indicator_create",
    summary="Create an indicator",
)
def indicator_create(request, payload: IndicatorIn):
    """Create an indicator linked to a partnership or a commitment (its parties or managers)
    or to a plan action (managers), with its disaggregation."""
    user = request.auth
    access.require_reader(user)
    is_manager = access.can_manage_partnerships(user)
    if not is_manager and access.own_organisation_id(user) is None:
        raise Problem(403, _("Only managers and the parties to a partnership add indicators."))
    data = payload.model_dump()
    link = None if is_manager else _party_link(user, data)
    form = IndicatorForm(data=_form_data(data), user=user, link=link)
    dimensions = [d.model_dump() for d in payload.dimensions or []]
    indicator = _save(None, form, dimensions, bool(payload.by_sex_and_age))
    return Status(201, indicator_out(_get(request, indicator.public_id), with_values=True))


@router.get(
    "/indicators/{public_id}",
    response={200: IndicatorDetailOut, **READ},
    url_name="indicator_detail",
    summary="Get an indicator",
)
def indicator_detail(request, public_id: str):
    """The indicator with the values that count, each with its breakdown."""
    return indicator_out(_get(request, public_id), with_values=True)


@router.patch(
    "/indicators/{public_id}",
    response={200: IndicatorDetailOut, **WRITE},
    url_name="indicator_patch",
    summary="Change an indicator",
)
def indicator_patch(request, public_id: str, payload: IndicatorIn):
    """Change what was sent (the parties of its partnership or managers); `dimensions`
    replaces the user-defined dimensions. A dimension or category used by recorded values
    cannot be removed."""
    indicator = _get(request, public_id, write=True)
    current = IndicatorForm(user=request.auth, indicator=indicator).initial
    changes = payload.model_dump(exclude_unset=True)
    data = _form_data({**current, **changes})
    form = IndicatorForm(data=data, user=request.auth, indicator=indicator)
    stored = services.indicator_dimensions(indicator)
    standard = services.is_standard(stored)
    by_sex_and_age = changes.get("by_sex_and_age", standard)
    if "dimensions" in changes:
        dimensions = changes["dimensions"] or []
    else:
        own = [d for d in stored if not (standard and d.code in (services.SEX, services.AGE))]
        dimensions = _dimensions_in(own)
    saved = _save(indicator, form, dimensions, bool(by_sex_and_age))
    return indicator_out(_get(request, saved.public_id), with_values=True)


@router.post(
    "/indicators/{public_id}/values",
    response={201: ValueOut, **WRITE},
    url_name="indicator_value_create",
    summary="Record the State's figure of a year",
)
def indicator_value_create(request, public_id: str, payload: DirectValueIn):
    """The State's own figure of a year for a plan action's indicator (managers); it replaces
    an earlier figure of the same year."""
    indicator = _get(request, public_id)
    if not access.can_manage_partnerships(request.auth):
        raise Problem(403, _("Only managers record the State's figures."))
    if indicator.plan_action_id is None:
        raise Problem(
            409,
            _(
                "Only a plan action's indicator has the State's own figures; a partnership's "
                "values come with its progress reports."
            ),
        )
    dimensions = services.indicator_dimensions(indicator)
    data = {
        "year": payload.year,
        "total": None if payload.total is None else str(payload.total),
        "note": payload.note,
    }
    form = DirectValueForm(data=data, indicator=indicator, dimensions=dimensions)
    if not form.is_valid():
        raise Problem(422, errors=form_errors(form))
    year = form.cleaned_data["year"]
    try:
        value = services.indicator_value_save(
            indicator=indicator,
            total=payload.total,
            parts=[part.model_dump() for part in payload.parts],
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
            note=payload.note,
        )
    except ValidationError as error:
        raise Problem(422, errors={NON_FIELD_ERRORS: error.messages}) from None
    value = indicator.values.prefetch_related("parts").get(pk=value.pk)
    return Status(201, services.value_json(value, dimensions))
