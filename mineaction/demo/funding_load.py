"""Loading, wiping and counting the demo's resource mobilisation (the facts of
`funding_data.py`) and, through `partnership_load.py`, its partnerships.

Everything goes in through the funding services (`rate_save`, `requirement_save`,
`requirements_from_work_plans`, `pledge_save`, `disbursement_save`), so the checks, the yearly
split of each pledge and the conversions are those the platform applies to its users' records.

What the programme needs is sized from the Article 5 data already loaded: the revised
milestones of each province at a cost per m² released, less what the work plans already budget
for land release (their budgets become requirements of their own), plus the needs of the other
components. The pledges are then sized as shares of that need, so the gap tells the same story
whatever the day of loading.

Exchange rates and requirements are matched on their natural keys and put back when a tester
changed them; a pledge (by donor and title) already there is left as it is, with its
disbursements. `load_demo --reset` rebuilds everything. Every random draw comes from
`random.Random(SEED)` in a fixed order, whatever is already in the database.
"""

import datetime
import random
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.db import transaction

from mineaction.challenges.models import Challenge
from mineaction.core.choices import Component
from mineaction.core.models import CountryProfile
from mineaction.demo import challenge_data, data
from mineaction.demo import funding_data as fd
from mineaction.demo.article5_data import deadline_in_force
from mineaction.demo.partnership_load import (
    load_partnerships,
    partnership_counts,
    wipe_partnerships,
)
from mineaction.funding.models import (
    Disbursement,
    ExchangeRate,
    FundingRequirement,
    Pledge,
    PledgeStatus,
    Source,
)
from mineaction.funding.services.gap import funding_gap
from mineaction.funding.services.money import (
    CENT,
    load_rates,
    pledge_save,
    split_over_years,
    to_base,
)
from mineaction.funding.services.records import (
    disbursement_save,
    rate_save,
    requirement_save,
    requirements_from_work_plans,
)
from mineaction.landrelease.models import AdminArea, Article5Milestone
from mineaction.stakeholders.models import Organisation
from mineaction.workplans.models import Activity
from mineaction.workplans.services.budget import planned_budget_by_year

SEED = data.SEED + fd.SEED_OFFSET
THOUSAND = Decimal("1000")

# What a reset deletes, leaves first, before the partnerships, organisations and admin areas
# these records point to.
WIPE_ORDER = [
    "funding.Disbursement",
    "funding.PledgeYear",
    "funding.Pledge",
    "funding.IatiBudget",
    "funding.IatiTransaction",
    "funding.IatiActivity",
    "funding.IatiImport",
    "funding.FundingRequirement",
    "funding.ExchangeRate",
]


class Years:
    """The funding years of one day of loading: from a few years back to the year after the
    Article 5 deadline (at least next year)."""

    def __init__(self, today):
        self.today = today
        self.this = today.year
        self.deadline = deadline_in_force()
        self.first = self.this + fd.FIRST_OFFSET
        self.last = max(self.deadline.year + 1, self.this + 1)

    def all(self):
        return range(self.first, self.last + 1)

    def clip(self, first_offset, last_offset):
        """The (first, last) years of the offsets within the funding years, or None."""
        first = max(self.this + first_offset, self.first)
        last = min(self.this + last_offset, self.last)
        return (first, last) if first <= last else None


@transaction.atomic
def load_funding(today, plan):
    """Load (or bring back) the demo's exchange rates, requirements, partnerships, pledges and
    disbursements. `plan`: the demo plan (for the lead donor rotation)."""
    years = Years(today)
    rng = random.Random(SEED)
    organisations = _organisations()
    rates = _load_rates(rng, years)
    _load_requirements(years, rates)
    requirement = {
        row["year"]: row["requirement"]
        for row in funding_gap(first_year=years.first, last_year=years.last, today=today)["years"]
    }
    planned = pledge_plan(rng, years, plan["rotation"], requirement, rates)
    partnerships = load_partnerships(
        today, {p["key"]: (p["amount"], p["currency"]) for p in planned}
    )
    _load_pledges(planned, organisations, partnerships)
    _load_unpledged(years, organisations)
    return funding_counts()


def funding_counts():
    """The headline counts the demo's summary shows."""
    return {
        **partnership_counts(),
        "exchange rates": ExchangeRate.objects.count(),
        "funding requirements": FundingRequirement.objects.count(),
        "pledges": Pledge.objects.count(),
        "disbursements": Disbursement.objects.count(),
    }


