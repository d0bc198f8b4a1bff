"""Spreadsheets of resource mobilisation: the lists as CSV or XLSX (`core.tables`), and the
funding gap as one workbook with a sheet per table. Text is formula-escaped in every cell."""

import io

import openpyxl
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from mineaction.core.tables import (
    CONTENT_TYPES,
    Column,
    table_response,
    xlsx_header_cell,
    xlsx_value,
)
from mineaction.funding.services.gap import region_label

EXPORT_FORMATS = ("csv", "xlsx")


def _organisation(organisation):
    return organisation.name if organisation is not None else ""


def _region(area):
    return area.name if area is not None else ""


PLEDGE_COLUMNS = [
    Column(gettext_lazy("Donor"), lambda p: p.donor.name),
    Column(gettext_lazy("Title"), lambda p: p.title),
    Column(gettext_lazy("Recipient"), lambda p: _organisation(p.recipient)),
    Column(gettext_lazy("Amount"), lambda p: p.amount),
    Column(gettext_lazy("Currency"), lambda p: p.currency),
    Column(gettext_lazy("First year"), lambda p: p.first_year),
    Column(gettext_lazy("Last year"), lambda p: p.last_year),
    Column(
        gettext_lazy("Split over the years"),
        lambda p: "; ".join(f"{part.year}: {part.amount}" for part in p.years.all()),
    ),
    Column(gettext_lazy("Pledged on"), lambda p: p.pledged_on),
    Column(gettext_lazy("Status"), lambda p: p.get_status_display()),
    Column(gettext_lazy("Component"), lambda p: p.get_component_display()),
    Column(gettext_lazy("Region"), lambda p: _region(p.region)),
    Column(gettext_lazy("Source"), lambda p: p.get_source_display()),
    Column(gettext_lazy("Identifier"), lambda p: str(p.public_id)),
]

REQUIREMENT_COLUMNS = [
    Column(gettext_lazy("Year"), lambda r: r.year),
    Column(gettext_lazy("Amount"), lambda r: r.amount),
    Column(gettext_lazy("Currency"), lambda r: r.currency),
    Column(gettext_lazy("Component"), lambda r: r.get_component_display()),
    Column(gettext_lazy("Region"), lambda r: _region(r.region)),
    Column(gettext_lazy("Description"), lambda r: r.description),
    Column(gettext_lazy("Source"), lambda r: r.get_source_display()),
    Column(
        gettext_lazy("Challenges addressed"),
        lambda r: "; ".join(challenge.reference for challenge in r.challenges.all()),
    ),
]

DISBURSEMENT_COLUMNS = [
    Column(gettext_lazy("Date"), lambda d: d.disbursed_on),
    Column(gettext_lazy("Donor"), lambda d: d.donor.name),
    Column(gettext_lazy("Pledge"), lambda d: d.pledge.title if d.pledge_id else ""),
    Column(gettext_lazy("Recipient"), lambda d: _organisation(d.recipient)),
    Column(gettext_lazy("Amount"), lambda d: d.amount),
    Column(gettext_lazy("Currency"), lambda d: d.currency),
    Column(gettext_lazy("Component"), lambda d: d.get_component_display()),
    Column(gettext_lazy("Region"), lambda d: _region(d.region)),
    Column(gettext_lazy("Source"), lambda d: d.get_source_display()),
]

RATE_COLUMNS = [
    Column(gettext_lazy("Currency"), lambda r: r.currency),
    Column(gettext_lazy("Year"), lambda r: r.year),
    Column(gettext_lazy("Rate to the base currency"), lambda r: r.rate),
]


def list_export(kind, records, *, fmt):
    columns, filename, title = {
        "pledges": (PLEDGE_COLUMNS, "pledges", gettext_lazy("Pledges")),
        "requirements": (
            REQUIREMENT_COLUMNS,
            "funding-requirements",
            gettext_lazy("Funding requirements"),
        ),
        "disbursements": (
            DISBURSEMENT_COLUMNS,
            "disbursements",
            pgettext_lazy("funding", "Disbursements"),
        ),
        "rates": (RATE_COLUMNS, "exchange-rates", gettext_lazy("Exchange rates")),
    }[kind]
    return table_response(columns, records, fmt=fmt, filename=filename, title=title)


# The funding gap workbook --------------------------------------------------------------------


def _headers(base_currency, measures):
    labels = {
        "requirement": _("Requirement (%(currency)s)"),
        "pledged": _("Pledged (%(currency)s)"),
        "committed": _("Committed (%(currency)s)"),
        "disbursed": _("Disbursed (%(currency)s)"),
        "gap": _("Gap (%(currency)s)"),
    }
    return [labels[measure] % {"currency": base_currency} for measure in measures]


def _sheet(workbook, title, headers, rows):
    sheet = workbook.create_sheet(title=str(title)[:31])
    sheet.append([xlsx_header_cell(sheet, str(header)) for header in headers])
    for row in rows:
        sheet.append([xlsx_value(sheet, value) for value in row])


def _breakdown_rows(rows, label, measures):
    """A line per group and year, then the group's total over the period."""
    all_years = _("All years")
    for row in rows:
        for year in row["years"]:
            yield [label(row), year["year"], *[year[m] for m in measures]]
        yield [label(row), all_years, *[row["total"][m] for m in measures]]


def gap_workbook(gap):
    """The funding gap as XLSX bytes: per year, donor, component and region, and the amounts
    left unconverted."""
    base = gap["base_currency"]
    full = ["requirement", "pledged", "committed", "disbursed", "gap"]
    donor_measures = ["pledged", "committed", "disbursed"]
    workbook = openpyxl.Workbook(write_only=True)
    _sheet(
        workbook,
        _("Per year"),
        [_("Year"), *_headers(base, full)],
        [
            *([row["year"], *[row[m] for m in full]] for row in gap["years"]),
            [_("All years"), *[gap["totals"][m] for m in full]],
        ],
    )
    _sheet(
        workbook,
        _("Per donor"),
        [_("Donor"), _("Year"), *_headers(base, donor_measures)],
        _breakdown_rows(gap["donors"], lambda row: row["donor"].name, donor_measures),
    )
    _sheet(
        workbook,
        _("Per component"),
        [_("Component"), _("Year"), *_headers(base, full)],
        _breakdown_rows(gap["components"], lambda row: str(row["label"]), full),
    )
    _sheet(
        workbook,
        _("Per region"),
        [_("Region"), _("Year"), *_headers(base, full)],
        _breakdown_rows(gap["regions"], lambda row: str(region_label(row)), full),
    )
    _sheet(
        workbook,
        _("Without a rate"),
        [_("What"), _("Currency"), _("Year"), _("Amount")],
        (
            [str(unconverted_label(item["what"])), item["currency"], item["year"], item["amount"]]
            for item in gap["unconverted"]
        ),
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def unconverted_label(what):
    return {
        "requirement": gettext_lazy("Funding requirement"),
        "pledge": gettext_lazy("Pledge"),
        "disbursement": pgettext_lazy("funding", "Disbursement"),
    }.get(what, what)


def gap_response(gap):
    response = HttpResponse(gap_workbook(gap), content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = (
        f'attachment; filename="funding-gap-{gap["first_year"]}-{gap["last_year"]}.xlsx"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
