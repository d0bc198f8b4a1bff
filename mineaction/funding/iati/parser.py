"""Reading an IATI activity file (standard 2.01 to 2.03) into plain records, with every
problem found by activity and line. Nothing here touches the database.

The XML parser never expands entities, never reaches the network and keeps libxml2's limits
on huge documents; a file that declares a document type is refused outright, since IATI files
have none and entity tricks (billion laughs, external entities) live there.
"""

import dataclasses
import datetime
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from mineaction.funding.iati import codes

CENT = Decimal("0.01")
# The money fields hold 18 digits, two of them decimals.
MAX_AMOUNT = Decimal(10) ** 16
DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})?$")
# Lengths of the fields the values are stored in.
MAX_IDENTIFIER = 200
MAX_TITLE = 500
MAX_ORGANISATION = 300


@dataclasses.dataclass
class Issue:
    """A problem of the file: where (line, activity) and what."""

    line: int
    activity: str
    message: str

    def as_dict(self):
        return {"line": self.line, "activity": self.activity, "message": self.message}


class IatiFileError(Exception):
    """The file as a whole cannot be read as an IATI activity file."""

    def __init__(self, message, line=0):
        super().__init__(message)
        self.issue = Issue(line=line or 0, activity="", message=str(message))


@dataclasses.dataclass
class Sector:
    code: str
    vocabulary: str
    percentage: Decimal | None

    @property
    def is_mine_action(self):
        return (
            self.vocabulary == codes.DAC_SECTOR_VOCABULARY and self.code == codes.MINE_ACTION_SECTOR
        )


@dataclasses.dataclass
class Transaction:
    position: int
    line: int
    ref: str
    type: str
    date: datetime.date | None
    value: Decimal | None
    currency: str
    value_date: datetime.date | None
    provider_org: str
    receiver_org: str
    sectors: list[Sector]
    countries: list[str]

    @property
    def is_mine_action(self):
        return any(sector.is_mine_action for sector in self.sectors)


@dataclasses.dataclass
class Budget:
    position: int
    line: int
    type: str
    status: str
    period_start: datetime.date | None
    period_end: datetime.date | None
    value: Decimal | None
    currency: str


@dataclasses.dataclass
class Activity:
    line: int
    identifier: str
    title: str = ""
    reporting_org_ref: str = ""
    reporting_org_name: str = ""
    reporting_org_type: str = ""
    default_currency: str = ""
    countries: list[str] = dataclasses.field(default_factory=list)
    sectors: list[Sector] = dataclasses.field(default_factory=list)
    status: str = ""
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    last_updated: datetime.datetime | None = None
    participating_orgs: list[dict] = dataclasses.field(default_factory=list)
    budgets: list[Budget] = dataclasses.field(default_factory=list)
    transactions: list[Transaction] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class ParsedFile:
    version: str
    activities: list[Activity]
    errors: list[Issue]
    warnings: list[Issue]


def _xml_parser():
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


def _read_bytes(source):
    """The file's content, from a path or from an open (uploaded) file."""
    if isinstance(source, str | Path):
        return Path(source).read_bytes()
    if hasattr(source, "seek"):
        source.seek(0)
    return source.read()


