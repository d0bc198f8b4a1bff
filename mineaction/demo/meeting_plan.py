"""The demo's meeting cycle as plain data, computed before anything touches the database.

`meeting_plan(...)` is a pure function of the people plan and the day of loading: every random
choice comes from its own `random.Random` seeded from `data.SEED`, in a fixed order, so the
same day gives the same plan and the people's plan is not disturbed. The meetings are placed
relative to that day: eight quarterly plenaries over the last two years, the next one about three
weeks ahead (invitations sent, answers coming in) and four technical working group meetings
about five weeks after the last four plenaries.

Action points follow a fate (`meeting_data.FATES`): their progress updates, their status and
whether they are overdue. A meeting reviews every action point of its series agreed at an earlier
meeting and not yet closed on its date, which is how open action points carry over.
"""

import datetime
import random
import zoneinfo

from mineaction.core.choices import Component, Role
from mineaction.demo import data
from mineaction.demo import meeting_data as md
from mineaction.meetings.models import Attendance, Invitation, Meeting, Minutes
from mineaction.stakeholders.models import OrganisationType

ZONE = zoneinfo.ZoneInfo(md.TIME_ZONE)
COMPONENTS = [
    Component.POLITICAL,
    Component.TECHNICAL,
    Component.PARTICIPATION,
    Component.RESOURCE_MOBILISATION,
]
MEETING_DAYS = {1, 2, 3}  # Tuesday, Wednesday, Thursday
UPCOMING_IN_DAYS = 21
PAST_PLENARIES = 8
WORKING_GROUP_DELAY = 35
Presence = Attendance.Presence
Response = Invitation.Response


def meeting_plan(people, rotation, working_groups, today):
    rng = random.Random(data.SEED + 1)
    context = _Context(people, rotation, working_groups, today)
    upcoming_anchor = today + datetime.timedelta(days=UPCOMING_IN_DAYS)
    plenary_days = [
        _meeting_day(_add_months(upcoming_anchor, -3 * (PAST_PLENARIES - index)))
        for index in range(PAST_PLENARIES + 1)
    ]
    meetings = []
    for index, day in enumerate(plenary_days[:PAST_PLENARIES]):
        meetings.append(_past_plenary(rng, context, index, day, meetings))
    upcoming = _upcoming_plenary(rng, context, plenary_days[-1], meetings)
    wg_days = [
        _meeting_day(plenary_days[PAST_PLENARIES - 4 + index] + _days(WORKING_GROUP_DELAY))
        for index in range(len(md.WORKING_GROUP_AGENDAS))
    ]
    wg_meetings = []
    for index, day in enumerate(wg_days):
        wg_meetings.append(_working_group_meeting(rng, context, index, day, wg_meetings))
    return {
        "series": md.SERIES,
        "meetings": [*meetings, upcoming, *wg_meetings],
    }


class _Context:
    """Look-ups over the people's plan."""

    def __init__(self, people, rotation, working_groups, today):
        self.people = people
        self.today = today
        self.by_name = {f"{p['given_name']} {p['family_name']}": p for p in people}
        self.by_email = {p["email"]: p for p in people}
        self.rotation = rotation
        self.working_groups = {group["name"]: group for group in working_groups}
        self.organisations = {}
        for organisation in data.ORGANISATIONS:
            name, acronym, type = organisation[0], organisation[1], organisation[2]
            self.organisations[acronym or name] = {"name": name, "type": type}
            self.organisations[name] = {"name": name, "type": type}

    def email(self, name):
        return self.by_name[name]["email"]

    def organisation_name(self, key):
        return self.organisations[key]["name"]

    def is_member(self, person, day):
        return _holds(person, day, data.MEMBER_ROLES)

    def members(self, day):
        return [p for p in self.people if self.is_member(p, day)]

    def first_member(self, organisation, day):
        name = self.organisation_name(organisation)
        return next(p for p in self.people if p["organisation"] == name and self.is_member(p, day))

    def co_chair(self, day):
        return next(
            term["organisation"]
            for term in self.rotation
            if term["starts_on"] <= day <= term["ends_on"]
        )

    def informed_pool(self, day):
        """Observers and former members: they receive the minutes but are not invited."""
        return [
            p
            for p in self.people
            if not self.is_member(p, day)
            and p["key"] != "admin"
            and (
                _holds(p, day, {Role.OBSERVER})
                or not p["roles"]
                or any(ends_on and ends_on < day for _role, _starts, ends_on in p["roles"])
            )
        ]


