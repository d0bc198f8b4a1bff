"""Writing the demo's meeting cycle (the plan of `meeting_plan.py`) to the database.

Every record is an upsert on a natural key (a series by name, a meeting by series and number,
an agenda item by meeting and order, an invitation or attendance by meeting and person, ...), so
loading twice gives the same records and no new audit entries, and loading again puts back what a
tester changed. The records are written with the ORM rather than through the meetings services:
the services act "now" (an approval is dated today, a circulation must close in the future) and
queue email to the people concerned, while the demo writes a past that already happened and must
never send anything. What the services compute from the records, they compute here too: the
snapshot kept in each minutes version is `minutes_content`, the same as the minutes service keeps.
"""

import datetime

from mineaction.core.models import User
from mineaction.meetings.models import (
    ActionPoint,
    ActionPointUpdate,
    AgendaItem,
    Amendment,
    Attendance,
    Decision,
    Invitation,
    Meeting,
    MeetingSeries,
    Minutes,
    MinutesEntry,
    MinutesVersion,
)
from mineaction.meetings.services.minutes import minutes_content
from mineaction.stakeholders.models import Organisation, WorkingGroup

SECRETARIAT_LOG_IN = "secretariat@demo.example"
AUTHORITY_LOG_IN = "authority@demo.example"


def load_meetings(planned, people, upsert):
    """`planned`: the "meetings" part of the demo plan; `people`: Person by email; `upsert`:
    the demo's create-or-update-what-differs helper."""
    organisations = {organisation.name: organisation for organisation in Organisation.objects.all()}
    users = {
        "secretariat": User.objects.get(email=SECRETARIAT_LOG_IN),
        "authority": User.objects.get(email=AUTHORITY_LOG_IN),
    }
    series = {spec["name"]: _load_series(spec, upsert) for spec in planned["series"]}
    action_points = {}
    for meeting_plan in planned["meetings"]:
        meeting = _load_meeting(meeting_plan, series, organisations, upsert)
        items = _load_agenda(meeting, meeting_plan["agenda"], people, upsert)
        _load_invitations(meeting, meeting_plan, people, upsert)
        _load_attendance(meeting, meeting_plan["attendance"], people, upsert)
        _load_decisions(meeting, meeting_plan["decisions"], items, upsert)
        for planned_action in meeting_plan["action_points"]:
            key = (
                planned_action["series"],
                planned_action["meeting_number"],
                planned_action["text"],
            )
            action_points[key] = _load_action_point(
                meeting, planned_action, items, people, organisations, upsert
            )
        for item_plan in meeting_plan["agenda"]:
            if "reviewed" in item_plan:
                wanted = [action_points[key] for key in item_plan["reviewed"]]
                item = items[item_plan["order"]]
                if set(item.reviewed_action_points.all()) != set(wanted):
                    item.reviewed_action_points.set(wanted)
        for minutes_plan in meeting_plan["minutes"]:
            _load_minutes(meeting, meeting_plan, minutes_plan, items, people, users, upsert)


def _load_series(spec, upsert):
    working_group = None
    if spec["working_group"]:
        working_group = WorkingGroup.objects.get(name=spec["working_group"])
    return upsert(
        MeetingSeries,
        {"name": spec["name"]},
        {
            "kind": spec["kind"],
            "component": spec["component"],
            "working_group": working_group,
            "frequency": spec["frequency"],
            "default_time_zone": spec["default_time_zone"],
            "default_venue": spec["default_venue"],
            "visibility": "members",
        },
    )


def _load_meeting(planned, series, organisations, upsert):
    return upsert(
        Meeting,
        {"series": series[planned["series"]], "number": planned["number"]},
        {
            "title": "",
            "starts_at": planned["starts_at"],
            "ends_at": planned["ends_at"],
            "time_zone": planned["time_zone"],
            "venue": planned["venue"],
            "online_url": planned["online_url"],
            "focus": planned["focus"],
            "chair": organisations[planned["chair"]],
            "convener": organisations[planned["convener"]],
            "status": planned["status"],
            "status_note": "",
            "visibility": "members",
            "ical_sequence": 0,
        },
    )


def _load_agenda(meeting, planned, people, upsert):
    items = {}
    for item in planned:
        items[item["order"]] = upsert(
            AgendaItem,
            {"meeting": meeting, "order": item["order"]},
            {
                "title": item["title"],
                "description": "",
                "kind": item["kind"],
                "component": item["component"],
                "presenter": people[item["presenter"]] if item["presenter"] else None,
                "duration_minutes": item["duration"],
            },
        )
    return items


def _load_invitations(meeting, planned, people, upsert):
    for invitation in planned["invitations"]:
        upsert(
            Invitation,
            {"meeting": meeting, "person": people[invitation["person"]]},
            {
                "informed_only": invitation["informed_only"],
                "response": invitation["response"],
                "responded_at": invitation["responded_at"],
                # Sent once, at the meeting's first and only iCalendar version.
                "sent_sequence": 0,
            },
        )


