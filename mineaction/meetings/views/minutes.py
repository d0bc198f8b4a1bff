"""Minutes pages: start minutes in a language, draft them (decisions and action points inline,
under their agenda item), merge concurrent edits, compare versions, circulate for amendment,
propose and resolve amendments, approve. Every view: check access through `core.access`, act
through `services.minutes`, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mineaction.core import access
from mineaction.core.pages import form_data
from mineaction.meetings.forms.minutes import (
    ActionPointForm,
    AmendmentForm,
    AmendmentResolveForm,
    CirculateForm,
    DecisionEditForm,
    DecisionForm,
    MinutesEditForm,
    MinutesStartForm,
    entry_field_name,
)
from mineaction.meetings.models import Amendment
from mineaction.meetings.services import minutes as services


def _detail_url(minutes, anchor=None):
    url = reverse("meetings:minutes_detail", args=[minutes.public_id])
    return f"{url}#{anchor}" if anchor else url


def _refused(request, minutes, message, *, status, title=None):
    """A clear page saying why the action is refused; nothing has changed."""
    return render(
        request,
        "meetings/minutes_refused.html",
        {"minutes": minutes, "message": message, "title": title or _("Not possible")},
        status=status,
    )


def _render_form(request, form, *, title, minutes=None, meeting=None, cancel_url, **extra):
    return render(
        request,
        "meetings/minutes_form.html",
        {
            "form": form,
            "title": title,
            "minutes": minutes,
            "meeting": meeting or minutes.meeting,
            "cancel_url": cancel_url,
            **extra,
        },
    )


def _get_minutes(request, public_id, *, write=False):
    return access.get_minutes_for_user(request.user, public_id, write=write)


# Minutes of a meeting --------------------------------------------------------------------------


@require_GET
@login_required
def minutes_list(request, public_id):
    meeting = access.get_meeting_for_user(request.user, public_id)
    minutes = access.visible_minutes(request.user, meeting.minutes.all()).annotate(
        open_amendments=Count("amendments", filter=Q(amendments__status=Amendment.Status.OPEN))
    )
    can_run = access.can_run_meetings(request.user)
    return render(
        request,
        "meetings/minutes_list.html",
        {
            "meeting": meeting,
            "minutes_list": minutes,
            "can_run": can_run,
            "start_problem": services.meeting_minutes_problem(meeting),
            "start_form": MinutesStartForm(meeting=meeting) if can_run else None,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def minutes_start(request, public_id):
    meeting = access.get_meeting_for_user(request.user, public_id, write=True)
    form = MinutesStartForm(form_data(request), meeting=meeting)
    if form.is_valid():
        try:
            minutes = services.minutes_start(
                meeting=meeting, language=form.cleaned_data["language"], user=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The minutes have been started."))
            return redirect("meetings:minutes_detail", minutes.public_id)
    return _render_form(
        request,
        form,
        title=_("Start minutes"),
        meeting=meeting,
        cancel_url=reverse("meetings:minutes_list", args=[meeting.public_id]),
        intro=_(
            "The first minutes of a meeting are authoritative. Minutes in more languages can be "
            "added later, and the authoritative language changed until the minutes are approved."
        ),
    )


# One set of minutes ----------------------------------------------------------------------------


def _detail_context(request, minutes, *, bound=None):
    """Everything the minutes page shows; `bound` is (agenda item id, kind, bound form) to
    show a refused inline form with its errors in its place."""
    sections, other_decisions, other_action_points = services.minutes_sections(minutes)
    can_edit = access.can_run_meetings(request.user) and minutes.status in services.EDITABLE
    meeting = minutes.meeting
    for section in sections:
        item = section["agenda_item"]
        prefix = str(item.public_id)
        section["decision_form"] = DecisionForm(
            meeting=meeting, prefix=f"decision-{prefix}", initial={"agenda_item": item}
        )
        section["action_point_form"] = ActionPointForm(
            meeting=meeting, prefix=f"action-{prefix}", initial={"agenda_item": item}
        )
        if bound and bound[0] == item.pk:
            section["decision_form" if bound[1] == "decision" else "action_point_form"] = bound[2]
            section["open_form"] = bound[1]
    amendments = minutes.amendments.select_related("agenda_item", "proposed_by", "resolved_by")
    return {
        "minutes": minutes,
        "meeting": meeting,
        "sections": sections,
        "other_decisions": other_decisions,
        "other_action_points": other_action_points,
        "amendments": amendments,
        "other_languages": access.visible_minutes(request.user, meeting.minutes.all()).exclude(
            pk=minutes.pk
        ),
        "can_edit": can_edit,
        "can_run": access.can_run_meetings(request.user),
        "can_approve": access.can_approve_minutes(request.user),
        "can_propose": services.can_propose_amendment(request.user, minutes)
        and services.amendment_window_problem(minutes) is None,
        "approve_problem": services.minutes_approve_problem(minutes),
    }


@require_GET
@login_required
def minutes_detail(request, public_id):
    minutes = _get_minutes(request, public_id)
    return render(request, "meetings/minutes_detail.html", _detail_context(request, minutes))


def _inline_add(request, public_id, *, kind, form_class, save):
    """Add a decision or an action point under an agenda item from the minutes page."""
    minutes = _get_minutes(request, public_id, write=True)
    problem = services.minutes_edit_problem(minutes)
    if problem:
        return _refused(request, minutes, problem, status=400)
    item_id = request.POST.get("agenda_item_prefix", "")
    form = form_class(request.POST, meeting=minutes.meeting, prefix=f"{kind}-{item_id}")
    if form.is_valid():
        try:
            save(minutes, form)
        except ValidationError as error:
            return _refused(request, minutes, error.messages[0], status=400)
        item = form.cleaned_data["agenda_item"]
        if request.htmx:
            context = _detail_context(request, minutes)
            section = next(s for s in context["sections"] if s["agenda_item"].pk == item.pk)
            return render(
                request, "meetings/minutes_detail.html#section", {**context, "section": section}
            )
        return redirect(_detail_url(minutes, f"item-{item.public_id}"))
    item = (
        form.fields["agenda_item"].queryset.filter(public_id=item_id).first()
        if services.is_public_id(item_id)
        else None
    )
    context = _detail_context(request, minutes, bound=(item.pk if item else None, kind, form))
    context["form_errors"] = True
    if request.htmx and item is not None:
        section = next(s for s in context["sections"] if s["agenda_item"].pk == item.pk)
        return render(
            request, "meetings/minutes_detail.html#section", {**context, "section": section}
        )
    return render(request, "meetings/minutes_detail.html", context)


@require_POST
@login_required
def minutes_decision_add(request, public_id):
    def save(minutes, form):
        decision = services.minutes_decision_add(
            minutes=minutes,
            agenda_item=form.cleaned_data["agenda_item"],
            text=form.cleaned_data["text"],
            user=request.user,
        )
        if not request.htmx:
            messages.success(
                request, _("Decision %(number)s has been recorded.") % {"number": decision.number}
            )

    return _inline_add(request, public_id, kind="decision", form_class=DecisionForm, save=save)


@require_POST
@login_required
def minutes_action_point_add(request, public_id):
    def save(minutes, form):
        services.minutes_action_point_add(minutes=minutes, form=form, user=request.user)
        if not request.htmx:
            messages.success(request, _("The action point has been recorded."))

    return _inline_add(request, public_id, kind="action", form_class=ActionPointForm, save=save)


def _decision_to_change(request, public_id, decision_id):
    """Minutes for a meeting runner (404 for outsiders, 403 for readers) and one decision of
    their meeting (404 otherwise); (minutes, decision, refusal page or None)."""
    minutes = _get_minutes(request, public_id, write=True)
    decision = minutes.meeting.decisions.select_related("agenda_item").filter(public_id=decision_id)
    decision = decision.first()
    if decision is None:
        raise Http404
    problem = services.minutes_edit_problem(minutes)
    refusal = _refused(request, minutes, problem, status=400) if problem else None
    return minutes, decision, refusal


def _decision_anchor(minutes, agenda_item):
    return _detail_url(minutes, f"item-{agenda_item.public_id}" if agenda_item else None)


@require_http_methods(["GET", "POST"])
@login_required
def minutes_decision_edit(request, public_id, decision_id):
    minutes, decision, refusal = _decision_to_change(request, public_id, decision_id)
    if refusal:
        return refusal
    form = DecisionEditForm(
        form_data(request),
        meeting=minutes.meeting,
        initial={"agenda_item": decision.agenda_item, "text": decision.text},
    )
    if form.is_valid():
        try:
            decision = services.decision_update(
                minutes=minutes,
                decision=decision,
                text=form.cleaned_data["text"],
                agenda_item=form.cleaned_data["agenda_item"],
                user=request.user,
            )
        except ValidationError as error:
            return _refused(request, minutes, error.messages[0], status=400)
        messages.success(
            request, _("Decision %(number)s has been changed.") % {"number": decision.number}
        )
        return redirect(_decision_anchor(minutes, decision.agenda_item))
    return _render_form(
        request,
        form,
        title=_("Edit decision %(number)s") % {"number": decision.number},
        minutes=minutes,
        cancel_url=_decision_anchor(minutes, decision.agenda_item),
    )


@require_http_methods(["GET", "POST"])
@login_required
def minutes_decision_delete(request, public_id, decision_id):
    """Confirmation page; the POST deletes only with its `confirm` field."""
    minutes, decision, refusal = _decision_to_change(request, public_id, decision_id)
    if refusal:
        return refusal
    if request.method == "POST" and request.POST.get("confirm"):
        try:
            number = services.decision_delete(minutes=minutes, decision=decision, user=request.user)
        except ValidationError as error:
            return _refused(request, minutes, error.messages[0], status=400)
        messages.success(request, _("Decision %(number)s has been deleted.") % {"number": number})
        return redirect(_decision_anchor(minutes, decision.agenda_item))
    return render(
        request,
        "meetings/minutes_decision_delete.html",
        {
            "minutes": minutes,
            "meeting": minutes.meeting,
            "decision": decision,
            "cancel_url": _decision_anchor(minutes, decision.agenda_item),
        },
    )


@require_POST
@login_required
def minutes_authoritative(request, public_id):
    minutes = _get_minutes(request, public_id, write=True)
    try:
        services.minutes_make_authoritative(minutes=minutes)
    except ValidationError as error:
        return _refused(request, minutes, error.messages[0], status=400)
    messages.success(
        request,
        _("The minutes in %(language)s are now authoritative.")
        % {"language": minutes.get_language_display()},
    )
    return redirect("meetings:minutes_detail", minutes.public_id)


# Editing, with conflict detection --------------------------------------------------------------


def _edit_form(minutes, data=None):
    sections, _decisions, _action_points = services.minutes_sections(minutes)
    return MinutesEditForm(
        data,
        agenda_items=[section["agenda_item"] for section in sections],
        discussions={section["agenda_item"].pk: section["discussion"] for section in sections},
        initial={"revision": minutes.revision},
    )


def _merge_page(request, current, form):
    """The other person's saved text beside the editor's, with a field prefilled with the
    editor's text, to be saved on top of the current revision."""
    saved_form = _edit_form(current)
    merged_data = {
        "revision": current.revision,
        "note": form.cleaned_data.get("note", ""),
        **{
            entry_field_name(item): form.cleaned_data.get(entry_field_name(item), "")
            for item in form.agenda_items
        },
    }
    merge_form = _edit_form(current, merged_data)
    merge_form.is_valid()
    rows = []
    for item, field in merge_form.entry_fields():
        theirs = saved_form[entry_field_name(item)].initial or ""
        mine = merged_data[entry_field_name(item)]
        rows.append(
            {"item": item, "theirs": theirs, "mine": mine, "field": field, "same": theirs == mine}
        )
    last = current.versions.order_by("-revision").select_related("created_by").first()
    return render(
        request,
        "meetings/minutes_merge.html",
        {
            "minutes": current,
            "meeting": current.meeting,
            "form": merge_form,
            "rows": rows,
            "last_version": last,
        },
        status=409,
    )