def parse_root(source):
    """The `iati-activities` element and the version, or IatiFileError saying why not."""
    data = _read_bytes(source)
    if not data.strip():
        raise IatiFileError(_("The file is empty."))
    try:
        root = etree.fromstring(data, _xml_parser())
    except etree.XMLSyntaxError as error:
        raise IatiFileError(
            _("The file is not well-formed XML: %(reason)s.")
            % {"reason": (error.msg or "").rstrip(".")},
            line=error.lineno,
        ) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise IatiFileError(
            _(
                "The file declares a document type (DOCTYPE). IATI files have none, and the "
                "entities it may define are not read: export the file again without it."
            ),
            line=1,
        )
    if root.tag != "iati-activities":
        raise IatiFileError(
            _(
                "This is not an IATI activity file: its root element is <%(element)s>, not "
                "<%(expected)s>."
            )
            % {"element": root.tag, "expected": "iati-activities"},
            line=root.sourceline,
        )
    version = (root.get("version") or "").strip()
    supported = ", ".join(codes.SUPPORTED_VERSIONS)
    if not version:
        raise IatiFileError(
            _(
                "The file does not say which version of the IATI standard it follows (the "
                "version of iati-activities). Only versions %(supported)s can be imported."
            )
            % {"supported": supported},
            line=root.sourceline,
        )
    if version not in codes.SUPPORTED_VERSIONS:
        raise IatiFileError(
            _(
                "The file follows version %(version)s of the IATI standard, which cannot be "
                "imported: only versions %(supported)s can. Ask the publisher for a file in "
                "version %(latest)s."
            )
            % {"version": version, "supported": supported, "latest": codes.SUPPORTED_VERSIONS[-1]},
            line=root.sourceline,
        )
    return root, version


def parse_file(source):
    """Every activity of the file with the problems found; IatiFileError when the file as a
    whole cannot be read."""
    root, version = parse_root(source)
    errors, warnings = [], []
    activities, seen = [], {}
    for element in root.iterchildren("iati-activity"):
        activity = _ActivityReader(element, errors, warnings).read()
        if activity.identifier in seen:
            errors.append(
                Issue(
                    activity.line,
                    activity.identifier,
                    _("Another activity of the file (line %(line)s) has the same identifier.")
                    % {"line": seen[activity.identifier]},
                )
            )
            continue
        if activity.identifier:
            seen[activity.identifier] = activity.line
        activities.append(activity)
    return ParsedFile(version=version, activities=activities, errors=errors, warnings=warnings)


def _clean(text):
    return " ".join((text or "").split())


def _narrative(element):
    """The first narrative of an element (IATI texts come in one narrative per language)."""
    if element is None:
        return ""
    for narrative in element.iterchildren("narrative"):
        text = _clean(narrative.text)
        if text:
            return text
    return ""


def _code(element, attribute="code"):
    return (element.get(attribute) or "").strip() if element is not None else ""


def _organisation_label(element):
    """A transaction's provider or receiver: its name, else its identifier."""
    if element is None:
        return ""
    return (_narrative(element) or _code(element, "ref"))[:MAX_ORGANISATION]