def _load_attendance(meeting, planned, people, upsert):
    for attendance in planned:
        person = people[attendance["person"]]
        upsert(
            Attendance,
            {"meeting": meeting, "person": person},
            {
                "organisation_id": person.organisation_id,
                "presence": attendance["presence"],
                "sex": person.sex,
                "age_band": person.age_band,
            },
        )


def _load_decisions(meeting, planned, items, upsert):
    for decision in planned:
        upsert(
            Decision,
            {"meeting": meeting, "number": decision["number"]},
            {"agenda_item": items[decision["agenda_order"]], "text": decision["text"]},
        )


def _load_action_point(meeting, planned, items, people, organisations, upsert):
    action_point = upsert(
        ActionPoint,
        {"meeting": meeting, "text": planned["text"]},
        {
            "agenda_item": items[planned["agenda_order"]],
            "owner_organisation": organisations[planned["owner_organisation"]],
            "owner_person": people[planned["owner_person"]],
            "due_on": planned["due_on"],
            "component": planned["component"],
            "status": planned["status"],
            "closed_on": planned["closed_on"],
        },
    )
    for update in planned["updates"]:
        upsert(
            ActionPointUpdate,
            {"action_point": action_point, "on": update["on"], "text": update["text"]},
            {"status": update["status"]},
        )
    return action_point


def _load_minutes(meeting, meeting_plan, planned, items, people, users, upsert):
    language = planned["language"]
    amendments = [a for a in meeting_plan["amendments"] if a["language"] == language]
    accepted = [a for a in amendments if a["status"] == Amendment.Status.ACCEPTED]
    versions = [("started", planned["started_at"], "Minutes started.")]
    versions.append(("draft", planned["drafted_at"], "Discussion of every agenda item written."))
    for amendment in accepted:
        versions.append(
            ("final", amendment["resolved_at"], "Accepted amendment added to the minutes.")
        )
    approved = planned["approved_at"] is not None
    minutes = upsert(
        Minutes,
        {"meeting": meeting, "language": language},
        {
            "is_authoritative": planned["is_authoritative"],
            "status": planned["status"],
            "revision": len(versions),
            "amendments_close_on": planned["amendments_close_on"],
            "approved_by": users["authority"] if approved else None,
            "approved_at": planned["approved_at"],
            "distributed_at": planned["distributed_at"],
        },
    )
    for item_plan in meeting_plan["agenda"]:
        upsert(
            MinutesEntry,
            {"minutes": minutes, "agenda_item": items[item_plan["order"]]},
            {"discussion": item_plan["discussion"][language]},
        )
    for amendment in amendments:
        record = upsert(
            Amendment,
            {
                "minutes": minutes,
                "proposed_by": people[amendment["proposed_by"]],
                "comment": amendment["comment"],
            },
            {
                "agenda_item": items[amendment["agenda_order"]],
                "proposed_text": amendment["proposed_text"],
                "status": amendment["status"],
                "resolution": amendment["resolution"],
                "resolved_by": users["secretariat"] if amendment["resolved_at"] else None,
                "resolved_at": amendment["resolved_at"],
            },
        )
        _set_created_at(Amendment, record, amendment["proposed_at"])
    final = _as_agreed(minutes_content(minutes))
    for revision, (state, at, note) in enumerate(versions, start=1):
        content = _version_content(final, state, meeting_plan["agenda"], language, items)
        version = upsert(
            MinutesVersion,
            {"minutes": minutes, "revision": revision},
            {"content": content, "note": note, "created_by": users["secretariat"]},
        )
        _set_created_at(MinutesVersion, version, at)


def _as_agreed(content):
    """The minutes record action points as agreed, not as they stand today."""
    for action_point in content["action_points"]:
        action_point["status"] = ActionPoint.Status.OPEN
    return content


def _version_content(final, state, agenda, language, items):
    if state == "final":
        return final
    entries = []
    by_public_id = {str(items[item["order"]].public_id): item for item in agenda}
    for entry in final["entries"]:
        item = by_public_id[entry["agenda_item"]]
        if state == "started":
            discussion = ""
        else:
            discussion = item.get("draft_discussion", item["discussion"])[language]
        entries.append({**entry, "discussion": discussion})
    if state == "started":
        return {"entries": entries, "decisions": [], "action_points": []}
    return {**final, "entries": entries}


def _set_created_at(model, record, at):
    """Date a record as it happened (`created_at` is set to now on creation)."""
    if isinstance(at, datetime.datetime) and record.created_at != at:
        model.objects.filter(pk=record.pk).update(created_at=at)
        record.created_at = at
