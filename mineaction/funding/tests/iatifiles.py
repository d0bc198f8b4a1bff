"""IATI files for the tests: the real files of the shared data folder, small files written
for one case, an independent count of a file's mine action figures, and the row counts of
every table an import may write."""

import os
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from mineaction.core.models import AuditEntry
from mineaction.funding.models import (
    Disbursement,
    ExchangeRate,
    FundingRequirement,
    IatiActivity,
    IatiBudget,
    IatiImport,
    IatiTransaction,
    Pledge,
    PledgeYear,
)
from mineaction.stakeholders.models import Organisation


def _shared_data():
    """The shared data folder: `SHARED_DATA_DIR` when set, else the first `shared/data` beside
    the checkout or one of its parents (a clone made anywhere under the work folder finds it),
    else the work folder's."""
    if os.environ.get("SHARED_DATA_DIR"):
        return Path(os.environ["SHARED_DATA_DIR"])
    for folder in Path(settings.BASE_DIR).resolve().parents:
        if (folder / "shared" / "data").is_dir():
            return folder / "shared" / "data"
    return Path("/work/shared/data")


DATA = _shared_data() / "iati"
STATE_LAOS = DATA / "state-laos.xml"
DPORTAL = DATA / "dportal_75.xml"
EXAMPLE = DATA / "activity-standard-example-annotated.xml"

TABLES = (
    ExchangeRate,
    FundingRequirement,
    Pledge,
    PledgeYear,
    Disbursement,
    IatiActivity,
    IatiTransaction,
    IatiBudget,
    IatiImport,
    Organisation,
    AuditEntry,
)


def table_counts():
    return {model.__name__: model.objects.count() for model in TABLES}


# The independent count ----------------------------------------------------------------------------


def _is_mine_action(sector):
    return sector.get("code") == "15250" and sector.get("vocabulary", "1") == "1"


def expected_figures(path, country=None):
    """The mine action figures of a file by the rules of the import, read with the standard
    library's ElementTree: the activities (identifier -> share), and per transaction counted
    its type, year, currency, value and weighted value."""
    activities, transactions = {}, []
    for activity in ET.parse(path).getroot().findall("iati-activity"):
        identifier = activity.findtext("iati-identifier").strip()
        default_currency = activity.get("default-currency")
        percentages = [
            Decimal(sector.get("percentage", "100"))
            for sector in activity.findall("sector")
            if _is_mine_action(sector)
        ]
        countries = [c.get("code") for c in activity.findall("recipient-country")]
        if country and countries and country not in countries:
            continue
        rows = []
        for transaction in activity.findall("transaction"):
            if percentages:
                share = sum(percentages) / 100
            elif any(_is_mine_action(s) for s in transaction.findall("sector")):
                share = Decimal(1)
            else:
                continue
            to = [c.get("code") for c in transaction.findall("recipient-country")]
            if country and not countries and country not in to:
                continue
            value = transaction.find("value")
            amount = Decimal(value.text.strip())
            rows.append(
                {
                    "activity": identifier,
                    "type": transaction.find("transaction-type").get("code"),
                    "year": int(transaction.find("transaction-date").get("iso-date")[:4]),
                    "currency": value.get("currency") or default_currency,
                    "value": amount,
                    "weighted": (amount * share).quantize(Decimal("0.01")),
                }
            )
        if rows or (percentages and not country):
            activities[identifier] = sum(percentages) / 100 if percentages else Decimal(1)
            transactions.extend(rows)
    return activities, transactions


def sums(transactions, *keys, field="value"):
    """{key tuple: sum of `field`} of the counted transactions."""
    totals = defaultdict(Decimal)
    for row in transactions:
        totals[tuple(row[key] for key in keys)] += row[field]
    return dict(totals)


def counts(transactions, key):
    return Counter(row[key] for row in transactions)


# Small files -----------------------------------------------------------------------------------


def transaction_xml(
    type="2",
    date="2024-03-01",
    value="1000",
    currency=None,
    sector=None,
    country=None,
    extra="",
    value_date=None,
):
    currency_attribute = f' currency="{currency}"' if currency else ""
    sector_element = f'<sector vocabulary="1" code="{sector}"/>' if sector else ""
    country_element = f'<recipient-country code="{country}"/>' if country else ""
    return (
        f'<transaction><transaction-type code="{type}"/>'
        f'<transaction-date iso-date="{date}"/>'
        f'<value value-date="{value_date or date}"{currency_attribute}>{value}</value>'
        f"{sector_element}{country_element}{extra}</transaction>"
    )


def activity_xml(
    identifier="XM-TEST-1",
    *,
    transactions=(),
    sectors=(("15250", None),),
    countries=("LA",),
    currency="USD",
    reporting_org="XM-DAC-7",
    reporting_org_type="10",
    reporting_org_name="Examplian Aid Agency",
    title="Clearance in the north",
    extra="",
):
    currency_attribute = f' default-currency="{currency}"' if currency else ""
    sector_elements = "".join(
        f'<sector vocabulary="1" code="{code}"'
        + (f' percentage="{percentage}"' if percentage is not None else "")
        + "/>"
        for code, percentage in sectors
    )
    country_elements = "".join(f'<recipient-country code="{code}"/>' for code in countries)
    return (
        f'<iati-activity{currency_attribute} last-updated-datetime="2024-05-01T10:00:00Z">\n'
        f"<iati-identifier>{identifier}</iati-identifier>\n"
        f'<reporting-org ref="{reporting_org}" type="{reporting_org_type}">'
        f"<narrative>{reporting_org_name}</narrative></reporting-org>\n"
        f"<title><narrative>{title}</narrative></title>\n"
        f'<activity-status code="2"/>\n'
        f"{country_elements}{sector_elements}\n"
        + "\n".join(transactions)
        + f"\n{extra}</iati-activity>\n"
    )


def iati_file(path, *activities, version="2.03"):
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="{version}">\n'
        + "".join(activities)
        + "</iati-activities>\n",
        encoding="utf-8",
    )
    return path
