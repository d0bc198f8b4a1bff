"""Pages for invitations: the list with answers, inviting people, organisations and working
groups, sending the invitations and their updates, answering by the personal link (without
logging in), the meeting's calendar file and each user's calendar feed.

Every view: check access through `core.access`, act, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mineaction.core import access
from mineaction.core.pages import form_data
from mineaction.meetings.forms.invitations import ConfirmForm, InvitationAddForm, RsvpForm
from mineaction.meetings.models import Meeting
from mineaction.meetings.services import invitations as services

CLOSED = {Meeting.Status.CANCELLED, Meeting.Status.DISTRIBUTED}
FEED_SESSION_KEY = "meetings_new_calendar_feed"
CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"


def _list_url(meeting):
    return reverse("meetings:invitations_list", args=[meeting.public_id])


def calendar_response(content, filename, *, attachment=True):
    response = HttpResponse(content, content_type=CALENDAR_CONTENT_TYPE)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@require_GET
@login_required
def invitations_list(request, public_id):
    meeting = access.get_meeting_for_user(request.user, public_id)
    can_run = access.can_run_meetings(request.user)
    invitations = meeting.invitations.select_related("person__organisation").order_by(
        "informed_only", "person__family_name", "person__given_name", "pk"
    )
    return render(
        request,
        "meetings/invitations_list.html",
        {
            "meeting": meeting,
            "invitations": invitations,
            "counts": services.invitation_counts(meeting),
            "can_run": can_run,
            "can_change": can_run and meeting.status not in CLOSED,
            "can_send": can_run and meeting.status in services.NOT_YET_HELD,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def invitations_add(request, public_id):
    meeting = access.get_meeting_for_user(request.user, public_id, write=True)
    form = InvitationAddForm(form_data(request))
    if form.is_valid():
        try:
            result = services.invitations_add(meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _report_added(request, result)
            return redirect(_list_url(meeting))
    return render(request, "meetings/invitations_add.html", {"meeting": meeting, "form": form})


def _report_added(request, result):
    added = len(result["added"])
    messages.success(
        request,
        ngettext("%(count)s person has been added.", "%(count)s people have been added.", added)
        % {"count": added},
    )
    if result["already"]:
        messages.info(
            request,
            _("Already on the list: %(names)s.")
            % {"names": ", ".join(str(person) for person in result["already"])},
        )
    if result["without_email"]:
        messages.warning(
            request,
            _("Left out because they have no email address: %(names)s.")
            % {"names": ", ".join(str(person) for person in result["without_email"])},
        )


@require_POST
@login_required
def invitations_remove(request, public_id):
    invitation = access.get_invitation_for_user(request.user, public_id, write=True)
    try:
        services.invitation_remove(invitation=invitation)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(person)s has been taken off the list.") % {"person": invitation.person},
        )
    return redirect(_list_url(invitation.meeting))


def _confirm_and_send(request, meeting, send, *, template, success):
    """Sending: a page saying what will be sent, and its button."""
    form = ConfirmForm(form_data(request))
    if form.is_valid():
        try:
            sent = send(meeting=meeting)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            if sent:
                messages.success(request, success(sent))
            else:
                messages.info(request, _("There was nothing new to send."))
        return redirect(_list_url(meeting))
    return render(
        request,
        template,
        {"meeting": meeting, "form": form, "counts": services.invitation_counts(meeting)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def invitations_send(request, public_id):
    meeting = access.get_meeting_for_user(request.user, public_id, write=True)
    return _confirm_and_send(
        request,
        meeting,
        services.invitations_send,
        template="meetings/invitations_send.html",
        success=lambda sent: (
            ngettext(
                "The invitation is on its way to %(count)s person.",
                "The invitations are on their way to %(count)s people.",
                sent,
            )
            % {"count": sent}
        ),
    )


@require_http_methods(["GET", "POST"])
@login_required
def invitations_send_update(request, public_id):
    meeting = access.get_meeting_for_user(request.user, public_id, write=True)
    return _confirm_and_send(
        request,
        meeting,
        services.invitations_send_update,
        template="meetings/invitations_send_update.html",
        success=lambda sent: (
            ngettext(
                "The update is on its way to %(count)s person.",
                "The update is on its way to %(count)s people.",
                sent,
            )
            % {"count": sent}
        ),
    )


@require_http_methods(["GET", "POST"])
def invitations_rsvp(request, token):
    """The personal answer link of an invitation email: works without logging in."""
    try:
        invitation = services.invitation_from_token(token)
    except ValidationError as error:
        status = 410 if error.code == services.EXPIRED else 400
        return render(
            request, "meetings/invitations_rsvp_refused.html", {"error": error}, status=status
        )
    problem = services.rsvp_problem(invitation)
    form = RsvpForm(form_data(request), initial={"response": invitation.response})
    status = 200
    if request.method == "POST":
        status = 409 if problem else 400
        if problem is None and form.is_valid():
            try:
                services.invitation_respond(
                    invitation=invitation, response=form.cleaned_data["response"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Thank you: your answer has been recorded."))
                return redirect(request.path)
    return render(
        request,
        "meetings/invitations_rsvp.html",
        {"invitation": invitation, "meeting": invitation.meeting, "form": form, "problem": problem},
        status=status,
    )


@require_GET
@login_required
def invitations_calendar(request, public_id):
    meeting = access.get_meeting_for_user(request.user, public_id)
    return calendar_response(services.meeting_ics(meeting), f"meeting-{meeting.public_id}.ics")


@require_GET
def invitations_feed(request, token):
    """A user's calendar feed, for calendar programs that cannot log in: the secret address
    is the key."""
    user = services.calendar_feed_user(token)
    if user is None:
        raise Http404
    return calendar_response(services.calendar_feed_ics(user), "meetings.ics", attachment=False)


@require_http_methods(["GET", "POST"])
@login_required
def invitations_feed_settings(request):
    """The user's own calendar feed address: created (or replaced) on request, shown once."""
    access.require_reader(request.user)
    if request.method == "POST":
        secret = services.calendar_feed_issue(user=request.user)
        request.session[FEED_SESSION_KEY] = secret
        messages.success(
            request, _("Your new calendar address is ready. Any earlier address stops working.")
        )
        return redirect("meetings:invitations_feed_settings")
    secret = request.session.pop(FEED_SESSION_KEY, None)
    return render(
        request,
        "meetings/invitations_feed_settings.html",
        {
            "feed_token": services.calendar_feed_token(request.user),
            "feed_url": services.calendar_feed_url(secret) if secret else None,
        },
    )


urlpatterns = [
    path("<uuid:public_id>/invitations/", invitations_list, name="invitations_list"),
    path("<uuid:public_id>/invitations/add/", invitations_add, name="invitations_add"),
    path("<uuid:public_id>/invitations/send/", invitations_send, name="invitations_send"),
    path(
        "<uuid:public_id>/invitations/send-update/",
        invitations_send_update,
        name="invitations_send_update",
    ),
    path("invitations/<uuid:public_id>/remove/", invitations_remove, name="invitations_remove"),
    path("<uuid:public_id>/calendar.ics", invitations_calendar, name="invitations_calendar"),
    path("rsvp/<str:token>/", invitations_rsvp, name="invitations_rsvp"),
    path("calendar-feed/", invitations_feed_settings, name="invitations_feed_settings"),
    path("calendar-feed/<str:token>.ics", invitations_feed, name="invitations_feed"),
]
