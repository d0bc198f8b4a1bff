"""Benchmark of the funding gap (resource mobilisation) on a large, realistic data set.

    uv run --frozen python benchmarks/funding.py [--donors D] [--pledges P]
        [--disbursements B] [--requirements Q] [--repeat K] [--seed S]
    scripts/with-postgres uv run --frozen python benchmarks/funding.py   # on PostgreSQL

Builds a throwaway database (SQLite in a temporary directory, or the empty database named by
DATABASE_URL) holding D donors (default 60), P pledges (default 20,000) split over their years,
B disbursements (default 200,000) and Q funding requirements (default 2,000) over 15 years, in
10 currencies with a rate per year (a few missing) and 30 regions. It first loads a tenth of the
pledges, disbursements and requirements and measures, then the rest and measures again, so that
the query counts (and times) of both sizes can be compared. Each time it:

1. checks that a raw SQL lower bound (requirement, pledged, committed and disbursed per year in
   the base currency, each amount converted with its year's rate and rounded to the cent) finds
   exactly the per-year figures of `services.gap.funding_gap()`, and that a prototype of the
   proposed fix (amounts converted and grouped in SQL) finds exactly everything it returns;
2. times K times each (median), logged in as a member: the page `/funding/` (its charts drawn
   once and cached, then drawn afresh), `GET /api/v1/funding/summary` (national, and one
   province for one component), `funding_gap()` itself, two lower bounds (the raw SQL, and the
   framework's ceiling: `GET /healthz` through the same middleware and client), the page and
   the API with the figures computed beforehand (as a cache of them would answer), and the
   prototype of the fix.

Read the ratios, not the milliseconds. See README.md.
"""

import argparse
import datetime
import os
import platform
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

# Rows are loaded without model instances with the Article 5 benchmark's helpers.
from article5 import Adapter, database_description, insert_rows, large_sqlite_cache
from measuring import Measure, configure_django, page

FIRST_SIZE = 10  # the first measurement holds 1/FIRST_SIZE of the records
PAST_YEARS = 11  # records from 11 years ago ...
FUTURE_YEARS = 3  # ... to 3 years ahead: 15 years
BASE_CURRENCY = "USD"
# Rate to the base currency in the first year, and how many donors give in that currency.
CURRENCIES = {
    "USD": (1.0, 25),
    "EUR": (1.10, 30),
    "GBP": (1.30, 8),
    "JPY": (0.0085, 6),
    "CHF": (1.05, 5),
    "SEK": (0.105, 6),
    "NOK": (0.11, 6),
    "DKK": (0.148, 4),
    "CAD": (0.76, 5),
    "AUD": (0.71, 5),
}
MISSING_RATES = 5  # (currency, year) pairs the finance unit has not set
COMPONENTS = ["technical", "political", "participation", "resource_mobilisation"]
COMPONENT_WEIGHTS = [0.55, 0.12, 0.18, 0.15]
# fmt: off
PROVINCES = ["Northern Hills", "Lake Shore", "Eastern Plains", "Border Valley",
             "Central Highlands", "River Delta"]
DISTRICT_WORDS = ["Upper", "Lower", "North", "South"]
DONOR_KINDS = [  # type, name, how many of every 60 donors
    ("donor_state", "Government of", 40), ("international_organisation", "Fund of", 8),
    ("un_agency", "UN Trust Fund for", 6), ("other", "Foundation of", 6),
]
DONOR_PLACES = [
    "Aldoria", "Belmark", "Corvania", "Dunmere", "Estoria", "Falkland Isles", "Galdor", "Hestia",
    "Ilvania", "Jorvik", "Kaleva", "Lumeria", "Marvel Bay", "Nordhaven", "Ostmark", "Pellucia",
    "Quenta", "Rovinia", "Sardova", "Tarsis", "Ulmeria", "Valdor", "Westmarch", "Xandria",
    "Yselle", "Zemland", "Arcadia", "Borealis", "Caldera", "Deloria",
]
OPERATORS = [
    ("National Demining Brigade", "national_authority"),
    ("Clear Ground International", "international_ngo"),
    ("Safe Steps Association", "national_ngo"),
    ("Fieldwork Demining Ltd", "commercial_operator"),
    ("Land Return Trust", "international_ngo"),
    ("Hope Survey Group", "national_ngo"),
    ("Delta Clearance Services", "commercial_operator"),
    ("Humanitarian Mine Action Group", "international_ngo"),
]
# fmt: on
PLEDGE_YEARS = [1, 2, 3, 4, 5]
PLEDGE_YEAR_WEIGHTS = [0.35, 0.25, 0.20, 0.12, 0.08]


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--donors", type=int, default=60, help="donors (default 60)")
    parser.add_argument("--pledges", type=int, default=20_000, help="pledges (default 20000)")
    parser.add_argument(
        "--disbursements", type=int, default=200_000, help="disbursements (default 200000)"
    )
    parser.add_argument(
        "--requirements", type=int, default=2_000, help="funding requirements (default 2000)"
    )
    parser.add_argument("--repeat", type=int, default=10, help="runs per row (default 10)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the data (default 1)")
    arguments = parser.parse_args(argv)
    for name in ("pledges", "disbursements", "requirements"):
        if getattr(arguments, name) < 10 * FIRST_SIZE:
            parser.error(f"--{name} must be at least {10 * FIRST_SIZE}")
    if arguments.disbursements < arguments.pledges:
        parser.error("--disbursements must be at least --pledges (most pledges are paid in parts)")
    if arguments.donors < 2:
        parser.error(f"--donors must be at least 2, not {arguments.donors}")
    if arguments.repeat < 2:
        parser.error(f"--repeat must be at least 2, not {arguments.repeat}")
    return arguments


