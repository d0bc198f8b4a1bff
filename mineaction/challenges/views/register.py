"""Pages of the challenge register: the list (with its export), raising a challenge, its page
with the dated history, editing, moving its status, evidence documents, and the secretariat's
links between a challenge and the meeting cycle. Every view: check access, act, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mineaction.challenges.forms import (
    ChallengeDocumentForm,
    ChallengeFilterForm,
    ChallengeForm,
    ChallengeLinkForm,
    ChallengeStatusForm,
    ChallengeUnlinkForm,
    list_order,
)
from mineaction.challenges.models import RoundStatus
from mineaction.challenges.services import register as services
from mineaction.core import access
from mineaction.core.pages import confirmed, form_data, render_form, results_template
from mineaction.core.tables import FORMAT_LABELS
from mineaction.core.uploads import document_response

PAGE_SIZE = 25


def _detail_url(challenge, anchor=""):
    return reverse("challenges:challenge_detail", args=[challenge.public_id]) + anchor


# The register ------------------------------------------------------------------------------------


@require_GET
@login_required
def challenge_list(request):
    access.require_reader(request.user)
    filters = ChallengeFilterForm(request.GET)
    filters.is_valid()
    visible = access.visible_challenges(request.user)
    challenges = list_order(filters.filter(visible)).select_related(
        "region", "raised_by_organisation"
    )
    page = Paginator(challenges, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        results_template(request, "challenges/register_list.html"),
        {
            "filters": filters,
            "page": page,
            "status_counts": services.status_counts(filters.filter(visible, with_status=False)),
            "formats": FORMAT_LABELS,
            "can_raise": access.can_raise_challenge(request.user),
        },
    )


@require_GET
@login_required
def challenge_export(request):
    """The filtered register as CSV or XLSX; without a format, the page offering them."""
    access.require_reader(request.user)
    filters = ChallengeFilterForm(request.GET)
    fmt = request.GET.get("format")
    valid = filters.is_valid()
    if fmt in services.EXPORT_FORMATS and valid:
        challenges = list_order(filters.filter(access.visible_challenges(request.user)))
        return services.challenges_export(challenges, fmt=fmt)
    format_error = (
        _("Unknown format: %(format)s. Choose CSV or Excel (XLSX).") % {"format": fmt}
        if fmt is not None and fmt not in services.EXPORT_FORMATS
        else ""
    )
    refused = fmt is not None
    return render(
        request,
        "challenges/register_export.html",
        {"filters": filters, "formats": FORMAT_LABELS, "format_error": format_error},
        status=400 if refused else 200,
    )


def _person_for_raising(request):
    """The logged-in person who raises a challenge for their organisation, or None."""
    access.require_reader(request.user)
    if not access.can_raise_challenge(request.user):
        raise PermissionDenied
    return access.person_of(request.user)


@require_http_methods(["GET", "POST"])
@login_required
def challenge_create(request):
    person = _person_for_raising(request)
    if person is None:
        return render(request, "challenges/register_no_person.html", status=403)
    form = ChallengeForm(form_data(request))
    if form.is_valid():
        try:
            challenge = services.challenge_raise(
                **form.values(), person=person, organisation=person.organisation
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Challenge %(reference)s has been raised.") % {"reference": challenge.reference},
            )
            return redirect("challenges:challenge_detail", challenge.public_id)
    return render_form(
        request,
        form,
        title=_("Raise a challenge"),
        intro=_(
            "You raise it on behalf of %(organisation)s. The secretariat takes it to the "
            "platform's meetings and prioritisation rounds."
        )
        % {"organisation": person.organisation},
        cancel_url=reverse("challenges:challenge_list"),
    )


@require_GET
@login_required
def challenge_detail(request, public_id):
    challenge = access.get_challenge_for_user(request.user, public_id)
    user = request.user
    meetings = access.visible_meetings(user)
    person = access.person_of(user)
    sees_restriction = access.can_run_meetings(user) or (
        person is not None and person.organisation_id == challenge.raised_by_organisation_id
    )
    links = (
        services.challenge_links(challenge)
        .filter(Q(agenda_item__meeting__in=meetings) | Q(action_point__meeting__in=meetings))
        .select_related(
            "agenda_item__meeting__series",
            "action_point__meeting__series",
            "action_point__owner_organisation",
        )
        .order_by("created_at", "id")
    )
    return render(
        request,
        "challenges/register_detail.html",
        {
            "challenge": challenge,
            "history": services.challenge_history(challenge, user),
            "documents": challenge.documents.all(),
            "links": links,
            "open_rounds": challenge.prioritisation_rounds.exclude(status=RoundStatus.CLOSED),
            "restricted_to": challenge.restricted_to.all() if sees_restriction else [],
            "can_edit": access.can_edit_challenge(user, challenge),
            "can_change_status": access.can_change_challenge_status(user),
            "can_link": access.can_run_meetings(user),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def challenge_edit(request, public_id):
    challenge = access.get_challenge_for_user(request.user, public_id, write=True)
    form = ChallengeForm(form_data(request), instance=challenge)
    if form.is_valid():
        try:
            services.challenge_update(challenge=challenge, **form.values())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The challenge has been saved."))
            return redirect("challenges:challenge_detail", challenge.public_id)
    return render_form(
        request,
        form,
        title=_("Edit challenge"),
        subject=challenge.reference,
        cancel_url=_detail_url(challenge),
    )


@require_http_methods(["GET", "POST"])
@login_required
def challenge_status(request, public_id):
    """The secretariat moves the challenge to one of the statuses allowed from its own."""
    challenge = access.get_challenge_for_user(request.user, public_id)
    if not access.can_change_challenge_status(request.user):
        raise PermissionDenied
    form = ChallengeStatusForm(
        form_data(request), challenge=challenge, meetings=access.visible_meetings(request.user)
    )
    if form.is_valid():
        try:
            change = services.challenge_change_status(
                challenge=challenge,
                to_status=form.cleaned_data["to_status"],
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
                meeting=form.cleaned_data["meeting"],
                resolution=form.cleaned_data["resolution"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(reference)s is now “%(status)s”.")
                % {"reference": challenge.reference, "status": change.get_to_status_display()},
            )
            return redirect(_detail_url(challenge, "#history"))
    return render(
        request,
        "challenges/register_status.html",
        {"form": form, "challenge": challenge, "cancel_url": _detail_url(challenge)},
    )


# Evidence documents ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def challenge_document_add(request, public_id):
    challenge = access.get_challenge_for_user(request.user, public_id, write=True)
    form = ChallengeDocumentForm(
        form_data(request), request.FILES if request.method == "POST" else None
    )
    if form.is_valid():
        services.challenge_document_add(
            challenge=challenge, title=form.cleaned_data["title"], file=form.cleaned_data["file"]
        )
        messages.success(request, _("The document has been attached."))
        return redirect(_detail_url(challenge, "#documents"))
    return render_form(
        request,
        form,
        title=_("Attach an evidence document"),
        subject=challenge.reference,
        cancel_url=_detail_url(challenge, "#documents"),
        multipart=True,
    )


@require_GET
@login_required
def challenge_document_download(request, public_id):
    document = access.get_challenge_document_for_user(request.user, public_id)
    return document_response(document)


@require_http_methods(["GET", "POST"])
@login_required
def challenge_document_delete(request, public_id):
    """Confirmation page, then the removal."""
    document = access.get_challenge_document_for_user(request.user, public_id, write=True)
    challenge = document.challenge
    if confirmed(request):
        services.challenge_document_delete(document=document)
        messages.success(
            request, _("The document “%(title)s” has been removed.") % {"title": document.title}
        )
        return redirect(_detail_url(challenge, "#documents"))
    return render(
        request,
        "challenges/register_document_delete.html",
        {"document": document, "challenge": challenge},
    )


# Links with the meeting cycle --------------------------------------------------------------------


def _challenge_for_linking(request, public_id):
    challenge = access.get_challenge_for_user(request.user, public_id)
    if not access.can_run_meetings(request.user):
        raise PermissionDenied
    return challenge


@require_http_methods(["GET", "POST"])
@login_required
def challenge_link(request, public_id):
    """The secretariat links the challenge to an agenda item or an action point."""
    challenge = _challenge_for_linking(request, public_id)
    form = ChallengeLinkForm(
        form_data(request),
        challenge=challenge,
        meetings=access.visible_meetings(request.user),
        initial={name: request.GET.get(name) for name in ("agenda_item", "action_point")},
    )
    if form.is_valid():
        try:
            services.challenge_link(
                challenge=challenge,
                agenda_item=form.cleaned_data["agenda_item"],
                action_point=form.cleaned_data["action_point"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The link has been added."))
            return redirect(_detail_url(challenge, "#links"))
    return render_form(
        request,
        form,
        title=_("Link to the meeting cycle"),
        subject=challenge.reference,
        intro=_(
            "Choose the agenda item where the challenge is discussed, or an action point that "
            "addresses it. Both pages then name the challenge."
        ),
        cancel_url=_detail_url(challenge, "#links"),
        submit_label=_("Link"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def challenge_unlink(request, public_id):
    """Confirmation page (with the link chosen), then the removal."""
    challenge = _challenge_for_linking(request, public_id)
    form = ChallengeUnlinkForm(
        form_data(request),
        challenge=challenge,
        meetings=access.visible_meetings(request.user),
        initial={"link": request.GET.get("link")},
    )
    if form.is_valid() and confirmed(request):
        try:
            services.challenge_unlink(challenge=challenge, link=form.cleaned_data["link"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The link has been removed."))
            return redirect(_detail_url(challenge, "#links"))
    return render(
        request,
        "challenges/register_unlink.html",
        {"form": form, "challenge": challenge, "cancel_url": _detail_url(challenge, "#links")},
    )


urlpatterns = [
    path("", challenge_list, name="challenge_list"),
    path("new/", challenge_create, name="challenge_create"),
    path("export/", challenge_export, name="challenge_export"),
    path("<uuid:public_id>/", challenge_detail, name="challenge_detail"),
    path("<uuid:public_id>/edit/", challenge_edit, name="challenge_edit"),
    path("<uuid:public_id>/status/", challenge_status, name="challenge_status"),
    path("<uuid:public_id>/link/", challenge_link, name="challenge_link"),
    path("<uuid:public_id>/unlink/", challenge_unlink, name="challenge_unlink"),
    path(
        "<uuid:public_id>/documents/new/",
        challenge_document_add,
        name="challenge_document_add",
    ),
    path(
        "documents/<uuid:public_id>/",
        challenge_document_download,
        name="challenge_document_download",
    ),
    path(
        "documents/<uuid:public_id>/delete/",
        challenge_document_delete,
        name="challenge_document_delete",
    ),
]
