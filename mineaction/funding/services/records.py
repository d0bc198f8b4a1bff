"""Changes to the funding records: exchange rates, requirements (entered or from the work
plans), pledges and disbursements; and the reads their pages share (totals of a list of
pledges, what a pledge's disbursements add up to).

Every change is checked before anything is written, so that a refused change leaves the records
as they were; the pages, the API and the demo data call these functions.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mineaction.core.choices import Component
from mineaction.funding.models import (
    Disbursement,
    ExchangeRate,
    FundingRequirement,
    Pledge,
    PledgeStatus,
    PledgeYear,
    Source,
)
from mineaction.funding.services.money import (
    ZERO,
    Rates,
    base_currency,
    cents,
    format_amount,
    load_rates,
    to_base,
    year_problem,
)

RATE_PLACES = Decimal("0.00000001")  # as the rate is stored
COMMITTED_STATUSES = (PledgeStatus.COMMITTED, PledgeStatus.DISBURSED)


def _add(errors, name, message):
    errors.setdefault(name, []).append(message)


def _model_errors(record, exclude=()):
    try:
        record.full_clean(exclude=list(exclude), validate_constraints=False)
    except ValidationError as error:
        return {name: list(messages) for name, messages in error.message_dict.items()}
    return {}


# Exchange rates ------------------------------------------------------------------------------


def rate_problems(*, currency, year, rate, instance=None, base=None):
    """Messages per field for an exchange rate; empty when it is acceptable."""
    errors = {}
    currency = (currency or "").upper()
    base = base or base_currency()
    if currency and currency == base:
        _add(
            errors,
            "currency",
            _("%(currency)s is the base currency: it counts at 1 and needs no rate.")
            % {"currency": base},
        )
    if (message := year_problem(year)) is not None:
        _add(errors, "year", message)
    if rate is not None and rate <= 0:
        _add(errors, "rate", _("The rate must be more than zero."))
    if currency and year is not None and "currency" not in errors:
        others = ExchangeRate.objects.filter(currency=currency, year=year)
        if instance is not None and instance.pk:
            others = others.exclude(pk=instance.pk)
        if others.exists():
            _add(
                errors,
                "year",
                _("There is already a rate for %(currency)s in %(year)s: edit that one instead.")
                % {"currency": currency, "year": year},
            )
    return errors


@transaction.atomic
def rate_save(*, rate: ExchangeRate) -> ExchangeRate:
    """Save an exchange rate: not for the base currency, more than zero, one per currency and
    year."""
    rate.currency = (rate.currency or "").upper()
    errors = _model_errors(rate)
    for name, messages in rate_problems(
        currency=rate.currency, year=rate.year, rate=rate.rate, instance=rate
    ).items():
        for message in messages:
            if message not in errors.get(name, []):
                _add(errors, name, message)
    if errors:
        raise ValidationError(errors)
    rate.rate = rate.rate.quantize(RATE_PLACES)
    rate.save()
    return rate


def missing_rates(*, rates: Rates | None = None):
    """[(currency, year)] that funding records use but that have no rate, sorted."""
    rates = rates if rates is not None else load_rates()
    used = set()
    used.update(FundingRequirement.objects.values_list("currency", "year").distinct())
    used.update(PledgeYear.objects.values_list("pledge__currency", "year").distinct())
    used.update(
        (currency, on.year)
        for currency, on in Disbursement.objects.values_list("currency", "disbursed_on")
    )
    return sorted((currency, year) for currency, year in used if rates.rate(currency, year) is None)


# Funding requirements ------------------------------------------------------------------------


def requirement_problems(*, year, amount, currency):
    errors = {}
    if (message := year_problem(year)) is not None:
        _add(errors, "year", message)
    if amount is not None and amount <= 0:
        _add(errors, "amount", _("The amount must be more than zero."))
    if currency is not None and len(currency) != 3:
        _add(errors, "currency", _("Enter a three-letter ISO 4217 currency code."))
    return errors


@transaction.atomic
def requirement_save(*, requirement: FundingRequirement, challenges=None) -> FundingRequirement:
    """Save a funding requirement and the challenges it addresses (when given)."""
    requirement.currency = (requirement.currency or "").upper()
    errors = _model_errors(requirement)
    for name, messages in requirement_problems(
        year=requirement.year, amount=requirement.amount, currency=requirement.currency
    ).items():
        for message in messages:
            if message not in errors.get(name, []):
                _add(errors, name, message)
    if errors:
        raise ValidationError(errors)
    requirement.save()
    if challenges is not None:
        requirement.challenges.set(challenges)
    return requirement


def work_plan_refusal():
    return _(
        "This requirement is taken from the work plans' budgets: change the budgets of the "
        "activities, then take the requirements from the work plans again."
    )


@transaction.atomic
def requirement_delete(*, requirement: FundingRequirement) -> None:
    if requirement.source == Source.WORK_PLAN:
        raise ValidationError(work_plan_refusal())
    requirement.delete()


@dataclass
class WorkPlanChanges:
    """What taking the requirements from the work plans changes: rows (year, currency,
    component, old amount, new amount)."""

    added: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    unchanged: int = 0

    @property
    def any(self):
        return bool(self.added or self.changed or self.removed)


def _planned_budget():
    # The work plans are a lower floor's public service; read only when asked.
    from mineaction.workplans.services.budget import planned_budget_by_year

    return {
        (row["year"], row["currency"], row["component"] or ""): cents(row["amount"])
        for row in planned_budget_by_year()
        if row["amount"]
    }


def work_plan_changes(planned=None) -> tuple[WorkPlanChanges, dict]:
    """What `requirements_from_work_plans` would change, without changing it."""
    planned = _planned_budget() if planned is None else planned
    existing = {
        (row.year, row.currency, row.component): row
        for row in FundingRequirement.objects.filter(source=Source.WORK_PLAN).order_by("id")
    }
    changes = WorkPlanChanges()
    for key, amount in sorted(planned.items()):
        row = existing.get(key)
        if row is None:
            changes.added.append((*key, None, amount))
        elif row.amount != amount:
            changes.changed.append((*key, row.amount, amount))
        else:
            changes.unchanged += 1
    for key, row in sorted(existing.items()):
        if key not in planned:
            changes.removed.append((*key, row.amount, None))
    return changes, existing


@transaction.atomic
def requirements_from_work_plans() -> WorkPlanChanges:
    """Replace the requirements taken from the work plans by the work plans' planned budget
    per year, currency and component. Rows that stay keep their description and challenges."""
    planned = _planned_budget()
    changes, existing = work_plan_changes(planned)
    for year, currency, component, _old, amount in changes.added:
        FundingRequirement.objects.create(
            year=year,
            currency=currency,
            component=component,
            amount=amount,
            source=Source.WORK_PLAN,
            description=_("Planned budget of the work plans"),
        )
    for year, currency, component, _old, amount in changes.changed:
        row = existing[(year, currency, component)]
        row.amount = amount
        row.save()
    for year, currency, component, _old, _new in changes.removed:
        existing[(year, currency, component)].delete()
    return changes


def requirement_totals(requirements, *, rates: Rates):
    """{year: (total in the base currency, [(currency, amount) left unconverted])}."""
    totals = defaultdict(lambda: [ZERO, defaultdict(Decimal)])
    for requirement in requirements:
        converted = to_base(requirement.amount, requirement.currency, requirement.year, rates=rates)
        entry = totals[requirement.year]
        if converted is None:
            entry[1][requirement.currency] += requirement.amount
        else:
            entry[0] += converted
    return {
        year: (total, sorted(unconverted.items())) for year, (total, unconverted) in totals.items()
    }


# Pledges -------------------------------------------------------------------------------------


def iati_pledge_refusal():
    return _(
        "This pledge comes from an IATI import: it cannot be deleted here. Import the "
        "activity's file again to update it."
    )


@transaction.atomic
def pledge_delete(*, pledge: Pledge) -> None:
    """Delete an entered pledge with its yearly parts and disbursements."""
    if pledge.source == Source.IATI:
        raise ValidationError(iati_pledge_refusal())
    pledge.delete()


@dataclass
class PledgeTotals:
    """Totals of a list of pledges in the base currency, with what had no rate."""

    base_currency: str
    pledged: Decimal = ZERO
    committed: Decimal = ZERO
    count: int = 0
    unconverted: list = field(default_factory=list)  # [(currency, year, amount)]


def pledge_totals(pledges, *, rates: Rates, year=None) -> PledgeTotals:
    """The yearly parts of `pledges` (a queryset; only `year`'s when given) converted with each
    year's rate, in two queries whatever the number of pledges."""
    parts = PledgeYear.objects.filter(pledge__in=pledges.order_by().values("pk"))
    if year is not None:
        parts = parts.filter(year=year)
    totals = PledgeTotals(base_currency=rates.base, count=pledges.count())
    unconverted = defaultdict(Decimal)
    for currency, part_year, amount, status in parts.values_list(
        "pledge__currency", "year", "amount", "pledge__status"
    ):
        converted = to_base(amount, currency, part_year, rates=rates)
        if converted is None:
            unconverted[(currency, part_year)] += amount
            continue
        totals.pledged += converted
        if status in COMMITTED_STATUSES:
            totals.committed += converted
    totals.unconverted = [
        (currency, part_year, amount)
        for (currency, part_year), amount in sorted(unconverted.items())
    ]
    return totals


def pledge_in_base(pledge: Pledge, *, rates: Rates) -> Decimal | None:
    """The pledge in the base currency (each year's part at that year's rate), or None when a
    year has no rate. Reads the prefetched parts."""
    total = ZERO
    for part in pledge.years.all():
        converted = to_base(part.amount, pledge.currency, part.year, rates=rates)
        if converted is None:
            return None
        total += converted
    return total


@dataclass
class Overrun:
    """How far a pledge's disbursements go beyond its amount."""

    currency: str
    disbursed: Decimal
    pledged: Decimal

    @property
    def excess(self):
        return self.disbursed - self.pledged

    def message(self):
        return _(
            "The disbursements of this pledge add up to %(disbursed)s %(currency)s, "
            "%(excess)s more than the pledge (%(pledged)s). This is allowed, since exchange "
            "and timing differences happen, but check the amounts."
        ) % {
            "disbursed": format_amount(self.disbursed),
            "currency": self.currency,
            "excess": format_amount(self.excess),
            "pledged": format_amount(self.pledged),
        }


def pledge_overrun(pledge: Pledge, *, rates: Rates | None = None) -> Overrun | None:
    """The overrun when the pledge's disbursements add up to more than its amount: compared in
    the pledge's currency when they are all in it, else in the base currency (not compared
    when a rate is missing)."""
    disbursements = list(pledge.disbursements.values_list("amount", "currency", "disbursed_on"))
    if all(currency == pledge.currency for _a, currency, _d in disbursements):
        disbursed = sum((amount for amount, _c, _d in disbursements), ZERO)
        if disbursed > pledge.amount:
            return Overrun(pledge.currency, disbursed, pledge.amount)
        return None
    rates = rates if rates is not None else load_rates()
    converted = [to_base(a, c, d.year, rates=rates) for a, c, d in disbursements]
    pledged = [
        to_base(part.amount, pledge.currency, part.year, rates=rates) for part in pledge.years.all()
    ]
    if None in converted or None in pledged:
        return None
    disbursed, pledged_total = sum(converted, ZERO), sum(pledged, ZERO)
    if disbursed > pledged_total:
        return Overrun(rates.base, disbursed, pledged_total)
    return None


# Disbursements -------------------------------------------------------------------------------


def iati_disbursement_refusal():
    return _(
        "This disbursement comes from an IATI import: it cannot be deleted here. Import the "
        "activity's file again to update it."
    )


def disbursement_problems(*, disbursement: Disbursement):
    errors = {}
    pledge = disbursement.pledge
    if pledge is not None and disbursement.donor_id not in (None, pledge.donor_id):
        _add(errors, "donor", _("A disbursement of a pledge comes from the pledge's donor."))
    # IATI publishers correct earlier disbursements with negative ones; people enter money paid.
    amount = disbursement.amount
    if amount is not None and amount <= 0 and disbursement.source != Source.IATI:
        _add(errors, "amount", _("The amount must be more than zero."))
    on = disbursement.disbursed_on
    if on is not None and (message := year_problem(on.year)) is not None:
        _add(errors, "disbursed_on", message)
    return errors


@transaction.atomic
def disbursement_save(*, disbursement: Disbursement) -> tuple[Disbursement, Overrun | None]:
    """Save a disbursement (of a pledge: from its donor, earmarked like it unless said
    otherwise). Returns it with the pledge's overrun when its disbursements now add up to more
    than the pledge: a warning, not a refusal."""
    pledge = disbursement.pledge
    disbursement.currency = (disbursement.currency or "").upper()
    if pledge is not None:
        if disbursement.donor_id is None:
            disbursement.donor = pledge.donor
        disbursement.component = disbursement.component or pledge.component
        if disbursement.region_id is None:
            disbursement.region = pledge.region
    errors = _model_errors(disbursement)
    for name, messages in disbursement_problems(disbursement=disbursement).items():
        for message in messages:
            _add(errors, name, message)
    if errors:
        raise ValidationError(errors)
    disbursement.save()
    return disbursement, (pledge_overrun(pledge) if pledge is not None else None)


@transaction.atomic
def disbursement_delete(*, disbursement: Disbursement) -> None:
    if disbursement.source == Source.IATI:
        raise ValidationError(iati_disbursement_refusal())
    disbursement.delete()


def component_label(value):
    return Component(value).label if value in Component.values else value