# The data set ----------------------------------------------------------------------------------


class World:
    """What every batch of records refers to: years, rates, donors, regions and recipients."""

    def __init__(self, rng, today, donor_count):
        import numpy as np

        self.today = today
        self.first_year = today.year - PAST_YEARS
        self.last_year = today.year + FUTURE_YEARS
        self.years = list(range(self.first_year, self.last_year + 1))
        self.currencies = list(CURRENCIES)
        # A yearly rate per currency: a random walk of a few per cent a year.
        self.rates = {}
        for currency, (rate, _weight) in CURRENCIES.items():
            for year in self.years:
                self.rates[(currency, year)] = rate
                if currency != BASE_CURRENCY:
                    rate *= float(rng.normal(1, 0.05))
        foreign = [key for key in self.rates if key[0] != BASE_CURRENCY]
        chosen = rng.choice(len(foreign), MISSING_RATES, replace=False)
        self.missing = {foreign[index] for index in chosen.tolist()}
        self.rate_matrix = np.array(
            [[self.rates[(c, y)] for y in self.years] for c in self.currencies]
        )
        # Donors: a few large ones give most (Zipf), each in its own currency.
        self.donor_count = donor_count
        sizes = 1 / np.arange(1, donor_count + 1) ** 1.1
        self.donor_weights = sizes / sizes.sum()
        shares = np.array([weight for _rate, weight in CURRENCIES.values()], dtype=float)
        self.donor_currency = rng.choice(len(self.currencies), donor_count, p=shares / shares.sum())
        self.donor_pks = []
        self.recipient_pks = []
        self.province_pks, self.district_pks = [], []

    def year_index(self, years):
        return years - self.first_year


def build_country():
    from mineaction.core.models import CountryProfile

    CountryProfile.objects.create(
        name="Testland",
        iso3="TST",
        official_languages=["en"],
        currency=BASE_CURRENCY,
        convention_entry_into_force=datetime.date(2009, 3, 1),
        original_article5_deadline=datetime.date(2019, 3, 1),
    )


def build_regions(world):
    """6 provinces (level 1) of 4 districts (level 2): 30 regions, with their paths."""
    from mineaction.landrelease.models import AdminArea

    for p, name in enumerate(PROVINCES):
        province = AdminArea.objects.create(code=f"PR{p + 1:02d}", name=name, level=1)
        world.province_pks.append(province.pk)
        for d, word in enumerate(DISTRICT_WORDS):
            district = AdminArea.objects.create(
                code=f"DI{p + 1:02d}{d + 1:02d}",
                name=f"{word} {name}",
                level=2,
                parent=province,
            )
            world.district_pks.append(district.pk)


def build_organisations(world):
    from mineaction.stakeholders.models import Organisation

    donors, number = [], 0
    while len(donors) < world.donor_count:
        for kind, prefix, per_sixty in DONOR_KINDS:
            for _n in range(per_sixty):
                if len(donors) == world.donor_count:
                    break
                place = DONOR_PLACES[number % len(DONOR_PLACES)]
                round_ = number // len(DONOR_PLACES)
                name = f"{prefix} {place}" + (f" {round_ + 1}" if round_ else "")
                donors.append(
                    Organisation(name=name, acronym=f"D{number + 1:03d}", type=kind, country="")
                )
                number += 1
    operators = [Organisation(name=name, type=kind) for name, kind in OPERATORS]
    Organisation.objects.bulk_create(donors + operators)
    # Donor rank 1 (the largest) first.
    world.donor_pks = [donor.pk for donor in donors]
    world.recipient_pks = [operator.pk for operator in operators]
    return operators[0]


def build_rates(world):
    from mineaction.funding.models import ExchangeRate

    ExchangeRate.objects.bulk_create(
        ExchangeRate(currency=currency, year=year, rate=Decimal(f"{rate:.6f}"))
        for (currency, year), rate in world.rates.items()
        if currency != BASE_CURRENCY and (currency, year) not in world.missing
    )


def earmarks(rng, world, count, unearmarked=0.45, national=0.65, province=0.2):
    """Components ("" for all) and regions (None for national) of `count` records."""
    import numpy as np

    component = np.where(
        rng.random(count) < unearmarked,
        "",
        rng.choice(COMPONENTS, count, p=COMPONENT_WEIGHTS),
    )
    draw = rng.random(count)
    provinces = np.array(world.province_pks, dtype=object)[
        rng.integers(0, len(world.province_pks), count)
    ]
    districts = np.array(world.district_pks, dtype=object)[
        rng.integers(0, len(world.district_pks), count)
    ]
    region = np.where(
        draw < national, None, np.where(draw < national + province, provinces, districts)
    )
    return component.tolist(), region.tolist()


