"""Attendance pages: a meeting's attendance with its inclusion figures, the quick-entry sheet the
secretariat fills in in the room, and the inclusion figures of a year. Every view: check access
through `core.access`, act, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from mineaction.core import access
from mineaction.meetings.forms.attendance import (
    AttendanceSheetForm,
    InclusionFilterForm,
    LastMeetingsForm,
    PersonSearchForm,
    people_by_public_id,
    posted_person_ids,
)
from mineaction.meetings.services import attendance as services

# What a posted sheet asks for: save it, or add a line (nothing is saved).
SAVE = "save"
ADD = "add"


@require_GET
@login_required
def attendance_detail(request, public_id):
    meeting = access.get_meeting_for_user(request.user, public_id)
    last_form = LastMeetingsForm(request.GET or None)
    inclusion = services.inclusion_for_meeting(
        meeting=meeting,
        meetings=access.visible_meetings(request.user),
        last=last_form.value(),
    )
    attendances = meeting.attendances.select_related("person", "organisation").order_by(
        "person__family_name", "person__given_name", "pk"
    )
    return render(
        request,
        "meetings/attendance_detail.html",
        {
            "meeting": meeting,
            "attendances": attendances,
            "inclusion": inclusion,
            "last_form": last_form,
            "show_sensitive": access.can_see_sensitive(request.user),
            "can_register": access.can_run_meetings(request.user),
        },
    )


def _sheet(request, meeting):
    """The sheet's form and the people it could not find, for a GET or a POST."""
    if request.method != "POST":
        rows = services.attendance_sheet(meeting=meeting)
        return AttendanceSheetForm(rows=rows), []
    ids = posted_person_ids(request.POST)
    if ADD in request.POST:
        ids.append(request.POST[ADD])
    people, unknown = people_by_public_id(ids)
    rows = services.attendance_sheet(meeting=meeting, extra_people=people)
    return AttendanceSheetForm(request.POST, rows=rows, unknown=unknown), people


@require_http_methods(["GET", "POST"])
@login_required
def attendance_register(request, public_id):
    meeting = access.get_meeting_for_user(request.user, public_id, write=True)
    problem = services.attendance_problem(meeting)
    form, posted_people = _sheet(request, meeting)
    saving = request.method == "POST" and SAVE in request.POST
    # An htmx line saves that line only and gets it back.
    line_only = request.htmx and saving and len(posted_people) == 1
    saved = None
    if saving and problem is None and form.is_valid():
        only = posted_people if line_only else None
        try:
            saved = services.attendance_register(meeting=meeting, entries=form.entries(only))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if not line_only:
                messages.success(
                    request,
                    ngettext(
                        "Attendance saved for %(count)s person.",
                        "Attendance saved for %(count)s people.",
                        len(saved),
                    )
                    % {"count": len(saved)},
                )
                return redirect("meetings:attendance_detail", meeting.public_id)
    if line_only:
        line = next(line for line in form.lines() if line[0].person.pk == posted_people[0].pk)
        return render(
            request,
            "meetings/attendance_register.html#line",
            {
                "meeting": meeting,
                "form": form,
                "line": line,
                "single_line": True,
                "saved": bool(saved),
                "problem": problem,
            },
        )
    search = PersonSearchForm(request.GET)
    context = {
        "meeting": meeting,
        "problem": problem,
        "form": form,
        "search": search,
        "found": search.search(exclude=[row.person.pk for row in form.rows]),
    }
    if request.htmx and request.method == "GET" and "q" in request.GET:
        return render(request, "meetings/attendance_register.html#search_results", context)
    return render(
        request, "meetings/attendance_register.html", context, status=400 if saving else 200
    )


@require_GET
@login_required
def attendance_inclusion(request):
    access.require_reader(request.user)
    filters = InclusionFilterForm(request.GET or None)
    year, series, last = filters.values()
    inclusion = services.inclusion_for_year(
        year=year, series=series, last=last, meetings=access.visible_meetings(request.user)
    )
    return render(
        request,
        "meetings/attendance_inclusion.html",
        {"filters": filters, "inclusion": inclusion},
    )


urlpatterns = [
    path("<uuid:public_id>/attendance/", attendance_detail, name="attendance_detail"),
    path(
        "<uuid:public_id>/attendance/register/",
        attendance_register,
        name="attendance_register",
    ),
    path("inclusion/", attendance_inclusion, name="attendance_inclusion"),
]