@transaction.atomic
def wipe_funding():
    """Delete every funding record and partnership, leaves first, so that no protected foreign
    key blocks a delete and no delete has to collect dependent records."""
    for label in WIPE_ORDER:
        apps.get_model(label).objects.all().delete()
    wipe_partnerships()


def _organisations():
    """Organisation by name and by acronym."""
    found = {}
    for organisation in Organisation.objects.all():
        found[organisation.name] = organisation
        if organisation.acronym:
            found.setdefault(organisation.acronym, organisation)
    return found


# Exchange rates ---------------------------------------------------------------------------


def rate_table(rng, years):
    """{(currency, year): US dollars per unit}: this year's figure of `USD_PER_UNIT`, drifting
    back in time, and this year's figure for the years ahead (a planning rate)."""
    table = {}
    for currency in sorted(fd.USD_PER_UNIT):
        rate = fd.USD_PER_UNIT[currency]
        table[(currency, years.this)] = rate
        for year in range(years.this - 1, years.first - 1, -1):
            if currency != "USD":
                rate = (rate * Decimal(str(1 + rng.gauss(0, fd.RATE_DRIFT)))).quantize(
                    fd.RATE_PLACES
                )
            table[(currency, year)] = rate
        for year in range(years.this + 1, years.last + 1):
            table[(currency, year)] = fd.USD_PER_UNIT[currency]
    return table


def _load_rates(rng, years):
    """Write the rates to the base currency; returns them as the money services read them."""
    base = CountryProfile.load().currency
    usd = rate_table(rng, years)
    existing = {(r.currency, r.year): r for r in ExchangeRate.objects.all()}
    for (currency, year), per_unit in sorted(usd.items()):
        if currency == base or (currency == fd.MISSING_RATE_CURRENCY and year == years.last):
            continue
        value = (per_unit / usd[(base, year)]).quantize(Decimal("0.00000001"))
        record = existing.get((currency, year))
        if record is None:
            rate_save(rate=ExchangeRate(currency=currency, year=year, rate=value))
        elif record.rate != value:
            record.rate = value
            rate_save(rate=record)
    return load_rates()


# Requirements -----------------------------------------------------------------------------