def split_cents(rng, owner, totals, equal):
    """Parts in integer cents of each total, over the rows of `owner` (grouped, in order): equal
    parts with the remaining cents one each to the first rows (as `split_over_years` does) where
    `equal`, else random parts with the remainder on the first row. They add up exactly."""
    import numpy as np

    counts = np.bincount(owner, minlength=len(totals))
    starts = np.cumsum(counts) - counts
    position = np.arange(len(owner)) - starts[owner]
    share, remainder = np.divmod(totals, np.maximum(counts, 1))
    equal_parts = share[owner] + (position < remainder[owner])
    weights = rng.uniform(0.3, 1.7, len(owner))
    weight_sums = np.bincount(owner, weights, minlength=len(totals))
    random_parts = np.floor(totals[owner] * (weights / weight_sums[owner])).astype(np.int64)
    left = totals - np.bincount(owner, random_parts, minlength=len(totals)).astype(np.int64)
    random_parts = random_parts + np.where(position == 0, left[owner], 0)
    parts = np.where(equal[owner], equal_parts, random_parts).astype(np.int64)
    if not np.array_equal(np.bincount(owner, parts, minlength=len(totals)), totals):
        raise SystemExit("The generated parts do not add up; stopping.")
    return parts


def money(cents):
    """Integer cents as the decimal string the database takes ("1234.05")."""
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    return f"{sign}{units}.{rest:02d}"


def lognormal_base_amount(rng, median, sigma, low, high, count):
    import numpy as np

    return np.clip(rng.lognormal(np.log(median), sigma, count), low, high)


def in_currency_cents(world, base_amount, currency, year, round_units):
    """Amounts of the base currency expressed in `currency` with the year's rate (known even
    where the finance unit has not set it), rounded to 1,000 units where `round_units`."""
    import numpy as np

    amount = base_amount / world.rate_matrix[currency, world.year_index(year)]
    cents = np.where(
        round_units, np.round(amount / 1000) * 1000 * 100, np.round(amount * 100)
    ).astype(np.int64)
    return np.maximum(cents, 100)


def build_pledges(rng, world, count, first_id, adapt):
    """`count` pledges and their yearly parts; returns what the disbursements need."""
    import numpy as np

    from mineaction.funding.models import Pledge, PledgeYear

    today = world.today
    years = np.array(world.years)
    # More pledges in recent years; the coming years only hold what was announced already.
    year_weights = np.array(
        [1.03**n if year <= today.year else 0.6 ** (year - today.year) for n, year in
         enumerate(world.years)]
    )  # fmt: skip
    first = rng.choice(years, count, p=year_weights / year_weights.sum())
    last = np.minimum(first + rng.choice(PLEDGE_YEARS, count, p=PLEDGE_YEAR_WEIGHTS) - 1,
                      world.last_year)  # fmt: skip
    donor = rng.choice(world.donor_count, count, p=world.donor_weights)
    currency = np.where(
        rng.random(count) < 0.9,
        world.donor_currency[donor],
        world.currencies.index(BASE_CURRENCY),
    )
    base_amount = lognormal_base_amount(rng, 250_000, 1.1, 10_000, 40_000_000, count)
    cents = in_currency_cents(world, base_amount, currency, first, rng.random(count) < 0.8)
    status = np.where(
        last < today.year,
        rng.choice(["disbursed", "committed", "pledged"], count, p=[0.80, 0.15, 0.05]),
        np.where(
            first <= today.year,
            rng.choice(["disbursed", "committed", "pledged"], count, p=[0.15, 0.60, 0.25]),
            rng.choice(["committed", "pledged"], count, p=[0.30, 0.70]),
        ),
    )
    component, region = earmarks(rng, world, count)
    recipient = np.where(
        rng.random(count) < 0.75,
        np.array(world.recipient_pks, dtype=object)[
            rng.integers(0, len(world.recipient_pks), count)
        ],
        None,
    )
    # Announced between October of the year before and March of the first year.
    pledged_on = np.minimum(
        np.array([datetime.date(int(year) - 1, 10, 1).toordinal() for year in first])
        + rng.integers(0, 182, count),
        today.toordinal(),
    )
    ids = np.arange(first_id, first_id + count)
    rows = (
        (
            int(ids[n]),
            adapt.uuid(),
            adapt.now,
            adapt.now,
            world.donor_pks[donor[n]],
            recipient[n],
            f"Mine action support {first[n]}-{last[n]} (no. {ids[n]})",
            money(int(cents[n])),
            world.currencies[currency[n]],
            int(first[n]),
            int(last[n]),
            adapt.date(int(pledged_on[n])),
            str(status[n]),
            component[n],
            region[n],
            "entered",
        )
        for n in range(count)
    )
    fields = [
        "id", "public_id", "created_at", "updated_at", "donor_id", "recipient_id", "title",
        "amount", "currency", "first_year", "last_year", "pledged_on", "status", "component",
        "region_id", "source",
    ]  # fmt: skip
    insert_rows(Pledge, fields, rows)
    # The yearly parts: equal (as the service splits) for 70 %, entered by hand for the rest.
    spans = last - first + 1
    owner = np.repeat(np.arange(count), spans)
    part_year = first[owner] + (np.arange(len(owner)) - (np.cumsum(spans) - spans)[owner])
    parts = split_cents(rng, owner, cents, rng.random(count) < 0.7)
    insert_rows(
        PledgeYear,
        ["pledge_id", "year", "amount"],
        zip(
            ids[owner].tolist(),
            part_year.tolist(),
            [money(part) for part in parts.tolist()],
            strict=True,
        ),
    )
    return {
        "ids": ids,
        "first": first,
        "last": last,
        "donor": donor,
        "currency": currency,
        "cents": cents,
        "base": base_amount,
        "status": status,
        "component": component,
        "region": region,
        "recipient": recipient,
        "parts": (part_year, currency[owner], parts),
    }


