"""Partnerships (Maputo Action Plan action 21), their documents, the parties' commitments and
the mutual accountability between the State and its partners.

A partnership binds the State (a national authority or a government ministry) and one or more
partners for a period. Each party records what it commits to, by when; once delivered, the
commitment is on time when delivered by its date and late otherwise; not yet delivered, it is
overdue once its date has passed and pending before. The pages, the API and the demo data call
these functions, so the rules, messages and figures are the same everywhere.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mineaction.core.models import currency_validator
from mineaction.core.tables import Column
from mineaction.partnerships.models import (
    Commitment,
    CommitmentKind,
    CommitmentStatus,
    Partnership,
    PartnershipDocument,
)
from mineaction.stakeholders.models import OrganisationType

# Who may be the State's party to a partnership.
STATE_PARTY_TYPES = (OrganisationType.NATIONAL_AUTHORITY, OrganisationType.GOVERNMENT_MINISTRY)
MAX_REPORT_DUE_DAYS = 365

ON_TIME, LATE, OVERDUE, PENDING = "on_time", "late", "overdue", "pending"
NOT_DELIVERED = "not_delivered"
TIMELINESS_LABELS = {
    ON_TIME: _("Delivered on time"),
    LATE: _("Delivered late"),
    OVERDUE: _("Overdue"),
    PENDING: _("Pending"),
}
# What became of the commitments a party counts (cancelled ones are not counted): these add up
# to the number committed.
OUTCOMES = (ON_TIME, LATE, OVERDUE, PENDING, NOT_DELIVERED)
OUTCOME_LABELS = {**TIMELINESS_LABELS, NOT_DELIVERED: _("Not delivered")}
OPEN_STATUSES = (CommitmentStatus.PLANNED, CommitmentStatus.IN_PROGRESS)
SHARE_PLACES = Decimal("0.0001")


def _add(errors, name, message):
    errors.setdefault(name, []).append(message)


def _names(organisations):
    return ", ".join(sorted(str(organisation) for organisation in organisations))


# Partnerships ----------------------------------------------------------------------------------


def partnership_problems(
    *,
    partnership=None,
    title,
    purpose,
    state_party,
    partners,
    starts_on,
    ends_on,
    report_due_days,
    focal_points=(),
):
    """Messages per field for a partnership's values; empty when they are acceptable."""
    errors = {}
    partners = list(partners or [])
    if not (title or "").strip():
        _add(errors, "title", _("Give the partnership a title."))
    if not (purpose or "").strip():
        _add(errors, "purpose", _("Say what the partnership is for."))
    if state_party is None:
        _add(errors, "state_party", _("Choose the State's party to the partnership."))
    elif state_party.type not in STATE_PARTY_TYPES:
        _add(
            errors,
            "state_party",
            _(
                "%(organisation)s cannot speak for the State: choose the national mine action "
                "authority or a government ministry."
            )
            % {"organisation": state_party},
        )
    if not partners:
        _add(errors, "partners", _("Choose at least one partner."))
    elif state_party is not None and state_party in partners:
        _add(
            errors,
            "partners",
            _("%(organisation)s is the State's party; it cannot also be a partner.")
            % {"organisation": state_party},
        )
    if starts_on and ends_on and ends_on <= starts_on:
        _add(errors, "ends_on", _("The partnership must end after it starts."))
    if report_due_days is not None and not 0 < report_due_days <= MAX_REPORT_DUE_DAYS:
        _add(
            errors,
            "report_due_days",
            _("Give between 1 and %(most)s days.") % {"most": MAX_REPORT_DUE_DAYS},
        )
    parties = {party.pk for party in [state_party, *partners] if party is not None}
    # Focal points are checked against the parties once these are right.
    parties_known = (
        state_party is not None and partners and not ({"state_party", "partners"} & set(errors))
    )
    strangers = [person for person in focal_points or [] if person.organisation_id not in parties]
    if parties_known and strangers:
        _add(
            errors,
            "focal_points",
            ngettext(
                "%(people)s is not a person of a party to the partnership.",
                "%(people)s are not people of the parties to the partnership.",
                len(strangers),
            )
            % {"people": ", ".join(sorted(str(person) for person in strangers))},
        )
    if partnership is not None and partnership.pk and parties and not errors:
        _committed_parties_problems(errors, partnership, parties)
    return errors


