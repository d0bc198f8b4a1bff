"""Pledges and disbursements: the lists (with their filters, totals in the base currency and
exports), recording and changing a pledge with its split over the years, and its
disbursements.

Members read them all. The secretariat, the lead authority and administrators record any
donor's pledges and disbursements; whoever speaks for an organisation records its own (the
donor is then theirs, fixed). Records imported from IATI keep the figures of the import.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mineaction.core import access
from mineaction.core.pages import confirmed, form_data, render_form, results_template, uuid_or_none
from mineaction.core.tables import FORMAT_LABELS
from mineaction.funding import exports
from mineaction.funding.forms import (
    DisbursementFilterForm,
    DisbursementForm,
    PledgeFilterForm,
    PledgeForm,
)
from mineaction.funding.models import Disbursement, Pledge, Source
from mineaction.funding.services import records
from mineaction.funding.services.money import base_currency, load_rates, pledge_save, to_base
from mineaction.stakeholders.models import Organisation

PAGE_SIZE = 50


def _export_format(request):
    fmt = request.GET.get("format")
    return fmt if fmt in exports.EXPORT_FORMATS else None


def _fixed_donor(user):
    """The organisation a non-manager records for (None for managers, who choose)."""
    if access.can_manage_funding(user):
        return None
    return Organisation.objects.get(pk=access.own_organisation_id(user))


def _require_recorder(user):
    access.require_reader(user)
    if not access.can_record_pledges(user):
        raise PermissionDenied


# Pledges -------------------------------------------------------------------------------------


@require_GET
@login_required
def pledge_list(request):
    access.require_reader(request.user)
    filters = PledgeFilterForm(request.GET)
    filters.is_valid()
    pledges = filters.filter(Pledge.objects.all())
    fmt = _export_format(request)
    if fmt:
        listed = pledges.select_related("donor", "recipient", "region").prefetch_related("years")
        return exports.list_export("pledges", listed, fmt=fmt)
    rates = load_rates()
    page = Paginator(
        pledges.select_related("donor", "region__parent").prefetch_related("years"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    rows = [
        {"pledge": pledge, "in_base": records.pledge_in_base(pledge, rates=rates)}
        for pledge in page
    ]
    year = filters.values().get("year")
    totals = records.pledge_totals(pledges, rates=rates, year=year)
    return render(
        request,
        results_template(request, "funding/funding_pledge_list.html"),
        {
            "filters": filters,
            "page": page,
            "rows": rows,
            "totals": totals,
            "unconverted": [
                {"currency": currency, "year": part_year, "amount": amount}
                for currency, part_year, amount in totals.unconverted
            ],
            "year": year,
            "can_manage": access.can_manage_funding(request.user),
            "formats": FORMAT_LABELS,
            "can_record": access.can_record_pledges(request.user),
        },
    )


def _pledge_form(request, pledge=None):
    donor = _fixed_donor(request.user)
    initial = {}
    if pledge is None and donor is None and uuid_or_none(request.GET.get("donor")):
        initial["donor"] = Organisation.objects.filter(public_id=request.GET["donor"]).first()
    return PledgeForm(
        form_data(request),
        instance=pledge,
        donor=donor,
        initial=initial,
        base_currency=base_currency(),
    )


def _save_pledge(request, form, *, success):
    try:
        pledge = pledge_save(pledge=form.instance, years=form.years())
    except ValidationError as error:
        for name, messages_ in error.message_dict.items():
            name = "split" if name == "years" else name
            form.add_error(name if name in form.fields else None, messages_)
        return None
    messages.success(request, success)
    return pledge


@require_http_methods(["GET", "POST"])
@login_required
def pledge_create(request):
    _require_recorder(request.user)
    form = _pledge_form(request)
    if form.is_valid() and (
        pledge := _save_pledge(request, form, success=_("The pledge has been recorded."))
    ):
        return redirect("funding:pledge_detail", pledge.public_id)
    donor = form.instance.donor if "donor" not in form.fields else None
    return render_form(
        request,
        form,
        title=_("Record a pledge"),
        intro=(
            _("The pledge is recorded for %(donor)s.") % {"donor": donor}
            if donor is not None
            else ""
        ),
        cancel_url=reverse("funding:pledge_list"),
    )


def _iati_activity_url(pledge):
    if pledge.iati_activity_id is None:
        return ""
    try:
        return reverse("funding:iati_activity_detail", args=[pledge.iati_activity.public_id])
    except NoReverseMatch:
        return ""


@require_GET
@login_required
def pledge_detail(request, public_id):
    pledge = access.get_pledge_for_user(request.user, public_id)
    rates = load_rates()
    years = [
        {
            "year": part.year,
            "amount": part.amount,
            "in_base": to_base(part.amount, pledge.currency, part.year, rates=rates),
        }
        for part in pledge.years.all()
    ]
    disbursements = pledge.disbursements.select_related("recipient", "region").order_by(
        "disbursed_on", "id"
    )
    can_update = access.can_update_donor_record(request.user, pledge)
    return render(
        request,
        "funding/funding_pledge_detail.html",
        {
            "pledge": pledge,
            "years": years,
            "in_base": records.pledge_in_base(pledge, rates=rates),
            "base_currency": rates.base,
            "disbursements": disbursements,
            "overrun": records.pledge_overrun(pledge, rates=rates),
            "iati_activity_url": _iati_activity_url(pledge),
            "can_update": can_update,
            "can_delete": can_update and pledge.source != Source.IATI,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def pledge_edit(request, public_id):
    pledge = access.get_pledge_for_user(request.user, public_id, write=True)
    form = _pledge_form(request, pledge)
    if form.is_valid() and _save_pledge(request, form, success=_("The pledge has been saved.")):
        return redirect("funding:pledge_detail", pledge.public_id)
    return render_form(
        request,
        form,
        title=_("Edit pledge"),
        subject=pledge.title,
        cancel_url=reverse("funding:pledge_detail", args=[pledge.public_id]),
    )


@require_http_methods(["GET", "POST"])
@login_required
def pledge_delete(request, public_id):
    """Confirmation page; a pledge from an IATI import is not deleted (re-import instead)."""
    pledge = access.get_pledge_for_user(request.user, public_id, write=True)
    refusal = records.iati_pledge_refusal() if pledge.source == Source.IATI else ""
    if confirmed(request) and not refusal:
        records.pledge_delete(pledge=pledge)
        messages.success(
            request, _("The pledge “%(title)s” has been deleted.") % {"title": pledge.title}
        )
        return redirect("funding:pledge_list")
    return render(
        request,
        "funding/funding_pledge_delete.html",
        {
            "pledge": pledge,
            "refusal": refusal,
            "disbursement_count": pledge.disbursements.count(),
        },
        status=400 if refusal and request.method == "POST" else 200,
    )


# Disbursements -------------------------------------------------------------------------------


@require_GET
@login_required
def disbursement_list(request):
    access.require_reader(request.user)
    filters = DisbursementFilterForm(request.GET)
    filters.is_valid()
    disbursements = filters.filter(
        Disbursement.objects.select_related("donor", "pledge", "recipient", "region")
    )
    fmt = _export_format(request)
    if fmt:
        return exports.list_export("disbursements", disbursements, fmt=fmt)
    rates = load_rates()
    page = Paginator(disbursements, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "disbursement": disbursement,
            "in_base": to_base(
                disbursement.amount,
                disbursement.currency,
                disbursement.disbursed_on.year,
                rates=rates,
            ),
        }
        for disbursement in page
    ]
    return render(
        request,
        results_template(request, "funding/funding_disbursement_list.html"),
        {
            "filters": filters,
            "page": page,
            "rows": rows,
            "base_currency": rates.base,
            "formats": FORMAT_LABELS,
            "can_record": access.can_record_pledges(request.user),
        },
    )


def _disbursement_done(request, disbursement, overrun, success):
    messages.success(request, success)
    if overrun is not None:
        messages.warning(request, overrun.message())
    if disbursement.pledge_id:
        return redirect(
            reverse("funding:pledge_detail", args=[disbursement.pledge.public_id])
            + "#disbursements"
        )
    return redirect("funding:disbursement_list")


def _save_disbursement(request, form, *, success):
    try:
        disbursement, overrun = records.disbursement_save(disbursement=form.instance)
    except ValidationError as error:
        for name, messages_ in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages_)
        return None
    return _disbursement_done(request, disbursement, overrun, success)


def _overrun_note():
    return _(
        "A disbursement that takes the pledge's disbursements beyond its amount is recorded "
        "with a warning, since exchange and timing differences happen."
    )


@require_http_methods(["GET", "POST"])
@login_required
def disbursement_create(request):
    """A disbursement of the pledge named by `?pledge=`, or one without a pledge."""
    pledge_id = request.GET.get("pledge")
    if pledge_id:
        pledge = access.get_pledge_for_user(request.user, pledge_id, write=True)
        donor, cancel_url = None, reverse("funding:pledge_detail", args=[pledge.public_id])
    else:
        _require_recorder(request.user)
        pledge, donor = None, _fixed_donor(request.user)
        cancel_url = reverse("funding:disbursement_list")
    form = DisbursementForm(
        form_data(request), pledge=pledge, donor=donor, base_currency=base_currency()
    )
    if form.is_valid():
        response = _save_disbursement(
            request, form, success=_("The disbursement has been recorded.")
        )
        if response is not None:
            return response
    if pledge is not None:
        intro = _("A disbursement of the pledge “%(title)s” by %(donor)s.") % {
            "title": pledge.title,
            "donor": pledge.donor,
        }
        intro = f"{intro} {_overrun_note()}"
    elif donor is not None:
        intro = _("A disbursement by %(donor)s without a pledge.") % {"donor": donor}
    else:
        intro = _("A disbursement without a pledge. To disburse a pledge, start from its page.")
    return render_form(
        request,
        form,
        title=_("Record a disbursement"),
        intro=intro,
        cancel_url=cancel_url,
    )


@require_http_methods(["GET", "POST"])
@login_required
def disbursement_edit(request, public_id):
    disbursement = access.get_disbursement_for_user(request.user, public_id, write=True)
    form = DisbursementForm(
        form_data(request),
        instance=disbursement,
        donor=disbursement.donor,
        base_currency=base_currency(),
    )
    if form.is_valid():
        response = _save_disbursement(request, form, success=_("The disbursement has been saved."))
        if response is not None:
            return response
    cancel_url = (
        reverse("funding:pledge_detail", args=[disbursement.pledge.public_id])
        if disbursement.pledge_id
        else reverse("funding:disbursement_list")
    )
    return render_form(
        request,
        form,
        title=_("Edit disbursement"),
        subject=f"{disbursement.disbursed_on.isoformat()} · {disbursement.donor}",
        intro=_overrun_note() if disbursement.pledge_id else "",
        cancel_url=cancel_url,
    )


@require_http_methods(["GET", "POST"])
@login_required
def disbursement_delete(request, public_id):
    disbursement = access.get_disbursement_for_user(request.user, public_id, write=True)
    refusal = records.iati_disbursement_refusal() if disbursement.source == Source.IATI else ""
    if confirmed(request) and not refusal:
        records.disbursement_delete(disbursement=disbursement)
        messages.success(request, _("The disbursement has been deleted."))
        if disbursement.pledge_id:
            return redirect("funding:pledge_detail", disbursement.pledge.public_id)
        return redirect("funding:disbursement_list")
    return render(
        request,
        "funding/funding_disbursement_delete.html",
        {"disbursement": disbursement, "refusal": refusal},
        status=400 if refusal and request.method == "POST" else 200,
    )


urlpatterns = [
    path("pledges/", pledge_list, name="pledge_list"),
    path("pledges/new/", pledge_create, name="pledge_create"),
    path("pledges/<uuid:public_id>/", pledge_detail, name="pledge_detail"),
    path("pledges/<uuid:public_id>/edit/", pledge_edit, name="pledge_edit"),
    path("pledges/<uuid:public_id>/delete/", pledge_delete, name="pledge_delete"),
    path("disbursements/", disbursement_list, name="disbursement_list"),
    path("disbursements/new/", disbursement_create, name="disbursement_create"),
    path("disbursements/<uuid:public_id>/edit/", disbursement_edit, name="disbursement_edit"),
    path(
        "disbursements/<uuid:public_id>/delete/",
        disbursement_delete,
        name="disbursement_delete",
    ),
]
