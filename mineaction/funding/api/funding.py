"""Resource mobilisation API: the funding gap summary, and funding requirements, pledges (with
their split over the years), disbursements and exchange rates.

Same gates, forms and services as the pages, so the rules and messages are the same. Amounts
are decimal strings ("150000.00"), never JSON numbers: binary fractions cannot hold cents.
"""

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from mineaction.core import access
from mineaction.core.api import (
    OrganisationRefOut,
    PageOut,
    PageParams,
    Problem,
    choice,
    error_responses,
    form_errors,
    input_changes,
    input_schema_extra,
    organisation_ref,
    paginate,
    public_id_field,
    text,
)
from mineaction.core.choices import Component
from mineaction.funding.forms import (
    DisbursementFilterForm,
    DisbursementForm,
    ExchangeRateForm,
    GapFilterForm,
    PledgeFilterForm,
    PledgeForm,
    RequirementForm,
    split_text,
)
from mineaction.funding.models import (
    Disbursement,
    ExchangeRate,
    FundingRequirement,
    Pledge,
    PledgeStatus,
    Source,
)
from mineaction.funding.services import records
from mineaction.funding.services.gap import funding_gap, gap_json
from mineaction.funding.services.money import base_currency, load_rates, pledge_save
from mineaction.stakeholders.models import Organisation

router = Router(tags=["funding"])

READ = error_responses(403, 404)
WRITE = error_responses(400, 403, 404, 422)
DELETE = error_responses(403, 404, 409)
LIST = error_responses(400, 403)
AMOUNT = 'A decimal string with at most two decimals, such as "150000.50".'


def _filter_form(form_class, filters):
    """The page's filter form bound to the query parameters sent; a bad value is a 400."""
    sent = filters.model_fields_set - set(PageParams.model_fields)
    form = form_class(data=filters.model_dump(include=sent, exclude_none=True))
    if not form.is_valid():
        raise Problem(400, errors=form_errors(form))
    return form


def _validated(form):
    if not form.is_valid():
        raise Problem(422, errors=form_errors(form))
    return form


def _form_data(values):
    """Form data from JSON values: None is an empty field."""
    return {name: ("" if value is None else value) for name, value in values.items()}


def _by_public_id(form, *names):
    for name in names:
        if name in form.fields:
            form.fields[name].to_field_name = "public_id"


def _by_code(form, name="region"):
    if name in form.fields:
        form.fields[name].to_field_name = "code"


# Shared schemas ------------------------------------------------------------------------------


class FundingRegionRefOut(Schema):
    public_id: uuid.UUID
    code: str
    name: str


def region_ref(area):
    if area is None:
        return None
    return {"public_id": area.public_id, "code": area.code, "name": area.name}


# The funding gap -----------------------------------------------------------------------------


class FundingFiguresOut(Schema):
    requirement: str = Field(description="Funding requirements, in the base currency.")
    pledged: str = Field(description="Every pledge's part, whatever its status.")
    committed: str = Field(description="Parts of pledges committed or disbursed.")
    disbursed: str = Field(description="Disbursements dated in the year.")
    gap: str = Field(description="requirement − pledged (negative: more pledged than needed).")


class YearFiguresOut(FundingFiguresOut):
    year: int


class DonorFiguresOut(Schema):
    pledged: str
    committed: str
    disbursed: str


class DonorYearOut(DonorFiguresOut):
    year: int


class DonorRowOut(Schema):
    donor: OrganisationRefOut
    years: list[DonorYearOut]
    total: DonorFiguresOut


class ComponentRowOut(Schema):
    component: str | None = Field(
        description="Null for money not earmarked and requirements of all components.",
        json_schema_extra={"enum": [*Component.values, None]},
    )
    label: str
    years: list[YearFiguresOut]
    total: FundingFiguresOut


class RegionRowOut(Schema):
    region: FundingRegionRefOut | None = Field(description="The province; null for national.")
    label: str
    years: list[YearFiguresOut]
    total: FundingFiguresOut