def random_days(rng, first, last):
    """A day (ordinal) between `first` and `last` (ordinals, arrays), both included."""
    return first + (rng.random(len(first)) * (last - first + 1)).astype(int)


def build_disbursements(rng, world, pledges, count, adapt):
    """`count` disbursements: 90 % against committed or disbursed pledges (all of a disbursed
    pledge, part of a committed one, dated within its years up to today), 10 % without a
    pledge. Most carry no component or region of their own (they follow their pledge's)."""
    import numpy as np

    from mineaction.funding.models import Disbursement

    today = world.today.toordinal()
    started = (pledges["status"] != "pledged") & (pledges["first"] <= world.today.year)
    eligible = np.flatnonzero(started)
    first_day = np.array([datetime.date(int(y), 1, 1).toordinal() for y in pledges["first"]])
    last_day = np.minimum(
        np.array([datetime.date(int(y), 12, 31).toordinal() for y in pledges["last"]]), today
    )
    # Every disbursed pledge has at least one; larger and longer pledges have more.
    tied = int(count * 0.9)
    fully = eligible[pledges["status"][eligible] == "disbursed"]
    weights = np.sqrt(pledges["base"][eligible]) * (last_day[eligible] - first_day[eligible] + 1)
    per_pledge = np.zeros(len(pledges["ids"]), dtype=np.int64)
    per_pledge[fully] = 1
    per_pledge[eligible] += rng.multinomial(tied - len(fully), weights / weights.sum())
    owner = np.repeat(np.arange(len(per_pledge)), per_pledge)
    # A disbursed pledge is paid in full, a committed one in part, as its years go by.
    elapsed = np.clip((today - first_day) / (last_day - first_day + 1), 0, 1)
    partly = np.maximum(elapsed * rng.uniform(0.4, 1, elapsed.size), 0.05)
    share = np.where(pledges["status"] == "disbursed", 1.0, partly)
    paid = np.round(pledges["cents"] * share).astype(np.int64) * (per_pledge > 0)
    tied_cents = split_cents(rng, owner, paid, np.zeros(len(paid), dtype=bool))
    tied_days = random_days(rng, first_day[owner], last_day[owner])
    own_component, own_region = earmarks(rng, world, len(owner), unearmarked=0, national=0)
    keep = rng.random(len(owner)) < 0.92
    tied_component = np.where(keep, "", np.array(own_component, dtype=object))
    keep = rng.random(len(owner)) < 0.9
    tied_region = np.where(keep, None, np.array(own_region, dtype=object))
    recipient = np.where(
        rng.random(len(owner)) < 0.8,
        pledges["recipient"][owner],
        np.array(world.recipient_pks, dtype=object)[
            rng.integers(0, len(world.recipient_pks), len(owner))
        ],
    )
    # Without a pledge: smaller, direct contributions.
    direct = count - len(owner)
    direct_donor = rng.choice(world.donor_count, direct, p=world.donor_weights)
    direct_currency = world.donor_currency[direct_donor]
    direct_days = random_days(
        rng,
        np.full(direct, datetime.date(world.first_year, 1, 1).toordinal()),
        np.full(direct, today),
    )
    direct_years = np.array([datetime.date.fromordinal(int(d)).year for d in direct_days])
    direct_cents = in_currency_cents(
        world,
        lognormal_base_amount(rng, 40_000, 1.0, 1_000, 2_000_000, direct),
        direct_currency,
        direct_years,
        rng.random(direct) < 0.5,
    )
    direct_component, direct_region = earmarks(rng, world, direct)
    columns = {
        "pledge_id": np.concatenate([pledges["ids"][owner], np.full(direct, -1)]),
        "donor": np.concatenate([pledges["donor"][owner], direct_donor]),
        "recipient": np.concatenate(
            [recipient, np.array(world.recipient_pks, dtype=object)[direct_donor % len(OPERATORS)]]
        ),
        "day": np.concatenate([tied_days, direct_days]),
        "cents": np.concatenate([tied_cents, direct_cents]),
        "currency": np.concatenate([pledges["currency"][owner], direct_currency]),
        "component": np.concatenate([tied_component, np.array(direct_component, dtype=object)]),
        "region": np.concatenate([tied_region, np.array(direct_region, dtype=object)]),
    }
    # Entered as the money arrives: stored in date order.
    order = np.argsort(columns["day"], kind="stable")
    rows = (
        (
            adapt.uuid(),
            adapt.now,
            adapt.now,
            int(columns["pledge_id"][n]) if columns["pledge_id"][n] >= 0 else None,
            world.donor_pks[columns["donor"][n]],
            columns["recipient"][n],
            adapt.date(int(columns["day"][n])),
            money(int(columns["cents"][n])),
            world.currencies[columns["currency"][n]],
            columns["component"][n],
            columns["region"][n],
            "entered",
        )
        for n in order.tolist()
    )
    fields = [
        "public_id", "created_at", "updated_at", "pledge_id", "donor_id", "recipient_id",
        "disbursed_on", "amount", "currency", "component", "region_id", "source",
    ]  # fmt: skip
    insert_rows(Disbursement, fields, rows)
    return len(owner), direct


