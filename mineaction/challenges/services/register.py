"""The challenge register: raising a challenge, changing it, moving its status, linking it to the
meeting cycle and reading its history.

The pages, the API, the prioritisation rounds and the demo data call these functions, so a
challenge is validated, moved through its statuses and linked the same way everywhere.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mineaction.challenges.models import (
    STATUS_TRANSITIONS,
    Challenge,
    ChallengeDocument,
    ChallengeKind,
    ChallengeStatus,
    ChallengeStatusChange,
    RoundStatus,
)
from mineaction.core import access
from mineaction.core.choices import Component, Visibility
from mineaction.core.tables import Column, table_response
from mineaction.meetings.models import ActionPoint, AgendaItem, AgendaLink, Decision
from mineaction.meetings.services.action_points import meeting_date

# A resolved or parked challenge has to say how it was resolved or why it was parked.
NEEDS_RESOLUTION = {ChallengeStatus.RESOLVED, ChallengeStatus.PARKED}
CHALLENGE_VISIBILITIES = (Visibility.MEMBERS, Visibility.RESTRICTED)


def status_label(value):
    return ChallengeStatus(value).label if value in ChallengeStatus.values else value


# Raising and changing ----------------------------------------------------------------------------


def challenge_problems(*, title, kind, component, description, visibility, restricted_to):
    """Messages per field for a challenge's values; empty when they are acceptable."""
    errors = {}
    if not (title or "").strip():
        errors["title"] = [_("Give the challenge a short title.")]
    if kind not in ChallengeKind.values:
        errors["kind"] = [
            _("Choose whether this is a trend, gap, concern, challenge or opportunity.")
        ]
    if component not in Component.values:
        errors["component"] = [_("Choose the component the challenge belongs to.")]
    if not (description or "").strip():
        errors["description"] = [_("Describe the challenge.")]
    if visibility not in CHALLENGE_VISIBILITIES:
        errors["visibility"] = [_("Choose who may see the challenge.")]
    elif visibility == Visibility.RESTRICTED and not list(restricted_to or []):
        errors["restricted_to"] = [
            _("A restricted challenge needs at least one organisation that may see it.")
        ]
    return errors


@transaction.atomic
def challenge_raise(
    *,
    title,
    kind=ChallengeKind.CHALLENGE,
    component,
    description,
    evidence="",
    region=None,
    visibility=Visibility.MEMBERS,
    restricted_to=(),
    raised_on=None,
    person,
    organisation,
):
    """Record a challenge raised by `person` for `organisation`, and its first status
    ("identified") in its history. Raises ValidationError (by field) and writes nothing when
    a value is not acceptable."""
    restricted_to = list(restricted_to or [])
    errors = challenge_problems(
        title=title,
        kind=kind,
        component=component,
        description=description,
        visibility=visibility,
        restricted_to=restricted_to,
    )
    if organisation is None:
        errors["__all__"] = [_("A challenge is raised on behalf of an organisation.")]
    raised_on = raised_on or timezone.localdate()
    if raised_on > timezone.localdate():
        errors["raised_on"] = [_("A challenge cannot be raised on a date in the future.")]
    if errors:
        raise ValidationError(errors)
    challenge = Challenge.objects.create(
        title=title.strip(),
        kind=kind,
        component=component,
        description=description.strip(),
        evidence=(evidence or "").strip(),
        region=region,
        visibility=visibility,
        raised_by=person,
        raised_by_organisation=organisation,
        raised_on=raised_on,
        status=ChallengeStatus.IDENTIFIED,
        status_changed_on=raised_on,
    )
    if visibility == Visibility.RESTRICTED:
        challenge.restricted_to.set(restricted_to)
    ChallengeStatusChange.objects.create(
        challenge=challenge, from_status="", to_status=ChallengeStatus.IDENTIFIED, on=raised_on
    )
    return challenge