class UnconvertedOut(Schema):
    what: str = Field(json_schema_extra={"enum": ["requirement", "pledge", "disbursement"]})
    currency: str
    year: int
    amount: str = Field(description="In the currency, left out of every total.")


class FundingSummaryOut(Schema):
    base_currency: str
    first_year: int
    last_year: int
    years: list[YearFiguresOut]
    totals: FundingFiguresOut = Field(description="Over the whole period.")
    donors: list[DonorRowOut] = Field(description="The donors who pledged most first.")
    components: list[ComponentRowOut]
    regions: list[RegionRowOut]
    unconverted: list[UnconvertedOut] = Field(
        description="Amounts without an exchange rate for their year (never guessed)."
    )


class SummaryFilters(Schema):
    first_year: int | None = Field(None, description="Default: the first year with records.")
    last_year: int | None = Field(None, description="Default: the last year with records.")
    component: str | None = Field(
        None,
        description="Only what is earmarked for it; none: only what is not earmarked.",
        json_schema_extra={"enum": [*Component.values, "none"]},
    )
    region: str | None = text("The code of a region: what is earmarked for it or inside it.")


@router.get(
    "/funding/summary",
    response={200: FundingSummaryOut, **LIST},
    url_name="funding_summary",
    summary="Funding gap summary",
)
def summary(request, filters: Query[SummaryFilters]):
    """Requirement, pledged, committed, disbursed and gap per year, in the base currency,
    and the same per donor, component and region; totals reconcile in every direction."""
    access.require_reader(request.auth)
    sent = filters.model_dump(exclude_none=True)
    form = GapFilterForm(data=sent)
    if not form.is_valid():
        raise Problem(400, errors=form_errors(form))
    return gap_json(funding_gap(**form.gap_filters()))


# Exchange rates ------------------------------------------------------------------------------


class RateOut(Schema):
    public_id: uuid.UUID
    currency: str
    year: int
    rate: Decimal = Field(description="Base-currency units per unit of the currency.")


class RatePageOut(PageOut):
    results: list[RateOut]


class RateFilters(PageParams):
    currency: str | None = None
    year: int | None = None


class RateIn(Schema):
    model_config = {
        "extra": "forbid",
        "json_schema_extra": input_schema_extra(["currency", "year", "rate"]),
    }

    currency: str | None = text("ISO 4217 code, not the base currency.")
    year: int | None = None
    rate: str | None = text("Base-currency units per unit, as a decimal string.")


def rate_out(rate):
    return {
        "public_id": rate.public_id,
        "currency": rate.currency,
        "year": rate.year,
        "rate": rate.rate,
    }


def _save_rate(form):
    _validated(form)
    try:
        return records.rate_save(rate=form.instance)
    except ValidationError as error:
        raise Problem(422, errors=error.message_dict) from None


@router.get(
    "/funding/exchange-rates",
    response={200: RatePageOut, **LIST},
    url_name="funding_rate_list",
    summary="List exchange rates",
)
def rate_list(request, filters: Query[RateFilters]):
    access.require_reader(request.auth)
    rates = ExchangeRate.objects.order_by("-year", "currency")
    if filters.currency:
        rates = rates.filter(currency=filters.currency.upper())
    if filters.year is not None:
        rates = rates.filter(year=filters.year)
    return paginate(rates, filters, rate_out)


@router.post(
    "/funding/exchange-rates",
    response={201: RateOut, **WRITE},
    url_name="funding_rate_create",
    summary="Add an exchange rate",
)
def rate_create(request, payload: RateIn):
    """One rate per currency and year (those who manage funding)."""
    access.require_funding_manager(request.auth)
    form = ExchangeRateForm(
        data=_form_data(input_changes(payload, partial=False)), base_currency=base_currency()
    )
    return Status(201, rate_out(_save_rate(form)))