def _committed_parties_problems(errors, partnership, parties):
    """A party with commitments in the partnership stays a party."""
    leaving = {
        commitment.party
        for commitment in partnership.commitments.exclude(party_id__in=parties).select_related(
            "party"
        )
    }
    if leaving:
        _add(
            errors,
            "partners",
            _(
                "%(organisations)s made commitments in this partnership and must stay a party. "
                "Remove or move their commitments first."
            )
            % {"organisations": _names(leaving)},
        )


PARTNERSHIP_FIELDS = (
    "title",
    "purpose",
    "state_party",
    "starts_on",
    "ends_on",
    "reporting_frequency",
    "report_due_days",
)


@transaction.atomic
def partnership_save(
    *,
    partnership=None,
    title,
    purpose,
    state_party,
    partners,
    starts_on,
    ends_on,
    reporting_frequency,
    report_due_days,
    focal_points=(),
    plan_actions=(),
):
    """Create a partnership (`partnership` None) or change one. Returns it."""
    errors = partnership_problems(
        partnership=partnership,
        title=title,
        purpose=purpose,
        state_party=state_party,
        partners=partners,
        starts_on=starts_on,
        ends_on=ends_on,
        report_due_days=report_due_days,
        focal_points=focal_points,
    )
    if errors:
        raise ValidationError(errors)
    partnership = partnership or Partnership()
    values = {
        "title": title.strip(),
        "purpose": purpose.strip(),
        "state_party": state_party,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "reporting_frequency": reporting_frequency,
        "report_due_days": report_due_days,
    }
    for name, value in values.items():
        setattr(partnership, name, value)
    partnership.save()
    partnership.partners.set(partners)
    partnership.focal_points.set(focal_points or [])
    partnership.plan_actions.set(plan_actions or [])
    return partnership


def partnerships_of(organisation_id):
    """The partnerships the organisation is a party to (for the State or as a partner)."""
    return Partnership.objects.filter(
        Q(state_party_id=organisation_id) | Q(partners__id=organisation_id)
    ).distinct()


def partnership_parties(partnership):
    """The State's party first, then the partners by name."""
    return [partnership.state_party, *partnership.partners.order_by("name", "id")]


def partnership_period(partnership, today=None):
    """ "upcoming", "current" or "ended"."""
    today = today or timezone.localdate()
    if partnership.starts_on > today:
        return "upcoming"
    return "ended" if partnership.ends_on < today else "current"


@transaction.atomic
def partnership_document_add(*, partnership, title, file):
    """Attach a document (already checked by `core.uploads.validate_document`)."""
    if not (title or "").strip():
        raise ValidationError({"title": [_("Give the document a title.")]})
    return PartnershipDocument.objects.create(
        partnership=partnership, title=title.strip(), file=file
    )


@transaction.atomic
def partnership_document_delete(*, document):
    """Remove the document and its file once the removal is committed."""
    file = document.file
    document.delete()
    transaction.on_commit(lambda: file.delete(save=False))


# Commitments -----------------------------------------------------------------------------------


def is_party_to(partnership, organisation):
    if organisation is None:
        return False
    return (
        partnership.state_party_id == organisation.pk
        or partnership.partners.filter(pk=organisation.pk).exists()
    )


