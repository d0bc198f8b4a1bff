"""Importing an IATI activity file: all of it or nothing.

The file is read and checked in full before anything is written; any problem refuses the file,
and the import is still recorded (status "refused", every problem listed) so that managers see
why. The mine action activities (see `selection`) are upserted by IATI identifier with their
transactions and budgets, and each derives its pledges and disbursements (source "iati"):

- one pledge per activity and currency: committed from the commitments (types 2 and 11), or
  pledged from the pledges (types 12 and 13) when there is no commitment, split over the years
  of the transaction dates; "disbursed" once the disbursements reach the commitment;
- one disbursement per disbursement transaction (type 3);
- values weighted by the 15250 share. Expenditure (4) and incoming funds (1) are stored and
  reported but derive nothing: the gap would count the same money twice.

A de-obligation (a negative commitment) is kept on its transaction and reduces the yearly
parts of the years before it, since a pledge's parts cannot be negative. Derived records are
updated in place (matched by the activity, its currency or its transaction), so a manager's
component, region or partnership on a derived pledge survives a re-import; re-importing the
same file writes nothing at all.
"""

import contextlib
import dataclasses
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mineaction.core import audit
from mineaction.funding.iati import selection
from mineaction.funding.iati.parser import IatiFileError, Issue, parse_file
from mineaction.funding.models import (
    Disbursement,
    IatiActivity,
    IatiBudget,
    IatiImport,
    IatiTransaction,
    Pledge,
    PledgeStatus,
    Source,
)
from mineaction.funding.services.money import pledge_save
from mineaction.stakeholders.models import Organisation, OrganisationType

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
COMMITMENT_TYPES = ("2", "11")
PLEDGE_TYPES = ("12", "13")
DISBURSEMENT_TYPE = "3"
# Stored and reported, never counted in the gap.
NOT_COUNTED_TYPES = ("1", "4")
# IATI organisation type -> the platform's organisation type for a new donor.
DONOR_TYPES = {
    "10": OrganisationType.DONOR_STATE,
    "40": OrganisationType.INTERNATIONAL_ORGANISATION,
    "21": OrganisationType.INTERNATIONAL_NGO,
    "22": OrganisationType.INTERNATIONAL_NGO,
}
MAX_PLEDGE_TITLE = 300
MAX_ORGANISATION_NAME = 200


class Refused(Exception):
    """The file is refused; `issues` say why."""

    def __init__(self, issues):
        super().__init__(issues)
        self.issues = issues


def weighted(value, share):
    return (value * share).quantize(CENT, rounding=ROUND_HALF_UP)


def _source_name(path, original_name):
    if original_name:
        return original_name
    if isinstance(path, str | Path):
        return Path(path).name
    return Path(getattr(path, "name", "") or "").name


