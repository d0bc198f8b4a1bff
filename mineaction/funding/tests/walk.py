"""The funding records of the every-URL walk; see `dashboard/tests/walks.py`."""

import datetime
from decimal import Decimal

from mineaction.funding.iati.importer import empty_report
from mineaction.funding.models import (
    Disbursement,
    ExchangeRate,
    FundingRequirement,
    IatiActivity,
    IatiImport,
    IatiTransaction,
    Pledge,
    Source,
)
from mineaction.funding.services.money import pledge_save
from mineaction.stakeholders.models import Organisation


def walk_records():
    """One record of each kind, for the URLs that name one (keys are URL_RECORDS values).

    The pledges and disbursements belong to the lead donor persona's organisation. Deletes
    through the API are walked on records whose deletion is refused (taken from the work plans,
    imported from IATI), so that the walk changes nothing."""
    donor = Organisation.objects.get(name="Kingdom of Examplia")
    requirement = FundingRequirement.objects.create(
        year=2025, amount=Decimal("1000000.00"), currency="USD", description="Walk requirement"
    )
    pledge = pledge_save(
        pledge=Pledge(
            donor=donor,
            title="Walk pledge",
            amount=Decimal("300000.00"),
            currency="EUR",
            first_year=2025,
            last_year=2027,
            pledged_on=datetime.date(2024, 11, 1),
        )
    )
    disbursement = Disbursement.objects.create(
        pledge=pledge,
        donor=donor,
        disbursed_on=datetime.date(2025, 3, 1),
        amount=Decimal("100000.00"),
        currency="EUR",
    )
    rate = ExchangeRate.objects.create(currency="EUR", year=2025, rate=Decimal("1.08000000"))
    return {
        "requirement": requirement,
        "pledge": pledge,
        "disbursement": disbursement,
        "rate": rate,
        **_walk_sourced_records(donor),
        **_walk_iati_records(),
    }


def _walk_sourced_records(donor):
    """A requirement from the work plans, and a pledge and disbursement from IATI."""
    requirement = FundingRequirement.objects.create(
        year=2026,
        amount=Decimal("500000.00"),
        currency="USD",
        source=Source.WORK_PLAN,
        description="Walk work plan budget",
    )
    activity = IatiActivity.objects.create(
        iati_identifier="XM-WALK-FUNDING-1",
        title="Walk IATI activity",
        reporting_org_ref="XM-WALK",
        default_currency="EUR",
        share=Decimal("1"),
        standard_version="2.03",
    )
    pledge = pledge_save(
        pledge=Pledge(
            donor=donor,
            title="Walk IATI pledge",
            amount=Decimal("200000.00"),
            currency="EUR",
            first_year=2025,
            last_year=2026,
            status="committed",
            source=Source.IATI,
            iati_activity=activity,
        )
    )
    disbursement = Disbursement.objects.create(
        pledge=pledge,
        donor=donor,
        disbursed_on=datetime.date(2025, 6, 1),
        amount=Decimal("50000.00"),
        currency="EUR",
        source=Source.IATI,
    )
    return {
        "requirement_from_work_plans": requirement,
        "pledge_from_iati": pledge,
        "disbursement_from_iati": disbursement,
    }


def _walk_iati_records():
    """An IATI import's record and an imported activity with one transaction."""
    record = IatiImport.objects.create(
        original_name="walk.xml",
        country="LA",
        status=IatiImport.Status.DONE,
        report=empty_report("LA"),
    )
    activity = IatiActivity.objects.create(
        iati_identifier="XM-WALK-IATI-1",
        title="Walk IATI import activity",
        reporting_org_ref="XM-WALK",
        default_currency="USD",
        share=Decimal("0.5"),
        standard_version="2.03",
    )
    IatiTransaction.objects.create(
        activity=activity,
        position=1,
        type=IatiTransaction.Type.OUTGOING_COMMITMENT,
        date=datetime.date(2024, 2, 1),
        value=Decimal("1000.00"),
        currency="USD",
        share=Decimal("0.5"),
    )
    return {"iati_import": record, "iati_activity": activity}
