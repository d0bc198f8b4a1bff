"""Loading, wiping and counting the demo's challenges, prioritisation rounds, work plans and
policies (the facts of `challenge_data.py`, `workplan_data.py` and `policy_data.py`).

Their dates hang on the demo's meeting cycle, so they are resolved here from the meeting plan
(`Anchors`) before anything is written. The records go in through the apps' services wherever
one exists (raising a challenge, moving its status, opening, voting in and closing a round,
recording an activity's progress, moving an instrument's stage), so numbering, search text,
histories, round results and priority ranks are computed exactly as the platform computes them
for its users; the rest through the models, after the services' own checks.

A record already there (a challenge or an instrument by its title, a round by its title, a work
plan by its kind, an activity by its plan and code, an IMAS by its reference) is left as it is,
with its history: loading twice adds nothing and writes nothing, and what a tester did through
the pages (a vote, a status change, a round closed early) stays. `load_demo --reset` rebuilds
everything from the plan.
"""

import datetime
import zoneinfo

from django.apps import apps
from django.db import transaction
from django.utils.translation import gettext

from mineaction.challenges.models import Ballot, Challenge, PrioritisationRound
from mineaction.challenges.services.links import propose_priorities
from mineaction.demo import data
from mineaction.demo import meeting_data as md
from mineaction.demo.article5_data import deadline_in_force
from mineaction.demo.challenge_load import load_challenges
from mineaction.demo.policy_load import load_policies
from mineaction.demo.workplan_load import load_work_plans
from mineaction.meetings.models import AgendaItem, AgendaLink, Meeting
from mineaction.policies.models import Instrument
from mineaction.stakeholders.models import Organisation
from mineaction.workplans.models import Activity, WorkPlan

ZONE = zoneinfo.ZoneInfo(md.TIME_ZONE)
PAST_PLENARIES = 8
# A round closes this many days before the plenary that reviews its results.
ROUND_BEFORE_PLENARY = 14
# The plenaries after which the annual rounds close (0 = the oldest past plenary).
ROUND_PLENARIES = {"R1": 3, "R2": 7}

# What a reset deletes, leaves first, before the organisations, people, meetings and admin areas
# these records point to.
WIPE_ORDER = [
    "challenges.RoundResult",
    "challenges.BallotEntry",
    "challenges.Ballot",
    "challenges.ChallengeStatusChange",
    "challenges.ChallengeDocument",
    "workplans.Milestone",
    "workplans.ActivityUpdate",
    "workplans.Activity",
    "workplans.WorkPlan",
    "policies.AdvocacyAction",
    "policies.StageChange",
    "policies.Instrument",
    "policies.ImasStandard",
    "challenges.Challenge",
    "challenges.PrioritisationRound",
]


class Anchors:
    """The days the demo's facts are anchored to, for one day of loading.

    `date(("P3", 10))` is ten days after the fourth past plenary; see `challenge_data.py` for
    the other anchors. `meeting(("P3", 0))` is that plenary (None for other anchors or
    offsets)."""

    def __init__(self, today, meetings_plan):
        self.today = today
        self.deadline = deadline_in_force()
        self.extension = max(extension["decided_on"] for extension in data.DEADLINE_EXTENSIONS)
        self.meetings = {}
        firsts = {series["name"]: series["first_number"] for series in md.SERIES}
        prefixes = {md.PLENARY: "P", md.TECHNICAL: "W"}
        for meeting in meetings_plan["meetings"]:
            number = meeting["number"] - firsts[meeting["series"]]
            if meeting["starts_at"].date() < today:
                key = f"{prefixes[meeting['series']]}{number}"
                self.meetings[key] = (meeting["series"], meeting["number"], meeting["starts_at"])
        self.days = {key: starts_at.date() for key, (_s, _n, starts_at) in self.meetings.items()}
        for key, plenary in ROUND_PLENARIES.items():
            self.days[key] = self.days[f"P{plenary}"] - datetime.timedelta(
                days=ROUND_BEFORE_PLENARY
            )
        self.days["today"] = today
        self.days["deadline"] = self.deadline
        self.days["extension"] = self.extension

    def date(self, anchor):
        if anchor is None:
            return None
        if anchor[0] == "year":
            _year, month, day, *years = anchor
            return datetime.date(self.today.year + (years[0] if years else 0), month, day)
        name, offset = anchor
        return self.days[name] + datetime.timedelta(days=offset)

    def at(self, anchor, hour, minute=0):
        """A moment on the anchored day, in the demo country's time zone."""
        return datetime.datetime.combine(
            self.date(anchor), datetime.time(hour, minute), tzinfo=ZONE
        )

    def meeting(self, anchor):
        name, offset = anchor[0], anchor[1]
        if offset != 0 or name not in self.meetings:
            return None
        series, number, _starts_at = self.meetings[name]
        return Meeting.objects.get(series__name=series, number=number)

    def meeting_key(self, name):
        series, number, _starts_at = self.meetings[name]
        return series, number


