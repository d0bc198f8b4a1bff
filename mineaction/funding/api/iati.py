"""IATI API: import an activity file (as `mineaction import iati` does), the managers' past
imports with their reports, and the imported activities (every reader).

An import runs within the request and answers its report: 201 when the file was imported,
200 when a check only (dry run) found nothing wrong, 422 when it was refused. Every 422 of the
import has the same shape, a problem whose `errors` list the problems by line and activity
(line 0: the file or the request as a whole). Amounts are decimal strings, never JSON numbers.
"""

import datetime
import uuid
from typing import Annotated

from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from mineaction.core import access
from mineaction.core.api import (
    INVALID_INPUT_TYPE,
    PROBLEM_CONTENT_TYPE,
    PROBLEM_TITLES,
    PageOut,
    PageParams,
    error_responses,
    paginate,
)
from mineaction.funding.forms_iati import IatiImportForm
from mineaction.funding.iati import import_iati
from mineaction.funding.models import IatiActivity, IatiImport

router = Router(tags=["funding"])


class IatiIssueOut(Schema):
    line: int = Field(description="Line of the file (0: the file or the request as a whole).")
    activity: str = Field(description="The IATI identifier of the activity, or empty.")
    message: str


class SkippedActivitiesOut(Schema):
    no_mine_action_sector: int = Field(description="Without DAC sector 15250.")
    other_country: int = Field(description="For another recipient country.")
    no_recipient_country: int = Field(description="Naming no recipient country.")


class SkippedTransactionsOut(SkippedActivitiesOut):
    unsupported_type: int = Field(description="Types 5 to 10 (interest, repayments...).")


class ActivityCountsOut(Schema):
    in_file: int
    imported: int
    created: int
    updated: int
    unchanged: int
    skipped: SkippedActivitiesOut


class CurrencySumOut(Schema):
    currency: str
    value: str = Field(description="The values as published.")
    weighted: str = Field(description="The values weighted by the 15250 share.")


class YearSumOut(CurrencySumOut):
    year: int


class TransactionTypeOut(Schema):
    type: str = Field(description="IATI transaction type code.")
    count: int
    counted_in_gap: bool = Field(
        description="False for incoming funds (1) and expenditure (4): stored, not counted."
    )
    currencies: list[CurrencySumOut]
    years: list[YearSumOut] = Field(description="Per year of the transaction date.")


class TransactionCountsOut(Schema):
    in_file: int
    imported: int
    in_skipped_activities: int
    skipped: SkippedTransactionsOut = Field(description="Of the imported activities.")
    by_type: list[TransactionTypeOut]


class BudgetSumOut(Schema):
    currency: str
    value: str


class BudgetCountsOut(Schema):
    imported: int
    currencies: list[BudgetSumOut]


class DerivedSumOut(Schema):
    currency: str
    pledged: str
    disbursed: str


class DerivedOut(Schema):
    pledges: int
    disbursements: int
    currencies: list[DerivedSumOut]


class OrganisationCreatedOut(Schema):
    name: str
    iati_identifier: str
    type: str
    public_id: uuid.UUID | None = Field(description="Null for a check only.")


class ReportActivityOut(Schema):
    identifier: str
    title: str
    share: str = Field(description="The 15250 share, from 0 to 1.")
    transactions: int
    outcome: str = Field(description="created, updated or unchanged.")
    public_id: uuid.UUID | None = Field(description="Null for a check only.")


class IatiReportOut(Schema):
    dry_run: bool = Field(description="Check only: nothing was saved.")
    version: str = Field(description="The IATI version of the file.")
    country: str
    activities: ActivityCountsOut
    transactions: TransactionCountsOut
    budgets: BudgetCountsOut
    derived: DerivedOut = Field(description="Pledges and disbursements derived.")
    organisations_created: list[OrganisationCreatedOut]
    activity_list: list[ReportActivityOut]
    warnings: list[IatiIssueOut]
    errors: list[IatiIssueOut]


