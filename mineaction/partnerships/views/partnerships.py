"""Pages of partnerships and commitments: the partnerships, a partnership with its parties,
commitments, indicators, progress reports, documents and pledges, the managers' create and edit,
documents, the mutual accountability view, and the commitments (list with filters and export,
recorded by managers or by a party's people, updated by the committing party). Every view:
check access, act, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mineaction.core import access
from mineaction.core.api import problem_response
from mineaction.core.pages import confirmed, form_data, render_form, results_template, uuid_or_none
from mineaction.core.tables import FORMAT_LABELS, table_response
from mineaction.core.uploads import document_response
from mineaction.partnerships.forms import (
    CommitmentFilterForm,
    CommitmentForm,
    CommitmentProgressForm,
    PartnershipDocumentForm,
    PartnershipFilterForm,
    PartnershipForm,
)
from mineaction.partnerships.models import (
    Commitment,
    CommitmentKind,
    Partnership,
    PartnershipDocument,
)
from mineaction.partnerships.services import partnerships as services
from mineaction.stakeholders.models import Organisation

PAGE_SIZE = 25
EXPORT_FORMATS = ("csv", "xlsx")


def _unknown_format(fmt, formats):
    return problem_response(
        400,
        errors={
            "format": [
                _("Unknown format “%(format)s”. Choose one of: %(formats)s.")
                % {"format": fmt, "formats": ", ".join(formats)}
            ]
        },
    )


def _detail_url(partnership, anchor=""):
    return reverse("partnerships:partnership_detail", args=[partnership.public_id]) + anchor


# Partnerships ----------------------------------------------------------------------------------


def partnership_list_queryset(partnerships):
    return (
        partnerships.select_related("state_party")
        .prefetch_related(Prefetch("partners", queryset=Organisation.objects.order_by("name")))
        .annotate(commitment_count=Count("commitments", distinct=True))
        .order_by("-starts_on", "title", "id")
    )


@require_GET
@login_required
def partnership_list(request):
    access.require_reader(request.user)
    filters = PartnershipFilterForm(request.GET)
    filters.is_valid()
    today = timezone.localdate()
    partnerships = partnership_list_queryset(filters.filter(Partnership.objects.all(), today))
    page = Paginator(partnerships, PAGE_SIZE).get_page(request.GET.get("page"))
    for partnership in page:
        partnership.period = services.partnership_period(partnership, today)
    return render(
        request,
        results_template(request, "partnerships/partnerships_list.html"),
        {
            "filters": filters,
            "page": page,
            "can_manage": access.can_manage_partnerships(request.user),
            "can_commit": _can_record_commitments(request.user),
        },
    )


def _save_partnership(form, partnership=None):
    try:
        return services.partnership_save(partnership=partnership, **form.values())
    except ValidationError as error:
        form.add_error(None, error)
        return None


@require_http_methods(["GET", "POST"])
@login_required
def partnership_create(request):
    access.require_partnership_manager(request.user)
    form = PartnershipForm(form_data(request))
    if form.is_valid() and (partnership := _save_partnership(form)):
        messages.success(request, _("The partnership has been created."))
        return redirect("partnerships:partnership_detail", partnership.public_id)
    return render_form(
        request,
        form,
        title=_("New partnership"),
        intro=_(
            "A partnership binds the State and one or more partners for a period: they agree "
            "targets and indicators, make commitments and report on progress regularly."
        ),
        cancel_url=reverse("partnerships:partnership_list"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def partnership_edit(request, public_id):
    partnership = access.get_partnership_for_user(request.user, public_id, write=True)
    form = PartnershipForm(form_data(request), instance=partnership)
    if form.is_valid() and _save_partnership(form, partnership):
        messages.success(request, _("The partnership has been saved."))
        return redirect("partnerships:partnership_detail", partnership.public_id)
    return render_form(
        request,
        form,
        title=_("Edit the partnership"),
        subject=partnership.title,
        cancel_url=_detail_url(partnership),
    )


def _commitments_by_party(partnership, parties, today):
    commitments = (
        partnership.commitments.select_related("party")
        .prefetch_related("plan_actions")
        .order_by("due_on", "id")
    )
    by_party = {party.pk: [] for party in parties}
    for commitment in commitments:
        commitment.timeliness_value = commitment.timeliness(today)
        by_party.setdefault(commitment.party_id, []).append(commitment)
    return [
        {"party": party, "is_state": i == 0, "commitments": by_party[party.pk]}
        for i, party in enumerate(parties)
    ]


def _progress_reports(partnership):
    return partnership.progress_reports.select_related("submitted_by").order_by(
        "-period_end", "-version"
    )


@require_GET
@login_required
def partnership_detail(request, public_id):
    partnership = access.get_partnership_for_user(request.user, public_id)
    today = timezone.localdate()
    parties = services.partnership_parties(partnership)
    return render(
        request,
        "partnerships/partnerships_detail.html",
        {
            "partnership": partnership,
            "parties": parties,
            "period": services.partnership_period(partnership, today),
            "by_party": _commitments_by_party(partnership, parties, today),
            "focal_points": partnership.focal_points.select_related("organisation"),
            "plan_actions": partnership.plan_actions.select_related("section__action_plan"),
            "indicators": partnership.indicators.order_by("name"),
            "reports": _progress_reports(partnership),
            "documents": partnership.documents.all(),
            "pledges": partnership.pledges.select_related("donor").order_by("-first_year", "id"),
            "timeliness_labels": services.TIMELINESS_LABELS,
            "can_manage": access.can_manage_partnerships(request.user),
            # Managers, or the people who speak for a party.
            "can_commit": access.can_write_for_partnership(request.user, partnership),
            "can_report": access.can_write_for_partnership(request.user, partnership),
        },
    )


# Documents -------------------------------------------------------------------------------------


def _get_document(request, public_id, *, write=False):
    """A partnership's document, through the gate of its partnership."""
    if not access.is_reader(request.user):
        raise Http404
    document = (
        PartnershipDocument.objects.select_related("partnership")
        .filter(public_id=uuid_or_none(public_id))
        .first()
    )
    if document is None:
        raise Http404
    access.get_partnership_for_user(request.user, document.partnership.public_id, write=write)
    return document