class Voices:
    """Who speaks for an organisation on a day, from the people's plan: a named person, or the
    organisation's first person holding a member role then and today."""

    def __init__(self, people_plan, people, today):
        self.plan = people_plan
        self.people = people  # Person by e-mail
        self.today = today
        self.names = {}
        for row in data.ORGANISATIONS:
            self.names[row[0]] = row[0]
            if row[1]:
                self.names[row[1]] = row[0]
        self.organisations = {o.name: o for o in Organisation.objects.all()}

    def organisation(self, key):
        return self.organisations[self.names[key]]

    def person(self, organisation_key, name, *days):
        name_of = self.names[organisation_key]
        if name:
            planned = next(p for p in self.plan if f"{p['given_name']} {p['family_name']}" == name)
        else:
            planned = next(
                p
                for p in self.plan
                if p["organisation"] == name_of
                and all(_holds_member_role(p, day) for day in (*days, self.today))
            )
        return self.people[planned["email"]]


def _holds_member_role(person, day):
    return any(
        role in data.MEMBER_ROLES and starts_on <= day and (ends_on is None or ends_on >= day)
        for role, starts_on, ends_on in person["roles"]
    )


@transaction.atomic
def load_priorities(today, plan, people):
    """Load (or leave as they are) the demo's challenges, rounds, work plans and policies.
    `plan`: the demo plan; `people`: Person by e-mail."""
    anchors = Anchors(today, plan["meetings"])
    voices = Voices(plan["people"], people, today)
    challenges = load_challenges(anchors, voices)
    load_work_plans(anchors, voices, challenges)
    load_policies(anchors, voices, challenges)
    review_priorities_at_planned_meetings(today)
    return priorities_counts()


def review_priorities_at_planned_meetings(today):
    """The planned meetings' agendas come from the meeting plan, not from the agenda proposal:
    give each the "Review of priority challenges" item a new meeting gets, after the review of
    open action points, linked to today's top priorities. A meeting that has it already is
    left as it is."""
    review = AgendaItem.Kind.PRIORITY_REVIEW
    after = AgendaItem.Kind.ACTION_POINT_REVIEW
    planned = Meeting.objects.filter(status=Meeting.Status.PLANNED, starts_at__date__gte=today)
    for meeting in planned.exclude(agenda_items__kind=review):
        items = list(meeting.agenda_items.order_by("order", "id"))
        position = next((i for i, item in enumerate(items) if item.kind == after), len(items) - 1)
        for item in items[position + 1 :]:
            item.order += 1
            item.save(update_fields=["order", "updated_at"])
        item = AgendaItem.objects.create(
            meeting=meeting,
            order=items[position].order + 1 if items else 1,
            title=gettext("Review of priority challenges"),
            kind=review,
            duration_minutes=30,
        )
        for target, public_id in propose_priorities(meeting=meeting):
            AgendaLink.objects.create(agenda_item=item, target=target, target_public_id=public_id)


def priorities_counts():
    """The headline counts the demo's summary shows."""
    return {
        "challenges": Challenge.objects.count(),
        "prioritisation rounds": PrioritisationRound.objects.count(),
        "ballots": Ballot.objects.count(),
        "work plans": WorkPlan.objects.count(),
        "activities": Activity.objects.count(),
        "instruments": Instrument.objects.count(),
    }


@transaction.atomic
def wipe_priorities():
    """Delete every challenge, round, work plan and instrument, leaves first, so that no
    protected foreign key blocks a delete and no delete has to collect dependent records."""
    for label in WIPE_ORDER:
        apps.get_model(label).objects.all().delete()
