"""Which activities and transactions of an IATI file are mine action for the country.

An activity is mine action when it carries DAC sector 15250 (vocabulary 1, the default):
at activity level its percentage is the share of every transaction; at transaction level only
the transactions that carry it count, each in full. With a recipient country, an activity
that names its countries must name that one; otherwise only the transactions to that country
count. Everything left out is counted by reason for the report.
"""

import dataclasses
from collections import Counter
from decimal import Decimal

from django.utils.translation import gettext as _

from mineaction.funding.iati import codes
from mineaction.funding.iati.parser import Issue
from mineaction.funding.models import IatiTransaction

ONE = Decimal(1)
HUNDRED = Decimal(100)
SHARE_PLACES = Decimal("0.0001")

# Reasons an activity or a transaction is skipped (keys of the report).
NO_MINE_ACTION_SECTOR = "no_mine_action_sector"
OTHER_COUNTRY = "other_country"
NO_RECIPIENT_COUNTRY = "no_recipient_country"
UNSUPPORTED_TYPE = "unsupported_type"
ACTIVITY_SKIP_REASONS = (NO_MINE_ACTION_SECTOR, OTHER_COUNTRY, NO_RECIPIENT_COUNTRY)
TRANSACTION_SKIP_REASONS = (*ACTIVITY_SKIP_REASONS, UNSUPPORTED_TYPE)
# The transaction types the platform stores (IATI types 5 to 10 are not pledges or spending).
STORED_TYPES = frozenset(IatiTransaction.Type.values)


@dataclasses.dataclass
class SelectedActivity:
    """An activity to import, with the transactions that count and their share."""

    activity: object
    share: Decimal
    transactions: list  # [(parser.Transaction, share)]
    skipped_transactions: Counter


def activity_share(activity):
    """The 15250 share of the activity-level sectors (1 for 100 or no percentage), or None
    when the activity does not name 15250 at activity level."""
    percentages = [
        HUNDRED if sector.percentage is None else sector.percentage
        for sector in activity.sectors
        if sector.is_mine_action
    ]
    if not percentages:
        return None
    return (min(sum(percentages), HUNDRED) / HUNDRED).quantize(SHARE_PLACES)


def select_activity(activity, country):
    """A SelectedActivity, or the reason the activity is skipped."""
    skipped = Counter()
    share = activity_share(activity)
    if share is None:
        candidates = [(tx, ONE) for tx in activity.transactions if tx.is_mine_action]
        if not candidates:
            return NO_MINE_ACTION_SECTOR
        skipped[NO_MINE_ACTION_SECTOR] = len(activity.transactions) - len(candidates)
        share = ONE
    elif share == 0:
        return NO_MINE_ACTION_SECTOR
    else:
        candidates = [(tx, share) for tx in activity.transactions]
    if country and activity.countries and country not in activity.countries:
        return OTHER_COUNTRY
    if country and not activity.countries:
        kept = [(tx, tx_share) for tx, tx_share in candidates if country in tx.countries]
        if not kept:
            named = any(tx.countries for tx, _share in candidates)
            return OTHER_COUNTRY if named else NO_RECIPIENT_COUNTRY
        skipped[OTHER_COUNTRY] = sum(
            1 for tx, _share in candidates if tx.countries and country not in tx.countries
        )
        skipped[NO_RECIPIENT_COUNTRY] = sum(1 for tx, _share in candidates if not tx.countries)
        candidates = kept
    supported = [(tx, tx_share) for tx, tx_share in candidates if tx.type in STORED_TYPES]
    skipped[UNSUPPORTED_TYPE] = len(candidates) - len(supported)
    return SelectedActivity(
        activity=activity, share=share, transactions=supported, skipped_transactions=skipped
    )


def select(activities, country):
    """(selected activities, {reason: count of skipped activities}, [(identifier, (reason,
    line)) of the skipped activities], warnings)."""
    selected, skipped, skipped_identifiers, warnings = [], Counter(), [], []
    for activity in activities:
        outcome = select_activity(activity, country)
        if isinstance(outcome, str):
            skipped[outcome] += 1
            skipped_identifiers.append((activity.identifier, (outcome, activity.line)))
            continue
        selected.append(outcome)
        warnings.extend(_selection_warnings(outcome))
    return selected, skipped, skipped_identifiers, warnings


def _selection_warnings(selected):
    activity = selected.activity
    warnings = []
    if len(activity.countries) > 1:
        warnings.append(
            Issue(
                activity.line,
                activity.identifier,
                _(
                    "The activity names several recipient countries (%(countries)s): its values "
                    "are counted in full, not split between the countries."
                )
                % {"countries": ", ".join(activity.countries)},
            )
        )
    unsupported = sorted(
        {tx.type for tx in activity.transactions if tx.type not in STORED_TYPES},
        key=int,
    )
    if unsupported and selected.skipped_transactions[UNSUPPORTED_TYPE]:
        warnings.append(
            Issue(
                activity.line,
                activity.identifier,
                _(
                    "Transactions of type %(types)s (interest, repayments, equity or "
                    "guarantees) are not pledges or spending: they are not imported."
                )
                % {"types": ", ".join(unsupported)},
            )
        )
    return warnings


def country_code_error(country):
    """The message for a recipient country that is not an ISO 3166 alpha-2 code, or None."""
    if country and country not in codes.COUNTRIES:
        return _("“%(code)s” is not an ISO 3166 two-letter country code (such as LA or KH).") % {
            "code": country
        }
    return None
