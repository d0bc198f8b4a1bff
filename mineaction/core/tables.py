"""Tabular exports (CSV and XLSX) of any list of records, shared by every app's pages and API.

A table is a list of columns (a translated header and a function of the record) and the records.
Text a spreadsheet would run as a formula is escaped in both formats, so an export opened in
Excel or LibreOffice never runs what a member typed.
"""

import csv
import datetime
import decimal
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import openpyxl
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

# Spreadsheets run a cell starting with one of these as a formula: such text is escaped.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMAT_LABELS = {"csv": _("CSV"), "xlsx": _("Excel (XLSX)")}


@dataclass(frozen=True)
class Column:
    header: Any  # a (lazily) translated column title
    value: Callable[[Any], Any]  # the cell's value for one record


def escape_formula(text):
    """Text a spreadsheet would run as a formula, with an apostrophe in front (CSV)."""
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return escape_formula(value)
    return str(value)


def xlsx_value(sheet, value):
    """A cell's value; text that a spreadsheet would run as a formula becomes a text cell marked
    as Excel marks a typed apostrophe, so it is never run and reads back unchanged."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, decimal.Decimal):
        return value
    if not isinstance(value, str):
        return value
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith(FORMULA_PREFIXES):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def xlsx_header_cell(sheet, name):
    cell = WriteOnlyCell(sheet, value=name)
    cell.font = Font(bold=True)
    return cell


def table_csv(columns, records):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(column.header) for column in columns])
    for record in records:
        writer.writerow([csv_value(column.value(record)) for column in columns])
    return buffer.getvalue()


def table_xlsx(columns, records, *, title):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(title)[:31])
    sheet.append([xlsx_header_cell(sheet, str(column.header)) for column in columns])
    for record in records:
        sheet.append([xlsx_value(sheet, column.value(record)) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_response(columns, records, *, fmt, filename, title):
    """The records as a CSV or XLSX download named `filename.<fmt>` (fmt is "csv" or "xlsx")."""
    if fmt == "xlsx":
        content = table_xlsx(columns, records, title=title)
    else:
        content = table_csv(columns, records).encode("utf-8-sig")
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


def export_openapi(description):
    """The `openapi_extra` of an API export: a CSV or XLSX file in the 200 response."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        "responses": {
            200: {
                "description": description,
                "content": {
                    content_type.split(";")[0]: binary for content_type in CONTENT_TYPES.values()
                },
            }
        }
    }