@router.get(
    "/funding/exchange-rates/{public_id}",
    response={200: RateOut, **READ},
    url_name="funding_rate_detail",
    summary="Get an exchange rate",
)
def rate_detail(request, public_id: str):
    return rate_out(access.get_exchange_rate_for_user(request.auth, public_id))


@router.patch(
    "/funding/exchange-rates/{public_id}",
    response={200: RateOut, **WRITE},
    url_name="funding_rate_patch",
    summary="Change an exchange rate",
)
def rate_patch(request, public_id: str, payload: RateIn):
    rate = access.get_exchange_rate_for_user(request.auth, public_id, write=True)
    changes = input_changes(payload, partial=True)
    if not changes:
        return rate_out(rate)
    data = {"currency": rate.currency, "year": rate.year, "rate": str(rate.rate), **changes}
    form = ExchangeRateForm(data=_form_data(data), instance=rate, base_currency=base_currency())
    return rate_out(_save_rate(form))


# Funding requirements ------------------------------------------------------------------------


class FundingChallengeRefOut(Schema):
    public_id: uuid.UUID
    reference: str


class RequirementOut(Schema):
    public_id: uuid.UUID
    year: int
    amount: Decimal
    currency: str
    component: str = Field(description="Empty: all components.")
    region: FundingRegionRefOut | None = Field(description="Null: national.")
    description: str
    source: Source
    challenges: list[FundingChallengeRefOut] = Field(
        description="The challenges addressed you may see."
    )


class RequirementPageOut(PageOut):
    results: list[RequirementOut]


class RequirementFilters(PageParams):
    year: int | None = None
    component: str | None = choice(Component.choices)
    source: str | None = choice(Source.choices)


class RequirementIn(Schema):
    model_config = {
        "extra": "forbid",
        "json_schema_extra": input_schema_extra(["year", "amount", "currency"]),
    }

    year: int | None = None
    amount: str | None = text(AMOUNT)
    currency: str | None = text("ISO 4217 code, such as USD.")
    component: str | None = choice(Component.choices, "Empty or null: all components.")
    region: str | None = text("The code of a province or district; null: national.")
    description: str | None = text()
    challenges: list[str] | None = Field(
        None,
        description="Public ids of the challenges the requirement addresses.",
        json_schema_extra={"items": {"type": "string", "format": "uuid"}},
    )


def requirement_out(requirement, visible_ids):
    return {
        "public_id": requirement.public_id,
        "year": requirement.year,
        "amount": requirement.amount,
        "currency": requirement.currency,
        "component": requirement.component,
        "region": region_ref(requirement.region),
        "description": requirement.description,
        "source": requirement.source,
        "challenges": [
            {"public_id": challenge.public_id, "reference": challenge.reference}
            for challenge in requirement.challenges.all()
            if challenge.pk in visible_ids
        ],
    }


def _visible_challenge_ids(user):
    return set(access.visible_challenges(user).values_list("pk", flat=True))


def _requirement_detail(user, requirement):
    requirement = (
        FundingRequirement.objects.select_related("region")
        .prefetch_related("challenges")
        .get(pk=requirement.pk)
    )
    return requirement_out(requirement, _visible_challenge_ids(user))


def _requirement_form(user, data, instance=None):
    form = RequirementForm(
        data=_form_data(data), instance=instance, user=user, base_currency=base_currency()
    )
    _by_code(form)
    _by_public_id(form, "challenges")
    return form


def _save_requirement(form):
    _validated(form)
    try:
        return records.requirement_save(
            requirement=form.requirement(), challenges=form.challenges()
        )
    except ValidationError as error:
        raise Problem(422, errors=error.message_dict) from None


@router.get(
    "/funding/requirements",
    response={200: RequirementPageOut, **LIST},
    url_name="funding_requirement_list",
    summary="List funding requirements",
)
def requirement_list(request, filters: Query[RequirementFilters]):
    access.require_reader(request.auth)
    requirements = (
        FundingRequirement.objects.select_related("region")
        .prefetch_related("challenges")
        .order_by("year", "component", "id")
    )
    if filters.year is not None:
        requirements = requirements.filter(year=filters.year)
    if filters.component is not None:
        requirements = requirements.filter(component=filters.component)
    if filters.source:
        requirements = requirements.filter(source=filters.source)
    visible = _visible_challenge_ids(request.auth)
    return paginate(requirements, filters, lambda r: requirement_out(r, visible))