def build_requirements(rng, world, pledges, count, adapt):
    """`count` requirements, about as many each year, by component and region, mostly in the
    base currency; each year's add up to 0.9 to 1.6 times what was pledged for it."""
    import numpy as np

    from mineaction.funding.models import FundingRequirement

    year = rng.choice(np.array(world.years), count)
    component, region = earmarks(rng, world, count, unearmarked=0.15, national=0.4, province=0.35)
    currency = rng.choice(
        [world.currencies.index(c) for c in ("USD", "EUR", "GBP")], count, p=[0.85, 0.1, 0.05]
    )
    part_year, part_currency, parts = pledges["parts"]
    pledged = np.bincount(
        world.year_index(part_year),
        parts / 100 * world.rate_matrix[part_currency, world.year_index(part_year)],
        minlength=len(world.years),
    )
    raw = lognormal_base_amount(rng, 400_000, 0.9, 20_000, 20_000_000, count)
    per_year = np.bincount(world.year_index(year), raw, minlength=len(world.years))
    factor = rng.uniform(0.9, 1.6, len(world.years))
    scale = np.where(per_year > 0, pledged * factor / np.maximum(per_year, 1), 1)
    base_amount = raw * scale[world.year_index(year)]
    cents = in_currency_cents(world, base_amount, currency, year, np.ones(count, bool))
    rows = (
        (
            adapt.uuid(),
            adapt.now,
            adapt.now,
            int(year[n]),
            money(int(cents[n])),
            world.currencies[currency[n]],
            component[n],
            region[n],
            f"Needs of {year[n]}: {component[n] or 'all components'}",
            "entered",
        )
        for n in range(count)
    )
    fields = [
        "public_id", "created_at", "updated_at", "year", "amount", "currency", "component",
        "region_id", "description", "source",
    ]  # fmt: skip
    insert_rows(FundingRequirement, fields, rows)


def build_viewer(organisation):
    """A member (a reader; no two-factor needed) the figures are requested as."""
    from mineaction.core.models import User
    from mineaction.stakeholders.models import Membership, Person

    user = User.objects.create_user("benchmark.member@example.org", password=None)
    person = Person.objects.create(
        user=user,
        email=user.email,
        given_name="Benchmark",
        family_name="Member",
        organisation=organisation,
    )
    Membership.objects.create(person=person, role="member", starts_on=datetime.date(2020, 1, 1))
    return user


def build_world(rng, arguments, today):
    from django.db import transaction

    world = World(rng, today, arguments.donors)
    with transaction.atomic():
        build_country()
        build_regions(world)
        operator = build_organisations(world)
        build_rates(world)
        viewer = build_viewer(operator)
    return world, viewer


def add_records(rng, world, pledges, disbursements, requirements, first_pledge_id):
    """One batch of pledges (with their parts), disbursements and requirements."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from mineaction.funding.models import Pledge

    adapt = Adapter()
    started = time.perf_counter()
    with large_sqlite_cache(), transaction.atomic():
        plan = build_pledges(rng, world, pledges, first_pledge_id, adapt)
        tied, direct = build_disbursements(rng, world, plan, disbursements, adapt)
        build_requirements(rng, world, plan, requirements, adapt)
        with connection.cursor() as cursor:
            # The pledges were given their ids: move the sequence past them.
            for statement in connection.ops.sequence_reset_sql(no_style(), [Pledge]):
                cursor.execute(statement)
    with connection.cursor() as cursor:
        # A production database has statistics and, on PostgreSQL, a visibility map (from
        # autovacuum); a freshly bulk-loaded one not yet. Django never runs ANALYZE on SQLite.
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
    return time.perf_counter() - started, tied, direct


def sizes():
    from mineaction.funding.models import (
        Disbursement,
        ExchangeRate,
        FundingRequirement,
        Pledge,
        PledgeYear,
    )
    from mineaction.landrelease.models import AdminArea
    from mineaction.stakeholders.models import Organisation

    return {
        "donors": Organisation.objects.filter(pledges__isnull=False).distinct().count(),
        "pledges": Pledge.objects.count(),
        "pledge years": PledgeYear.objects.count(),
        "disbursements": Disbursement.objects.count(),
        "requirements": FundingRequirement.objects.count(),
        "exchange rates": ExchangeRate.objects.count(),
        "regions": AdminArea.objects.count(),
    }


# The raw SQL lower bound -----------------------------------------------------------------------


def converted(amount, currency, base):
    """SQL for `amount` in the base currency with the rate `r.rate`, rounded half up to the
    cent, as `money.to_base` rounds each amount. PostgreSQL's numeric is exact. SQLite stores
    decimals as REAL: the product is taken in integers (cents times rate in 1e-8, exact below
    about 900 million of the base currency per amount) and the result is in cents."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return f"CASE WHEN {currency} = {base} THEN {amount} ELSE ROUND({amount} * r.rate, 2) END"
    cents = f"CAST(ROUND({amount} * 100) AS INTEGER)"
    product = f"{cents} * CAST(ROUND(r.rate * 100000000) AS INTEGER)"
    half = f"CASE WHEN {amount} < 0 THEN -50000000 ELSE 50000000 END"
    return f"CASE WHEN {currency} = {base} THEN {cents} ELSE ({product} + {half}) / 100000000 END"