def _holds(person, day, roles):
    return any(
        role in roles and starts_on <= day and (ends_on is None or ends_on >= day)
        for role, starts_on, ends_on in person["roles"]
    )


def _days(count):
    return datetime.timedelta(days=count)


def _add_months(day, months):
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return day.replace(year=year, month=month, day=min(day.day, (following - _days(1)).day))


def _meeting_day(day):
    while day.weekday() not in MEETING_DAYS:
        day += _days(1)
    return day


def _at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=ZONE)


# Agenda and minutes text -----------------------------------------------------------------------


def _figures(rng, day):
    quarter = (day.month - 1) // 3 - 1
    year = day.year if quarter >= 0 else day.year - 1
    quarter %= 4
    gap = rng.randint(95, 160) / 10
    pledged = rng.randint(18, 42) / 10
    return {
        "quarter_en": f"{md.QUARTERS_EN[quarter]} of {year}",
        "quarter_fr": f"{md.QUARTERS_FR[quarter]} {year}",
        "hectares": rng.randint(60, 240),
        "areas": rng.randint(6, 28),
        "devices": rng.randint(80, 420),
        "duplicates": rng.randint(12, 60),
        "visits": rng.randint(9, 30),
        "survivors": rng.randint(14, 65),
        "sessions": rng.randint(90, 320),
        "reached": rng.randint(3000, 14000),
        "women_share": rng.randint(18, 31),
        "gap_en": f"{gap:.1f}",
        "gap_fr": f"{gap:.1f}".replace(".", ","),
        "pledged_en": f"{pledged:.1f}",
        "pledged_fr": f"{pledged:.1f}".replace(".", ","),
        "machines": rng.randint(7, 16),
        "callouts": rng.randint(5, 24),
    }


def _item(order, spec, *, component="", key, languages, values, email_of):
    presenter = email_of(spec["presenter"]) if spec["presenter"] else None
    return {
        "order": order,
        "key": key,
        "title": spec["title"],
        "kind": spec["kind"],
        "component": component,
        "presenter": presenter,
        "duration": spec["duration"],
        "decision": spec.get("decision", ""),
        "discussion": {language: spec[language].format(**values) for language in languages},
    }


def _plenary_topics(rng, required):
    """Two to four topics per component, always including those of `required`."""
    chosen = []
    for component in COMPONENTS:
        pool = [key for key, topic in md.TOPICS.items() if topic["component"] == component]
        wanted = [key for key in pool if key in required]
        count = max(rng.choice([2, 3, 3, 4]), len(wanted))
        others = [key for key in pool if key not in wanted]
        wanted += rng.sample(others, count - len(wanted))
        chosen.extend(key for key in pool if key in wanted)
    return chosen


def _agenda(context, topics, topic_specs, opening, closing, values, languages):
    """Opening, the review of open action points (its text is written once the review is
    known), the topics and any other business."""

    def item(spec, key, component="", languages=languages):
        return _item(
            len(items) + 1,
            spec,
            component=component,
            key=key,
            languages=languages,
            values=values,
            email_of=context.email,
        )

    items = []
    items.append(item(opening, "opening"))
    items.append(item(md.REVIEW, "review", languages=[]))
    for key in topics:
        items.append(item(topic_specs[key], key, topic_specs[key]["component"]))
    items.append(item(closing, "closing"))
    return items


def _review(series, day, earlier, languages):
    """Action points of earlier meetings of the series still open on `day`: reviewed."""
    reviewed = [
        action
        for meeting in earlier
        for action in meeting["action_points"]
        if action["closed_on"] is None or action["closed_on"] >= day
    ]
    keys = [(series, action["meeting_number"], action["text"]) for action in reviewed]
    values = {"reviewed": len(reviewed), "overdue": sum(a["due_on"] < day for a in reviewed)}
    texts = md.REVIEW if reviewed else md.REVIEW_NONE
    return keys, {language: texts[language].format(**values) for language in languages}


# People ----------------------------------------------------------------------------------------


