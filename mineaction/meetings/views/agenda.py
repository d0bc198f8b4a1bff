"""Pages for a meeting's agenda: add, edit, delete and reorder items (without JavaScript; with
htmx the agenda is swapped in place), and attach, download and remove documents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mineaction.core import access
from mineaction.core.pages import form_data, render_form
from mineaction.core.uploads import ALLOWED_EXTENSIONS, document_response
from mineaction.meetings.forms.agenda import AgendaDocumentForm, AgendaItemForm
from mineaction.meetings.models import AgendaDocument
from mineaction.meetings.services import agenda as services
from mineaction.meetings.views.meetings import agenda_context


def _meeting_for_agenda(request, public_id):
    """The meeting, for someone who may change its agenda; a closed meeting's agenda is final."""
    meeting = access.get_meeting_for_user(request.user, public_id, write=True)
    if meeting.is_closed:
        raise PermissionDenied(_("The agenda of a closed meeting cannot be changed."))
    return meeting


def _agenda_item(request, public_id):
    agenda_item = access.get_agenda_item_for_user(request.user, public_id, write=True)
    if agenda_item.meeting.is_closed:
        raise PermissionDenied(_("The agenda of a closed meeting cannot be changed."))
    return agenda_item


def _back_to_agenda(request, meeting):
    """With htmx, the refreshed agenda; otherwise back to the meeting's page."""
    if request.htmx:
        return render(
            request, "meetings/meetings_detail.html#agenda", agenda_context(request, meeting)
        )
    return redirect(reverse("meetings:meetings_detail", args=[meeting.public_id]) + "#agenda")


def _render_form(request, form, *, title, meeting, **extra):
    cancel_url = reverse("meetings:meetings_detail", args=[meeting.public_id]) + "#agenda"
    return render_form(request, form, title=title, subject=meeting, cancel_url=cancel_url, **extra)


@require_http_methods(["GET", "POST"])
@login_required
def agenda_item_create(request, public_id):
    meeting = _meeting_for_agenda(request, public_id)
    form = AgendaItemForm(form_data(request), meeting=meeting)
    if form.is_valid():
        services.agenda_item_save(form=form)
        messages.success(request, _("The agenda item has been added."))
        return _back_to_agenda(request, meeting)
    return _render_form(request, form, title=_("New agenda item"), meeting=meeting)


@require_http_methods(["GET", "POST"])
@login_required
def agenda_item_edit(request, public_id):
    agenda_item = _agenda_item(request, public_id)
    form = AgendaItemForm(form_data(request), instance=agenda_item, meeting=agenda_item.meeting)
    if form.is_valid():
        services.agenda_item_save(form=form)
        messages.success(request, _("The agenda item has been saved."))
        return _back_to_agenda(request, agenda_item.meeting)
    return _render_form(request, form, title=_("Edit agenda item"), meeting=agenda_item.meeting)


@require_http_methods(["GET", "POST"])
@login_required
def agenda_item_delete(request, public_id):
    agenda_item = _agenda_item(request, public_id)
    meeting = agenda_item.meeting
    if request.method == "POST":
        services.agenda_item_delete(agenda_item=agenda_item)
        messages.success(request, _("The agenda item has been removed."))
        return _back_to_agenda(request, meeting)
    return render(
        request,
        "meetings/agenda_delete.html",
        {"agenda_item": agenda_item, "meeting": meeting},
    )


@require_POST
@login_required
def agenda_item_move(request, public_id):
    agenda_item = _agenda_item(request, public_id)
    direction = request.POST.get("direction")
    if direction not in {"up", "down"}:
        messages.error(request, _("Choose whether to move the item up or down."))
    else:
        services.agenda_item_move(agenda_item=agenda_item, up=direction == "up")
    return _back_to_agenda(request, agenda_item.meeting)


@require_http_methods(["GET", "POST"])
@login_required
def agenda_document_add(request, public_id):
    agenda_item = _agenda_item(request, public_id)
    form = AgendaDocumentForm(
        form_data(request), request.FILES if request.method == "POST" else None
    )
    if form.is_valid():
        services.agenda_document_add(form=form, agenda_item=agenda_item)
        messages.success(request, _("The document has been attached."))
        return redirect(
            reverse("meetings:meetings_detail", args=[agenda_item.meeting.public_id]) + "#agenda"
        )
    return _render_form(
        request,
        form,
        title=_("Attach a document"),
        meeting=agenda_item.meeting,
        intro=agenda_item,
        multipart=True,
        accept=",".join(sorted(ALLOWED_EXTENSIONS)),
    )


def _document_for_user(user, public_id, *, write=False):
    """A document is visible when its meeting is; only meeting runners remove them."""
    if not access.is_reader(user):
        raise Http404
    document = (
        AgendaDocument.objects.filter(
            agenda_item__meeting__in=access.visible_meetings(user), public_id=public_id
        )
        .select_related("agenda_item__meeting")
        .first()
    )
    if document is None:
        raise Http404
    if write and not access.can_run_meetings(user):
        raise PermissionDenied
    return document


@require_GET
@login_required
def agenda_document_download(request, public_id):
    document = _document_for_user(request.user, public_id)
    return document_response(document)


@require_POST
@login_required
def agenda_document_delete(request, public_id):
    document = _document_for_user(request.user, public_id, write=True)
    meeting = document.agenda_item.meeting
    if meeting.is_closed:
        raise PermissionDenied(_("The agenda of a closed meeting cannot be changed."))
    services.agenda_document_delete(document=document)
    messages.success(request, _("The document has been removed."))
    return _back_to_agenda(request, meeting)


urlpatterns = [
    path("<uuid:public_id>/agenda/new/", agenda_item_create, name="agenda_create"),
    path("agenda/<uuid:public_id>/edit/", agenda_item_edit, name="agenda_edit"),
    path("agenda/<uuid:public_id>/delete/", agenda_item_delete, name="agenda_delete"),
    path("agenda/<uuid:public_id>/move/", agenda_item_move, name="agenda_move"),
    path(
        "agenda/<uuid:public_id>/documents/new/",
        agenda_document_add,
        name="agenda_document_add",
    ),
    path(
        "documents/<uuid:public_id>/",
        agenda_document_download,
        name="agenda_document_download",
    ),
    path(
        "documents/<uuid:public_id>/delete/",
        agenda_document_delete,
        name="agenda_document_delete",
    ),
]