class _ActivityReader:
    """Reads one iati-activity element, recording its problems with their line."""

    def __init__(self, element, errors, warnings):
        self.element = element
        self.errors = errors
        self.warnings = warnings
        self.activity = Activity(line=element.sourceline or 0, identifier="")
        self.default_currency_ok = True

    def error(self, element, message):
        line = (element.sourceline if element is not None else None) or self.activity.line
        self.errors.append(Issue(line, self.activity.identifier, str(message)))

    def warning(self, element, message):
        line = (element.sourceline if element is not None else None) or self.activity.line
        self.warnings.append(Issue(line, self.activity.identifier, str(message)))

    def read(self):
        element, activity = self.element, self.activity
        activity.identifier = _clean(element.findtext("iati-identifier"))
        if not activity.identifier:
            self.error(element, _("The activity has no identifier (iati-identifier)."))
        elif len(activity.identifier) > MAX_IDENTIFIER:
            self.error(
                element.find("iati-identifier"),
                _("The identifier is longer than %(count)s characters.")
                % {"count": MAX_IDENTIFIER},
            )
        activity.title = _narrative(element.find("title"))[:MAX_TITLE]
        self.read_reporting_org()
        self.read_default_currency()
        activity.countries = [
            _code(country).upper() for country in element.iterchildren("recipient-country")
        ]
        activity.sectors = [self.sector(sector) for sector in element.iterchildren("sector")]
        self.read_status()
        self.read_dates()
        activity.participating_orgs = [
            {
                "ref": _code(organisation, "ref"),
                "name": _narrative(organisation),
                "role": _code(organisation, "role"),
                "type": _code(organisation, "type"),
            }
            for organisation in element.iterchildren("participating-org")
        ]
        activity.budgets = [
            self.budget(position, budget)
            for position, budget in enumerate(element.iterchildren("budget"), start=1)
        ]
        activity.transactions = [
            self.transaction(position, transaction)
            for position, transaction in enumerate(element.iterchildren("transaction"), start=1)
        ]
        return activity

    def read_reporting_org(self):
        reporting_org = self.element.find("reporting-org")
        if reporting_org is None:
            self.error(self.element, _("The activity has no reporting organisation."))
            return
        ref = _code(reporting_org, "ref")
        if not ref:
            self.error(
                reporting_org,
                _("The reporting organisation has no IATI organisation identifier (ref)."),
            )
        elif len(ref) > MAX_IDENTIFIER:
            self.error(
                reporting_org,
                _("The identifier is longer than %(count)s characters.")
                % {"count": MAX_IDENTIFIER},
            )
        self.activity.reporting_org_ref = ref
        self.activity.reporting_org_name = _narrative(reporting_org)[:MAX_ORGANISATION]
        self.activity.reporting_org_type = _code(reporting_org, "type")

    def read_default_currency(self):
        code = (self.element.get("default-currency") or "").strip().upper()
        if code and not is_currency(code):
            self.error(
                self.element,
                _("The default currency “%(code)s” is not an ISO 4217 currency code.")
                % {"code": code},
            )
            self.default_currency_ok = False
        self.activity.default_currency = code

    def read_status(self):
        status = self.element.find("activity-status")
        code = _code(status)
        if code and code not in codes.ACTIVITY_STATUSES:
            self.error(
                status,
                _("“%(code)s” is not an IATI activity status (1 to 6).") % {"code": code},
            )
            code = ""
        self.activity.status = code

    def read_dates(self):
        found = {}
        for date in self.element.iterchildren("activity-date"):
            value = self.date(date, required=True)
            if value is not None:
                found.setdefault(_code(date, "type"), value)
        # 1 planned start, 2 actual start, 3 planned end, 4 actual end: the actual wins.
        self.activity.start_date = found.get("2") or found.get("1")
        self.activity.end_date = found.get("4") or found.get("3")
        text = (self.element.get("last-updated-datetime") or "").strip()
        if text:
            try:
                moment = datetime.datetime.fromisoformat(text)
            except ValueError:
                self.error(
                    self.element,
                    _("“%(value)s” is not a date and time (last-updated-datetime).")
                    % {"value": text},
                )
            else:
                if timezone.is_naive(moment):
                    moment = moment.replace(tzinfo=datetime.UTC)
                self.activity.last_updated = moment

    def sector(self, element):
        vocabulary = _code(element, "vocabulary") or codes.DAC_SECTOR_VOCABULARY
        percentage = None
        text = (element.get("percentage") or "").strip()
        if text:
            percentage = self.number(element, text)
            if percentage is not None and not 0 <= percentage <= 100:
                self.error(
                    element,
                    _("The sector percentage “%(value)s” is not between 0 and 100.")
                    % {"value": text},
                )
                percentage = None
        return Sector(code=_code(element), vocabulary=vocabulary, percentage=percentage)

    def transaction(self, position, element):
        type_element = element.find("transaction-type")
        type_code = _code(type_element)
        if not type_code:
            self.error(element, _("The transaction has no type (transaction-type)."))
        elif type_code not in codes.TRANSACTION_TYPES:
            self.error(
                type_element,
                _("“%(code)s” is not an IATI transaction type (1 to 13).") % {"code": type_code},
            )
        date_element = element.find("transaction-date")
        if date_element is None:
            self.error(element, _("The transaction has no date (transaction-date)."))
            date = None
        else:
            date = self.date(date_element, required=True)
        value_element = element.find("value")
        value, currency, value_date = self.value(element, value_element)
        ref = _code(element, "ref")[:MAX_IDENTIFIER]
        return Transaction(
            position=position,
            line=element.sourceline or 0,
            ref=ref,
            type=type_code,
            date=date,
            value=value,
            currency=currency,
            value_date=value_date,
            provider_org=_organisation_label(element.find("provider-org")),
            receiver_org=_organisation_label(element.find("receiver-org")),
            sectors=[self.sector(sector) for sector in element.iterchildren("sector")],
            countries=[
                _code(country).upper() for country in element.iterchildren("recipient-country")
            ],
        )

    def budget(self, position, element):
        kind, status = _code(element, "type"), _code(element, "status")
        if kind and kind not in codes.BUDGET_TYPES:
            self.error(
                element,
                _("“%(code)s” is not an IATI budget type (1 or 2).") % {"code": kind},
            )
        if status and status not in codes.BUDGET_STATUSES:
            self.error(
                element,
                _("“%(code)s” is not an IATI budget status (1 or 2).") % {"code": status},
            )
        dates = {}
        for name in ("period-start", "period-end"):
            date_element = element.find(name)
            if date_element is None:
                self.error(element, _("The budget has no %(element)s date.") % {"element": name})
                dates[name] = None
            else:
                dates[name] = self.date(date_element, required=True)
        value, currency, _value_date = self.value(element, element.find("value"))
        return Budget(
            position=position,
            line=element.sourceline or 0,
            type=kind,
            status=status,
            period_start=dates["period-start"],
            period_end=dates["period-end"],
            value=value,
            currency=currency,
        )

    def value(self, parent, element):
        """(amount, currency, value date) of a transaction's or budget's value."""
        if element is None:
            self.error(parent, _("There is no value."))
            return None, "", None
        amount = self.amount(element)
        currency = (element.get("currency") or "").strip().upper()
        if currency:
            if not is_currency(currency):
                self.error(
                    element,
                    _("“%(code)s” is not an ISO 4217 currency code.") % {"code": currency},
                )
        elif self.activity.default_currency:
            # An unknown default currency was reported once, on the activity.
            currency = self.activity.default_currency if self.default_currency_ok else ""
        else:
            self.error(
                element,
                _(
                    "Missing currency: the value has no currency and the activity has no "
                    "default currency."
                ),
            )
        value_date = None
        if element.get("value-date") is not None:
            value_date = self.date(element, attribute="value-date", required=False)
        return amount, currency, value_date

    def amount(self, element):
        text = (element.text or "").strip()
        if not text:
            self.error(element, _("The value is empty."))
            return None
        value = self.number(element, text)
        if value is None:
            return None
        rounded = value.quantize(CENT, rounding=ROUND_HALF_UP)
        if abs(rounded) >= MAX_AMOUNT:
            self.error(element, _("The value “%(value)s” is too large.") % {"value": text})
            return None
        if rounded != value:
            self.warning(
                element,
                _("The value %(value)s is rounded to the cent: %(rounded)s.")
                % {"value": text, "rounded": rounded},
            )
        return rounded

    def number(self, element, text):
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            self.error(element, _("“%(value)s” is not a number.") % {"value": text})
            return None
        return value

    def date(self, element, *, attribute="iso-date", required):
        text = (element.get(attribute) or "").strip()
        if not text:
            if required:
                self.error(
                    element,
                    _("<%(element)s> has no date (%(attribute)s).")
                    % {"element": element.tag, "attribute": attribute},
                )
            return None
        match = DATE.match(text)
        try:
            if match is None:
                raise ValueError(text)
            return datetime.date.fromisoformat(match.group(1))
        except ValueError:
            self.error(
                element,
                _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text},
            )
            return None


def is_currency(code):
    return code in codes.CURRENCIES or code in codes.WITHDRAWN_CURRENCIES
