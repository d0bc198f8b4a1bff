"""The minutes as documents (PDF and Word downloads) and their distribution by email.

Downloads: those who run meetings get any version; other readers of the meeting only approved
or distributed minutes (the minutes are published with the meeting's visibility). Distribution:
a confirmation page listing who receives which language, then POST-redirect-GET."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from mineaction.core import access
from mineaction.meetings import documents
from mineaction.meetings.services import distribution as services


def _published_minutes(request, public_id):
    """The minutes, if the user may download them: 404 while they are not published."""
    minutes = access.get_minutes_for_user(request.user, public_id)
    if not services.can_download(request.user, minutes):
        raise Http404(_("These minutes are not approved yet."))
    return minutes


@require_GET
@login_required
def distribution_minutes_pdf(request, public_id):
    return documents.download_response(_published_minutes(request, public_id), "pdf")


@require_GET
@login_required
def distribution_minutes_docx(request, public_id):
    return documents.download_response(_published_minutes(request, public_id), "docx")


@require_http_methods(["GET", "POST"])
@login_required
def distribution_distribute(request, public_id):
    minutes = access.get_minutes_for_user(request.user, public_id, write=True)
    refusal = services.distribution_refusal(minutes)
    if request.method == "POST" and refusal is None:
        try:
            result = services.minutes_distribute(minutes=minutes, user=request.user)
        except ValidationError as error:
            refusal = error.messages[0]
        else:
            messages.success(request, _distributed_message(result))
            return redirect("meetings:minutes_detail", minutes.public_id)
    plan, unreachable = services.distribution_plan(minutes)
    return render(
        request,
        "meetings/distribution_confirm.html",
        {
            "minutes": minutes,
            "meeting": minutes.meeting,
            "refusal": refusal,
            "plan": plan,
            "unreachable": unreachable,
        },
        status=400 if refusal and request.method == "POST" else 200,
    )


def _distributed_message(result):
    message = ngettext(
        "The minutes have been sent to %(count)d person.",
        "The minutes have been sent to %(count)d people.",
        len(result["sent"]),
    ) % {"count": len(result["sent"])}
    if result["unreachable"]:
        message += " " + ngettext(
            "%(count)d person has no email address and did not receive them.",
            "%(count)d people have no email address and did not receive them.",
            len(result["unreachable"]),
        ) % {"count": len(result["unreachable"])}
    return message


urlpatterns = [
    path(
        "minutes/<uuid:public_id>/document.pdf",
        distribution_minutes_pdf,
        name="distribution_minutes_pdf",
    ),
    path(
        "minutes/<uuid:public_id>/document.docx",
        distribution_minutes_docx,
        name="distribution_minutes_docx",
    ),
    path(
        "minutes/<uuid:public_id>/distribute/",
        distribution_distribute,
        name="distribution_distribute",
    ),
]