@require_http_methods(["GET", "POST"])
@login_required
def partnership_document_add(request, public_id):
    partnership = access.get_partnership_for_user(request.user, public_id, write=True)
    form = PartnershipDocumentForm(
        form_data(request), request.FILES if request.method == "POST" else None
    )
    if form.is_valid():
        services.partnership_document_add(
            partnership=partnership,
            title=form.cleaned_data["title"],
            file=form.cleaned_data["file"],
        )
        messages.success(request, _("The document has been attached."))
        return redirect(_detail_url(partnership, "#documents"))
    return render_form(
        request,
        form,
        title=_("Attach a document"),
        subject=partnership.title,
        cancel_url=_detail_url(partnership, "#documents"),
        multipart=True,
    )


@require_GET
@login_required
def partnership_document_download(request, public_id):
    document = _get_document(request, public_id)
    return document_response(document)


@require_http_methods(["GET", "POST"])
@login_required
def partnership_document_delete(request, public_id):
    """Confirmation page, then the removal."""
    document = _get_document(request, public_id, write=True)
    partnership = document.partnership
    if confirmed(request):
        services.partnership_document_delete(document=document)
        messages.success(
            request, _("The document “%(title)s” has been removed.") % {"title": document.title}
        )
        return redirect(_detail_url(partnership, "#documents"))
    return render(
        request,
        "partnerships/partnerships_document_delete.html",
        {"document": document, "partnership": partnership},
    )


# Mutual accountability -------------------------------------------------------------------------


def commitment_json(commitment, today):
    return {
        "public_id": str(commitment.public_id),
        "party": services.organisation_json(commitment.party),
        "kind": commitment.kind,
        "description": commitment.description,
        "due_on": commitment.due_on.isoformat(),
        "status": commitment.status,
        "delivered_on": commitment.delivered_on.isoformat() if commitment.delivered_on else None,
        "timeliness": commitment.timeliness(today),
        "amount": None if commitment.amount is None else str(commitment.amount),
        "currency": commitment.currency,
    }