def commitment_problems(
    *,
    partnership,
    party,
    kind,
    description,
    due_on,
    status,
    delivered_on,
    amount,
    currency,
    today=None,
):
    """Messages per field for a commitment's values; empty when they are acceptable."""
    today = today or timezone.localdate()
    errors = {}
    if party is None:
        _add(errors, "party", _("Choose the party that makes the commitment."))
    elif partnership is not None and not is_party_to(partnership, party):
        _add(
            errors,
            "party",
            _("%(organisation)s is not a party to the partnership “%(partnership)s”.")
            % {"organisation": party, "partnership": partnership},
        )
    if kind not in CommitmentKind.values:
        _add(errors, "kind", _("Choose whether the commitment is financial, in kind, etc."))
    if not (description or "").strip():
        _add(errors, "description", _("Say what is committed."))
    if due_on is None:
        _add(errors, "due_on", _("Say by when the commitment is due."))
    _delivery_problems(errors, status, delivered_on, today)
    _money_problems(errors, kind, amount, currency)
    return errors


def _delivery_problems(errors, status, delivered_on, today):
    if status not in CommitmentStatus.values:
        _add(errors, "status", _("Choose the commitment's status."))
    elif status == CommitmentStatus.DELIVERED:
        if delivered_on is None:
            _add(errors, "delivered_on", _("Give the date it was delivered."))
        elif delivered_on > today:
            _add(errors, "delivered_on", _("The delivery date cannot be in the future."))
    elif delivered_on is not None:
        _add(
            errors,
            "delivered_on",
            _(
                "Only a delivered commitment has a delivery date: leave it empty or mark it as "
                "delivered."
            ),
        )


def _money_problems(errors, kind, amount, currency):
    if kind == CommitmentKind.FINANCIAL:
        if amount is None:
            _add(errors, "amount", _("A financial commitment needs an amount."))
        if not currency:
            _add(errors, "currency", _("A financial commitment needs a currency."))
    elif amount is not None and not currency:
        _add(errors, "currency", _("Give the currency of the amount."))
    if amount is not None and amount < 0:
        _add(errors, "amount", _("The amount cannot be negative."))
    if currency:
        try:
            currency_validator(currency)
        except ValidationError as error:
            errors.setdefault("currency", []).extend(error.messages)


COMMITMENT_FIELDS = (
    "partnership",
    "party",
    "kind",
    "description",
    "due_on",
    "status",
    "delivered_on",
    "amount",
    "currency",
)


def _check_commitment(values, today):
    errors = commitment_problems(**{name: values[name] for name in COMMITMENT_FIELDS}, today=today)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def commitment_create(
    *,
    partnership=None,
    party,
    kind,
    description,
    due_on,
    status=CommitmentStatus.PLANNED,
    delivered_on=None,
    amount=None,
    currency="",
    plan_actions=(),
    challenges=(),
    today=None,
):
    """Record a party's commitment (the caller has checked who may record it for whom)."""
    values = {
        "partnership": partnership,
        "party": party,
        "kind": kind,
        "description": (description or "").strip(),
        "due_on": due_on,
        "status": status,
        "delivered_on": delivered_on,
        "amount": amount,
        "currency": (currency or "").strip().upper(),
    }
    _check_commitment(values, today)
    commitment = Commitment.objects.create(**values)
    commitment.plan_actions.set(plan_actions or [])
    commitment.challenges.set(challenges or [])
    return commitment


