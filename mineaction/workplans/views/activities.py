"""Activity pages: an activity with its progress history, milestones and the challenges it
addresses; the managers' create, edit and delete; progress updates by the managers or by the
responsible organisation. Every view: check access, act, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mineaction.core import access
from mineaction.core.pages import confirmed, form_data, render_form
from mineaction.workplans.forms import ActivityForm, ActivityProgressForm
from mineaction.workplans.models import Activity
from mineaction.workplans.services import plans as services


def _save_activity(form):
    try:
        return services.activity_save(form=form)
    except ValidationError as error:
        form.add_error(None, error)
        return None


@require_http_methods(["GET", "POST"])
@login_required
def activity_create(request, public_id):
    plan = access.get_work_plan_for_user(request.user, public_id, write=True)
    form = ActivityForm(form_data(request), instance=Activity(work_plan=plan), user=request.user)
    if form.is_valid() and (activity := _save_activity(form)):
        messages.success(request, _("The activity has been added to the plan."))
        return redirect("workplans:activity_detail", activity.public_id)
    return render_form(
        request,
        form,
        title=_("New activity"),
        subject=plan.title,
        intro=_("The activity must take place within the plan's period: %(period)s.")
        % {"period": services.period_text(plan)},
        cancel_url=reverse("workplans:plan_detail", args=[plan.public_id]),
    )


@require_http_methods(["GET", "POST"])
@login_required
def activity_edit(request, public_id):
    activity = access.get_activity_for_user(request.user, public_id, write=True)
    form = ActivityForm(form_data(request), instance=activity, user=request.user)
    if form.is_valid() and _save_activity(form):
        messages.success(request, _("The activity has been saved."))
        return redirect("workplans:activity_detail", activity.public_id)
    return render_form(
        request,
        form,
        title=_("Edit activity"),
        subject=str(activity),
        intro=_("The activity must take place within the plan's period: %(period)s.")
        % {"period": services.period_text(activity.work_plan)},
        cancel_url=reverse("workplans:activity_detail", args=[activity.public_id]),
    )


@require_GET
@login_required
def activity_detail(request, public_id):
    activity = access.get_activity_for_user(request.user, public_id)
    today = timezone.localdate()
    milestones = list(activity.milestones.order_by("due_on", "id"))
    for milestone in milestones:
        milestone.state = services.milestone_state(milestone, today)
    return render(
        request,
        "workplans/activities_detail.html",
        {
            "activity": activity,
            "plan": activity.work_plan,
            "late": activity.is_late(today),
            "updates": activity.updates.select_related("created_by__person").order_by("-on", "-id"),
            "milestones": milestones,
            "challenges": access.visible_challenges(request.user)
            .filter(activities=activity)
            .order_by("number"),
            "can_manage": access.can_manage_work_plans(request.user),
            "can_update": access.can_update_activity(request.user, activity),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def activity_progress(request, public_id):
    """Record progress: the managers, or anyone speaking for the responsible organisation."""
    activity = access.get_activity_for_progress(request.user, public_id)
    form = ActivityProgressForm(form_data(request), activity=activity)
    if form.is_valid():
        try:
            services.activity_progress_add(
                activity=activity,
                on=form.cleaned_data["on"],
                status=form.cleaned_data["status"],
                progress_percent=form.cleaned_data["progress_percent"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The progress update has been recorded."))
            return redirect("workplans:activity_detail", activity.public_id)
    return render_form(
        request,
        form,
        title=_("Record progress"),
        subject=str(activity),
        intro=_("Now: %(status)s, %(percent)s percent done. The update sets both.")
        % {"status": activity.get_status_display(), "percent": activity.progress_percent},
        cancel_url=reverse("workplans:activity_detail", args=[activity.public_id]),
    )


@require_http_methods(["GET", "POST"])
@login_required
def activity_delete(request, public_id):
    """Confirmation page. An activity with milestones is not deleted: they would go with it."""
    activity = access.get_activity_for_user(request.user, public_id, write=True)
    problem = services.activity_delete_problem(activity)
    if confirmed(request) and not problem:
        try:
            services.activity_delete(activity=activity)
        except ValidationError as error:  # a milestone was added since the check
            problem = error.messages[0]
        else:
            messages.success(
                request, _("The activity “%(activity)s” has been deleted.") % {"activity": activity}
            )
            return redirect("workplans:plan_detail", activity.work_plan.public_id)
    refused = confirmed(request)
    return render(
        request,
        "workplans/activities_delete.html",
        {
            "activity": activity,
            "problem": problem,
            "refused": refused,
            "update_count": activity.updates.count(),
        },
        status=400 if refused else 200,
    )


urlpatterns = [
    path("<uuid:public_id>/activities/new/", activity_create, name="activity_create"),
    path("activities/<uuid:public_id>/", activity_detail, name="activity_detail"),
    path("activities/<uuid:public_id>/edit/", activity_edit, name="activity_edit"),
    path("activities/<uuid:public_id>/progress/", activity_progress, name="activity_progress"),
    path("activities/<uuid:public_id>/delete/", activity_delete, name="activity_delete"),
]