class IatiImportSummaryOut(Schema):
    public_id: uuid.UUID | None = Field(description="Null for a check only (not recorded).")
    original_name: str
    country: str = Field(description="The recipient country filter, or empty.")
    status: IatiImport.Status
    activities_created: int
    activities_updated: int
    activities_skipped: int
    transactions: int
    created_at: datetime.datetime | None


class IatiImportOut(IatiImportSummaryOut):
    report: IatiReportOut


class IatiImportPageOut(PageOut):
    results: list[IatiImportSummaryOut]


class IatiImportRefusedOut(Schema):
    """The file was refused and nothing was saved (problem details, RFC 9457)."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[IatiIssueOut]
    report: IatiImportOut | None = Field(
        description="The import as recorded (with `public_id` null for a check only); null "
        "when the request could not be read, in which case nothing is recorded."
    )


class IatiTransactionOut(Schema):
    position: int
    ref: str
    type: str
    date: datetime.date
    value: str
    currency: str
    value_date: datetime.date | None
    share: str
    provider_org: str
    receiver_org: str


class IatiBudgetOut(Schema):
    type: str
    status: str
    period_start: datetime.date
    period_end: datetime.date
    value: str
    currency: str


class IatiActivityOut(Schema):
    public_id: uuid.UUID
    iati_identifier: str
    title: str
    reporting_org_ref: str
    reporting_org_name: str
    default_currency: str
    recipient_countries: list[str]
    share: str = Field(description="The 15250 share, from 0 to 1.")
    activity_status: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    last_updated: datetime.datetime | None
    standard_version: str
    participating_orgs: list[dict]
    pledges: list[uuid.UUID] = Field(description="The public ids of the derived pledges.")


class IatiActivityDetailOut(IatiActivityOut):
    transactions: list[IatiTransactionOut]
    budgets: list[IatiBudgetOut]


class IatiActivityPageOut(PageOut):
    results: list[IatiActivityOut]


def iati_import_summary_out(record):
    return {
        "public_id": record.public_id if record.pk else None,
        "original_name": record.original_name,
        "country": record.country,
        "status": record.status,
        "activities_created": record.activities_created,
        "activities_updated": record.activities_updated,
        "activities_skipped": record.activities_skipped,
        "transactions": record.transactions,
        "created_at": record.created_at,
    }


def iati_import_out(record):
    return {**iati_import_summary_out(record), "report": record.report}


def _refused(detail, *, errors, record=None):
    """422 as problem+json, shaped by IatiImportRefusedOut."""
    body = {
        "type": INVALID_INPUT_TYPE,
        "title": str(PROBLEM_TITLES[422]),
        "status": 422,
        "detail": str(detail),
        "errors": errors,
        "report": iati_import_out(record) if record is not None else None,
    }
    return JsonResponse(
        IatiImportRefusedOut.model_validate(body).model_dump(mode="json"),
        status=422,
        content_type=PROBLEM_CONTENT_TYPE,
    )


@router.post(
    "/funding/iati-imports",
    response={
        200: IatiImportOut,
        201: IatiImportOut,
        **error_responses(403),
        422: IatiImportRefusedOut,
    },
    url_name="funding_iati_import_create",
    summary="Import an IATI activity file",
)
def funding_iati_import_create(
    request,
    file: Annotated[UploadedFile, File(description="The IATI activity file (XML).")] = None,
    country: Annotated[
        str, Form(description="Recipient country, ISO 3166 two-letter code (optional).")
    ] = "",
    dry_run: Annotated[bool, Form(description="Check the file and save nothing.")] = False,
):
    """Import the mine action activities (DAC sector 15250) of an IATI activity file, entirely
    or not at all (`multipart/form-data`), as `mineaction import iati` does. Managers only.

    Answers 201 with the import and its report when the file was imported, 200 when a check
    only found nothing wrong, and 422 with every problem by line and activity when the file
    was refused; a refused import is recorded (without saving anything else) unless it was a
    check only."""
    access.require_funding_manager(request.auth)
    form = IatiImportForm(
        data={"country": country or "", "dry_run": dry_run},
        files={"file": file} if file is not None else {},
    )
    if not form.is_valid():
        errors = [
            {"line": 0, "activity": "", "message": str(message)}
            for messages in form.errors.values()
            for message in messages
        ]
        return _refused(_("The file was not imported."), errors=errors)
    record = import_iati(
        form.cleaned_data["file"],
        country=form.cleaned_data["country"],
        original_name=file.name,
        actor=request.auth,
        dry_run=form.cleaned_data["dry_run"],
    )
    if record.status == IatiImport.Status.REFUSED:
        return _refused(
            _("The file was refused and nothing was saved: see the problems by line."),
            errors=record.report["errors"],
            record=record,
        )
    return Status(200 if record.pk is None else 201, iati_import_out(record))


@router.get(
    "/funding/iati-imports",
    response={200: IatiImportPageOut, **error_responses(403)},
    url_name="funding_iati_import_list",
    summary="List IATI imports",
)
def funding_iati_import_list(request, filters: Query[PageParams]):
    """Past IATI imports, latest first, with their outcome and counts. Managers only."""
    access.require_funding_manager(request.auth)
    return paginate(IatiImport.objects.defer("report"), filters, iati_import_summary_out)


@router.get(
    "/funding/iati-imports/{uuid:public_id}",
    response={200: IatiImportOut, **error_responses(403, 404)},
    url_name="funding_iati_import_detail",
    summary="Get an IATI import",
)
def funding_iati_import_detail(request, public_id: uuid.UUID):
    """An import with its report: counts, sums per type, currency and year, the organisations
    created, warnings and errors. Managers only."""
    return iati_import_out(access.get_iati_import_for_user(request.auth, public_id))


def _money(value):
    return str(value)


def iati_activity_out(activity):
    return {
        "public_id": activity.public_id,
        "iati_identifier": activity.iati_identifier,
        "title": activity.title,
        "reporting_org_ref": activity.reporting_org_ref,
        "reporting_org_name": activity.reporting_org_name,
        "default_currency": activity.default_currency,
        "recipient_countries": activity.recipient_countries,
        "share": _money(activity.share),
        "activity_status": activity.activity_status,
        "start_date": activity.start_date,
        "end_date": activity.end_date,
        "last_updated": activity.last_updated,
        "standard_version": activity.standard_version,
        "participating_orgs": activity.participating_orgs,
        "pledges": [pledge.public_id for pledge in activity.pledges.all()],
    }


@router.get(
    "/funding/iati-activities",
    response={200: IatiActivityPageOut, **error_responses(403)},
    url_name="funding_iati_activity_list",
    summary="List imported IATI activities",
)
def funding_iati_activity_list(request, filters: Query[PageParams]):
    """The mine action activities imported from IATI files, by identifier."""
    access.require_reader(request.auth)
    activities = IatiActivity.objects.prefetch_related("pledges").order_by("iati_identifier")
    return paginate(activities, filters, iati_activity_out)


@router.get(
    "/funding/iati-activities/{uuid:public_id}",
    response={200: IatiActivityDetailOut, **error_responses(403, 404)},
    url_name="funding_iati_activity_detail",
    summary="Get an imported IATI activity",
)
def funding_iati_activity_detail(request, public_id: uuid.UUID):
    """An imported activity with its transactions and budgets as last imported."""
    activity = access.get_iati_activity_for_user(request.auth, public_id)
    return {
        **iati_activity_out(activity),
        "transactions": [
            {
                "position": tx.position,
                "ref": tx.ref,
                "type": tx.type,
                "date": tx.date,
                "value": _money(tx.value),
                "currency": tx.currency,
                "value_date": tx.value_date,
                "share": _money(tx.share),
                "provider_org": tx.provider_org,
                "receiver_org": tx.receiver_org,
            }
            for tx in activity.transactions.all()
        ],
        "budgets": [
            {
                "type": budget.type,
                "status": budget.status,
                "period_start": budget.period_start,
                "period_end": budget.period_end,
                "value": _money(budget.value),
                "currency": budget.currency,
            }
            for budget in activity.budgets.all()
        ],
    }
