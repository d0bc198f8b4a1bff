"""Money arithmetic: Decimal only, cents exact, conversion to the base currency by year.

Floats never enter: `as_decimal` refuses them, so that 0.1 + 0.2 stays 0.3. A pledge's yearly
parts add up exactly to the pledge (the remainder of an equal split goes to the first years),
and conversion rounds each part to the cent on its own, so that every total built from the
same converted parts reconciles exactly whichever way it is summed.
"""

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mineaction.core.models import CountryProfile
from mineaction.funding.models import ExchangeRate, Pledge, PledgeYear

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# A longer pledge is a typing mistake (2205 for 2025), not a real commitment; so is a year
# outside these.
MAX_PLEDGE_YEARS = 30
EARLIEST_YEAR = 1990
LATEST_YEAR = 2100
DEFAULT_BASE_CURRENCY = "USD"


def as_decimal(value) -> Decimal:
    """A Decimal from a Decimal, an int or a string; floats are refused, they cannot hold
    cents exactly."""
    if isinstance(value, (bool, float)):
        raise TypeError("Money must be a Decimal, an int or a string, never a float.")
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(value if isinstance(value, int) else str(value).strip())
    except InvalidOperation:
        raise ValueError(f"Not an amount: {value!r}") from None


def cents(value) -> Decimal:
    """The amount rounded to the cent (half up, as accountants round)."""
    return as_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_amount(value: Decimal) -> str:
    """The amount as a plain decimal string with two decimals (the API's money format)."""
    return str(cents(value))


def base_currency() -> str:
    profile = CountryProfile.load()
    return profile.currency if profile is not None else DEFAULT_BASE_CURRENCY


class Rates(Mapping):
    """The exchange rates {(currency, year): rate} with the base currency they convert to."""

    def __init__(self, base: str, table: Mapping | None = None):
        self.base = base
        self._table = dict(table or {})

    def __getitem__(self, key):
        return self._table[key]

    def __iter__(self):
        return iter(self._table)

    def __len__(self):
        return len(self._table)

    def rate(self, currency: str, year: int) -> Decimal | None:
        if currency == self.base:
            return Decimal(1)
        return self._table.get((currency, year))


def load_rates(*, years=None, base: str | None = None) -> Rates:
    """Every exchange rate (of the given years), in one query."""
    queryset = ExchangeRate.objects.all()
    if years is not None:
        queryset = queryset.filter(year__in=list(years))
    table = {
        (currency, year): rate
        for currency, year, rate in queryset.values_list("currency", "year", "rate")
    }
    return Rates(base or base_currency(), table)


def to_base(amount, currency: str, year: int, *, rates: Mapping | None = None) -> Decimal | None:
    """`amount` of `currency` in the base currency with `year`'s rate, to the cent; None when
    the year has no rate for that currency (never guessed from another year)."""
    amount = as_decimal(amount)
    if rates is None:
        rates = load_rates(years=[year])
    elif not isinstance(rates, Rates):
        rates = Rates(base_currency(), rates)
    rate = rates.rate(currency, year)
    if rate is None:
        return None
    return cents(amount * as_decimal(rate))


def split_over_years(amount, first_year: int, last_year: int) -> dict[int, Decimal]:
    """Equal parts in cents, the remaining cents one each to the first years; the parts add up
    exactly to the amount (rounded to the cent)."""
    if last_year < first_year:
        raise ValueError("last_year comes before first_year")
    total_cents = int(cents(amount) * 100)
    years = list(range(first_year, last_year + 1))
    sign = -1 if total_cents < 0 else 1
    share, remainder = divmod(abs(total_cents), len(years))
    return {
        year: (Decimal(sign * (share + (1 if index < remainder else 0))) / 100).quantize(CENT)
        for index, year in enumerate(years)
    }


def year_problem(year):
    """The message for a year outside the years the platform accepts, or None."""
    if year is not None and not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return _("Enter a year between %(earliest)s and %(latest)s.") % {
            "earliest": EARLIEST_YEAR,
            "latest": LATEST_YEAR,
        }
    return None


