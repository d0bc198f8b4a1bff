"""Milestones of a work plan (of the plan as a whole or of one of its activities): the
managers create, edit (mark as achieved) and delete them. Every view: check access, act,
redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mineaction.core import access
from mineaction.core.pages import confirmed, form_data, render_form
from mineaction.workplans.forms import MilestoneForm
from mineaction.workplans.models import Milestone
from mineaction.workplans.services import plans as services


def _save_milestone(form):
    try:
        return services.milestone_save(form=form)
    except ValidationError as error:
        form.add_error(None, error)
        return None


def _plan_url(plan):
    return reverse("workplans:plan_detail", args=[plan.public_id]) + "#milestones"


@require_http_methods(["GET", "POST"])
@login_required
def milestone_create(request, public_id):
    plan = access.get_work_plan_for_user(request.user, public_id, write=True)
    form = MilestoneForm(form_data(request), instance=Milestone(work_plan=plan))
    if form.is_valid() and _save_milestone(form):
        messages.success(request, _("The milestone has been added."))
        return redirect(_plan_url(plan))
    return render_form(
        request,
        form,
        title=_("New milestone"),
        subject=plan.title,
        intro=_("The milestone must fall due within the plan's period: %(period)s.")
        % {"period": services.period_text(plan)},
        cancel_url=_plan_url(plan),
    )


@require_http_methods(["GET", "POST"])
@login_required
def milestone_edit(request, public_id):
    milestone = access.get_work_plan_milestone_for_user(request.user, public_id, write=True)
    form = MilestoneForm(form_data(request), instance=milestone)
    if form.is_valid() and _save_milestone(form):
        messages.success(request, _("The milestone has been saved."))
        return redirect(_plan_url(milestone.work_plan))
    return render_form(
        request,
        form,
        title=_("Edit milestone"),
        subject=milestone.title,
        intro=_("The milestone must fall due within the plan's period: %(period)s.")
        % {"period": services.period_text(milestone.work_plan)},
        cancel_url=_plan_url(milestone.work_plan),
    )


@require_http_methods(["GET", "POST"])
@login_required
def milestone_delete(request, public_id):
    milestone = access.get_work_plan_milestone_for_user(request.user, public_id, write=True)
    if confirmed(request):
        services.milestone_delete(milestone=milestone)
        messages.success(
            request, _("The milestone “%(title)s” has been deleted.") % {"title": milestone.title}
        )
        return redirect(_plan_url(milestone.work_plan))
    return render(request, "workplans/milestones_delete.html", {"milestone": milestone})


urlpatterns = [
    path("<uuid:public_id>/milestones/new/", milestone_create, name="milestone_create"),
    path("milestones/<uuid:public_id>/edit/", milestone_edit, name="milestone_edit"),
    path("milestones/<uuid:public_id>/delete/", milestone_delete, name="milestone_delete"),
]
