"""IATI import pages: the managers' past imports, a new import (upload, optionally a check
only) and an import's report; and, for every reader, an imported activity with its
transactions, budgets and derived pledges. Every view: check access, act, redirect."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mineaction.core import access
from mineaction.core.pages import form_data, results_template
from mineaction.funding.forms_iati import IatiImportForm, profile_country
from mineaction.funding.iati import import_iati
from mineaction.funding.iati.importer import skip_reason_label
from mineaction.funding.iati.selection import ACTIVITY_SKIP_REASONS, TRANSACTION_SKIP_REASONS
from mineaction.funding.models import Disbursement, IatiImport, IatiTransaction, Source
from mineaction.stakeholders.models import OrganisationType

PAGE_SIZE = 25
ISSUES_PAGE_SIZE = 50
ACTIVITIES_PAGE_SIZE = 100


@require_GET
@login_required
def iati_import_list(request):
    access.require_funding_manager(request.user)
    imports = IatiImport.objects.select_related("created_by__person").defer("report")
    page = Paginator(imports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, results_template(request, "funding/iati_import_list.html"), {"page": page}
    )


@require_http_methods(["GET", "POST"])
@login_required
def iati_import_create(request):
    """Upload a file and import it at once (files are small enough to import in the
    request); a check only shows the report here and saves nothing."""
    access.require_funding_manager(request.user)
    form = IatiImportForm(
        form_data(request),
        request.FILES if request.method == "POST" else None,
        initial={"country": profile_country()},
    )
    if form.is_valid():
        upload = form.cleaned_data["file"]
        record = import_iati(
            upload,
            country=form.cleaned_data["country"],
            original_name=upload.name,
            actor=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
        if form.cleaned_data["dry_run"]:
            return render(
                request, "funding/iati_import_detail.html", _report_context(request, record)
            )
        if record.status == IatiImport.Status.REFUSED:
            messages.error(
                request, _("The file was refused and nothing was imported: see the problems.")
            )
        else:
            messages.success(request, _("The IATI file has been imported."))
        return redirect("funding:iati_import_detail", record.public_id)
    return render(
        request,
        "funding/iati_import_create.html",
        {"form": form, "profile_country": profile_country()},
    )


@require_GET
@login_required
def iati_import_detail(request, public_id):
    record = access.get_iati_import_for_user(request.user, public_id)
    return render(request, "funding/iati_import_detail.html", _report_context(request, record))


def _pages(request, entries, parameter, size, *, whole):
    """One page of a long list of the report; the whole list for a check only, whose page
    cannot be asked for again."""
    size = max(len(entries), 1) if whole else size
    return Paginator(entries, size).get_page(request.GET.get(parameter))


def _report_context(request, record):
    """The report as the page shows it: labels for the codes, long lists a page at a time."""
    report = record.report
    whole = record.pk is None
    activities = report.get("activities", {})
    transactions = report.get("transactions", {})
    return {
        "record": record,
        "report": report,
        "dry_run": report.get("dry_run", False),
        "activity_skips": _skips(activities.get("skipped", {}), ACTIVITY_SKIP_REASONS),
        "transaction_skips": _skips(transactions.get("skipped", {}), TRANSACTION_SKIP_REASONS),
        "by_type": [
            {**row, "label": IatiTransaction.Type(row["type"]).label}
            for row in transactions.get("by_type", [])
        ],
        "organisations_created": [
            {**organisation, "type_label": OrganisationType(organisation["type"]).label}
            for organisation in report.get("organisations_created", [])
        ],
        "activities_page": _pages(
            request,
            [
                {**row, "percent": Decimal(row["share"]) * 100}
                for row in report.get("activity_list", [])
            ],
            "activities_page",
            ACTIVITIES_PAGE_SIZE,
            whole=whole,
        ),
        "errors_page": _pages(
            request, report.get("errors", []), "page", ISSUES_PAGE_SIZE, whole=whole
        ),
        "warnings_page": _pages(
            request, report.get("warnings", []), "warnings_page", ISSUES_PAGE_SIZE, whole=whole
        ),
    }


def _skips(counts, reasons):
    return [
        {"reason": reason, "label": skip_reason_label(reason), "count": counts.get(reason, 0)}
        for reason in reasons
    ]


@require_GET
@login_required
def iati_activity_detail(request, public_id):
    activity = access.get_iati_activity_for_user(request.user, public_id)
    disbursements = {
        disbursement.iati_transaction_id: disbursement
        for disbursement in Disbursement.objects.filter(
            iati_transaction__activity=activity, source=Source.IATI
        )
    }
    transactions = [
        {"transaction": tx, "disbursement": disbursements.get(tx.pk), "percent": tx.share * 100}
        for tx in activity.transactions.all()
    ]
    return render(
        request,
        "funding/iati_activity_detail.html",
        {
            "activity": activity,
            "activity_percent": activity.share * 100,
            "transactions": transactions,
            "budgets": activity.budgets.all(),
            "pledges": activity.pledges.select_related("donor").prefetch_related("years"),
            "can_manage": access.can_manage_funding(request.user),
        },
    )


urlpatterns = [
    path("iati/", iati_import_list, name="iati_import_list"),
    path("iati/new/", iati_import_create, name="iati_import_create"),
    path("iati/<uuid:public_id>/", iati_import_detail, name="iati_import_detail"),
    path("iati/activities/<uuid:public_id>/", iati_activity_detail, name="iati_activity_detail"),
]