def _plenary_invitations(rng, context, day, required_emails):
    members = context.members(day)
    core = [context.email(name) for name in md.CORE_PARTICIPANTS]
    affected = [
        p["email"]
        for p in members
        if context.organisations[p["organisation"]]["type"] == OrganisationType.AFFECTED_COMMUNITY
    ]
    invited = []
    for email in [*core, *affected, *required_emails]:
        if email not in invited and context.is_member(context.by_email[email], day):
            invited.append(email)
    others = [p["email"] for p in members if p["email"] not in invited]
    invited += rng.sample(others, max(0, md.PLENARY_INVITED - len(invited)))
    pool = [p["email"] for p in context.informed_pool(day)]
    observer = context.email("Elena Sokolova")
    informed = [observer] if observer in pool else []
    informed += rng.sample(
        [email for email in pool if email not in informed],
        md.PLENARY_INFORMED - len(informed),
    )
    return sorted(invited), sorted(informed)


def _presence(rng, email, forced):
    if email in forced:
        return forced[email]
    return rng.choices([Presence.PRESENT, Presence.REMOTE, Presence.ABSENT], weights=[55, 25, 20])[
        0
    ]


def _past_invitations_and_attendance(rng, day, invited, informed, forced):
    invitations, attendance = [], []
    for email in invited:
        presence = _presence(rng, email, forced)
        attendance.append({"person": email, "presence": presence})
        if presence == Presence.PRESENT:
            response = Response.ACCEPTED
        elif presence == Presence.REMOTE:
            response = Response.REMOTE
        else:
            response = rng.choices(
                [Response.DECLINED, Response.PENDING, Response.ACCEPTED], weights=[3, 1, 1]
            )[0]
        answered = None
        if response != Response.PENDING:
            answered = _at(day - _days(rng.randint(2, 14)), rng.randint(8, 17), rng.randint(0, 59))
        invitations.append(
            {
                "person": email,
                "informed_only": False,
                "response": response,
                "responded_at": answered,
            }
        )
    for email in informed:
        invitations.append(
            {"person": email, "informed_only": True, "response": Response.PENDING,
             "responded_at": None}
        )  # fmt: skip
    return invitations, attendance


# Action points and minutes ---------------------------------------------------------------------


def _action_points(context, number, day, actions, agenda, series):
    orders = {item["key"]: item for item in agenda}
    planned = []
    for topic, text, organisation, person, fate_name in actions:
        fate = md.FATES[fate_name]
        owner = (
            context.email(person) if person else context.first_member(organisation, day)["email"]
        )
        updates = [
            {"on": day + _days(offset), "status": status, "text": update_text}
            for offset, status, update_text in fate["updates"]
        ]
        status = updates[-1]["status"] if updates else "open"
        closed = status in {md.DONE, md.DROPPED}
        planned.append(
            {
                "series": series,
                "meeting_number": number,
                "agenda_order": orders[topic]["order"],
                "text": text,
                "owner_organisation": context.organisation_name(organisation),
                "owner_person": owner,
                "due_on": day + _days(fate["due"]),
                "component": orders[topic]["component"],
                "status": status,
                "closed_on": updates[-1]["on"] if closed else None,
                "updates": updates,
            }
        )
    return planned


def _decisions(agenda):
    decisions = []
    for item in agenda:
        if item["decision"]:
            decisions.append(
                {"number": len(decisions) + 1, "agenda_order": item["order"],
                 "text": item["decision"]}
            )  # fmt: skip
    return decisions


def _minutes(day, languages, *, final_status, today):
    """Started three days after the meeting, circulated after ten with two weeks for
    amendments, approved after four weeks and distributed two days later."""
    planned = []
    for language in languages:
        minutes = {
            "language": language,
            "is_authoritative": language == "en",
            "status": final_status,
            "amendments_close_on": None,
            "approved_at": None,
            "distributed_at": None,
            "started_at": _at(day + _days(3), 10),
            "drafted_at": _at(day + _days(7), 16),
        }
        if final_status == Minutes.Status.CIRCULATED:
            minutes["amendments_close_on"] = today + _days(7)
        elif final_status == Minutes.Status.DISTRIBUTED:
            minutes["amendments_close_on"] = day + _days(24)
            minutes["approved_at"] = _at(day + _days(28), 11)
            minutes["distributed_at"] = _at(day + _days(30), 9, 30)
        planned.append(minutes)
    return planned


