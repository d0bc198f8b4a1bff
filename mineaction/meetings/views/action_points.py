"""Action point pages: the list of the meetings one may see, "my action points", the
secretariat's overdue view, an action point with its progress updates, the secretariat's edit
and progress updates by the owner organisation. Every view: check access, act, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from mineaction.core import access
from mineaction.core.pages import form_data, results_template
from mineaction.meetings.forms.action_points import (
    ActionPointFilterForm,
    ActionPointForm,
    ActionPointProgressForm,
)
from mineaction.meetings.links import linked_records
from mineaction.meetings.models import AgendaItem, AgendaLink
from mineaction.meetings.services import action_points as services

PAGE_SIZE = 25


def _list_queryset(queryset):
    return queryset.select_related(
        "meeting", "meeting__series", "owner_organisation", "owner_person"
    ).order_by("due_on", "id")


def _render_list(request, queryset, *, title, intro, view_name):
    """The whole page, or only its results for an htmx search or page change."""
    filters = ActionPointFilterForm(request.GET, meetings=access.visible_meetings(request.user))
    filters.is_valid()
    action_points = _list_queryset(filters.filter(queryset))
    page = Paginator(action_points, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        results_template(request, "meetings/action_points_list.html"),
        {
            "filters": filters,
            "page": page,
            "title": title,
            "intro": intro,
            "view_name": view_name,
            "today": timezone.localdate(),
            "can_run_meetings": access.can_run_meetings(request.user),
        },
    )


@require_GET
@login_required
def action_points_list(request):
    access.require_reader(request.user)
    return _render_list(
        request,
        services.visible_action_points(request.user),
        title=gettext_lazy("Action points"),
        intro=gettext_lazy("What the meetings you can see agreed, and who owes it."),
        view_name="meetings:action_points_list",
    )


@require_GET
@login_required
def action_points_mine(request):
    access.require_reader(request.user)
    return _render_list(
        request,
        services.own_action_points(request.user),
        title=gettext_lazy("My action points"),
        intro=gettext_lazy("Action points owned by you or by your organisation."),
        view_name="meetings:action_points_mine",
    )


@require_GET
@login_required
def action_points_overdue(request):
    access.require_meeting_runner(request.user)
    return _render_list(
        request,
        services.visible_action_points(request.user).overdue(),
        title=gettext_lazy("Overdue action points"),
        intro=gettext_lazy("Open action points whose due date has passed, oldest first."),
        view_name="meetings:action_points_overdue",
    )


def _detail_context(request, action_point, progress_form=None):
    can_update = access.can_update_action_point(request.user, action_point)
    can_reopen = access.can_run_meetings(request.user)
    if progress_form is None and can_update:
        progress_form = ActionPointProgressForm(action_point=action_point, can_reopen=can_reopen)
    reviewed_in = AgendaItem.objects.filter(
        reviewed_action_points=action_point,
        meeting__in=access.visible_meetings(request.user),
    ).select_related("meeting", "meeting__series")
    return {
        "action_point": action_point,
        "updates": action_point.updates.select_related("created_by"),
        "reviewed_in": reviewed_in,
        "linked_challenges": [
            record
            for record in linked_records(request.user, action_point.links.order_by("created_at"))
            if record.target == AgendaLink.Target.CHALLENGE
        ],
        "can_update": can_update and bool(progress_form.fields["status"].widget.choices),
        "can_edit": can_reopen,
        "progress_form": progress_form,
        "today": timezone.localdate(),
    }


def _get_action_point(request, public_id, *, write=False):
    action_point = access.get_action_point_for_user(request.user, public_id, write=write)
    # The gate selects the meeting; the page also shows its series and the owners.
    return (
        type(action_point)
        .objects.select_related("meeting__series", "owner_organisation", "owner_person")
        .get(pk=action_point.pk)
    )


@require_GET
@login_required
def action_points_detail(request, public_id):
    action_point = _get_action_point(request, public_id)
    return render(
        request, "meetings/action_points_detail.html", _detail_context(request, action_point)
    )


@require_http_methods(["GET", "POST"])
@login_required
def action_points_progress(request, public_id):
    """Record progress (the secretariat or anyone of the owner organisation)."""
    action_point = _get_action_point(request, public_id, write=True)
    form = ActionPointProgressForm(
        form_data(request),
        action_point=action_point,
        can_reopen=access.can_run_meetings(request.user),
    )
    if form.is_valid():
        try:
            services.action_point_progress_add(
                action_point=action_point,
                on=form.cleaned_data["on"],
                text=form.cleaned_data["text"],
                status=form.cleaned_data["status"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The progress update has been recorded."))
            return redirect("meetings:action_points_detail", action_point.public_id)
    return render(
        request,
        "meetings/action_points_progress.html",
        {"form": form, "action_point": action_point},
    )


@require_http_methods(["GET", "POST"])
@login_required
def action_points_edit(request, public_id):
    """The secretariat changes the action, its owner, due date or component."""
    action_point = _get_action_point(request, public_id)
    if not access.can_run_meetings(request.user):
        raise PermissionDenied
    form = ActionPointForm(form_data(request), instance=action_point)
    if form.is_valid():
        services.action_point_save(form=form)
        messages.success(request, _("The action point has been saved."))
        return redirect("meetings:action_points_detail", action_point.public_id)
    return render(
        request,
        "meetings/action_points_form.html",
        {
            "form": form,
            "action_point": action_point,
            "cancel_url": reverse("meetings:action_points_detail", args=[action_point.public_id]),
        },
    )


urlpatterns = [
    path("action-points/", action_points_list, name="action_points_list"),
    path("action-points/mine/", action_points_mine, name="action_points_mine"),
    path("action-points/overdue/", action_points_overdue, name="action_points_overdue"),
    path("action-points/<uuid:public_id>/", action_points_detail, name="action_points_detail"),
    path("action-points/<uuid:public_id>/edit/", action_points_edit, name="action_points_edit"),
    path(
        "action-points/<uuid:public_id>/progress/",
        action_points_progress,
        name="action_points_progress",
    ),
]