def raw_sql():
    """Requirement, pledged, committed and disbursed per year in one statement."""
    from django.db import connection

    from mineaction.funding.models import (
        Disbursement,
        ExchangeRate,
        FundingRequirement,
        Pledge,
        PledgeYear,
    )

    table = {
        model.__name__: model._meta.db_table
        for model in (Disbursement, ExchangeRate, FundingRequirement, Pledge, PledgeYear)
    }
    if connection.vendor == "postgresql":
        year_of = "CAST(EXTRACT(YEAR FROM d.disbursed_on) AS integer)"
    else:
        year_of = "CAST(SUBSTR(d.disbursed_on, 1, 4) AS integer)"
    base = "%(base)s"
    rate = f"LEFT JOIN {table['ExchangeRate']} r ON r.currency = {{0}} AND r.year = {{1}}"
    known = f"({{0}} = {base} OR r.rate IS NOT NULL)"
    return f"""
        SELECT year, SUM(requirement), SUM(pledged), SUM(committed), SUM(disbursed) FROM (
            SELECT q.year AS year, {converted("q.amount", "q.currency", base)} AS requirement,
                   0 AS pledged, 0 AS committed, 0 AS disbursed
            FROM {table["FundingRequirement"]} q {rate.format("q.currency", "q.year")}
            WHERE {known.format("q.currency")}
          UNION ALL
            SELECT year, 0, amount,
                   CASE WHEN status IN ('committed', 'disbursed') THEN amount ELSE 0 END, 0
            FROM (
                SELECT y.year AS year, p.status AS status,
                       {converted("y.amount", "p.currency", base)} AS amount
                FROM {table["PledgeYear"]} y JOIN {table["Pledge"]} p ON p.id = y.pledge_id
                {rate.format("p.currency", "y.year")}
                WHERE {known.format("p.currency")}
            ) y
          UNION ALL
            SELECT d.year, 0, 0, 0, {converted("d.amount", "d.currency", base)}
            FROM (
                SELECT {year_of} AS year, d.amount, d.currency FROM {table["Disbursement"]} d
            ) d {rate.format("d.currency", "d.year")}
            WHERE {known.format("d.currency")}
        ) t
        GROUP BY year ORDER BY year
    """


def raw_per_year():
    """{year: (requirement, pledged, committed, disbursed)} as Decimals in the base currency.
    (Its estimated cost on PostgreSQL is far below the JIT compiler's threshold.)"""
    from django.db import connection

    from mineaction.funding.services.money import base_currency

    with connection.cursor() as cursor:
        cursor.execute(raw_sql(), {"base": base_currency()})
        rows = cursor.fetchall()
    return {year: tuple(decimal_sum(value) for value in sums) for year, *sums in rows}


