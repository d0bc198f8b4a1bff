"""The funding gap: what the programme needs against what is pledged, committed and disbursed,
per year, donor, component and region, in the base currency.

Definitions (per year):
- requirement: the funding requirements of the year;
- pledged: every pledge's part for the year, whatever its status;
- committed: the parts of pledges that are committed or disbursed;
- disbursed: the disbursements dated in the year;
- gap: requirement − pledged (negative when more is pledged than needed).

Each amount (a requirement, a pledge's yearly part, a disbursement) is converted on its own with
its year's rate and rounded to the cent, and every table sums those same converted amounts, so
the totals reconcile exactly in every direction: over donors, components, regions or years.
An amount whose currency has no rate for its year is left out of every total and listed under
"unconverted", never converted with a guessed rate. The figures are read in a fixed number of
queries, whatever the number of records.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from mineaction.core.choices import Component
from mineaction.funding.models import (
    Disbursement,
    FundingRequirement,
    PledgeStatus,
    PledgeYear,
)
from mineaction.funding.services.money import ZERO, Rates, format_amount, load_rates, to_base
from mineaction.stakeholders.models import Organisation

# Admin areas belong to the Article 5 records; reached through the foreign key.
AdminArea = FundingRequirement._meta.get_field("region").related_model

MEASURES = ("requirement", "pledged", "committed", "disbursed")
DONOR_MEASURES = ("pledged", "committed", "disbursed")
COMMITTED = {PledgeStatus.COMMITTED, PledgeStatus.DISBURSED}
# Keys of the rows for money that is not earmarked for a component or a region.
UNEARMARKED = ""
NATIONAL = ""


@dataclass(frozen=True)
class Amount:
    """One converted amount: what it counts as, the year, and where it belongs."""

    measures: tuple  # the measures it counts in, such as ("pledged", "committed")
    year: int
    amount: object  # Decimal in the base currency
    donor_id: int | None
    component: str
    region_code: str


def _region_code(path):
    """The province (level-1 area) a region lies in, by its code; "" for national."""
    return path.strip("/").split("/")[0] if path else NATIONAL


def _in_region(path, region):
    return region is None or (path or "").startswith(region.path)


def _rows():
    """(amount, currency, year, measures, donor_id, component, region path) of every record
    matching the component and region, in three queries."""
    for year, amount, currency, comp, path in FundingRequirement.objects.values_list(
        "year", "amount", "currency", "component", "region__path"
    ):
        yield amount, currency, year, ("requirement",), None, comp, path
    for year, amount, currency, status, donor_id, comp, path in PledgeYear.objects.values_list(
        "year",
        "amount",
        "pledge__currency",
        "pledge__status",
        "pledge__donor_id",
        "pledge__component",
        "pledge__region__path",
    ):
        measures = ("pledged", "committed") if status in COMMITTED else ("pledged",)
        yield amount, currency, year, measures, donor_id, comp, path
    for (
        on,
        amount,
        currency,
        donor_id,
        comp,
        path,
        pledge_comp,
        pledge_path,
    ) in Disbursement.objects.values_list(
        "disbursed_on",
        "amount",
        "currency",
        "donor_id",
        "component",
        "region__path",
        "pledge__component",
        "pledge__region__path",
    ):
        # A disbursement is earmarked like its pledge unless it says otherwise.
        yield (
            amount,
            currency,
            on.year,
            ("disbursed",),
            donor_id,
            comp or pledge_comp or UNEARMARKED,
            path or pledge_path,
        )


def _what(measures):
    if measures[0] == "requirement":
        return "requirement"
    return "disbursement" if measures[0] == "disbursed" else "pledge"


def _collect(*, first_year, last_year, component, region, rates):
    """The converted amounts in the years and filters, the amounts left unconverted, and the
    years the records span (for the default period)."""
    amounts, unconverted, years_seen = [], defaultdict(lambda: ZERO), set()
    for amount, currency, year, measures, donor_id, comp, path in _rows():
        comp = comp or UNEARMARKED
        if component is not None and comp != component:
            continue
        if not _in_region(path, region):
            continue
        years_seen.add(year)
        if (first_year is not None and year < first_year) or (
            last_year is not None and year > last_year
        ):
            continue
        converted = to_base(amount, currency, year, rates=rates)
        if converted is None:
            unconverted[(_what(measures), currency, year)] += amount
            continue
        amounts.append(Amount(measures, year, converted, donor_id, comp, _region_code(path)))
    return amounts, unconverted, years_seen


def _period(first_year, last_year, years_seen, today):
    if first_year is None:
        first_year = min(years_seen) if years_seen else today.year
        if last_year is not None:
            first_year = min(first_year, last_year)
    if last_year is None:
        last_year = max(max(years_seen, default=first_year), first_year)
    return first_year, last_year


def _figures(values, measures=MEASURES):
    figures = {measure: values.get(measure, ZERO) for measure in measures}
    if "requirement" in measures:
        figures["gap"] = figures["requirement"] - figures["pledged"]
    return figures


class _Table:
    """Sums per key and year of one breakdown (donor, component or region)."""

    def __init__(self, years, measures=MEASURES):
        self.years = years
        self.measures = measures
        self.sums = defaultdict(lambda: defaultdict(lambda: ZERO))

    def add(self, key, year, measure, amount):
        self.sums[(key, year)][measure] += amount
        self.sums[(key, None)][measure] += amount

    def groups(self):
        return {key for key, _year in self.sums}

    def row(self, key):
        return {
            "years": [
                {"year": year, **_figures(self.sums.get((key, year), {}), self.measures)}
                for year in self.years
            ],
            "total": _figures(self.sums.get((key, None), {}), self.measures),
        }


def funding_gap(
    *,
    first_year=None,
    last_year=None,
    component=None,
    region=None,
    rates: Rates | None = None,
    today=None,
) -> dict:
    """The gap per year, donor × year, component × year and region × year, with the totals of
    the period and the amounts left unconverted.

    `first_year`/`last_year` default to the years the records span (this year when there is
    none); `component` keeps only what is earmarked for that component ("" for the unearmarked
    money and the requirements of all components); `region` (an admin area) only what is
    earmarked for it or for an area inside it. Amounts are Decimals in the base currency.
    """
    today = today or timezone.localdate()
    rates = rates if rates is not None else load_rates()
    amounts, unconverted, years_seen = _collect(
        first_year=first_year, last_year=last_year, component=component, region=region, rates=rates
    )
    first_year, last_year = _period(first_year, last_year, years_seen, today)
    years = list(range(first_year, last_year + 1))
    by_year = _Table(years)
    donors, components, regions = _Table(years, DONOR_MEASURES), _Table(years), _Table(years)
    for item in amounts:
        for measure in item.measures:
            by_year.add(None, item.year, measure, item.amount)
            components.add(item.component, item.year, measure, item.amount)
            regions.add(item.region_code, item.year, measure, item.amount)
            if item.donor_id is not None:
                donors.add(item.donor_id, item.year, measure, item.amount)
    overall = by_year.row(None)
    return {
        "base_currency": rates.base,
        "first_year": first_year,
        "last_year": last_year,
        "component": component,
        "region": region,
        "years": overall["years"],
        "totals": overall["total"],
        "donors": _donor_rows(donors),
        "components": _component_rows(components),
        "regions": _region_rows(regions),
        "unconverted": [
            {"what": what, "currency": currency, "year": year, "amount": amount}
            for (what, currency, year), amount in sorted(
                unconverted.items(), key=lambda item: (item[0][2], item[0][1], item[0][0])
            )
        ],
    }


def _donor_rows(table):
    organisations = Organisation.objects.in_bulk(list(table.groups()))
    rows = [{"donor": organisations[key], **table.row(key)} for key in table.groups()]
    return sorted(rows, key=lambda row: (-row["total"]["pledged"], row["donor"].name))


def _component_rows(table):
    order = list(Component.values)
    keys = sorted(table.groups(), key=lambda key: order.index(key) if key in order else len(order))
    return [{"component": key, "label": component_label(key), **table.row(key)} for key in keys]


def component_label(key):
    if key == UNEARMARKED:
        return _("Not earmarked (all components)")
    return str(Component(key).label) if key in Component.values else key


def _region_rows(table):
    codes = [key for key in table.groups() if key != NATIONAL]
    areas = {area.code: area for area in AdminArea.objects.filter(code__in=codes)}
    rows = [{"region": areas.get(code), "code": code, **table.row(code)} for code in codes]
    rows.sort(key=lambda row: row["region"].name if row["region"] else row["code"])
    if NATIONAL in table.groups():
        rows.append({"region": None, "code": NATIONAL, **table.row(NATIONAL)})
    return rows


def region_label(row):
    if row["region"] is None:
        return _("National (no region)") if row["code"] == NATIONAL else row["code"]
    return row["region"].name


# The summary as JSON (the API and the page's JSON twin) ---------------------------------------


def _amounts_json(figures):
    return {
        measure: (format_amount(value) if value is not None else None)
        for measure, value in figures.items()
    }


def _years_json(rows):
    return [{"year": row["year"], **_amounts_json(_without_year(row))} for row in rows]


def _without_year(row):
    return {key: value for key, value in row.items() if key != "year"}


def gap_json(gap: dict) -> dict:
    """The summary with amounts as decimal strings in the base currency."""
    return {
        "base_currency": gap["base_currency"],
        "first_year": gap["first_year"],
        "last_year": gap["last_year"],
        "years": _years_json(gap["years"]),
        "totals": _amounts_json(gap["totals"]),
        "donors": [
            {
                "donor": {
                    "public_id": str(row["donor"].public_id),
                    "name": row["donor"].name,
                    "acronym": row["donor"].acronym,
                },
                "years": _years_json(row["years"]),
                "total": _amounts_json(row["total"]),
            }
            for row in gap["donors"]
        ],
        "components": [
            {
                "component": row["component"] or None,
                "label": str(row["label"]),
                "years": _years_json(row["years"]),
                "total": _amounts_json(row["total"]),
            }
            for row in gap["components"]
        ],
        "regions": [
            {
                "region": (
                    {
                        "public_id": str(row["region"].public_id),
                        "code": row["region"].code,
                        "name": row["region"].name,
                    }
                    if row["region"] is not None
                    else None
                ),
                "label": str(region_label(row)),
                "years": _years_json(row["years"]),
                "total": _amounts_json(row["total"]),
            }
            for row in gap["regions"]
        ],
        "unconverted": [
            {
                "what": item["what"],
                "currency": item["currency"],
                "year": item["year"],
                "amount": format_amount(item["amount"]),
            }
            for item in gap["unconverted"]
        ],
    }