def _amendments(context, index, agenda, today, day):
    planned = []
    for (
        plenary,
        component,
        proposer,
        comment,
        proposed,
        outcome,
        resolution,
    ) in md.AMENDMENTS:
        if plenary != index:
            continue
        item = next(item for item in agenda if item["component"] == component)
        circulated = today - _days(10) if index == PAST_PLENARIES - 1 else day + _days(10)
        resolved = None if outcome == "open" else _at(circulated + _days(6), 15)
        planned.append(
            {
                "language": "en",
                "agenda_order": item["order"],
                "proposed_by": context.email(proposer),
                "comment": comment,
                "proposed_text": proposed,
                "status": outcome,
                "resolution": resolution,
                "proposed_at": _at(circulated + _days(3), 11),
                "resolved_at": resolved,
            }
        )
        if outcome == "accepted":
            item["draft_discussion"] = dict(item["discussion"])
            item["discussion"]["en"] = f"{item['discussion']['en']} {proposed}"
    return planned


def _base_meeting(series_name, number, day, focus, status):
    series = next(s for s in md.SERIES if s["name"] == series_name)
    starts_at = _at(day, *series["start"])
    return {
        "series": series_name,
        "number": number,
        "starts_at": starts_at,
        "ends_at": starts_at + datetime.timedelta(minutes=series["length_minutes"]),
        "time_zone": md.TIME_ZONE,
        "venue": series["default_venue"],
        "online_url": series["online_url"],
        "focus": focus,
        "status": status,
        "chair": "National Mine Action Authority of Demoland",
        "convener": "United Nations Development Programme",
    }


# Meetings --------------------------------------------------------------------------------------


def _past_plenary(rng, context, index, day, earlier):
    series = md.PLENARY
    number = next(s for s in md.SERIES if s["name"] == series)["first_number"] + index
    actions = md.PLENARY_ACTIONS[index]
    latest = index == PAST_PLENARIES - 1
    languages = ["en", "fr"] if index in md.FRENCH_MINUTES else ["en"]
    topics = _plenary_topics(rng, {topic for topic, *_rest in actions})
    owners = [
        context.email(person) if person else context.first_member(organisation, day)["email"]
        for _topic, _text, organisation, person, _fate in actions
    ]
    presenters = [md.TOPICS[key]["presenter"] for key in topics]
    required = [context.email(name) for name in presenters] + owners
    invited, informed = _plenary_invitations(rng, context, day, required)
    forced = dict.fromkeys(required, Presence.PRESENT)
    for name in ["Amina Haddad", "Lucía Ferrer"]:
        forced[context.email(name)] = Presence.PRESENT
    for plenary, _c, proposer, *_rest in md.AMENDMENTS:
        if plenary == index:
            forced[context.email(proposer)] = Presence.PRESENT
    invitations, attendance = _past_invitations_and_attendance(rng, day, invited, informed, forced)
    values = _figures(rng, day) | {
        "attending": sum(a["presence"] == Presence.PRESENT for a in attendance),
        "remote": sum(a["presence"] == Presence.REMOTE for a in attendance),
        "co_chair": context.co_chair(day),
    }
    agenda = _agenda(
        context, topics, md.TOPICS, md.OPENING, md.ANY_OTHER_BUSINESS, values, languages
    )
    reviewed, review_text = _review(series, day, earlier, languages)
    agenda[1]["discussion"] = review_text
    agenda[1]["reviewed"] = reviewed
    status = Meeting.Status.MINUTES_CIRCULATED if latest else Meeting.Status.DISTRIBUTED
    minutes_status = Minutes.Status.CIRCULATED if latest else Minutes.Status.DISTRIBUTED
    meeting = _base_meeting(series, number, day, md.PLENARY_FOCUS[index], status)
    meeting.update(
        agenda=agenda,
        invitations=invitations,
        attendance=attendance,
        minutes=_minutes(day, languages, final_status=minutes_status, today=context.today),
        decisions=_decisions(agenda),
        action_points=_action_points(context, number, day, actions, agenda, series),
        amendments=_amendments(context, index, agenda, context.today, day),
    )
    return meeting