@require_http_methods(["GET", "POST"])
@login_required
def minutes_edit(request, public_id):
    minutes = _get_minutes(request, public_id, write=True)
    problem = services.minutes_edit_problem(minutes)
    if problem:
        return _refused(request, minutes, problem, status=400)
    form = _edit_form(minutes, form_data(request))
    if form.is_valid():
        try:
            services.minutes_save(
                minutes=minutes,
                revision=form.cleaned_data["revision"],
                discussions=form.discussions(),
                note=form.cleaned_data["note"],
                user=request.user,
            )
        except services.MinutesConflict as conflict:
            return _merge_page(request, conflict.minutes, form)
        except ValidationError as error:
            return _refused(request, minutes, error.messages[0], status=400)
        messages.success(request, _("The minutes have been saved."))
        return redirect("meetings:minutes_detail", minutes.public_id)
    amendments = minutes.amendments.filter(
        status__in=[Amendment.Status.OPEN, Amendment.Status.ACCEPTED]
    ).select_related("agenda_item", "proposed_by")
    return render(
        request,
        "meetings/minutes_edit.html",
        {"minutes": minutes, "meeting": minutes.meeting, "form": form, "amendments": amendments},
    )


# Versions --------------------------------------------------------------------------------------


@require_GET
@login_required
def minutes_versions(request, public_id):
    minutes = _get_minutes(request, public_id)
    versions = list(minutes.versions.select_related("created_by").order_by("-revision"))
    by_revision = {str(version.revision): version for version in versions}
    older = by_revision.get(request.GET.get("from", ""))
    newer = by_revision.get(request.GET.get("to", ""))
    compare_problem = None
    if ("from" in request.GET or "to" in request.GET) and (older is None or newer is None):
        compare_problem = _("Choose two versions of these minutes to compare.")
    if older is not None and newer is not None and older.revision > newer.revision:
        older, newer = newer, older
    return render(
        request,
        "meetings/minutes_versions.html",
        {
            "minutes": minutes,
            "meeting": minutes.meeting,
            "versions": versions,
            "older": older,
            "newer": newer,
            "rows": services.versions_compare(older, newer) if older and newer else None,
            "compare_problem": compare_problem,
        },
        status=400 if compare_problem else 200,
    )