@router.post(
    "/funding/requirements",
    response={201: RequirementOut, **WRITE},
    url_name="funding_requirement_create",
    summary="Add a funding requirement",
)
def requirement_create(request, payload: RequirementIn):
    access.require_funding_manager(request.auth)
    data = input_changes(payload, partial=False)
    data["challenges"] = data.get("challenges") or []
    requirement = _save_requirement(_requirement_form(request.auth, data))
    return Status(201, _requirement_detail(request.auth, requirement))


class FundingConfirmIn(Schema):
    model_config = {"extra": "forbid", "json_schema_extra": input_schema_extra(["confirm"])}

    confirm: bool | None = Field(None, description="true: replace them.")


class WorkPlanChangeOut(Schema):
    year: int
    currency: str
    component: str
    before: Decimal | None
    after: Decimal | None


class WorkPlanChangesOut(Schema):
    added: list[WorkPlanChangeOut]
    changed: list[WorkPlanChangeOut]
    removed: list[WorkPlanChangeOut]
    unchanged: int


def _changes_out(changes):
    def rows(entries):
        return [
            {"year": y, "currency": c, "component": comp, "before": b, "after": a}
            for y, c, comp, b, a in entries
        ]

    return {
        "added": rows(changes.added),
        "changed": rows(changes.changed),
        "removed": rows(changes.removed),
        "unchanged": changes.unchanged,
    }


@router.post(
    "/funding/requirements/from-work-plans",
    response={200: WorkPlanChangesOut, **WRITE},
    url_name="funding_requirement_from_work_plans",
    summary="Take the requirements from the work plans",
)
def requirement_from_work_plans(request, payload: FundingConfirmIn):
    """Replace the requirements taken from the work plans by the work plans' planned budget
    per year, currency and component, and say what changed. Send `{"confirm": true}`."""
    access.require_funding_manager(request.auth)
    if payload.confirm is not True:
        raise Problem(
            422,
            errors={
                "confirm": [
                    _("Send confirm: true to replace the requirements taken from the work plans.")
                ]
            },
        )
    return _changes_out(records.requirements_from_work_plans())


@router.get(
    "/funding/requirements/{public_id}",
    response={200: RequirementOut, **READ},
    url_name="funding_requirement_detail",
    summary="Get a funding requirement",
)
def requirement_detail(request, public_id: str):
    requirement = access.get_funding_requirement_for_user(request.auth, public_id)
    return _requirement_detail(request.auth, requirement)


@router.patch(
    "/funding/requirements/{public_id}",
    response={200: RequirementOut, **WRITE},
    url_name="funding_requirement_patch",
    summary="Change a funding requirement",
)
def requirement_patch(request, public_id: str, payload: RequirementIn):
    """Change the fields sent. A requirement taken from the work plans changes only its
    description and challenges."""
    requirement = access.get_funding_requirement_for_user(request.auth, public_id, write=True)
    changes = input_changes(payload, partial=True)
    if not changes:
        return _requirement_detail(request.auth, requirement)
    visible = access.visible_challenges(request.auth)
    data = {
        "year": requirement.year,
        "amount": str(requirement.amount),
        "currency": requirement.currency,
        "component": requirement.component,
        "region": requirement.region.code if requirement.region_id else None,
        "description": requirement.description,
        "challenges": [
            str(c.public_id) for c in requirement.challenges.filter(pk__in=visible.values("pk"))
        ],
        **changes,
    }
    data["challenges"] = data.get("challenges") or []
    _save_requirement(_requirement_form(request.auth, data, instance=requirement))
    return _requirement_detail(request.auth, requirement)