def _upcoming_plenary(rng, context, day, earlier):
    series = md.PLENARY
    number = next(s for s in md.SERIES if s["name"] == series)["first_number"] + PAST_PLENARIES
    topics = _plenary_topics(rng, set())
    required = [context.email(md.TOPICS[key]["presenter"]) for key in topics]
    invited, informed = _plenary_invitations(rng, context, day, required)
    sent_on = context.today - _days(12)
    fixed = {
        context.email("Amina Haddad"): Response.ACCEPTED,
        context.email("Lucía Ferrer"): Response.ACCEPTED,
    } | {context.email(name): Response.PENDING for name in md.UNANSWERED_UPCOMING}
    invitations = []
    for email in invited:
        response = fixed.get(email) or rng.choices(
            [Response.ACCEPTED, Response.REMOTE, Response.TENTATIVE, Response.DECLINED,
             Response.PENDING],
            weights=[40, 20, 10, 10, 20],
        )[0]  # fmt: skip
        answered = None
        if response != Response.PENDING:
            answered = _at(
                sent_on + _days(rng.randint(1, 11)), rng.randint(8, 17), rng.randint(0, 59)
            )
        invitations.append(
            {
                "person": email,
                "informed_only": False,
                "response": response,
                "responded_at": answered,
            }
        )
    for email in informed:
        invitations.append(
            {"person": email, "informed_only": True, "response": Response.PENDING,
             "responded_at": None}
        )  # fmt: skip
    agenda = _agenda(context, topics, md.TOPICS, md.OPENING, md.ANY_OTHER_BUSINESS, {}, [])
    reviewed, _text = _review(series, day, earlier, [])
    agenda[1]["reviewed"] = reviewed
    meeting = _base_meeting(
        series, number, day, md.PLENARY_FOCUS[PAST_PLENARIES], Meeting.Status.INVITATIONS_SENT
    )
    meeting.update(
        agenda=agenda,
        invitations=invitations,
        attendance=[],
        minutes=[],
        decisions=[],
        action_points=[],
        amendments=[],
    )
    return meeting


def _working_group_meeting(rng, context, index, day, earlier):
    series = md.TECHNICAL
    number = next(s for s in md.SERIES if s["name"] == series)["first_number"] + index
    latest = index == len(md.WORKING_GROUP_AGENDAS) - 1
    topics = md.WORKING_GROUP_AGENDAS[index]
    actions = md.WORKING_GROUP_ACTIONS[index]
    group = context.working_groups[
        next(s for s in md.SERIES if s["name"] == series)["working_group"]
    ]
    presenters = [context.email(md.WORKING_GROUP_TOPICS[key]["presenter"]) for key in topics]
    presenters.append(context.email(md.WORKING_GROUP_OPENING["presenter"]))
    owners = [
        context.email(person) if person else context.first_member(organisation, day)["email"]
        for _topic, _text, organisation, person, _fate in actions
    ]
    invited = []
    for email in [*group["members"], context.email("Lucía Ferrer"), *presenters, *owners]:
        if email not in invited and context.is_member(context.by_email[email], day):
            invited.append(email)
    forced = dict.fromkeys([*presenters, *owners], Presence.PRESENT)
    forced[context.email("Lucía Ferrer")] = Presence.PRESENT
    invitations, attendance = _past_invitations_and_attendance(
        rng, day, sorted(invited), [context.email("Amina Haddad")], forced
    )
    values = _figures(rng, day) | {
        "attending": sum(a["presence"] == Presence.PRESENT for a in attendance),
        "remote": sum(a["presence"] == Presence.REMOTE for a in attendance),
    }
    agenda = _agenda(
        context,
        topics,
        md.WORKING_GROUP_TOPICS,
        md.WORKING_GROUP_OPENING,
        md.WORKING_GROUP_CLOSING,
        values,
        ["en"],
    )
    reviewed, review_text = _review(series, day, earlier, ["en"])
    agenda[1]["discussion"] = review_text
    agenda[1]["reviewed"] = reviewed
    status = Meeting.Status.MINUTES_DRAFT if latest else Meeting.Status.DISTRIBUTED
    minutes_status = Minutes.Status.DRAFT if latest else Minutes.Status.DISTRIBUTED
    meeting = _base_meeting(series, number, day, Meeting.Focus.ARTICLE_5, status)
    meeting.update(
        agenda=agenda,
        invitations=invitations,
        attendance=attendance,
        minutes=_minutes(day, ["en"], final_status=minutes_status, today=context.today),
        decisions=_decisions(agenda),
        action_points=_action_points(context, number, day, actions, agenda, series),
        amendments=[],
    )
    return meeting