def import_iati(path, *, country=None, original_name=None, actor=None, dry_run=False):
    """Import the IATI activity file at `path` (or an open file) entirely or not at all.

    Returns the IatiImport with its report. A refused file writes nothing but the record of
    the refusal; a dry run writes nothing at all and reports what the import would do."""
    country = (country or "").strip().upper()
    record = IatiImport(
        original_name=_source_name(path, original_name)[:255],
        country=country,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    acting = audit.acting_as(actor) if actor is not None else contextlib.nullcontext()
    with acting:
        record.report = empty_report(country, dry_run=dry_run)
        errors = _run(path, record, dry_run=dry_run)
        if errors:
            _refuse(record, errors)
            if selection.country_code_error(record.country):
                # The refused text stays in the report; the column holds only a code.
                record.country = ""
            if not dry_run:
                record.save()
    return record


def _refuse(record, errors):
    record.status = IatiImport.Status.REFUSED
    record.activities_created = record.activities_updated = 0
    record.activities_skipped = record.transactions = 0
    record.report["errors"] = [issue.as_dict() for issue in errors]


def _run(path, record, *, dry_run):
    """Check the file, then write it with the record of its import (unless a dry run) in one
    transaction; the problems that refuse it, if any."""
    report = record.report
    country_error = selection.country_code_error(record.country)
    if country_error:
        return [Issue(0, "", country_error)]
    try:
        parsed = parse_file(path)
    except IatiFileError as error:
        return [error.issue]
    report["version"] = parsed.version
    report["activities"]["in_file"] = len(parsed.activities)
    report["transactions"]["in_file"] = sum(len(a.transactions) for a in parsed.activities)
    report["warnings"] = [issue.as_dict() for issue in parsed.warnings]
    if parsed.errors:
        return parsed.errors
    chosen, skipped, skipped_identifiers, warnings = selection.select(
        parsed.activities, record.country
    )
    report["warnings"].extend(issue.as_dict() for issue in warnings)
    try:
        with transaction.atomic():
            writer = _Writer(parsed.version)
            for selected in chosen:
                writer.save(selected)
            writer.warn_about_skipped_imports(skipped_identifiers)
            _fill_report(report, chosen, skipped, writer, dry_run=dry_run)
            record.status = IatiImport.Status.DONE
            record.activities_created = report["activities"]["created"]
            record.activities_updated = report["activities"]["updated"]
            record.activities_skipped = sum(skipped.values())
            record.transactions = report["transactions"]["imported"]
            if dry_run:
                transaction.set_rollback(True)
            else:
                record.save()
    except Refused as refused:
        return refused.issues
    except IntegrityError:
        return [
            Issue(
                0,
                "",
                _(
                    "Another import changed the same activities at the same moment; nothing "
                    "was imported. Import the file again."
                ),
            )
        ]
    return []


def empty_report(country, *, dry_run=False):
    return {
        "dry_run": dry_run,
        "version": "",
        "country": country,
        "activities": {
            "in_file": 0,
            "imported": 0,
            "created": 0,
            "updated": 0,
            "unchanged": 0,
            "skipped": dict.fromkeys(selection.ACTIVITY_SKIP_REASONS, 0),
        },
        "transactions": {
            "in_file": 0,
            "imported": 0,
            "in_skipped_activities": 0,
            "skipped": dict.fromkeys(selection.TRANSACTION_SKIP_REASONS, 0),
            "by_type": [],
        },
        "budgets": {"imported": 0, "currencies": []},
        "derived": {"pledges": 0, "disbursements": 0, "currencies": []},
        "organisations_created": [],
        "activity_list": [],
        "warnings": [],
        "errors": [],
    }


# Writing ------------------------------------------------------------------------------------------


@dataclasses.dataclass
class PledgeSpec:
    currency: str
    status: str
    amount: Decimal
    first_year: int
    last_year: int
    pledged_on: object
    years: dict


class _Writer:
    """Writes the selected activities one by one, remembering what it did for the report."""

    def __init__(self, version):
        self.version = version
        self.donors = {}
        self.organisations_created = []
        self.outcomes = {}  # identifier -> created / updated / unchanged
        self.records = {}  # identifier -> IatiActivity
        self.derived = Counter()
        self.derived_sums = defaultdict(lambda: {"pledged": ZERO, "disbursed": ZERO})
        self.warnings = []

    # Donors -----------------------------------------------------------------------------------

    def donor(self, activity):
        ref = activity.reporting_org_ref
        if ref in self.donors:
            return self.donors[ref]
        matches = list(Organisation.objects.filter(iati_identifier=ref).order_by("name", "pk"))
        if len(matches) > 1:
            raise Refused(
                [
                    Issue(
                        activity.line,
                        activity.identifier,
                        _(
                            "Several organisations have the IATI identifier %(ref)s (%(names)s): "
                            "keep it on one of them only, then import the file again."
                        )
                        % {"ref": ref, "names": ", ".join(m.name for m in matches)},
                    )
                ]
            )
        donor = matches[0] if matches else self.new_donor(activity)
        self.donors[ref] = donor
        return donor

    def new_donor(self, activity):
        ref = activity.reporting_org_ref
        name = (activity.reporting_org_name or ref)[:MAX_ORGANISATION_NAME]
        if Organisation.objects.filter(name=name).exists():
            wanted = name
            name = f"{name[: MAX_ORGANISATION_NAME - len(ref) - 3]} ({ref})"
            self.warnings.append(
                Issue(
                    activity.line,
                    activity.identifier,
                    _(
                        "An organisation named “%(name)s” exists without the IATI identifier "
                        "%(ref)s: the donor was created as “%(new_name)s”. If they are the same "
                        "organisation, give the first the identifier and delete the second."
                    )
                    % {"name": wanted, "ref": ref, "new_name": name},
                )
            )
        organisation_type = DONOR_TYPES.get(
            activity.reporting_org_type, OrganisationType.OTHER
        ).value
        donor = Organisation(name=name, type=organisation_type, iati_identifier=ref)
        try:
            donor.full_clean()
        except ValidationError as error:
            raise Refused(
                [Issue(activity.line, activity.identifier, message) for message in error.messages]
            ) from None
        donor.save()
        self.organisations_created.append(
            {
                "name": donor.name,
                "iati_identifier": ref,
                "type": donor.type,
                "public_id": str(donor.public_id),
            }
        )
        return donor

    # Activities -------------------------------------------------------------------------------

    def save(self, selected):
        activity = selected.activity
        donor = self.donor(activity)
        fields = self.activity_fields(selected)
        record = IatiActivity.objects.filter(iati_identifier=activity.identifier).first()
        if record is None:
            record = IatiActivity(iati_identifier=activity.identifier, **fields)
            record.save()
            changed, outcome = True, "created"
        else:
            changed = _update(record, fields)
            outcome = "updated"
        entries, transactions_changed, obsolete = self.sync_transactions(record, selected)
        changed |= transactions_changed or bool(obsolete)
        changed |= self.sync_budgets(record, activity)
        changed |= self.sync_derived(record, activity, donor, entries)
        if obsolete:
            # Only now: their derived disbursements have gone with `sync_derived`.
            IatiTransaction.objects.filter(pk__in=obsolete).delete()
        self.outcomes[activity.identifier] = outcome if changed else "unchanged"
        self.records[activity.identifier] = record

    def activity_fields(self, selected):
        activity = selected.activity
        return {
            "title": activity.title,
            "reporting_org_ref": activity.reporting_org_ref,
            "reporting_org_name": activity.reporting_org_name,
            "default_currency": activity.default_currency,
            "recipient_countries": activity.countries,
            "share": selected.share,
            "activity_status": activity.status,
            "start_date": activity.start_date,
            "end_date": activity.end_date,
            "last_updated": activity.last_updated,
            "participating_orgs": activity.participating_orgs,
            "standard_version": self.version,
        }

    def sync_transactions(self, record, selected):
        """The activity's transactions by position, created or updated in place:
        ([(stored, parsed, share)], whether any changed, ids of those no longer in the file)."""
        existing = {tx.position: tx for tx in record.transactions.all()}
        entries, changed = [], False
        for position, (tx, share) in enumerate(selected.transactions, start=1):
            fields = {
                "ref": tx.ref,
                "type": tx.type,
                "date": tx.date,
                "value": tx.value,
                "currency": tx.currency,
                "value_date": tx.value_date,
                "share": share,
                "provider_org": tx.provider_org,
                "receiver_org": tx.receiver_org,
            }
            stored = existing.pop(position, None)
            if stored is None:
                stored = IatiTransaction.objects.create(
                    activity=record, position=position, **fields
                )
                changed = True
            else:
                changed |= _update(stored, fields)
            entries.append((stored, tx, share))
        return entries, changed, [tx.pk for tx in existing.values()]

    def sync_budgets(self, record, activity):
        existing = {budget.position: budget for budget in record.budgets.all()}
        changed = False
        for budget in activity.budgets:
            fields = {
                "type": budget.type,
                "status": budget.status,
                "period_start": budget.period_start,
                "period_end": budget.period_end,
                "value": budget.value,
                "currency": budget.currency,
            }
            stored = existing.pop(budget.position, None)
            if stored is None:
                IatiBudget.objects.create(activity=record, position=budget.position, **fields)
                changed = True
            else:
                changed |= _update(stored, fields)
        if existing:
            IatiBudget.objects.filter(pk__in=[b.pk for b in existing.values()]).delete()
            changed = True
        return changed

    # Derived pledges and disbursements -----------------------------------------------------------

    def sync_derived(self, record, activity, donor, entries):
        """The activity's pledges (one per currency) and disbursements as the transactions
        give them; True when something changed."""
        specs = self.pledge_specs(activity, entries)
        existing, obsolete = {}, []
        for pledge in record.pledges.filter(source=Source.IATI).order_by("pk"):
            if pledge.currency in specs and pledge.currency not in existing:
                existing[pledge.currency] = pledge
            else:
                obsolete.append(pledge)
        changed, pledges = False, {}
        for currency, spec in specs.items():
            pledge, pledge_changed = self.save_pledge(
                record, activity, donor, spec, existing.get(currency)
            )
            changed |= pledge_changed
            pledges[currency] = pledge
            self.derived["pledges"] += 1
            self.derived_sums[currency]["pledged"] += spec.amount
        changed |= self.sync_disbursements(record, activity, donor, entries, pledges)
        for pledge in obsolete:
            # A disbursement someone recorded by hand against it stays, without its pledge.
            for kept in pledge.disbursements.exclude(source=Source.IATI):
                kept.pledge = None
                kept.save()
            pledge.delete()
            changed = True
        return changed

    def pledge_specs(self, activity, entries):
        """{currency: PledgeSpec} of the activity's commitments, else of its pledges."""
        groups = defaultdict(lambda: {"commitments": [], "pledges": [], "disbursed": ZERO})
        for _stored, tx, share in entries:
            group = groups[tx.currency]
            if tx.type in COMMITMENT_TYPES:
                group["commitments"].append((tx, weighted(tx.value, share)))
            elif tx.type in PLEDGE_TYPES:
                group["pledges"].append((tx, weighted(tx.value, share)))
            elif tx.type == DISBURSEMENT_TYPE:
                group["disbursed"] += weighted(tx.value, share)
        specs = {}
        for currency, group in sorted(groups.items()):
            spec = self.pledge_spec(activity, currency, group)
            if spec is not None:
                specs[currency] = spec
        return specs

    def pledge_spec(self, activity, currency, group):
        entries = group["commitments"] or group["pledges"]
        if not entries:
            if group["disbursed"]:
                self.warn(
                    activity,
                    _(
                        "The activity has disbursements in %(currency)s but no commitment or "
                        "pledge in this file: they count as disbursed, with no pledge."
                    )
                    % {"currency": currency},
                )
            return None
        by_year = defaultdict(lambda: ZERO)
        for tx, value in entries:
            by_year[tx.date.year] += value
        amount = sum(by_year.values(), ZERO)
        if amount <= 0:
            self.warn(activity, self.nothing_to_pledge(currency, amount))
            return None
        for tx, value in entries:
            if value < 0:
                self.warn(
                    activity,
                    _(
                        "A negative value (%(value)s %(currency)s on %(date)s) is kept as a "
                        "de-obligation: it reduces the pledge of the years before it."
                    )
                    % {"value": value, "currency": currency, "date": tx.date.isoformat()},
                    line=tx.line,
                )
        status = PledgeStatus.COMMITTED if group["commitments"] else PledgeStatus.PLEDGED
        if status == PledgeStatus.COMMITTED and group["disbursed"] >= amount:
            status = PledgeStatus.DISBURSED
        return PledgeSpec(
            currency=currency,
            status=status,
            amount=amount,
            first_year=min(by_year),
            last_year=max(by_year),
            pledged_on=min(tx.date for tx, _value in entries),
            years=net_de_obligations(by_year),
        )

    @staticmethod
    def nothing_to_pledge(currency, amount):
        if amount < 0:
            return _(
                "The commitments in %(currency)s add up to %(amount)s, a de-obligation of money "
                "committed before this file's records: no pledge is derived."
            ) % {"currency": currency, "amount": amount}
        return _(
            "The commitments or pledges in %(currency)s add up to nothing: no pledge is derived."
        ) % {"currency": currency}

    def save_pledge(self, record, activity, donor, spec, pledge):
        fields = {
            "donor_id": donor.pk,
            "title": (activity.title or activity.identifier)[:MAX_PLEDGE_TITLE],
            "amount": spec.amount,
            "currency": spec.currency,
            "first_year": spec.first_year,
            "last_year": spec.last_year,
            "pledged_on": spec.pledged_on,
            "status": spec.status,
        }
        if pledge is not None:
            same_years = {part.year: part.amount for part in pledge.years.all()} == spec.years
            if same_years and not _differs(pledge, fields):
                return pledge, False
            for name, value in fields.items():
                setattr(pledge, name, value)
        else:
            pledge = Pledge(source=Source.IATI, iati_activity=record, **fields)
        try:
            pledge_save(pledge=pledge, years=spec.years)
        except ValidationError as error:
            raise Refused(
                [Issue(activity.line, activity.identifier, message) for message in error.messages]
            ) from None
        return pledge, True

    def sync_disbursements(self, record, activity, donor, entries, pledges):
        existing = {
            disbursement.iati_transaction_id: disbursement
            for disbursement in Disbursement.objects.filter(
                iati_transaction__activity=record, source=Source.IATI
            )
        }
        changed = False
        for stored_tx, tx, share in entries:
            if tx.type != DISBURSEMENT_TYPE:
                continue
            amount = weighted(tx.value, share)
            if amount < 0:
                self.warn(
                    activity,
                    _(
                        "A negative disbursement (%(value)s %(currency)s on %(date)s) is kept: it "
                        "reduces what was disbursed that year."
                    )
                    % {"value": amount, "currency": tx.currency, "date": tx.date.isoformat()},
                    line=tx.line,
                )
            pledge = pledges.get(tx.currency)
            fields = {
                "pledge_id": pledge.pk if pledge else None,
                "donor_id": donor.pk,
                "disbursed_on": tx.date,
                "amount": amount,
                "currency": tx.currency,
            }
            disbursement = existing.pop(stored_tx.pk, None)
            if disbursement is None:
                Disbursement.objects.create(
                    source=Source.IATI, iati_transaction=stored_tx, **fields
                )
                changed = True
            else:
                changed |= _update(disbursement, fields)
            self.derived["disbursements"] += 1
            self.derived_sums[tx.currency]["disbursed"] += amount
        for disbursement in existing.values():
            disbursement.delete()
            changed = True
        return changed

    # Report --------------------------------------------------------------------------------------

    def warn(self, activity, message, *, line=None):
        self.warnings.append(Issue(line or activity.line, activity.identifier, message))

    def warn_about_skipped_imports(self, skipped_identifiers):
        """Activities imported earlier that this file no longer qualifies keep their records:
        the manager decides (a different country filter would otherwise delete them)."""
        skipped = dict(skipped_identifiers)
        imported_before = IatiActivity.objects.filter(iati_identifier__in=list(skipped))
        for identifier in imported_before.values_list("iati_identifier", flat=True):
            reason, line = skipped[identifier]
            self.warnings.append(
                Issue(
                    line,
                    identifier,
                    _(
                        "The activity was imported before but is skipped now (%(reason)s): its "
                        "records and derived pledges are kept as they were."
                    )
                    % {"reason": skip_reason_label(reason)},
                )
            )


def _differs(instance, fields):
    return any(getattr(instance, name) != value for name, value in fields.items())


def _update(instance, fields):
    """Set the fields that differ and save; True when something changed."""
    changed = [name for name, value in fields.items() if getattr(instance, name) != value]
    if not changed:
        return False
    for name in changed:
        setattr(instance, name, fields[name])
    instance.save()
    return True


def net_de_obligations(by_year):
    """The yearly parts of a positive total with every negative year taken off the years
    before it (latest first), then off the years after it: {year: part > 0}."""
    years = sorted(by_year)
    parts = dict(by_year)
    for index, year in enumerate(years):
        owed = -parts[year]
        if owed <= 0:
            continue
        parts[year] = ZERO
        for other in [*reversed(years[:index]), *years[index + 1 :]]:
            taken = min(owed, max(parts[other], ZERO))
            parts[other] -= taken
            owed -= taken
            if not owed:
                break
    return {year: part for year, part in sorted(parts.items()) if part}


def skip_reason_label(reason):
    labels = {
        selection.NO_MINE_ACTION_SECTOR: _("no mine action sector 15250"),
        selection.OTHER_COUNTRY: _("another recipient country"),
        selection.NO_RECIPIENT_COUNTRY: _("no recipient country"),
        selection.UNSUPPORTED_TYPE: _("a transaction type that is not imported"),
    }
    return labels[reason]


def _money(value):
    return str(value.quantize(CENT))


def _fill_report(report, chosen, skipped, writer, *, dry_run):
    outcomes = Counter(writer.outcomes.values())
    activities = report["activities"]
    activities.update(
        imported=len(chosen),
        created=outcomes["created"],
        updated=outcomes["updated"],
        unchanged=outcomes["unchanged"],
    )
    activities["skipped"].update(skipped)
    transactions = report["transactions"]
    transactions["imported"] = sum(len(s.transactions) for s in chosen)
    transactions["in_skipped_activities"] = (
        transactions["in_file"]
        - transactions["imported"]
        - sum(sum(s.skipped_transactions.values()) for s in chosen)
    )
    transactions["skipped"] = {
        reason: sum(s.skipped_transactions[reason] for s in chosen)
        for reason in selection.TRANSACTION_SKIP_REASONS
    }
    transactions["by_type"] = _by_type(chosen)
    budget_sums = defaultdict(lambda: ZERO)
    for selected in chosen:
        for budget in selected.activity.budgets:
            budget_sums[budget.currency] += budget.value
    report["budgets"] = {
        "imported": sum(len(s.activity.budgets) for s in chosen),
        "currencies": [
            {"currency": currency, "value": _money(value)}
            for currency, value in sorted(budget_sums.items())
        ],
    }
    report["derived"] = {
        "pledges": writer.derived["pledges"],
        "disbursements": writer.derived["disbursements"],
        "currencies": [
            {
                "currency": currency,
                "pledged": _money(sums["pledged"]),
                "disbursed": _money(sums["disbursed"]),
            }
            for currency, sums in sorted(writer.derived_sums.items())
        ],
    }
    report["organisations_created"] = [
        {**organisation, "public_id": None if dry_run else organisation["public_id"]}
        for organisation in writer.organisations_created
    ]
    report["activity_list"] = [
        {
            "identifier": s.activity.identifier,
            "title": s.activity.title,
            "share": str(s.share),
            "transactions": len(s.transactions),
            "outcome": writer.outcomes[s.activity.identifier],
            "public_id": None if dry_run else str(writer.records[s.activity.identifier].public_id),
        }
        for s in chosen
    ]
    report["warnings"].extend(issue.as_dict() for issue in writer.warnings)
    report["warnings"].extend(_not_counted_warnings(chosen))


def _by_type(chosen):
    """Per transaction type: the count, and per currency and per year the sums of the values
    as published and weighted by the 15250 share."""
    counts = Counter()
    sums = defaultdict(lambda: [ZERO, ZERO])
    years = defaultdict(lambda: [ZERO, ZERO])
    for selected in chosen:
        for tx, share in selected.transactions:
            counts[tx.type] += 1
            for table, key in (
                (sums, (tx.type, tx.currency)),
                (years, (tx.type, tx.date.year, tx.currency)),
            ):
                table[key][0] += tx.value
                table[key][1] += weighted(tx.value, share)
    return [
        {
            "type": code,
            "count": counts[code],
            "counted_in_gap": code not in NOT_COUNTED_TYPES,
            "currencies": [
                {"currency": currency, "value": _money(value), "weighted": _money(weight)}
                for (kind, currency), (value, weight) in sorted(sums.items())
                if kind == code
            ],
            "years": [
                {
                    "year": year,
                    "currency": currency,
                    "value": _money(value),
                    "weighted": _money(weight),
                }
                for (kind, year, currency), (value, weight) in sorted(years.items())
                if kind == code
            ],
        }
        for code in sorted(counts, key=int)
    ]


def _not_counted_warnings(chosen):
    counts = Counter(
        tx.type for s in chosen for tx, _share in s.transactions if tx.type in NOT_COUNTED_TYPES
    )
    warnings = []
    if counts["4"]:
        message = ngettext(
            "%(count)s expenditure transaction was imported: it is shown but not counted in "
            "the funding gap, where the disbursements already count that money.",
            "%(count)s expenditure transactions were imported: they are shown but not counted "
            "in the funding gap, where the disbursements already count that money.",
            counts["4"],
        )
        warnings.append(Issue(0, "", message % {"count": counts["4"]}).as_dict())
    if counts["1"]:
        message = ngettext(
            "%(count)s incoming funds transaction was imported: it is shown but not counted in "
            "the funding gap, where the funder's own commitments count that money.",
            "%(count)s incoming funds transactions were imported: they are shown but not "
            "counted in the funding gap, where the funders' own commitments count that money.",
            counts["1"],
        )
        warnings.append(Issue(0, "", message % {"count": counts["1"]}).as_dict())
    return warnings