@router.delete(
    "/funding/requirements/{public_id}",
    response={204: None, **DELETE},
    url_name="funding_requirement_delete",
    summary="Delete a funding requirement",
)
def requirement_delete(request, public_id: str):
    """Refused (409) for a requirement taken from the work plans."""
    requirement = access.get_funding_requirement_for_user(request.auth, public_id, write=True)
    try:
        records.requirement_delete(requirement=requirement)
    except ValidationError as error:
        raise Problem(409, error.messages[0]) from None
    return Status(204, None)


# Pledges -------------------------------------------------------------------------------------


class FundingPartnershipRefOut(Schema):
    public_id: uuid.UUID
    title: str


class PledgeYearOut(Schema):
    year: int
    amount: Decimal


class PledgeOut(Schema):
    public_id: uuid.UUID
    donor: OrganisationRefOut
    recipient: OrganisationRefOut | None
    title: str
    amount: Decimal
    currency: str
    first_year: int
    last_year: int
    years: list[PledgeYearOut] = Field(description="The split: the parts add up to the amount.")
    amount_in_base: Decimal | None = Field(
        description="Each year's part at that year's rate; null when a year has no rate."
    )
    pledged_on: datetime.date
    status: PledgeStatus
    component: str = Field(description="Empty: not earmarked.")
    region: FundingRegionRefOut | None
    partnership: FundingPartnershipRefOut | None
    source: Source
    iati_identifier: str | None = Field(description="The IATI activity of an imported pledge.")


class PledgePageOut(PageOut):
    results: list[PledgeOut]


class PledgeFilters(PageParams):
    donor: str | None = public_id_field("Public id of the donor.")
    status: str | None = choice(PledgeStatus.choices)
    year: int | None = Field(None, description="Pledges with a part in this year.")
    component: str | None = Field(None, json_schema_extra={"enum": [*Component.values, "none"]})
    currency: str | None = None
    source: str | None = choice(Source.choices)


class PledgeYearIn(Schema):
    year: int
    amount: str = Field(description=AMOUNT)


class PledgeIn(Schema):
    model_config = {
        "extra": "forbid",
        "json_schema_extra": input_schema_extra(
            ["title", "amount", "currency", "first_year", "last_year", "pledged_on", "status"]
        ),
    }

    donor: str | None = public_id_field(
        "Public id of the donor (those who manage funding); others record their own."
    )
    title: str | None = text()
    recipient: str | None = public_id_field()
    amount: str | None = text(AMOUNT)
    currency: str | None = text("ISO 4217 code, such as EUR.")
    first_year: int | None = None
    last_year: int | None = None
    years: list[PledgeYearIn] | None = Field(
        None,
        description="An explicit split over the years, adding up to the amount; empty or "
        "null: equal parts in cents.",
    )
    pledged_on: str | None = Field(None, json_schema_extra={"format": "date"})
    status: str | None = choice(PledgeStatus.choices)
    component: str | None = choice(Component.choices, "Empty or null: not earmarked.")
    region: str | None = text("The code of a province or district; null: not earmarked.")
    partnership: str | None = public_id_field()


def pledge_out(pledge, rates):
    return {
        "public_id": pledge.public_id,
        "donor": organisation_ref(pledge.donor),
        "recipient": organisation_ref(pledge.recipient) if pledge.recipient_id else None,
        "title": pledge.title,
        "amount": pledge.amount,
        "currency": pledge.currency,
        "first_year": pledge.first_year,
        "last_year": pledge.last_year,
        "years": [{"year": part.year, "amount": part.amount} for part in pledge.years.all()],
        "amount_in_base": records.pledge_in_base(pledge, rates=rates),
        "pledged_on": pledge.pledged_on,
        "status": pledge.status,
        "component": pledge.component,
        "region": region_ref(pledge.region),
        "partnership": (
            {"public_id": pledge.partnership.public_id, "title": pledge.partnership.title}
            if pledge.partnership_id
            else None
        ),
        "source": pledge.source,
        "iati_identifier": pledge.iati_activity.iati_identifier
        if pledge.iati_activity_id
        else None,
    }


