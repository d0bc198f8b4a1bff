"""Records for the resource mobilisation tests."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mineaction.conftest import make_organisation
from mineaction.core.models import AuditEntry
from mineaction.funding.models import (
    Disbursement,
    ExchangeRate,
    FundingRequirement,
    Pledge,
    PledgeStatus,
    PledgeYear,
)
from mineaction.funding.services.money import pledge_save
from mineaction.stakeholders.models import OrganisationType

AdminArea = Pledge._meta.get_field("region").related_model
LOGIN = "login"
MANAGERS = ["secretariat", "lead_authority", "administrator"]
# Whoever speaks for an organisation records its pledges.
RECORDERS = ["member", "lead_donor", "data_manager", *MANAGERS]
READERS = ["observer", "member", "lead_donor", "data_manager", *MANAGERS]


def assert_outcome(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
    else:
        assert response.status_code == expected


def text_of(response):
    return " ".join(response.content.decode().split())


def funding_state():
    """Everything a refused write must leave as it was."""
    return {
        "rates": list(ExchangeRate.objects.order_by("pk").values()),
        "requirements": list(FundingRequirement.objects.order_by("pk").values()),
        "pledges": list(Pledge.objects.order_by("pk").values()),
        "years": list(PledgeYear.objects.order_by("pk").values()),
        "disbursements": list(Disbursement.objects.order_by("pk").values()),
        "audit": AuditEntry.objects.count(),
    }


def queries_for(client, url, **params):
    """How many queries a GET of `url` makes (for flat query-count assertions)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries)


def make_donor(name):
    return make_organisation(name, OrganisationType.DONOR_STATE)


def make_region(code, name=None, *, parent=None):
    return AdminArea.objects.create(
        code=code,
        name=name or f"Region {code}",
        level=parent.level + 1 if parent else 1,
        parent=parent,
    )


def make_rate(currency, year, rate):
    return ExchangeRate.objects.create(currency=currency, year=year, rate=Decimal(rate))


def make_requirement(year, amount, currency="USD", **fields):
    return FundingRequirement.objects.create(
        year=year, amount=Decimal(amount), currency=currency, **fields
    )


def make_pledge(donor, amount, currency="USD", first_year=2025, last_year=None, **fields):
    years = fields.pop("years", None)
    fields.setdefault("title", f"Pledge of {donor.name}")
    fields.setdefault("pledged_on", datetime.date(2024, 12, 1))
    fields.setdefault("status", PledgeStatus.PLEDGED)
    pledge = Pledge(
        donor=donor,
        amount=Decimal(amount),
        currency=currency,
        first_year=first_year,
        last_year=last_year if last_year is not None else first_year,
        **fields,
    )
    return pledge_save(pledge=pledge, years=years)


def make_disbursement(donor, on, amount, currency="USD", *, pledge=None, **fields):
    return Disbursement.objects.create(
        donor=donor,
        pledge=pledge,
        disbursed_on=on,
        amount=Decimal(amount),
        currency=currency,
        **fields,
    )


def amounts_of(pledge):
    return {part.year: part.amount for part in pledge.years.order_by("year")}