def decimal_sum(value):
    """A sum of the raw SQL as a Decimal: numeric on PostgreSQL, integer cents on SQLite."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(value).scaleb(-2)


# The proposed fix, as a prototype: convert and group in SQL ------------------------------------


def grouped_sql():
    """Every converted amount (NULL without a rate) grouped by what it counts as, year, donor,
    component (a disbursement's own, else its pledge's), province and, for the amounts without
    a rate only, currency: the keys of every table of `funding_gap`."""
    from django.db import connection

    from mineaction.funding.models import (
        Disbursement,
        ExchangeRate,
        FundingRequirement,
        Pledge,
        PledgeYear,
    )
    from mineaction.landrelease.models import AdminArea

    table = {
        model.__name__: model._meta.db_table
        for model in (AdminArea, Disbursement, ExchangeRate, FundingRequirement, Pledge, PledgeYear)
    }
    vendor = connection.vendor
    if vendor == "postgresql":
        year_of = "CAST(EXTRACT(YEAR FROM d.disbursed_on) AS integer)"
        province = "split_part(a.path, '/', 2)"
        original = "t.amount"
    else:
        year_of = "CAST(SUBSTR(d.disbursed_on, 1, 4) AS integer)"
        province = "SUBSTR(a.path, 2, INSTR(SUBSTR(a.path, 2), '/') - 1)"
        original = "CAST(ROUND(t.amount * 100) AS INTEGER)"
    base = "%(base)s"
    return f"""
        SELECT kind, year, donor_id, component, COALESCE({province}, '') AS province, unconverted,
               SUM(converted), SUM(CASE WHEN unconverted IS NOT NULL THEN {original} END)
        FROM (
            SELECT t.*, CASE WHEN t.converted IS NULL THEN t.currency END AS unconverted
            FROM (
                SELECT 'requirement' AS kind, q.year AS year, NULL AS donor_id,
                       q.component AS component, q.region_id AS region_id,
                       q.currency AS currency, q.amount AS amount,
                       {converted("q.amount", "q.currency", base)} AS converted
                FROM {table["FundingRequirement"]} q
                LEFT JOIN {table["ExchangeRate"]} r ON r.currency = q.currency AND r.year = q.year
              UNION ALL
                SELECT CASE WHEN p.status = 'pledged' THEN 'pledged' ELSE 'committed' END,
                       y.year, p.donor_id, p.component, p.region_id, p.currency, y.amount,
                       {converted("y.amount", "p.currency", base)}
                FROM {table["PledgeYear"]} y JOIN {table["Pledge"]} p ON p.id = y.pledge_id
                LEFT JOIN {table["ExchangeRate"]} r ON r.currency = p.currency AND r.year = y.year
              UNION ALL
                SELECT 'disbursed', d.year, d.donor_id, d.component, d.region_id, d.currency,
                       d.amount, {converted("d.amount", "d.currency", base)}
                FROM (
                    SELECT {year_of} AS year, d.donor_id, d.currency, d.amount,
                           COALESCE(NULLIF(d.component, ''), p.component, '') AS component,
                           COALESCE(d.region_id, p.region_id) AS region_id
                    FROM {table["Disbursement"]} d
                    LEFT JOIN {table["Pledge"]} p ON p.id = d.pledge_id
                ) d
                LEFT JOIN {table["ExchangeRate"]} r ON r.currency = d.currency AND r.year = d.year
            ) t
        ) t
        LEFT JOIN {table["AdminArea"]} a ON a.id = t.region_id
        GROUP BY kind, year, donor_id, component, COALESCE({province}, ''), unconverted
    """


def grouped_gap():
    """What `funding_gap()` returns (no filters), from `grouped_sql()`'s few thousand groups
    instead of every amount: the service's own tables and rows, fed with the groups."""
    from collections import defaultdict

    from django.db import connection
    from django.utils import timezone

    from mineaction.funding.services import gap as service
    from mineaction.funding.services.money import ZERO, base_currency

    counts_as = {
        "requirement": ("requirement",),
        "pledged": ("pledged",),
        "committed": ("pledged", "committed"),
        "disbursed": ("disbursed",),
    }
    what = {"requirement": "requirement", "disbursed": "disbursement"}
    base = base_currency()
    with connection.cursor() as cursor:
        cursor.execute(grouped_sql(), {"base": base})
        groups = cursor.fetchall()
    first_year, last_year = service._period(
        None, None, {group[1] for group in groups}, timezone.localdate()
    )
    years = list(range(first_year, last_year + 1))
    by_year, donors = service._Table(years), service._Table(years, service.DONOR_MEASURES)
    components, regions = service._Table(years), service._Table(years)
    unconverted = defaultdict(lambda: ZERO)
    for kind, year, donor_id, component, province, currency, amount, original in groups:
        if currency is not None:
            unconverted[(what.get(kind, "pledge"), currency, year)] += decimal_sum(original)
            continue
        amount = decimal_sum(amount)
        for measure in counts_as[kind]:
            by_year.add(None, year, measure, amount)
            components.add(component, year, measure, amount)
            regions.add(province, year, measure, amount)
            if donor_id is not None:
                donors.add(donor_id, year, measure, amount)
    overall = by_year.row(None)
    return {
        "base_currency": base,
        "first_year": first_year,
        "last_year": last_year,
        "component": None,
        "region": None,
        "years": overall["years"],
        "totals": overall["total"],
        "donors": service._donor_rows(donors),
        "components": service._component_rows(components),
        "regions": service._region_rows(regions),
        "unconverted": [
            {"what": kind, "currency": currency, "year": year, "amount": amount}
            for (kind, currency, year), amount in sorted(
                unconverted.items(), key=lambda item: (item[0][2], item[0][1], item[0][0])
            )
        ],
    }


def check_same_answer():
    """The raw SQL must find exactly the service's figures per year, or it bounds nothing; the
    prototype of the fix exactly everything the service returns."""
    from mineaction.funding.services.gap import funding_gap

    gap = funding_gap()
    raw = raw_per_year()
    measures = ("requirement", "pledged", "committed", "disbursed")
    service = {row["year"]: tuple(row[m] for m in measures) for row in gap["years"]}
    zero = (Decimal(0),) * 4
    for year in sorted(set(raw) | set(service)):
        if raw.get(year, zero) != service.get(year, zero):
            raise SystemExit(
                f"In {year} the raw SQL finds {raw.get(year)}, the service {service.get(year)}; "
                "stopping."
            )
    totals = tuple(gap["totals"][m] for m in measures)
    if tuple(sum(column) for column in zip(*raw.values(), strict=True)) != totals:
        raise SystemExit("The raw SQL's totals differ from the service's; stopping.")
    prototype = grouped_gap()
    for key, value in gap.items():
        if prototype[key] != value:
            raise SystemExit(f"The prototype's {key} differ from the service's; stopping.")
    return gap


# Measuring -------------------------------------------------------------------------------------


def precomputed(module, gap):
    """`module.funding_gap` answering `gap` at once, as a cache of the figures would."""
    from unittest import mock

    return mock.patch.object(module, "funding_gap", lambda **filters: gap)


def measures(client, province, gap):
    from django.urls import reverse

    from mineaction.core import charts
    from mineaction.funding.api import funding as funding_api
    from mineaction.funding.services.gap import funding_gap
    from mineaction.funding.views import funding as funding_views

    api = reverse("api:funding_summary")
    funding = reverse("funding:funding_summary")

    def with_gap(module, request):
        def run():
            with precomputed(module, gap):
                request()

        return run

    return [
        Measure("GET /healthz (ceiling)", page(client, reverse("core:healthz"))),
        Measure("page /funding/", page(client, funding)),
        # As the first view after any change: the charts' SVG is drawn again.
        Measure(
            "page /funding/, charts not cached",
            page(client, funding),
            prepare=charts._render.cache_clear,
        ),
        Measure("API GET /api/v1/funding/summary", page(client, api)),
        Measure(
            "API summary, 1 province, technical",
            page(client, f"{api}?region={province}&component=technical"),
        ),
        Measure("funding_gap()", lambda: funding_gap()),
        Measure("raw SQL per year (bound)", raw_per_year, bound=True),
        # What the page and the API cost around the figures: as if they were cached.
        Measure("page, figures precomputed", with_gap(funding_views, page(client, funding))),
        Measure("API, figures precomputed", with_gap(funding_api, page(client, api))),
        Measure("fix 1 prototype: grouped in SQL", grouped_gap),
    ]