def _pledges():
    return Pledge.objects.select_related(
        "donor", "recipient", "region", "partnership", "iati_activity"
    ).prefetch_related("years")


def _pledge_detail(pledge):
    return pledge_out(_pledges().get(pk=pledge.pk), load_rates())


def _fixed_donor(user, data):
    """Non-managers record for their own organisation; naming another is refused."""
    if access.can_manage_funding(user):
        return None
    donor = Organisation.objects.get(pk=access.own_organisation_id(user))
    if data.get("donor") and data["donor"] != str(donor.public_id):
        raise Problem(
            422, errors={"donor": [_("You record pledges for your own organisation only.")]}
        )
    return donor


def _years(values):
    if not values:
        return None
    split = {}
    for part in values:
        year, amount = (part["year"], part["amount"]) if isinstance(part, dict) else part
        if year in split:
            raise Problem(422, errors={"years": [_("%(year)s is given twice.") % {"year": year}]})
        split[year] = amount
    return split


def _pledge_form(user, data, years, instance=None):
    form = PledgeForm(
        data=_form_data({k: v for k, v in data.items() if k != "years"}),
        instance=instance,
        donor=_fixed_donor(user, data),
        years=years or {},
        base_currency=base_currency(),
    )
    _by_public_id(form, "donor", "recipient", "partnership")
    _by_code(form)
    return form


def _pledge_errors(errors):
    """The form's errors in the API's names: the split is `years` here."""
    return {("years" if name == "split" else name): messages for name, messages in errors.items()}


def _save_pledge(form):
    if not form.is_valid():
        raise Problem(422, errors=_pledge_errors(form_errors(form)))
    try:
        return pledge_save(pledge=form.instance, years=form.years())
    except ValidationError as error:
        raise Problem(422, errors=_pledge_errors(error.message_dict)) from None


@router.get(
    "/funding/pledges",
    response={200: PledgePageOut, **LIST},
    url_name="funding_pledge_list",
    summary="List pledges",
)
def pledge_list(request, filters: Query[PledgeFilters]):
    """Pledges with their split and their amount in the base currency, latest years first."""
    access.require_reader(request.auth)
    form = _filter_form(PledgeFilterForm, filters)
    rates = load_rates()
    return paginate(form.filter(_pledges()), filters, lambda p: pledge_out(p, rates))


@router.post(
    "/funding/pledges",
    response={201: PledgeOut, **WRITE},
    url_name="funding_pledge_create",
    summary="Record a pledge",
)
def pledge_create(request, payload: PledgeIn):
    """Those who manage funding record any donor's pledge; whoever speaks for an
    organisation records its own."""
    access.require_reader(request.auth)
    if not access.can_record_pledges(request.auth):
        raise Problem(403, _("Observers read the pledges; donors and the secretariat record them."))
    data = input_changes(payload, partial=False)
    pledge = _save_pledge(_pledge_form(request.auth, data, _years(data.get("years"))))
    return Status(201, _pledge_detail(pledge))


@router.get(
    "/funding/pledges/{public_id}",
    response={200: PledgeOut, **READ},
    url_name="funding_pledge_detail",
    summary="Get a pledge",
)
def pledge_detail(request, public_id: str):
    return _pledge_detail(access.get_pledge_for_user(request.auth, public_id))


