"""Instrument pages: the list with its pipeline summary and exports, an instrument with its
stage history, advocacy log and lag behind the IMAS, and the managers' create, edit and stage
change. Every view: check access, act through a service, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mineaction.core import access
from mineaction.core.pages import form_data, render_form, results_template
from mineaction.core.tables import FORMAT_LABELS, table_response
from mineaction.policies.exports import INSTRUMENT_COLUMNS
from mineaction.policies.forms import (
    InstrumentCreateForm,
    InstrumentFilterForm,
    InstrumentForm,
    StageChangeForm,
)
from mineaction.policies.models import Instrument, InstrumentKind, InstrumentStage
from mineaction.policies.services import advocacy as advocacy_services
from mineaction.policies.services import instruments as services
from mineaction.policies.services.standards import chapter_lag

PAGE_SIZE = 25


def filtered_instruments(filters, *, today):
    return services.instruments_for_list(filters.filter(Instrument.objects.all(), today=today))


def export_links(request, view_name="policies:instrument_export"):
    """The CSV and XLSX addresses of the list as filtered (without its page)."""
    query = request.GET.copy()
    query.pop("page", None)
    base = reverse(view_name)
    links = []
    for fmt, label in FORMAT_LABELS.items():
        query["format"] = fmt
        links.append({"label": label, "url": f"{base}?{query.urlencode()}"})
    return links


@require_GET
@login_required
def instrument_list(request):
    access.require_reader(request.user)
    today = timezone.localdate()
    filters = InstrumentFilterForm(request.GET)
    filters.is_valid()
    instruments = filtered_instruments(filters, today=today).order_by(
        "kind", "reference", "title", "id"
    )
    page = Paginator(instruments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        results_template(request, "policies/instruments_list.html"),
        {
            "filters": filters,
            "page": page,
            "pipeline": services.stage_counts(
                filters.filter(Instrument.objects.all(), today=today, stage=False)
            ),
            "current_stage": filters.cleaned_data.get("stage", ""),
            "export_links": export_links(request),
            "can_manage": access.can_manage_policies(request.user),
        },
    )


@require_GET
@login_required
def instrument_export(request):
    """The list as filtered, as CSV (default) or XLSX."""
    access.require_reader(request.user)
    fmt = request.GET.get("format") or "csv"
    if fmt not in FORMAT_LABELS:
        raise Http404
    today = timezone.localdate()
    filters = InstrumentFilterForm(request.GET)
    filters.is_valid()
    instruments = filtered_instruments(filters, today=today).prefetch_related(
        Prefetch(
            "challenges",
            queryset=access.visible_challenges(request.user).order_by("-number"),
            to_attr="visible_challenges",
        )
    )
    return table_response(
        INSTRUMENT_COLUMNS,
        instruments.order_by("kind", "reference", "title", "id"),
        fmt=fmt,
        filename="instruments",
        title=_("Instruments"),
    )


def _detail_context(request, instrument):
    user = request.user
    today = timezone.localdate()
    advocacy = instrument.advocacy_actions.select_related("organisation", "meeting__series")
    visible_meeting_ids = set(
        access.visible_meetings(user)
        .filter(pk__in=advocacy.values("meeting_id"))
        .values_list("pk", flat=True)
    )
    for action in advocacy:
        action.can_change = advocacy_services.can_change_advocacy(user, action)
        action.shown_meeting = action.meeting if action.meeting_id in visible_meeting_ids else None
    can_manage = access.can_manage_policies(user)
    return {
        "instrument": instrument,
        "overdue": instrument.is_overdue(today),
        "stage_changes": instrument.stage_changes.all(),
        "advocacy": advocacy,
        "challenges": services.visible_challenges_of(instrument, user),
        "lag": chapter_lag(instrument) if instrument.kind == InstrumentKind.NMAS_CHAPTER else None,
        "can_manage": can_manage,
        "can_change_stage": can_manage and bool(instrument.allowed_stages()),
        "can_log_advocacy": access.can_log_advocacy(user),
    }


@require_GET
@login_required
def instrument_detail(request, public_id):
    instrument = access.get_instrument_for_user(request.user, public_id)
    return render(request, "policies/instruments_detail.html", _detail_context(request, instrument))


@require_http_methods(["GET", "POST"])
@login_required
def instrument_create(request):
    access.require_policy_manager(request.user)
    form = InstrumentCreateForm(form_data(request), user=request.user)
    if form.is_valid():
        instrument = services.instrument_save(form=form)
        messages.success(request, _("The instrument has been recorded."))
        return redirect("policies:instrument_detail", instrument.public_id)
    return render_form(
        request,
        form,
        title=_("New instrument"),
        cancel_url=reverse("policies:instrument_list"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def instrument_edit(request, public_id):
    instrument = access.get_instrument_for_user(request.user, public_id, write=True)
    form = InstrumentForm(form_data(request), instance=instrument, user=request.user)
    if form.is_valid():
        services.instrument_save(form=form)
        messages.success(request, _("The instrument has been saved."))
        return redirect("policies:instrument_detail", instrument.public_id)
    return render_form(
        request,
        form,
        title=_("Edit instrument"),
        subject=str(instrument),
        cancel_url=reverse("policies:instrument_detail", args=[instrument.public_id]),
    )


@require_http_methods(["GET", "POST"])
@login_required
def instrument_stage(request, public_id):
    """Move the instrument to one of the stages it may reach from its current one."""
    instrument = access.get_instrument_for_user(request.user, public_id, write=True)
    form = StageChangeForm(form_data(request), instrument=instrument)
    if form.is_valid():
        try:
            services.instrument_change_stage(instrument=instrument, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The instrument is now at the stage “%(stage)s”.")
                % {"stage": InstrumentStage(form.cleaned_data["to_stage"]).label},
            )
            return redirect("policies:instrument_detail", instrument.public_id)
    return render_form(
        request,
        form,
        title=_("Change the stage"),
        subject=str(instrument),
        intro=_("Currently: %(stage)s, since %(date)s.")
        % {
            "stage": instrument.get_stage_display(),
            "date": services.local_date(instrument.stage_changed_on),
        },
        submit_label=_("Change the stage"),
        cancel_url=reverse("policies:instrument_detail", args=[instrument.public_id]),
    )


urlpatterns = [
    path("", instrument_list, name="instrument_list"),
    path("new/", instrument_create, name="instrument_create"),
    path("export/", instrument_export, name="instrument_export"),
    path("<uuid:public_id>/", instrument_detail, name="instrument_detail"),
    path("<uuid:public_id>/edit/", instrument_edit, name="instrument_edit"),
    path("<uuid:public_id>/stage/", instrument_stage, name="instrument_stage"),
]