@require_GET
@login_required
def partnership_accountability(request, public_id):
    """Per party: what it committed and what it delivered, on time or late; the State's side
    and each partner's next to each other. JSON, CSV and XLSX twins by `?format=`."""
    partnership = access.get_partnership_for_user(request.user, public_id)
    today = timezone.localdate()
    accountability = services.partnership_accountability(partnership, today)
    fmt = request.GET.get("format", "")
    if fmt not in ("", "json", *EXPORT_FORMATS):
        return _unknown_format(fmt, ["json", *EXPORT_FORMATS])
    if fmt == "json":
        return JsonResponse(
            services.accountability_json(
                accountability, commitment_json=lambda c: commitment_json(c, today)
            )
        )
    if fmt in EXPORT_FORMATS:
        return table_response(
            services.accountability_columns(),
            _sides(accountability),
            fmt=fmt,
            filename="accountability",
            title=_("Accountability"),
        )
    return render(
        request,
        "partnerships/partnerships_accountability.html",
        {
            "partnership": partnership,
            "accountability": accountability,
            "columns": _sides(accountability),
            "outcome_labels": services.OUTCOME_LABELS,
            "kind_rows": _kind_rows(accountability),
            "outcome_rows": _outcome_rows(accountability),
            "timeliness_labels": services.TIMELINESS_LABELS,
            "formats": FORMAT_LABELS,
        },
    )


def _sides(accountability):
    sides = accountability.sides
    return [*sides, accountability.partners_total] if len(sides) > 2 else sides


def _kind_rows(accountability):
    return [
        {"label": label, "counts": [side.by_kind[kind] for side in _sides(accountability)]}
        for kind, label in CommitmentKind.choices
    ]


def _outcome_rows(accountability):
    return [
        {
            "label": label,
            "cells": [(side.outcomes[key], side.shares()[key]) for side in _sides(accountability)],
        }
        for key, label in services.OUTCOME_LABELS.items()
    ]


# Commitments -----------------------------------------------------------------------------------


def _can_record_commitments(user):
    """Managers, or someone speaking for an organisation that is party to a partnership."""
    if access.can_manage_partnerships(user):
        return True
    organisation_id = access.own_organisation_id(user)
    return organisation_id is not None and services.partnerships_of(organisation_id).exists()


def commitment_list_queryset(commitments):
    return commitments.select_related("party", "partnership").order_by("due_on", "id")


@require_GET
@login_required
def commitment_list(request):
    access.require_reader(request.user)
    filters = CommitmentFilterForm(request.GET)
    valid = filters.is_valid()
    today = timezone.localdate()
    commitments = commitment_list_queryset(filters.filter(Commitment.objects.all(), today))
    fmt = request.GET.get("format", "")
    if fmt:
        if fmt not in EXPORT_FORMATS:
            return _unknown_format(fmt, EXPORT_FORMATS)
        if not valid:
            return problem_response(
                400, errors={name: list(errors) for name, errors in filters.errors.items()}
            )
        return table_response(
            services.commitment_columns(today),
            commitments,
            fmt=fmt,
            filename="commitments",
            title=_("Commitments"),
        )
    page = Paginator(commitments, PAGE_SIZE).get_page(request.GET.get("page"))
    for commitment in page:
        commitment.timeliness_value = commitment.timeliness(today)
    return render(
        request,
        results_template(request, "partnerships/commitments_list.html"),
        {
            "filters": filters,
            "page": page,
            "formats": FORMAT_LABELS,
            "timeliness_labels": services.TIMELINESS_LABELS,
            "can_commit": _can_record_commitments(request.user),
        },
    )


def _partnership_from_query(request):
    """The partnership of `?partnership=` (a party's or any for managers), or None."""
    public_id = request.GET.get("partnership")
    if not public_id:
        return None
    return access.get_partnership_as_party(request.user, public_id)