@router.patch(
    "/funding/pledges/{public_id}",
    response={200: PledgeOut, **WRITE},
    url_name="funding_pledge_patch",
    summary="Change a pledge",
)
def pledge_patch(request, public_id: str, payload: PledgeIn):
    """Change the fields sent. Without `years`, an explicit split is kept (it must still add
    up); `years: []` returns to the equal split. An imported pledge keeps the import's
    figures."""
    pledge = access.get_pledge_for_user(request.auth, public_id, write=True)
    changes = input_changes(payload, partial=True)
    if not changes:
        return _pledge_detail(pledge)
    data = {
        "donor": str(pledge.donor.public_id),
        "title": pledge.title,
        "recipient": str(pledge.recipient.public_id) if pledge.recipient_id else None,
        "amount": str(pledge.amount),
        "currency": pledge.currency,
        "first_year": pledge.first_year,
        "last_year": pledge.last_year,
        "pledged_on": pledge.pledged_on.isoformat(),
        "status": pledge.status,
        "component": pledge.component,
        "region": pledge.region.code if pledge.region_id else None,
        "partnership": str(pledge.partnership.public_id) if pledge.partnership_id else None,
        **changes,
    }
    if "years" in changes:
        years = _years(changes["years"])
    else:
        years = {p.year: p.amount for p in pledge.years.all()} if split_text(pledge) else None
    _save_pledge(_pledge_form(request.auth, data, years, instance=pledge))
    return _pledge_detail(pledge)


@router.delete(
    "/funding/pledges/{public_id}",
    response={204: None, **DELETE},
    url_name="funding_pledge_delete",
    summary="Delete a pledge",
)
def pledge_delete(request, public_id: str):
    """Delete a pledge with its split and disbursements. Refused (409) for a pledge from an
    IATI import: import the activity again instead."""
    pledge = access.get_pledge_for_user(request.auth, public_id, write=True)
    try:
        records.pledge_delete(pledge=pledge)
    except ValidationError as error:
        raise Problem(409, error.messages[0]) from None
    return Status(204, None)


# Disbursements -------------------------------------------------------------------------------


class DisbursementOut(Schema):
    public_id: uuid.UUID
    pledge: uuid.UUID | None
    donor: OrganisationRefOut
    recipient: OrganisationRefOut | None
    disbursed_on: datetime.date
    amount: Decimal
    currency: str
    component: str
    region: FundingRegionRefOut | None
    source: Source


class DisbursementSavedOut(DisbursementOut):
    warning: str | None = Field(
        description="Set when the pledge's disbursements now add up to more than the pledge "
        "(recorded all the same: exchange and timing differences happen)."
    )


class DisbursementPageOut(PageOut):
    results: list[DisbursementOut]


class DisbursementFilters(PageParams):
    donor: str | None = public_id_field("Public id of the donor.")
    year: int | None = None
    currency: str | None = None
    source: str | None = choice(Source.choices)


class DisbursementIn(Schema):
    model_config = {
        "extra": "forbid",
        "json_schema_extra": input_schema_extra(["disbursed_on", "amount", "currency"]),
    }

    pledge: str | None = public_id_field(
        "Public id of the pledge disbursed (when creating); its donor disburses."
    )
    donor: str | None = public_id_field("Without a pledge: the donor (those who manage funding).")
    disbursed_on: str | None = Field(None, json_schema_extra={"format": "date"})
    amount: str | None = text(AMOUNT)
    currency: str | None = text("ISO 4217 code, such as EUR.")
    recipient: str | None = public_id_field()
    component: str | None = choice(Component.choices, "Empty or null: as the pledge.")
    region: str | None = text("The code of a province or district; null: as the pledge.")


def disbursement_out(disbursement):
    return {
        "public_id": disbursement.public_id,
        "pledge": disbursement.pledge.public_id if disbursement.pledge_id else None,
        "donor": organisation_ref(disbursement.donor),
        "recipient": (
            organisation_ref(disbursement.recipient) if disbursement.recipient_id else None
        ),
        "disbursed_on": disbursement.disbursed_on,
        "amount": disbursement.amount,
        "currency": disbursement.currency,
        "component": disbursement.component,
        "region": region_ref(disbursement.region),
        "source": disbursement.source,
    }


def _disbursements():
    return Disbursement.objects.select_related("pledge", "donor", "recipient", "region")


def _saved_out(disbursement, overrun):
    return {
        **disbursement_out(_disbursements().get(pk=disbursement.pk)),
        "warning": overrun.message() if overrun is not None else None,
    }