def _rounded(amount, step=THOUSAND):
    return (amount / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def _in_usd(amount, currency, year, rates):
    """An amount in US dollars, through the base currency."""
    in_base = to_base(amount, currency, year, rates=rates)
    usd_rate = rates.rate("USD", year)
    return None if in_base is None or usd_rate is None else in_base / usd_rate


def _work_plan_land_release(rates):
    """{year: US dollars} the work plans budget for the technical component (land release)."""
    if not Activity.objects.exists():
        return {}
    budget = defaultdict(Decimal)
    for row in planned_budget_by_year():
        if row["component"] == Component.TECHNICAL:
            budget[row["year"]] += _in_usd(row["amount"], row["currency"], row["year"], rates) or 0
    return budget


def requirement_rows(years, rates):
    """The entered requirements: [{"year", "component", "region" (code or None),
    "description", "amount" (US dollars), "challenges" (keys)}]."""
    provinces = dict(AdminArea.objects.filter(level=1).values_list("code", "name"))
    milestones = defaultdict(dict)
    for year, code, area in Article5Milestone.objects.filter(
        year__gte=years.first, year__lte=years.last
    ).values_list("year", "admin_area__code", "planned_area_m2"):
        milestones[year][code] = area
    work_plans = _work_plan_land_release(rates)
    rows = []
    for year in years.all():
        rows += _land_release_rows(year, milestones[year], provinces, work_plans.get(year, 0))
        if year == years.deadline.year:
            rows.append(
                _row(
                    year,
                    Component.TECHNICAL,
                    None,
                    "Completion: final survey of every district, the completion declaration "
                    "and the handover of the national database",
                    fd.COMPLETION_USD,
                    [],
                )
            )
        if year > years.deadline.year:
            rows.append(
                _row(
                    year,
                    Component.TECHNICAL,
                    None,
                    "Residual contamination: a national response capacity after completion",
                    fd.RESIDUAL_CAPACITY_USD,
                    fd.RESIDUAL_CHALLENGES,
                )
            )
        growth = (1 + fd.OTHER_NEEDS_GROWTH) ** (year - years.this)
        for component, region, description, amount, challenges in fd.OTHER_NEEDS:
            rows.append(
                _row(year, component, region, description, _rounded(amount * growth), challenges)
            )
    return rows


def _row(year, component, region, description, amount, challenges):
    return {
        "year": year,
        "component": component,
        "region": region,
        "description": description,
        "amount": amount,
        "challenges": challenges,
    }


def _land_release_rows(year, milestones, provinces, work_plans):
    """Per province when the year has provincial milestones (the revised plan), else national:
    the planned area at the cost per m², less the work plans' land-release budget (shared by
    area), which the work plans' own requirements cover."""
    regional = {code: area for code, area in milestones.items() if code is not None}
    planned = regional or {None: milestones.get(None, 0)}
    total_area = sum(planned.values())
    rows = []
    for code, area in sorted(planned.items(), key=lambda item: item[0] or ""):
        if not area:
            continue
        cost = Decimal(area) * fd.COST_PER_M2_USD - Decimal(work_plans) * area / total_area
        if cost <= 0:
            continue
        where = f"in {provinces[code]}" if code else "nationally"
        description = (
            f"Land release {where} to meet the milestone of the extension request "
            f"(USD {fd.COST_PER_M2_USD} per m² released), beyond the work plans' budgets"
        )
        rows.append(
            _row(
                year,
                Component.TECHNICAL,
                code,
                description,
                _rounded(cost),
                fd.PROVINCE_CHALLENGES.get(code, []),
            )
        )
    return rows


def _challenges(keys):
    titles = {c["key"]: c["title"] for c in challenge_data.CHALLENGES}
    wanted = [titles[key] for key in keys]
    return list(Challenge.objects.filter(title__in=wanted).order_by("number"))


def _load_requirements(years, rates):
    areas = {area.code: area for area in AdminArea.objects.filter(level=1)}
    existing = {
        (r.year, r.component, r.region_id, r.description): r
        for r in FundingRequirement.objects.filter(source=Source.ENTERED)
    }
    for row in requirement_rows(years, rates):
        region = areas[row["region"]] if row["region"] else None
        key = (row["year"], row["component"], region.pk if region else None, row["description"])
        record = existing.get(key)
        if record is not None and record.amount == row["amount"] and record.currency == "USD":
            continue
        record = record or FundingRequirement(
            year=row["year"],
            component=row["component"],
            region=region,
            description=row["description"],
            source=Source.ENTERED,
        )
        record.amount, record.currency = row["amount"], "USD"
        requirement_save(requirement=record, challenges=_challenges(row["challenges"]))
    if Activity.objects.exists():
        requirements_from_work_plans()


# Pledges ----------------------------------------------------------------------------------


def _round_figure(amount):
    """A donor's round figure: three significant digits, in whole units."""
    amount = Decimal(amount)
    if amount <= 0:
        return Decimal(0)
    step = Decimal(10) ** max(0, len(str(int(amount))) - 3)
    return _rounded(amount, step).quantize(CENT)


def _proportional(amount, weights):
    """{year: amount} in cents proportional to `weights`, adding up exactly (largest
    remainder; the earlier year on a tie)."""
    cents = int(amount / CENT)
    total = sum(weights.values())
    exact = {year: Decimal(cents) * weight / total for year, weight in weights.items()}
    whole = {year: int(share) for year, share in exact.items()}
    left = cents - sum(whole.values())
    for year in sorted(exact, key=lambda y: (-(exact[y] - whole[y]), y))[:left]:
        whole[year] += 1
    return {year: (Decimal(part) * CENT).quantize(CENT) for year, part in whole.items()}


def _lead_donor_pledges(years, rotation):
    pledges = []
    for term in rotation:
        span = years.clip(term["starts_on"].year - years.this, term["ends_on"].year - years.this)
        if span is None:
            continue
        title = fd.LEAD_DONOR_TITLE.format(first=term["starts_on"].year, last=term["ends_on"].year)
        pledges.append(
            fd.pledge_spec(
                f"lead_{term['starts_on'].year}",
                term["organisation"],
                title,
                (span[0] - years.this, span[1] - years.this),
                fd.LEAD_DONOR_SHARE,
                recipient=fd.LEAD_DONOR_RECIPIENT,
            )
        )
    return pledges


def pledge_plan(rng, years, rotation, requirement, rates):
    """The pledges with their amounts, yearly parts, status, date and disbursements, as plain
    values (amounts in the donor's currency)."""
    planned = []
    for spec in _lead_donor_pledges(years, rotation) + fd.PLEDGES:
        pledged_day = (rng.randint(9, 12), rng.randint(1, 28), rng.randint(20, 90))
        tranche_days = [rng.randint(-10, 10) for _ in range(len(fd.TRANCHES) * 8)]
        shortfall = Decimal(str(rng.uniform(*map(float, fd.SHORTFALL)))).quantize(Decimal("0.001"))
        span = years.clip(*spec["years"])
        if span is None:
            continue
        pledge = _sized(spec, span, years, requirement, rates)
        month, day, days_back = pledged_day
        pledge["pledged_on"] = min(
            datetime.date(span[0] - 1, month, day),
            years.today - datetime.timedelta(days=days_back),
        )
        pledge["disbursements"] = _tranches(pledge, years, tranche_days, shortfall)
        planned.append(pledge)
    return planned


def _sized(spec, span, years, requirement, rates):
    first, last = span
    currency = fd.CURRENCY_OF[spec["donor"]]
    need = {year: requirement.get(year, Decimal(0)) for year in range(first, last + 1)}
    in_base = spec["share"] * sum(need.values())
    # Sized at its first year's rate; at this year's when that year has none (a donor still
    # pledges in its own currency).
    rate = rates.rate(currency, first) or rates.rate(currency, years.this)
    amount = _round_figure(in_base / rate)
    if spec["equal"]:
        parts = split_over_years(amount, first, last)
        explicit = None
    else:
        weights = {
            year: need[year] * spec["weights"].get(year - years.this, Decimal(1)) for year in need
        }
        parts = explicit = _proportional(amount, weights)
    status = spec["status"]
    if status is None:
        if last < years.this:
            status = PledgeStatus.DISBURSED
        elif first > years.this:
            status = PledgeStatus.PLEDGED
        else:
            status = PledgeStatus.COMMITTED
    return {
        **spec,
        "first_year": first,
        "last_year": last,
        "currency": currency,
        "amount": amount,
        "parts": parts,
        "explicit": explicit,
        "status": status,
    }


def _tranches(pledge, years, tranche_days, shortfall):
    """The disbursements of a committed or disbursed pledge: each year's part in tranches up to
    today; a running pledge's years come in a little short, a disbursed one in full."""
    if pledge["status"] == PledgeStatus.PLEDGED:
        return []
    days = iter(tranche_days)
    tranches = []
    for year, part in sorted(pledge["parts"].items()):
        if year > years.this:
            break
        if pledge["status"] == PledgeStatus.COMMITTED:
            part = (part * (1 - shortfall)).quantize(CENT)
        amounts = _proportional(part, dict(fd.TRANCHES))
        for month in sorted(amounts):
            on = datetime.date(year, month, 15) + datetime.timedelta(days=next(days))
            if on < years.today and amounts[month] > 0:
                tranches.append((on, amounts[month]))
    return tranches


def _load_pledges(planned, organisations, partnerships):
    areas = {area.code: area for area in AdminArea.objects.filter(level=1)}
    existing = set(Pledge.objects.values_list("donor__name", "title"))
    for planned_pledge in planned:
        donor = organisations[planned_pledge["donor"]]
        if (donor.name, planned_pledge["title"]) in existing:
            continue
        pledge = Pledge(
            donor=donor,
            recipient=organisations[planned_pledge["recipient"]],
            title=planned_pledge["title"],
            amount=planned_pledge["amount"],
            currency=planned_pledge["currency"],
            first_year=planned_pledge["first_year"],
            last_year=planned_pledge["last_year"],
            pledged_on=planned_pledge["pledged_on"],
            status=planned_pledge["status"],
            component=planned_pledge["component"],
            region=areas[planned_pledge["region"]] if planned_pledge["region"] else None,
            partnership=partnerships.get(planned_pledge["partnership"]),
        )
        pledge_save(pledge=pledge, years=planned_pledge["explicit"])
        for day, amount in planned_pledge["disbursements"]:
            disbursement_save(
                disbursement=Disbursement(
                    pledge=pledge,
                    donor=donor,
                    recipient=pledge.recipient,
                    disbursed_on=day,
                    amount=amount,
                    currency=pledge.currency,
                )
            )


def _load_unpledged(years, organisations):
    areas = {area.code: area for area in AdminArea.objects.filter(level=1)}
    for planned in fd.UNPLEDGED_DISBURSEMENTS:
        donor = organisations[planned["donor"]]
        day = datetime.date(years.this + planned["offset"], planned["month"], planned["day"])
        if Disbursement.objects.filter(pledge=None, donor=donor, disbursed_on=day).exists():
            continue
        disbursement_save(
            disbursement=Disbursement(
                donor=donor,
                recipient=organisations[planned["recipient"]],
                disbursed_on=day,
                amount=planned["amount"],
                currency="USD",
                component=planned["component"],
                region=areas[planned["region"]] if planned["region"] else None,
            )
        )