@transaction.atomic
def challenge_update(
    *,
    challenge,
    title,
    kind,
    component,
    description,
    evidence="",
    region=None,
    visibility,
    restricted_to=(),
):
    """Change what a challenge says (not its status: see `challenge_change_status`)."""
    restricted_to = list(restricted_to or [])
    errors = challenge_problems(
        title=title,
        kind=kind,
        component=component,
        description=description,
        visibility=visibility,
        restricted_to=restricted_to,
    )
    if errors:
        raise ValidationError(errors)
    challenge.title = title.strip()
    challenge.kind = kind
    challenge.component = component
    challenge.description = description.strip()
    challenge.evidence = (evidence or "").strip()
    challenge.region = region
    challenge.visibility = visibility
    challenge.save()
    # Organisations named while restricted are forgotten when it is shared with all members.
    challenge.restricted_to.set(restricted_to if visibility == Visibility.RESTRICTED else [])
    return challenge


# Status ------------------------------------------------------------------------------------------


def last_change_on(challenge):
    last = challenge.status_changes.order_by("-on", "-id").first()
    return last.on if last else challenge.raised_on


def status_change_problems(*, challenge, to_status, on, resolution=None, meeting=None, today=None):
    """Messages per field for moving `challenge` to `to_status` on `on`; empty when the move
    is acceptable. `resolution` is checked only when given (the pages and the API ask for it
    when a challenge is resolved or parked; a prioritisation round never resolves)."""
    today = today or timezone.localdate()
    errors = {}
    if to_status not in ChallengeStatus.values:
        errors["to_status"] = [_("Unknown status: %(value)s.") % {"value": to_status}]
    elif to_status not in STATUS_TRANSITIONS[challenge.status]:
        errors["to_status"] = [
            _("A challenge cannot move from “%(from)s” to “%(to)s”.")
            % {"from": status_label(challenge.status), "to": status_label(to_status)}
        ]
    if on is None:
        errors["on"] = [_("Enter the date of the change.")]
    elif on > today:
        errors["on"] = [_("The date of the change cannot be in the future.")]
    else:
        last = last_change_on(challenge)
        if on < last:
            errors["on"] = [
                _("The date cannot be before the last change of status (%(date)s).")
                % {"date": last.isoformat()}
            ]
        elif meeting is not None and meeting_date(meeting) > on:
            errors["meeting"] = [
                _("The meeting (%(date)s) must have taken place by the date of the change.")
                % {"date": meeting_date(meeting).isoformat()}
            ]
    if resolution is not None and "to_status" not in errors and not resolution.strip():
        if to_status == ChallengeStatus.RESOLVED:
            errors["resolution"] = [_("Say how the challenge was resolved.")]
        elif to_status == ChallengeStatus.PARKED:
            errors["resolution"] = [_("Say why the challenge is parked.")]
    return errors


@transaction.atomic
def challenge_change_status(
    *,
    challenge,
    to_status,
    on=None,
    note="",
    meeting=None,
    prioritisation_round=None,
    resolution=None,
):
    """Move `challenge` to `to_status` and record the dated change. Refuses (ValidationError by
    field, nothing written) a move outside STATUS_TRANSITIONS, a date in the future or before
    the last change, and, when `resolution` is given, an empty one for resolved or parked.
    `on` defaults to today."""
    on = on or timezone.localdate()
    given = challenge
    # Read the status under a lock: two moves of the same challenge must not both start from it.
    challenge = Challenge.objects.select_for_update().get(pk=given.pk)
    errors = status_change_problems(
        challenge=challenge, to_status=to_status, on=on, resolution=resolution, meeting=meeting
    )
    if errors:
        raise ValidationError(errors)
    change = ChallengeStatusChange.objects.create(
        challenge=challenge,
        from_status=challenge.status,
        to_status=to_status,
        on=on,
        note=(note or "").strip(),
        meeting=meeting,
        prioritisation_round=prioritisation_round,
    )
    challenge.status = to_status
    challenge.status_changed_on = on
    fields = ["status", "status_changed_on", "updated_at"]
    if resolution is not None and to_status in NEEDS_RESOLUTION:
        challenge.resolution = resolution.strip()
        fields.append("resolution")
    challenge.save(update_fields=fields)
    # The caller keeps using its own instance (a round closing moves several in turn).
    given.status, given.status_changed_on = challenge.status, challenge.status_changed_on
    given.resolution, given.updated_at = challenge.resolution, challenge.updated_at
    return change