# Circulation, amendments, approval -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def minutes_circulate(request, public_id):
    minutes = _get_minutes(request, public_id, write=True)
    problem = services.minutes_circulate_problem(minutes)
    if problem:
        return _refused(request, minutes, problem, status=400)
    form = CirculateForm(
        form_data(request), initial={"amendments_close_on": minutes.amendments_close_on}
    )
    if form.is_valid():
        try:
            services.minutes_circulate(
                minutes=minutes,
                closes_on=form.cleaned_data["amendments_close_on"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The minutes have been circulated for amendment. The attendees are notified."),
            )
            return redirect("meetings:minutes_detail", minutes.public_id)
    return _render_form(
        request,
        form,
        title=_("Circulate for amendment"),
        minutes=minutes,
        cancel_url=_detail_url(minutes),
        recipients=services.circulation_recipients(minutes),
    )


@require_http_methods(["GET", "POST"])
@login_required
def minutes_amendment_add(request, public_id):
    minutes = _get_minutes(request, public_id)
    person = access.person_of(request.user)
    if person is None or not services.can_propose_amendment(request.user, minutes):
        return _refused(
            request,
            minutes,
            _("Only the people who attended the meeting and the secretariat propose amendments."),
            status=403,
        )
    problem = services.amendment_window_problem(minutes)
    if problem:
        return _refused(request, minutes, problem, status=400)
    form = AmendmentForm(form_data(request), meeting=minutes.meeting)
    if form.is_valid():
        try:
            services.amendment_propose(
                minutes=minutes,
                person=person,
                agenda_item=form.cleaned_data["agenda_item"],
                comment=form.cleaned_data["comment"],
                proposed_text=form.cleaned_data["proposed_text"],
            )
        except ValidationError as error:
            return _refused(request, minutes, error.messages[0], status=400)
        messages.success(request, _("Your amendment has been sent to the secretariat."))
        return redirect(_detail_url(minutes, "amendments"))
    return _render_form(
        request,
        form,
        title=_("Propose an amendment"),
        minutes=minutes,
        cancel_url=_detail_url(minutes),
        intro=_("Amendments may be proposed until %(date)s.")
        % {"date": formats.date_format(minutes.amendments_close_on)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def minutes_amendment_resolve(request, public_id):
    amendment = _get_amendment(request, public_id)
    minutes = amendment.minutes
    form = AmendmentResolveForm(form_data(request))
    if amendment.status != Amendment.Status.OPEN:
        return _refused(
            request, minutes, _("This amendment has already been resolved."), status=400
        )
    if form.is_valid():
        try:
            services.amendment_resolve(
                amendment=amendment,
                accept=form.accepted,
                resolution=form.cleaned_data["resolution"],
                user=request.user,
            )
        except ValidationError as error:
            return _refused(request, minutes, error.messages[0], status=400)
        if form.accepted:
            messages.success(
                request, _("The amendment has been accepted. Change the text of the minutes now.")
            )
            return redirect("meetings:minutes_edit", minutes.public_id)
        messages.success(request, _("The amendment has not been accepted; the reason is recorded."))
        return redirect(_detail_url(minutes, "amendments"))
    return _render_form(
        request,
        form,
        title=_("Resolve an amendment"),
        minutes=minutes,
        cancel_url=_detail_url(minutes, "amendments"),
        amendment=amendment,
    )


def _get_amendment(request, public_id):
    """Amendments are reached through their minutes' gate; only meeting runners resolve."""
    minutes_id = (
        Amendment.objects.filter(public_id=public_id)
        .values_list("minutes__public_id", flat=True)
        .first()
    )
    if minutes_id is None:
        raise Http404
    minutes = _get_minutes(request, minutes_id, write=True)
    return minutes.amendments.select_related("minutes", "minutes__meeting", "proposed_by").get(
        public_id=public_id
    )


@require_http_methods(["GET", "POST"])
@login_required
def minutes_approve(request, public_id):
    minutes = _get_minutes(request, public_id)
    if not access.can_approve_minutes(request.user):
        return _refused(request, minutes, str(services.APPROVER_ONLY), status=403)
    problem = services.minutes_approve_problem(minutes)
    if request.method == "POST" and problem is None:
        try:
            services.minutes_approve(minutes=minutes, user=request.user)
        except ValidationError as error:
            problem = error.messages[0]
        else:
            messages.success(request, _("The minutes have been approved."))
            return redirect("meetings:minutes_detail", minutes.public_id)
    return render(
        request,
        "meetings/minutes_approve.html",
        {"minutes": minutes, "meeting": minutes.meeting, "problem": problem},
        status=400 if request.method == "POST" else 200,
    )


urlpatterns = [
    path("<uuid:public_id>/minutes/", minutes_list, name="minutes_list"),
    path("<uuid:public_id>/minutes/start/", minutes_start, name="minutes_start"),
    path("minutes/<uuid:public_id>/", minutes_detail, name="minutes_detail"),
    path("minutes/<uuid:public_id>/edit/", minutes_edit, name="minutes_edit"),
    path("minutes/<uuid:public_id>/decisions/", minutes_decision_add, name="minutes_decision_add"),
    path(
        "minutes/<uuid:public_id>/decisions/<uuid:decision_id>/edit/",
        minutes_decision_edit,
        name="minutes_decision_edit",
    ),
    path(
        "minutes/<uuid:public_id>/decisions/<uuid:decision_id>/delete/",
        minutes_decision_delete,
        name="minutes_decision_delete",
    ),
    path(
        "minutes/<uuid:public_id>/action-points/",
        minutes_action_point_add,
        name="minutes_action_point_add",
    ),
    path(
        "minutes/<uuid:public_id>/authoritative/",
        minutes_authoritative,
        name="minutes_authoritative",
    ),
    path("minutes/<uuid:public_id>/versions/", minutes_versions, name="minutes_versions"),
    path("minutes/<uuid:public_id>/circulate/", minutes_circulate, name="minutes_circulate"),
    path(
        "minutes/<uuid:public_id>/amendments/add/",
        minutes_amendment_add,
        name="minutes_amendment_add",
    ),
    path(
        "minutes/amendments/<uuid:public_id>/resolve/",
        minutes_amendment_resolve,
        name="minutes_amendment_resolve",
    ),
    path("minutes/<uuid:public_id>/approve/", minutes_approve, name="minutes_approve"),
]