def _disbursement_form(data, *, pledge=None, donor=None, instance=None):
    form = DisbursementForm(
        data=_form_data(data),
        pledge=pledge,
        donor=donor,
        instance=instance,
        base_currency=base_currency(),
    )
    _by_public_id(form, "donor", "recipient")
    _by_code(form)
    return form


def _save_disbursement(form):
    _validated(form)
    try:
        return records.disbursement_save(disbursement=form.instance)
    except ValidationError as error:
        raise Problem(422, errors=error.message_dict) from None


@router.get(
    "/funding/disbursements",
    response={200: DisbursementPageOut, **LIST},
    url_name="funding_disbursement_list",
    summary="List disbursements",
)
def disbursement_list(request, filters: Query[DisbursementFilters]):
    access.require_reader(request.auth)
    form = _filter_form(DisbursementFilterForm, filters)
    return paginate(form.filter(_disbursements()), filters, disbursement_out)


@router.post(
    "/funding/disbursements",
    response={201: DisbursementSavedOut, **WRITE},
    url_name="funding_disbursement_create",
    summary="Record a disbursement",
)
def disbursement_create(request, payload: DisbursementIn):
    """A disbursement of a pledge (its donor's people or those who manage funding), or one
    without a pledge."""
    data = input_changes(payload, partial=False)
    pledge_id = data.pop("pledge", None)
    if pledge_id:
        pledge = access.get_pledge_for_user(request.auth, pledge_id, write=True)
        donor = None
    else:
        access.require_reader(request.auth)
        if not access.can_record_pledges(request.auth):
            raise Problem(403)
        pledge, donor = None, _fixed_donor(request.auth, data)
    form = _disbursement_form(data, pledge=pledge, donor=donor)
    disbursement, overrun = _save_disbursement(form)
    return Status(201, _saved_out(disbursement, overrun))


@router.get(
    "/funding/disbursements/{public_id}",
    response={200: DisbursementOut, **READ},
    url_name="funding_disbursement_detail",
    summary="Get a disbursement",
)
def disbursement_detail(request, public_id: str):
    disbursement = access.get_disbursement_for_user(request.auth, public_id)
    return disbursement_out(_disbursements().get(pk=disbursement.pk))


@router.patch(
    "/funding/disbursements/{public_id}",
    response={200: DisbursementSavedOut, **WRITE},
    url_name="funding_disbursement_patch",
    summary="Change a disbursement",
)
def disbursement_patch(request, public_id: str, payload: DisbursementIn):
    """Change the fields sent; the pledge and donor stay."""
    disbursement = access.get_disbursement_for_user(request.auth, public_id, write=True)
    changes = input_changes(payload, partial=True)
    if "pledge" in changes or "donor" in changes:
        raise Problem(
            422,
            errors={
                name: [_("The pledge and donor of a disbursement do not change.")]
                for name in ("pledge", "donor")
                if name in changes
            },
        )
    if not changes:
        return _saved_out(disbursement, None)
    data = {
        "disbursed_on": disbursement.disbursed_on.isoformat(),
        "amount": str(disbursement.amount),
        "currency": disbursement.currency,
        "recipient": str(disbursement.recipient.public_id) if disbursement.recipient_id else None,
        "component": disbursement.component,
        "region": disbursement.region.code if disbursement.region_id else None,
        **changes,
    }
    form = _disbursement_form(data, donor=disbursement.donor, instance=disbursement)
    saved, overrun = _save_disbursement(form)
    return _saved_out(saved, overrun)


@router.delete(
    "/funding/disbursements/{public_id}",
    response={204: None, **DELETE},
    url_name="funding_disbursement_delete",
    summary="Delete a disbursement",
)
def disbursement_delete(request, public_id: str):
    """Refused (409) for a disbursement from an IATI import."""
    disbursement = access.get_disbursement_for_user(request.auth, public_id, write=True)
    try:
        records.disbursement_delete(disbursement=disbursement)
    except ValidationError as error:
        raise Problem(409, error.messages[0]) from None
    return Status(204, None)