# Documents ---------------------------------------------------------------------------------------


@transaction.atomic
def challenge_document_add(*, challenge, title, file):
    """Attach an evidence document (already checked by `core.uploads.validate_document`)."""
    if not (title or "").strip():
        raise ValidationError({"title": [_("Give the document a title.")]})
    return ChallengeDocument.objects.create(challenge=challenge, title=title.strip(), file=file)


@transaction.atomic
def challenge_document_delete(*, document):
    """Remove the document and its file once the removal is committed."""
    file = document.file
    document.delete()
    transaction.on_commit(lambda: file.delete(save=False))


# Links with the meeting cycle --------------------------------------------------------------------


def challenge_links(challenge):
    """The AgendaLink rows that point to `challenge`."""
    return AgendaLink.objects.filter(
        target=AgendaLink.Target.CHALLENGE, target_public_id=challenge.public_id
    )


@transaction.atomic
def challenge_link(*, challenge, agenda_item=None, action_point=None):
    """Link the challenge to an agenda item or an action point (exactly one). A second link to
    the same agenda item or action point is refused."""
    if (agenda_item is None) == (action_point is None):
        raise ValidationError(
            {"__all__": [_("Choose either an agenda item or an action point to link.")]}
        )
    links = challenge_links(challenge)
    if agenda_item is not None and links.filter(agenda_item=agenda_item).exists():
        raise ValidationError(
            {
                "agenda_item": [
                    _("The challenge is already linked to this agenda item of %(meeting)s.")
                    % {"meeting": agenda_item.meeting}
                ]
            }
        )
    if action_point is not None and links.filter(action_point=action_point).exists():
        raise ValidationError(
            {"action_point": [_("The challenge is already linked to this action point.")]}
        )
    return AgendaLink.objects.create(
        agenda_item=agenda_item,
        action_point=action_point,
        target=AgendaLink.Target.CHALLENGE,
        target_public_id=challenge.public_id,
    )


@transaction.atomic
def challenge_unlink(*, challenge, link):
    """Remove one of the challenge's links to the meeting cycle."""
    if not challenge_links(challenge).filter(pk=link.pk).exists():
        raise ValidationError({"link": [_("This link does not belong to the challenge.")]})
    link.delete()


