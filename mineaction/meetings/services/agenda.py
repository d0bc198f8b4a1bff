"""The agenda of a meeting: the proposed agenda of a new meeting, ordered items and their
documents.

Open action points of a series' earlier meetings are attached to the "Review of open action
points" item of every new meeting, so they carry over until they are done or dropped.
"""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from mineaction.meetings import links
from mineaction.meetings.models import AgendaItem, AgendaLink
from mineaction.meetings.services.action_points import open_action_points_for_review

Kind = AgendaItem.Kind


@transaction.atomic
def agenda_propose(*, meeting):
    """The proposed agenda of a new meeting: opening, review of the open action points, review
    of the platform's priorities (when an app registers them, see `meetings.links`) and any
    other business."""
    titles = [
        (_("Opening and adoption of the agenda"), Kind.INFORMATION, 10),
        (_("Review of open action points"), Kind.ACTION_POINT_REVIEW, 30),
    ]
    sources = links.priority_sources()
    if sources:
        titles.append((_("Review of priority challenges"), Kind.PRIORITY_REVIEW, 30))
    titles.append((_("Any other business"), Kind.DISCUSSION, 10))
    items = []
    for order, (title, kind, minutes) in enumerate(titles, start=1):
        items.append(
            AgendaItem.objects.create(
                meeting=meeting, order=order, title=title, kind=kind, duration_minutes=minutes
            )
        )
        if kind == Kind.ACTION_POINT_REVIEW:
            items[-1].reviewed_action_points.set(open_action_points_for_review(meeting=meeting))
        if kind == Kind.PRIORITY_REVIEW:
            for propose in sources:
                for target, public_id in propose(meeting=meeting):
                    AgendaLink.objects.create(
                        agenda_item=items[-1], target=target, target_public_id=public_id
                    )
    return items


@transaction.atomic
def agenda_item_save(*, form):
    """Save an agenda item; a new one goes to the end of the agenda."""
    agenda_item = form.save(commit=False)
    if agenda_item.pk is None:
        last = agenda_item.meeting.agenda_items.aggregate(Max("order"))["order__max"]
        agenda_item.order = (last or 0) + 1
    agenda_item.save()
    form.save_m2m()
    return agenda_item


def _renumber(meeting, items=None):
    items = list(meeting.agenda_items.order_by("order", "id")) if items is None else items
    for order, item in enumerate(items, start=1):
        if item.order != order:
            item.order = order
            item.save(update_fields=["order", "updated_at"])


@transaction.atomic
def agenda_item_delete(*, agenda_item):
    meeting = agenda_item.meeting
    agenda_item.delete()
    _renumber(meeting)


@transaction.atomic
def agenda_item_move(*, agenda_item, up):
    """Swap the item with the one before (`up`) or after it; the ends stay where they are."""
    items = list(agenda_item.meeting.agenda_items.select_for_update().order_by("order", "id"))
    index = next(i for i, item in enumerate(items) if item.pk == agenda_item.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    _renumber(agenda_item.meeting, items)


@transaction.atomic
def agenda_document_add(*, form, agenda_item):
    document = form.save(commit=False)
    document.agenda_item = agenda_item
    document.save()
    return document


@transaction.atomic
def agenda_document_delete(*, document):
    # The file goes once the row is gone for sure, so a rollback never loses it.
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


def agenda_timing(meeting, items):
    """Total duration of the agenda against the meeting's length, in minutes."""
    total = sum(item.duration_minutes for item in items)
    length = int((meeting.ends_at - meeting.starts_at).total_seconds() // 60)
    return {"total": total, "length": length, "over_by": max(total - length, 0)}
