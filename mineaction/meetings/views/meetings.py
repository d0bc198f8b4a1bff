"""Pages for meeting series and meetings: lists, the meeting's page (the hub of everything about
it), creating the next meeting of a series, editing, postponing, cancelling and marking as
held. Every view: check access through `core.access`, act, redirect."""

import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mineaction.core import access
from mineaction.core.pages import form_data, render_form, results_template, uuid_or_none
from mineaction.meetings.forms.meetings import (
    MeetingCancelForm,
    MeetingFilterForm,
    MeetingForm,
    MeetingPostponeForm,
    MeetingSeriesForm,
)
from mineaction.meetings.links import linked_records
from mineaction.meetings.models import (
    ActionPoint,
    AgendaDocument,
    AgendaLink,
    Meeting,
    MeetingSeries,
)
from mineaction.meetings.services import agenda as agenda_services
from mineaction.meetings.services import meetings as services

PAGE_SIZE = 25


def _error_messages(error):
    return error.messages if hasattr(error, "messages") else [str(error)]


# Series ----------------------------------------------------------------------------------------


@require_GET
@login_required
def meeting_series_list(request):
    access.require_reader(request.user)
    series = MeetingSeries.objects.select_related("working_group").annotate(
        meeting_count=Count("meetings")
    )
    return render(
        request,
        "meetings/meetings_series_list.html",
        {"series_list": series, "can_run": access.can_run_meetings(request.user)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def meeting_series_create(request):
    access.require_meeting_runner(request.user)
    form = MeetingSeriesForm(form_data(request))
    if form.is_valid():
        series = form.save()
        messages.success(request, _("The meeting series has been created."))
        return redirect(f"{reverse('meetings:meetings_list')}?series={series.public_id}")
    return render_form(
        request,
        form,
        title=_("New meeting series"),
        cancel_url=reverse("meetings:meetings_series_list"),
    )


def _series_for_runner(request, public_id):
    access.require_meeting_runner(request.user)
    return get_object_or_404(MeetingSeries, public_id=public_id)


@require_http_methods(["GET", "POST"])
@login_required
def meeting_series_edit(request, public_id):
    series = _series_for_runner(request, public_id)
    form = MeetingSeriesForm(form_data(request), instance=series)
    if form.is_valid():
        form.save()
        messages.success(request, _("The meeting series has been saved."))
        return redirect("meetings:meetings_series_list")
    return render_form(
        request,
        form,
        title=_("Edit meeting series"),
        subject=series,
        cancel_url=reverse("meetings:meetings_series_list"),
    )


# Meetings --------------------------------------------------------------------------------------


@require_GET
@login_required
def meeting_list(request):
    access.require_reader(request.user)
    filters = MeetingFilterForm(request.GET)
    filters.is_valid()
    meetings = filters.filter(
        access.visible_meetings(request.user).select_related("series").order_by("-starts_at", "pk")
    )
    page = Paginator(meetings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        results_template(request, "meetings/meetings_list.html"),
        {
            "filters": filters,
            "page": page,
            "can_run": access.can_run_meetings(request.user),
        },
    )


def _agenda_items(meeting):
    return list(
        meeting.agenda_items.select_related("presenter__organisation").prefetch_related(
            Prefetch("documents", queryset=AgendaDocument.objects.order_by("title")),
            Prefetch(
                "reviewed_action_points",
                queryset=ActionPoint.objects.select_related("owner_organisation"),
            ),
            Prefetch("links", queryset=AgendaLink.objects.order_by("created_at", "id")),
        )
    )


def _name_linked_challenges(user, items):
    """Set `linked_challenges` on each agenda item: the challenges linked to it that the user
    may see, described in one look-up for the whole agenda."""
    described = {
        (record.target, record.public_id): record
        for record in linked_records(user, [link for item in items for link in item.links.all()])
    }
    for item in items:
        item.linked_challenges = [
            described[(link.target, link.target_public_id)]
            for link in item.links.all()
            if link.target == AgendaLink.Target.CHALLENGE
            and (link.target, link.target_public_id) in described
        ]


def meeting_times(meeting):
    """The meeting's start and end in its own time zone and in the viewer's."""
    own_zone = zoneinfo.ZoneInfo(meeting.time_zone)
    viewer_zone = timezone.get_current_timezone()
    return {
        # Naive wall-clock times: the `date` filter would turn aware ones into the viewer's zone.
        "local_start": meeting.starts_at.astimezone(own_zone).replace(tzinfo=None),
        "local_end": meeting.ends_at.astimezone(own_zone).replace(tzinfo=None),
        "viewer_start": meeting.starts_at.astimezone(viewer_zone),
        "viewer_end": meeting.ends_at.astimezone(viewer_zone),
        "viewer_zone": timezone.get_current_timezone_name(),
        "same_zone": meeting.starts_at.astimezone(own_zone).utcoffset()
        == meeting.starts_at.astimezone(viewer_zone).utcoffset(),
    }


def agenda_context(request, meeting):
    items = _agenda_items(meeting)
    _name_linked_challenges(request.user, items)
    return {
        "meeting": meeting,
        "agenda_items": items,
        "timing": agenda_services.agenda_timing(meeting, items),
        "can_edit_agenda": access.can_run_meetings(request.user) and not meeting.is_closed,
    }


@require_GET
@login_required
def meeting_detail(request, public_id):
    meeting = access.get_meeting_for_user(request.user, public_id)
    can_run = access.can_run_meetings(request.user)
    return render(
        request,
        "meetings/meetings_detail.html",
        {
            **agenda_context(request, meeting),
            **meeting_times(meeting),
            "co_chair": meeting.co_chair(),
            "restricted_to": meeting.restricted_to.all() if can_run else [],
            "can_run": can_run,
            "can_change": can_run and meeting.status in services.NOT_YET_HELD,
            "can_mark_held": can_run and services.meeting_can_move(meeting, Meeting.Status.HELD),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def meeting_create(request):
    access.require_meeting_runner(request.user)
    series = MeetingSeries.objects.filter(
        public_id=uuid_or_none(request.GET.get("series") or request.POST.get("series"))
    ).first()
    if series is None:
        return render(
            request,
            "meetings/meetings_choose_series.html",
            {"series_list": MeetingSeries.objects.all()},
        )
    initial = services.meeting_propose_next(series=series, user=request.user)
    form = MeetingForm(form_data(request), initial=initial)
    if form.is_valid():
        meeting = services.meeting_create(form=form)
        messages.success(
            request, _("The meeting has been created with a proposed agenda. Review it below.")
        )
        return redirect("meetings:meetings_detail", meeting.public_id)
    return render_form(
        request,
        form,
        title=_("Next meeting of the series"),
        subject=series,
        cancel_url=reverse("meetings:meetings_list"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def meeting_edit(request, public_id):
    meeting = access.get_meeting_for_user(request.user, public_id, write=True)
    form = MeetingForm(form_data(request), instance=meeting)
    if form.is_valid():
        services.meeting_update(form=form)
        messages.success(request, _("The meeting has been saved."))
        return redirect("meetings:meetings_detail", meeting.public_id)
    return render_form(
        request,
        form,
        title=_("Edit meeting"),
        subject=meeting,
        cancel_url=reverse("meetings:meetings_detail", args=[meeting.public_id]),
    )


def _status_change(request, meeting, form, change, *, title, intro, success):
    """Postpone and cancel: a form, the service, and its refusal shown on the form."""
    if form.is_valid():
        try:
            change(form.cleaned_data)
        except ValidationError as error:
            for message in _error_messages(error):
                form.add_error(None, message)
        else:
            messages.success(request, success)
            return redirect("meetings:meetings_detail", meeting.public_id)
    return render_form(
        request,
        form,
        title=title,
        subject=meeting,
        intro=intro,
        cancel_url=reverse("meetings:meetings_detail", args=[meeting.public_id]),
    )


@require_http_methods(["GET", "POST"])
@login_required
def meeting_postpone(request, public_id):
    meeting = access.get_meeting_for_user(request.user, public_id, write=True)
    form = MeetingPostponeForm(form_data(request), meeting=meeting)
    return _status_change(
        request,
        meeting,
        form,
        lambda data: services.meeting_postpone(
            meeting=meeting,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            reason=data["reason"],
        ),
        title=_("Postpone the meeting"),
        intro=_("Invitees will receive an updated invitation with the new date."),
        success=_("The meeting has been postponed."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def meeting_cancel(request, public_id):
    meeting = access.get_meeting_for_user(request.user, public_id, write=True)
    form = MeetingCancelForm(form_data(request))
    return _status_change(
        request,
        meeting,
        form,
        lambda data: services.meeting_cancel(meeting=meeting, reason=data["reason"]),
        title=_("Cancel the meeting"),
        intro=_("Invitees will receive a cancellation. A cancelled meeting cannot be reopened."),
        success=_("The meeting has been cancelled."),
    )


@require_POST
@login_required
def meeting_held(request, public_id):
    meeting = access.get_meeting_for_user(request.user, public_id, write=True)
    try:
        services.meeting_mark_held(meeting=meeting)
    except ValidationError as error:
        for message in _error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, _("The meeting has been marked as held."))
    return redirect("meetings:meetings_detail", meeting.public_id)


urlpatterns = [
    path("", meeting_list, name="meetings_list"),
    path("new/", meeting_create, name="meetings_create"),
    path("series/", meeting_series_list, name="meetings_series_list"),
    path("series/new/", meeting_series_create, name="meetings_series_create"),
    path("series/<uuid:public_id>/edit/", meeting_series_edit, name="meetings_series_edit"),
    path("<uuid:public_id>/", meeting_detail, name="meetings_detail"),
    path("<uuid:public_id>/edit/", meeting_edit, name="meetings_edit"),
    path("<uuid:public_id>/postpone/", meeting_postpone, name="meetings_postpone"),
    path("<uuid:public_id>/cancel/", meeting_cancel, name="meetings_cancel"),
    path("<uuid:public_id>/held/", meeting_held, name="meetings_held"),
]