# History -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    """One dated line of a challenge's history. `kind` says what happened: raised,
    status_change, meeting, decision, action_point, activity, instrument, commitment,
    funding_requirement or round_result."""

    on: datetime.date
    kind: str
    label: str = ""  # the record the entry is about (meeting, decision, activity...)
    url: str = ""
    status: str = ""  # a status value (status changes: the new one) ...
    status_label: str = ""  # ... and its label
    from_status: str = ""
    from_status_label: str = ""
    note: str = ""
    meeting: str = ""  # the meeting the entry happened at, when not the record itself
    meeting_url: str = ""
    prioritisation_round: str = ""
    prioritisation_round_url: str = ""
    rank: int | None = None
    score: object = None
    out_of: int | None = None


# The order of entries of the same day: what happened first reads first.
KIND_ORDER = {
    "raised": 0,
    "meeting": 1,
    "decision": 2,
    "action_point": 3,
    "round_result": 4,
    "status_change": 5,
    "activity": 6,
    "instrument": 7,
    "commitment": 8,
    "funding_requirement": 9,
}


def _url(name, public_id):
    """The address of a record of another part of the platform, or "" while it has none."""
    try:
        return reverse(name, args=[public_id])
    except NoReverseMatch:
        return ""


def _status_entries(challenge, meeting_ids):
    entries = []
    changes = challenge.status_changes.select_related("meeting__series", "prioritisation_round")
    for change in changes:
        meeting = change.meeting if change.meeting_id in meeting_ids else None
        entries.append(
            HistoryEntry(
                on=change.on,
                kind="status_change" if change.from_status else "raised",
                status=change.to_status,
                status_label=status_label(change.to_status),
                from_status=change.from_status,
                from_status_label=status_label(change.from_status) if change.from_status else "",
                note=change.note,
                meeting=str(meeting) if meeting else "",
                meeting_url=_url("meetings:meetings_detail", meeting.public_id) if meeting else "",
                prioritisation_round=str(change.prioritisation_round or ""),
                prioritisation_round_url=_url(
                    "challenges:round_detail", change.prioritisation_round.public_id
                )
                if change.prioritisation_round
                else "",
            )
        )
    return entries


def _meeting_entries(user, challenge):
    """Meetings whose agenda discussed the challenge, decisions taken under those items and
    action points it produced (linked directly or agreed under a linked item)."""
    visible = access.visible_meetings(user)
    links = challenge_links(challenge)
    items = list(
        AgendaItem.objects.filter(
            pk__in=links.filter(agenda_item__isnull=False).values("agenda_item"),
            meeting__in=visible,
        ).select_related("meeting__series")
    )
    entries = []
    for item in items:
        entries.append(
            HistoryEntry(
                on=meeting_date(item.meeting),
                kind="meeting",
                label=str(item.meeting),
                url=_url("meetings:meetings_detail", item.meeting.public_id)
                + f"#agenda-{item.public_id}",
                note=item.title,
            )
        )
    decisions = Decision.objects.filter(
        agenda_item__in=[item.pk for item in items],
        meeting__in=access.visible_minutes(user).values("meeting"),
    ).select_related("meeting__series")
    for decision in decisions:
        entries.append(
            HistoryEntry(
                on=meeting_date(decision.meeting),
                kind="decision",
                label=str(decision),
                note=decision.text,
                meeting=str(decision.meeting),
                meeting_url=_url("meetings:meetings_detail", decision.meeting.public_id),
            )
        )
    action_points = ActionPoint.objects.filter(
        Q(pk__in=links.filter(action_point__isnull=False).values("action_point"))
        | Q(agenda_item__in=[item.pk for item in items]),
        meeting__in=visible,
    ).select_related("meeting__series", "owner_organisation")
    for action_point in action_points:
        entries.append(
            HistoryEntry(
                on=meeting_date(action_point.meeting),
                kind="action_point",
                label=action_point.text,
                url=_url("meetings:action_points_detail", action_point.public_id),
                status=action_point.status,
                status_label=action_point.get_status_display(),
                note=str(action_point.owner_organisation),
                meeting=str(action_point.meeting),
                meeting_url=_url("meetings:meetings_detail", action_point.meeting.public_id),
            )
        )
    return entries


def _addressed_by_entries(challenge):
    entries = []
    for activity in challenge.activities.select_related("work_plan"):
        entries.append(
            HistoryEntry(
                on=activity.starts_on,
                kind="activity",
                label=str(activity),
                url=_url("workplans:activity_detail", activity.public_id),
                status=activity.status,
                status_label=activity.get_status_display(),
                note=str(activity.work_plan),
            )
        )
    for commitment in challenge.commitments.select_related("party"):
        entries.append(
            HistoryEntry(
                on=commitment.due_on,
                kind="commitment",
                label=commitment.description,
                url=_url("partnerships:commitment_detail", commitment.public_id),
                status=commitment.status,
                status_label=commitment.get_status_display(),
                note=str(commitment.party),
            )
        )
    for requirement in challenge.funding_requirements.all():
        entries.append(
            HistoryEntry(
                on=datetime.date(requirement.year, 1, 1),
                kind="funding_requirement",
                label=str(requirement.year),
                url=reverse("funding:requirement_list") + f"#year-{requirement.year}",
                note=f"{number_format(requirement.amount, decimal_pos=2, force_grouping=True)} "
                f"{requirement.currency}",
                status=requirement.component,
                status_label=requirement.get_component_display() if requirement.component else "",
            )
        )
    for instrument in challenge.instruments.all():
        entries.append(
            HistoryEntry(
                on=instrument.stage_changed_on,
                kind="instrument",
                label=str(instrument),
                url=_url("policies:instrument_detail", instrument.public_id),
                status=instrument.stage,
                status_label=instrument.get_stage_display(),
                note=instrument.get_kind_display(),
            )
        )
    return entries


def _round_entries(challenge):
    results = (
        challenge.round_results.filter(prioritisation_round__status=RoundStatus.CLOSED)
        .select_related("prioritisation_round")
        .annotate(out_of=Count("prioritisation_round__challenges"))
    )
    entries = []
    for result in results:
        prioritisation_round = result.prioritisation_round
        closed_at = prioritisation_round.closed_at or prioritisation_round.closes_at
        entries.append(
            HistoryEntry(
                on=timezone.localdate(closed_at),
                kind="round_result",
                label=str(prioritisation_round),
                url=_url("challenges:round_detail", prioritisation_round.public_id),
                rank=result.rank,
                score=result.score,
                out_of=result.out_of,
            )
        )
    return entries


def challenge_history(challenge, user):
    """The challenge's dated history as `user` may see it, oldest first: raised, each status
    change, the meetings whose agenda discussed it, the decisions and action points it
    produced, its results in closed prioritisation rounds, and the work-plan activities, policy
    instruments, partners' commitments and funding requirements that address it."""
    meeting_entries = _meeting_entries(user, challenge)
    seen_meetings = set(
        access.visible_meetings(user)
        .filter(pk__in=challenge.status_changes.exclude(meeting=None).values("meeting"))
        .values_list("pk", flat=True)
    )
    entries = [
        *_status_entries(challenge, seen_meetings),
        *meeting_entries,
        *_round_entries(challenge),
        *_addressed_by_entries(challenge),
    ]
    return sorted(entries, key=lambda entry: (entry.on, KIND_ORDER[entry.kind]))