def run_measures(all_measures, repeat):
    """Each measure in turn: one warm-up call, then `repeat` timed calls in a row."""
    for measure in all_measures:
        measure.run()
        for _sample in range(repeat):
            measure.once()


def measure_size(client, repeat):
    gap = check_same_answer()
    busiest = max(
        (row for row in gap["regions"] if row["region"] is not None),
        key=lambda row: row["total"]["pledged"],
    )
    all_measures = measures(client, busiest["code"], gap)
    run_measures(all_measures, repeat)
    return gap, all_measures


# Reporting -------------------------------------------------------------------------------------


def print_header(arguments, loads, gap):
    print(f"Funding gap benchmark, {datetime.datetime.now():%Y-%m-%d %H:%M}")
    print(
        f"Machine: {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}"
    )
    print(f"Database: {database_description()}")
    for label, load in zip(("1/10", "full"), loads, strict=True):
        print(
            f"Data ({label}): "
            + ", ".join(f"{value:,} {name}" for name, value in load["sizes"].items())
        )
        print(
            f"      {load['tied']:,} disbursements against a pledge, {load['direct']:,} "
            f"without; loaded in {load['seconds']:.1f} s"
        )
    totals = gap["totals"]
    print(
        f"      {gap['first_year']}-{gap['last_year']} in {gap['base_currency']}: requirement "
        f"{totals['requirement']:,.0f}, pledged {totals['pledged']:,.0f}, committed "
        f"{totals['committed']:,.0f}, disbursed {totals['disbursed']:,.0f}; "
        f"{len(gap['unconverted'])} amounts per (kind, currency, year) left unconverted"
    )
    print(f"Each row: {arguments.repeat} runs (after one warm-up), logged in as a member.\n")


def print_table(small, large):
    ceiling = large[0].median
    bound = next(measure for measure in large if measure.bound).median
    small_bound = next(measure for measure in small if measure.bound).median
    columns = (
        f"{'':36} {'median ms':>10} {'p90 ms':>8} {'queries':>8} {'x ceiling':>10} "
        f"{'x raw SQL':>10} {'1/10: ms':>9} {'x raw':>6} {'queries':>8}"
    )
    print(columns)
    print("-" * len(columns))
    for measure, smaller in zip(large, small, strict=True):
        ratio = f"{measure.median / bound:10.2f}" if measure is not large[0] else " " * 10
        small_ratio = f"{smaller.median / small_bound:6.2f}" if smaller is not small[0] else " " * 6
        print(
            f"{measure.name:36} {measure.median:10.2f} {measure.p90:8.2f} "
            f"{measure.query_count:>8} {measure.median / ceiling:10.1f} {ratio} "
            f"{smaller.median:9.2f} {small_ratio} {smaller.query_count:>8}"
        )
    print("\nx ceiling: median / median of GET /healthz through the same middleware and client.")
    print("x raw SQL: median / median of the per-year figures in one hand-written statement.")
    print("1/10: the same rows with a tenth of the pledges, disbursements and requirements.")


def main(argv=None):
    arguments = parse_arguments(argv)
    workdir = Path(tempfile.mkdtemp(prefix="mineaction-benchmark-"))
    try:
        configure_django(workdir)
        return benchmark(arguments)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def benchmark(arguments):
    import numpy as np
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from mineaction.funding.models import Pledge

    call_command("migrate", verbosity=0, interactive=False)
    if Pledge.objects.exists():
        raise SystemExit(
            "The database already holds pledges. The benchmark fills an empty database only: "
            "unset DATABASE_URL (a temporary SQLite file) or use scripts/with-postgres."
        )
    rng = np.random.default_rng(arguments.seed)
    today = timezone.localdate()
    world, viewer = build_world(rng, arguments, today)
    client = Client()
    client.force_login(viewer)
    loads, results = [], []
    added = {"pledges": 0, "disbursements": 0, "requirements": 0, "tied": 0, "direct": 0}
    for fraction in (1 / FIRST_SIZE, 1):
        batch = {
            name: round(getattr(arguments, name) * fraction) - added[name]
            for name in ("pledges", "disbursements", "requirements")
        }
        seconds, tied, direct = add_records(
            rng,
            world,
            batch["pledges"],
            batch["disbursements"],
            batch["requirements"],
            added["pledges"] + 1,
        )
        for name, n in {**batch, "tied": tied, "direct": direct}.items():
            added[name] += n
        loads.append(
            {"sizes": sizes(), "seconds": seconds, "tied": added["tied"], "direct": added["direct"]}
        )
        results.append(measure_size(client, arguments.repeat))
        print(f"Measured with {fraction:.0%} of the records.", file=sys.stderr)
    print_header(arguments, loads, results[-1][0])
    print_table(results[0][1], results[1][1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