@transaction.atomic
def commitment_update(*, commitment, today=None, plan_actions=None, challenges=None, **changes):
    """Change a commitment: any of COMMITMENT_FIELDS in `changes`, and its plan actions and
    challenges when given. The whole commitment is checked as it would be after the change."""
    unknown = set(changes) - set(COMMITMENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown commitment fields: {sorted(unknown)}")
    if "description" in changes:
        changes["description"] = (changes["description"] or "").strip()
    if "currency" in changes:
        changes["currency"] = (changes["currency"] or "").strip().upper()
    values = {name: changes.get(name, getattr(commitment, name)) for name in COMMITMENT_FIELDS}
    _check_commitment(values, today)
    for name in changes:
        setattr(commitment, name, values[name])
    commitment.save()
    if plan_actions is not None:
        commitment.plan_actions.set(plan_actions)
    if challenges is not None:
        commitment.challenges.set(challenges)
    return commitment


def timeliness_filter(commitments, timeliness, today=None):
    """The commitments whose `Commitment.timeliness(today)` is `timeliness`."""
    today = today or timezone.localdate()
    delivered = Q(status=CommitmentStatus.DELIVERED)
    open_ = Q(status__in=OPEN_STATUSES)
    conditions = {
        ON_TIME: delivered & Q(delivered_on__lte=F("due_on")),
        LATE: delivered & Q(delivered_on__gt=F("due_on")),
        OVERDUE: open_ & Q(due_on__lt=today),
        PENDING: open_ & Q(due_on__gte=today),
    }
    return commitments.filter(conditions[timeliness])


def commitment_outcome(commitment, today):
    """The commitment's timeliness, NOT_DELIVERED, or "" when cancelled."""
    if commitment.status == CommitmentStatus.CANCELLED:
        return ""
    return commitment.timeliness(today) or NOT_DELIVERED


# Exports ---------------------------------------------------------------------------------------


def _label(mapping):
    return lambda value: str(mapping.get(value, value))


def commitment_columns(today):
    kinds, statuses = dict(CommitmentKind.choices), dict(CommitmentStatus.choices)
    return [
        Column(_("Committed by"), lambda c: c.party.name),
        Column(_("Partnership"), lambda c: c.partnership.title if c.partnership_id else ""),
        Column(_("Kind"), lambda c: _label(kinds)(c.kind)),
        Column(_("What"), lambda c: c.description),
        Column(_("By when"), lambda c: c.due_on),
        Column(_("Status"), lambda c: _label(statuses)(c.status)),
        Column(_("Delivered on"), lambda c: c.delivered_on),
        Column(_("Timeliness"), lambda c: _label(TIMELINESS_LABELS)(c.timeliness(today))),
        Column(_("Amount"), lambda c: c.amount),
        Column(_("Currency"), lambda c: c.currency),
    ]


# Mutual accountability -------------------------------------------------------------------------


def share(count, total):
    """`count` / `total` to four places, or None when there is nothing to share."""
    if not total:
        return None
    return (Decimal(count) / Decimal(total)).quantize(SHARE_PLACES)


@dataclass
class Side:
    """What one party (or all partners together) committed and delivered."""

    party: object  # an Organisation, or None for all partners together
    role: str  # "state", "partner" or "partners"
    commitments: list = field(default_factory=list)
    cancelled: int = 0
    by_kind: dict = field(default_factory=lambda: dict.fromkeys(CommitmentKind.values, 0))
    outcomes: dict = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    committed_amounts: dict = field(default_factory=dict)  # {currency: Decimal}
    delivered_amounts: dict = field(default_factory=dict)

    @property
    def committed(self):
        """Commitments counted: every one except those cancelled."""
        return sum(self.outcomes.values())

    @property
    def delivered(self):
        return self.outcomes[ON_TIME] + self.outcomes[LATE]

    def shares(self):
        return {key: share(count, self.committed) for key, count in self.outcomes.items()}

    def amounts(self):
        currencies = sorted(set(self.committed_amounts) | set(self.delivered_amounts))
        return [
            {
                "currency": currency,
                "committed": self.committed_amounts.get(currency, Decimal(0)),
                "delivered": self.delivered_amounts.get(currency, Decimal(0)),
            }
            for currency in currencies
        ]

    def add(self, commitment, outcome):
        self.commitments.append(commitment)
        if not outcome:
            self.cancelled += 1
            return
        self.outcomes[outcome] += 1
        self.by_kind[commitment.kind] += 1
        if commitment.amount is not None:
            _sum_into(self.committed_amounts, commitment.currency, commitment.amount)
            if outcome in (ON_TIME, LATE):
                _sum_into(self.delivered_amounts, commitment.currency, commitment.amount)


def _sum_into(amounts, currency, amount):
    amounts[currency] = amounts.get(currency, Decimal(0)) + amount


@dataclass
class Accountability:
    partnership: Partnership
    today: datetime.date
    sides: list  # [Side]: the State's first, then each partner
    partners_total: Side

    @property
    def state(self):
        return self.sides[0]


def partnership_accountability(partnership, today=None):
    """Per party of the partnership: what it committed (by kind) and what became of it (on
    time, late, overdue, pending, not delivered; cancelled ones apart), with the shares of the
    commitments counted, the amounts per currency and the list. Two queries."""
    today = today or timezone.localdate()
    parties = partnership_parties(partnership)
    sides = {
        party.pk: Side(party=party, role="state" if i == 0 else "partner")
        for i, party in enumerate(parties)
    }
    partners_total = Side(party=None, role="partners")
    commitments = (
        partnership.commitments.select_related("party")
        .prefetch_related("plan_actions")
        .order_by("due_on", "id")
    )
    for commitment in commitments:
        side = sides.get(commitment.party_id)
        if side is None:  # a former party (the pages keep parties with commitments)
            side = sides[commitment.party_id] = Side(party=commitment.party, role="partner")
        outcome = commitment_outcome(commitment, today)
        commitment.outcome = outcome
        side.add(commitment, outcome)
        if side.role == "partner":
            partners_total.add(commitment, outcome)
    return Accountability(
        partnership=partnership,
        today=today,
        sides=list(sides.values()),
        partners_total=partners_total,
    )


def _decimal(value):
    return None if value is None else str(value)


def organisation_json(organisation):
    return {
        "public_id": str(organisation.public_id),
        "name": organisation.name,
        "acronym": organisation.acronym,
    }


def side_json(side):
    return {
        "party": organisation_json(side.party) if side.party is not None else None,
        "role": side.role,
        "committed": side.committed,
        "cancelled": side.cancelled,
        "delivered": side.delivered,
        "by_kind": dict(side.by_kind),
        "outcomes": dict(side.outcomes),
        "shares": {key: _decimal(value) for key, value in side.shares().items()},
        "amounts": [
            {
                "currency": row["currency"],
                "committed": str(row["committed"]),
                "delivered": str(row["delivered"]),
            }
            for row in side.amounts()
        ],
    }


def accountability_json(accountability, *, commitment_json=None):
    """The JSON twin of the accountability view."""
    partnership = accountability.partnership
    body = {
        "partnership": {"public_id": str(partnership.public_id), "title": partnership.title},
        "today": accountability.today.isoformat(),
        "sides": [side_json(side) for side in accountability.sides],
        "partners_total": side_json(accountability.partners_total),
    }
    if commitment_json is not None:
        body["commitments"] = [
            commitment_json(commitment)
            for side in accountability.sides
            for commitment in side.commitments
        ]
    return body


def accountability_columns():
    """The export of the accountability figures: one line per party."""
    roles = {
        "state": _("For the State"),
        "partner": _("Partner"),
        "partners": _("All partners"),
    }
    kinds = dict(CommitmentKind.choices)
    columns = [
        Column(_("Party"), lambda s: s.party.name if s.party is not None else str(roles[s.role])),
        Column(_("Side"), lambda s: str(roles[s.role])),
        Column(_("Committed"), lambda s: s.committed),
    ]
    columns += [
        Column(label, lambda s, kind=kind: s.by_kind[kind]) for kind, label in kinds.items()
    ]
    columns.append(Column(_("Delivered"), lambda s: s.delivered))
    for key, label in OUTCOME_LABELS.items():
        columns.append(Column(label, lambda s, key=key: s.outcomes[key]))
        columns.append(
            Column(
                _("%(outcome)s (share)") % {"outcome": label},
                lambda s, key=key: s.shares()[key],
            )
        )
    columns.append(Column(_("Cancelled"), lambda s: s.cancelled))
    return columns