# Reads of the register ---------------------------------------------------------------------------


def status_counts(challenges):
    """[(status, label, count)] for every status, in the statuses' order, counting
    `challenges` in one query."""
    counts = dict(
        challenges.order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    return [(status.value, status.label, counts.get(status.value, 0)) for status in ChallengeStatus]


def _region_name(challenge):
    return challenge.region.name if challenge.region_id else ""


def _person_name(challenge):
    return str(challenge.raised_by) if challenge.raised_by_id else ""


EXPORT_COLUMNS = [
    Column(_("Reference"), lambda c: c.reference),
    Column(_("Title"), lambda c: c.title),
    Column(_("Kind"), lambda c: c.get_kind_display()),
    Column(_("Component"), lambda c: c.get_component_display()),
    Column(_("Status"), lambda c: c.get_status_display()),
    Column(_("Status since"), lambda c: c.status_changed_on),
    Column(_("Priority rank"), lambda c: c.priority_rank),
    Column(_("Priority score"), lambda c: c.priority_score),
    Column(_("Region"), _region_name),
    Column(_("Raised by organisation"), lambda c: str(c.raised_by_organisation)),
    Column(_("Raised by"), _person_name),
    Column(_("Raised on"), lambda c: c.raised_on),
    Column(_("Visibility"), lambda c: c.get_visibility_display()),
    Column(_("Description"), lambda c: c.description),
    Column(_("Evidence"), lambda c: c.evidence),
    Column(pgettext_lazy("challenge", "Resolution"), lambda c: c.resolution),
]
EXPORT_FORMATS = ("csv", "xlsx")


def challenges_export(challenges, *, fmt):
    """The challenges as a CSV or XLSX download, in the register's order."""
    challenges = challenges.select_related("region", "raised_by", "raised_by_organisation")
    return table_response(
        EXPORT_COLUMNS, challenges, fmt=fmt, filename="challenges", title=_("Challenges")
    )
