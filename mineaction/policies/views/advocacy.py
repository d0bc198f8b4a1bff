"""The advocacy log of an instrument: log an action, change or delete it.

Managers log for any organisation; anyone speaking for an organisation logs what their own
organisation did and changes only those entries. Deleting asks for confirmation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mineaction.core import access
from mineaction.core.pages import form_data, render_form
from mineaction.policies.forms import AdvocacyActionForm
from mineaction.policies.models import AdvocacyAction
from mineaction.policies.services import advocacy as services


def _log_url(instrument):
    return reverse("policies:instrument_detail", args=[instrument.public_id]) + "#advocacy"


@require_http_methods(["GET", "POST"])
@login_required
def advocacy_add(request, public_id):
    instrument = access.get_instrument_for_user(request.user, public_id)
    if not access.can_log_advocacy(request.user):
        raise PermissionDenied
    form = AdvocacyActionForm(
        form_data(request), instance=AdvocacyAction(instrument=instrument), user=request.user
    )
    if form.is_valid():
        services.advocacy_save(form=form)
        messages.success(request, _("The advocacy action has been logged."))
        return redirect(_log_url(instrument))
    return render_form(
        request,
        form,
        title=_("Log advocacy"),
        subject=str(instrument),
        cancel_url=_log_url(instrument),
    )


@require_http_methods(["GET", "POST"])
@login_required
def advocacy_edit(request, public_id):
    action = access.get_advocacy_action_for_user(request.user, public_id, write=True)
    form = AdvocacyActionForm(form_data(request), instance=action, user=request.user)
    if form.is_valid():
        services.advocacy_save(form=form)
        messages.success(request, _("The advocacy action has been saved."))
        return redirect(_log_url(action.instrument))
    return render_form(
        request,
        form,
        title=_("Edit advocacy action"),
        subject=str(action.instrument),
        cancel_url=_log_url(action.instrument),
    )


@require_http_methods(["GET", "POST"])
@login_required
def advocacy_delete(request, public_id):
    """A confirmation page; only its form's `confirm` deletes."""
    action = access.get_advocacy_action_for_user(request.user, public_id, write=True)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        services.advocacy_delete(advocacy_action=action)
        messages.success(request, _("The advocacy action has been deleted."))
        return redirect(_log_url(action.instrument))
    return render(
        request,
        "policies/advocacy_delete.html",
        {
            "action": action,
            "instrument": action.instrument,
            "cancel_url": _log_url(action.instrument),
        },
    )


urlpatterns = [
    path("<uuid:public_id>/advocacy/new/", advocacy_add, name="advocacy_add"),
    path("advocacy/<uuid:public_id>/edit/", advocacy_edit, name="advocacy_edit"),
    path("advocacy/<uuid:public_id>/delete/", advocacy_delete, name="advocacy_delete"),
]