@require_http_methods(["GET", "POST"])
@login_required
def commitment_create(request):
    """Managers record any party's commitment; a party's people record their own
    organisation's, in a partnership it is party to."""
    access.require_reader(request.user)
    partnership = _partnership_from_query(request)
    if not _can_record_commitments(request.user):
        return render(request, "partnerships/commitments_not_party.html", status=403)
    initial = {"partnership": partnership}
    if not access.can_manage_partnerships(request.user):
        initial["party"] = access.own_organisation_id(request.user)
    form = CommitmentForm(form_data(request), user=request.user, initial=initial)
    if form.is_valid():
        values = form.values()
        try:
            commitment = services.commitment_create(**values)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The commitment has been recorded."))
            return redirect("partnerships:commitment_detail", commitment.public_id)
    return render_form(
        request,
        form,
        title=_("New commitment"),
        subject=partnership.title if partnership else None,
        cancel_url=_detail_url(partnership)
        if partnership
        else reverse("partnerships:commitment_list"),
    )


@require_GET
@login_required
def commitment_detail(request, public_id):
    commitment = access.get_commitment_for_user(request.user, public_id)
    today = timezone.localdate()
    return render(
        request,
        "partnerships/commitments_detail.html",
        {
            "commitment": commitment,
            "timeliness": commitment.timeliness(today),
            "timeliness_labels": services.TIMELINESS_LABELS,
            "plan_actions": commitment.plan_actions.select_related("section__action_plan"),
            "challenges": access.visible_challenges(
                request.user, commitment.challenges.all()
            ).order_by("number"),
            "indicators": commitment.indicators.order_by("name"),
            "can_update": access.can_update_commitment(request.user, commitment),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def commitment_edit(request, public_id):
    """Managers change everything; the committing party's people its status, delivery date
    and description."""
    commitment = access.get_commitment_for_user(request.user, public_id, write=True)
    is_manager = access.can_manage_partnerships(request.user)
    if is_manager:
        form = CommitmentForm(form_data(request), user=request.user, instance=commitment)
    else:
        form = CommitmentProgressForm(form_data(request), instance=commitment)
    if form.is_valid():
        values = form.values()
        extra = {}
        if is_manager:
            extra = {
                "plan_actions": values.pop("plan_actions"),
                "challenges": values.pop("challenges"),
            }
            # Challenges the user cannot see stay linked.
            hidden = commitment.challenges.exclude(
                pk__in=access.visible_challenges(request.user).values("pk")
            )
            extra["challenges"] = [*extra["challenges"], *hidden]
        try:
            services.commitment_update(commitment=commitment, **values, **extra)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The commitment has been saved."))
            return redirect("partnerships:commitment_detail", commitment.public_id)
    return render_form(
        request,
        form,
        title=_("Edit the commitment"),
        subject=commitment.party.name,
        cancel_url=reverse("partnerships:commitment_detail", args=[commitment.public_id]),
    )


urlpatterns = [
    path("", partnership_list, name="partnership_list"),
    path("new/", partnership_create, name="partnership_create"),
    path("<uuid:public_id>/", partnership_detail, name="partnership_detail"),
    path("<uuid:public_id>/edit/", partnership_edit, name="partnership_edit"),
    path(
        "<uuid:public_id>/accountability/",
        partnership_accountability,
        name="partnership_accountability",
    ),
    path(
        "<uuid:public_id>/documents/new/",
        partnership_document_add,
        name="partnership_document_add",
    ),
    path(
        "documents/<uuid:public_id>/",
        partnership_document_download,
        name="partnership_document_download",
    ),
    path(
        "documents/<uuid:public_id>/delete/",
        partnership_document_delete,
        name="partnership_document_delete",
    ),
    path("commitments/", commitment_list, name="commitment_list"),
    path("commitments/new/", commitment_create, name="commitment_create"),
    path("commitments/<uuid:public_id>/", commitment_detail, name="commitment_detail"),
    path("commitments/<uuid:public_id>/edit/", commitment_edit, name="commitment_edit"),
]