def _years_errors(pledge: Pledge) -> dict:
    errors = {}
    for name in ("first_year", "last_year"):
        if (message := year_problem(getattr(pledge, name))) is not None:
            errors[name] = message
    if errors or pledge.first_year is None or pledge.last_year is None:
        return errors
    if pledge.last_year < pledge.first_year:
        errors["last_year"] = _("The last year cannot come before the first year.")
    elif pledge.last_year - pledge.first_year + 1 > MAX_PLEDGE_YEARS:
        errors["last_year"] = _("A pledge can span at most %(count)s years.") % {
            "count": MAX_PLEDGE_YEARS
        }
    return errors


def clean_split(*, amount, first_year: int, last_year: int, years: Mapping) -> dict[int, Decimal]:
    """An explicit split {year: amount} checked against the pledge: years within the pledge's
    years, parts not negative and in cents, adding up exactly to the amount. Raises a
    ValidationError on "years" naming what is wrong (the difference when the sum is off)."""
    amount = cents(amount)
    split = {}
    for year, part in years.items():
        year = int(year)
        try:
            part = as_decimal(part)
        except (TypeError, ValueError):
            raise ValidationError(
                {"years": _("The part for %(year)s is not an amount.") % {"year": year}}
            ) from None
        if not first_year <= year <= last_year:
            raise ValidationError(
                {
                    "years": _("%(year)s lies outside the pledge's years (%(first)s to %(last)s).")
                    % {"year": year, "first": first_year, "last": last_year}
                }
            )
        if part < 0:
            raise ValidationError(
                {"years": _("The part for %(year)s cannot be negative.") % {"year": year}}
            )
        if part != cents(part):
            raise ValidationError(
                {"years": _("The part for %(year)s has more than two decimals.") % {"year": year}}
            )
        split[year] = cents(part)
    total = sum(split.values(), ZERO)
    if total != amount:
        difference = format_amount(abs(total - amount))
        message = (
            _(
                "The yearly parts add up to %(total)s, %(difference)s less than the amount "
                "%(amount)s."
            )
            if total < amount
            else _(
                "The yearly parts add up to %(total)s, %(difference)s more than the amount "
                "%(amount)s."
            )
        )
        raise ValidationError(
            {
                "years": message
                % {
                    "total": format_amount(total),
                    "difference": difference,
                    "amount": format_amount(amount),
                }
            }
        )
    return dict(sorted(split.items()))


@transaction.atomic
def pledge_save(*, pledge: Pledge, years: Mapping | None = None) -> Pledge:
    """Save the pledge and write its split over the years: the explicit `years` {year: amount}
    when given (they must lie within its years and add up to its amount), else equal parts.
    Everything is checked before anything is written."""
    pledge.currency = (pledge.currency or "").upper()
    errors = {}
    try:
        pledge.full_clean(validate_constraints=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    for field, message in _years_errors(pledge).items():
        errors.setdefault(field, []).append(message)
    if errors:
        raise ValidationError(errors)
    if years:
        split = clean_split(
            amount=pledge.amount,
            first_year=pledge.first_year,
            last_year=pledge.last_year,
            years=years,
        )
    else:
        split = split_over_years(pledge.amount, pledge.first_year, pledge.last_year)
    pledge.save()
    existing = {part.year: part for part in pledge.years.all()}
    pledge.years.exclude(year__in=list(split)).delete()
    for year, part in split.items():
        row = existing.get(year)
        if row is None:
            PledgeYear.objects.create(pledge=pledge, year=year, amount=part)
        elif row.amount != part:
            row.amount = part
            row.save(update_fields=["amount"])
    return pledge


def funding_gap(**filters) -> dict:
    """The gap summary; see `mineaction.funding.services.gap.funding_gap`."""
    from mineaction.funding.services.gap import funding_gap as summary

    return summary(**filters)
