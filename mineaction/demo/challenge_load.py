"""Writing the demo's challenge register and prioritisation rounds (`challenge_data.py`).

Everything happens through the challenges services, in the order it happened: challenges are
raised and moved through their statuses, rounds are opened, ballots cast and rounds closed, each
at its own past moment (`now=`/`on=`). Closing a round computes its results, sets each
challenge's priority rank and prioritises the top challenges, so no rank is written by hand. The
open round is opened and receives its first ballots; it closes in the future.

The ballots come from `random.Random(SEED)`, drawn in a fixed order whatever is already in the
database, so the same day gives the same votes.
"""

import datetime
import random

from mineaction.challenges.models import (
    Challenge,
    ChallengeStatus,
    PrioritisationRound,
    RoundMethod,
)
from mineaction.challenges.services.register import (
    challenge_change_status,
    challenge_link,
    challenge_raise,
)
from mineaction.challenges.services.rounds import ballot_cast, round_close, round_open
from mineaction.core.choices import Visibility
from mineaction.demo import challenge_data as cd
from mineaction.demo import data
from mineaction.demo import meeting_data as md
from mineaction.landrelease.models import AdminArea
from mineaction.meetings.models import ActionPoint, AgendaItem

SEED = data.SEED + 7
OPENS_AT = (9, 0)
CLOSES_AT = (17, 0)
# The order of the events of one day.
RAISE, STATUS, OPEN, BALLOT, CLOSE = range(5)
# A voter leaves this share of the challenges of a score round unscored (an abstention on it).
SKIPPED_SHARE = 0.07
ROUND_ANCHORS = {planned_round["key"] for planned_round in cd.ROUNDS}
TOPIC_TITLES = {
    key: topic["title"] for key, topic in {**md.TOPICS, **md.WORKING_GROUP_TOPICS}.items()
}


def load_challenges(anchors, voices):
    """Raise the missing challenges with their histories and run the missing rounds.
    Returns {key of `challenge_data`: Challenge} for every planned challenge."""
    existing = {
        challenge.title: challenge
        for challenge in Challenge.objects.filter(title__in=[c["title"] for c in cd.CHALLENGES])
    }
    existing_rounds = set(
        PrioritisationRound.objects.filter(
            title__in=[planned["title"] for planned in cd.ROUNDS]
        ).values_list("title", flat=True)
    )
    rng = random.Random(SEED)
    events = []
    for planned in cd.CHALLENGES:
        if planned["title"] not in existing:
            events += _challenge_events(anchors, planned)
    for planned in cd.ROUNDS:
        ballots = _ballots(rng, anchors, planned)  # drawn even when the round exists
        if planned["title"] not in existing_rounds:
            events += _round_events(anchors, planned, ballots)
    events.sort(key=lambda event: event[:3])
    challenges = {
        planned["key"]: existing[planned["title"]]
        for planned in cd.CHALLENGES
        if planned["title"] in existing
    }
    rounds = {}
    for _day, _order, _sequence, action, *arguments in events:
        action(anchors, voices, challenges, rounds, *arguments)
    for planned in cd.CHALLENGES:
        if planned["title"] not in existing:
            _link(anchors, challenges[planned["key"]], planned)
    return challenges


# Events: (day, order in the day, sequence, action, arguments...) --------------------------------


def _challenge_events(anchors, planned):
    events = [(anchors.date(planned["raised"]), RAISE, 0, _raise, planned)]
    for sequence, (name, offset, status, note) in enumerate(planned["history"], start=1):
        if name in ROUND_ANCHORS and status == ChallengeStatus.PRIORITISED:
            continue  # closing the round does it
        anchor = (name, offset)
        events.append(
            (anchors.date(anchor), STATUS, sequence, _move, planned, anchor, status, note)
        )
    return events


def _round_events(anchors, planned, ballots):
    opened_at = anchors.at(planned["opens"], *OPENS_AT)
    closes_at = anchors.at(planned["closes"], *CLOSES_AT)
    events = [(opened_at.date(), OPEN, 0, _open, planned, opened_at, closes_at)]
    for sequence, ballot in enumerate(ballots, start=1):
        events.append((ballot["cast_at"].date(), BALLOT, sequence, _cast, planned, ballot))
    if closes_at.date() < anchors.today:
        events.append((closes_at.date(), CLOSE, 0, _close, planned, closes_at))
    return events


def _raise(anchors, voices, challenges, rounds, planned):
    raised_on = anchors.date(planned["raised"])
    restricted_to = [voices.organisation(key) for key in planned.get("restricted_to", [])]
    region = AdminArea.objects.get(code=planned["region"]) if planned["region"] else None
    challenges[planned["key"]] = challenge_raise(
        title=planned["title"],
        kind=planned["kind"],
        component=planned["component"],
        description=planned["description"],
        evidence=planned["evidence"],
        region=region,
        visibility=Visibility.RESTRICTED if restricted_to else Visibility.MEMBERS,
        restricted_to=restricted_to,
        raised_on=raised_on,
        person=voices.person(planned["organisation"], planned["person"], raised_on),
        organisation=voices.organisation(planned["organisation"]),
    )


def _move(anchors, voices, challenges, rounds, planned, anchor, status, note):
    resolution = None
    if status in (ChallengeStatus.RESOLVED, ChallengeStatus.PARKED):
        resolution = planned["resolution"]
    challenge_change_status(
        challenge=challenges[planned["key"]],
        to_status=status,
        on=anchors.date(anchor),
        note=note,
        meeting=anchors.meeting(anchor),
        resolution=resolution,
    )


def _open(anchors, voices, challenges, rounds, planned, opened_at, closes_at):
    prioritisation_round = PrioritisationRound.objects.create(
        title=planned["title"],
        description=planned["description"],
        method=planned["method"],
        closes_at=closes_at,
        priorities_count=planned["priorities_count"],
    )
    prioritisation_round.challenges.set([challenges[key] for key in planned["profiles"]])
    round_open(prioritisation_round=prioritisation_round, now=opened_at)
    rounds[planned["key"]] = prioritisation_round


def _cast(anchors, voices, challenges, rounds, planned, ballot):
    entries = [
        {"challenge": challenges[key].public_id, **values}
        for key, values in ballot["entries"].items()
    ]
    ballot_cast(
        prioritisation_round=rounds[planned["key"]],
        person=voices.person(ballot["organisation"], ballot["person"], ballot["cast_at"].date()),
        entries=entries,
        abstained=ballot["abstained"],
        comment=ballot["comment"],
        now=ballot["cast_at"],
    )


def _close(anchors, voices, challenges, rounds, planned, closes_at):
    round_close(prioritisation_round=rounds[planned["key"]], now=closes_at)


# Ballots ---------------------------------------------------------------------------------------


def _ballots(rng, anchors, planned):
    """The round's ballots as plain values, cast at even intervals (give or take a few hours)
    between its opening and its closing, or yesterday evening for a round still open."""
    opened_at = anchors.at(planned["opens"], *OPENS_AT)
    closes_at = anchors.at(planned["closes"], *CLOSES_AT)
    last = min(closes_at, anchors.at(("today", -1), *CLOSES_AT))
    comments = {
        organisation: comment
        for key, organisation, comment in cd.BALLOT_COMMENTS
        if key == planned["key"]
    }
    count = len(planned["voters"])
    ballots = []
    for index, (organisation, person) in enumerate(planned["voters"]):
        share = (index + 1) / (count + 1)
        cast_at = opened_at + (last - opened_at) * share
        cast_at += datetime.timedelta(minutes=rng.randint(-180, 180))
        abstained = organisation in planned["abstaining"]
        if planned["method"] == RoundMethod.RANK:
            entries = _ranks(rng, planned["profiles"])
        else:
            entries = _scores(rng, planned["profiles"])
        ballots.append(
            {
                "organisation": organisation,
                "person": person,
                "cast_at": cast_at.replace(second=0, microsecond=0),
                "abstained": abstained,
                "entries": {} if abstained else entries,
                "comment": planned["abstention_comment"]
                if abstained
                else comments.get(organisation, ""),
            }
        )
    return ballots


def _scores(rng, profiles):
    entries = {}
    for key, profile in profiles.items():
        values = [min(5, max(1, typical + rng.choice([-1, 0, 0, 0, 1]))) for typical in profile]
        if rng.random() >= SKIPPED_SHARE:
            entries[key] = dict(zip(("impact", "urgency", "feasibility"), values, strict=True))
    return entries


def _ranks(rng, profiles):
    """A ranking by each challenge's typical weighted score, give or take half a point."""
    preference = {
        key: (2 * impact + 2 * urgency + feasibility) / 5 + rng.uniform(-0.5, 0.5)
        for key, (impact, urgency, feasibility) in profiles.items()
    }
    ordered = sorted(preference, key=lambda key: -preference[key])
    return {key: {"rank": rank} for rank, key in enumerate(ordered, start=1)}


# Links with the meeting cycle -------------------------------------------------------------------


def _link(anchors, challenge, planned):
    for meeting, topic in planned["discussed"]:
        series, number = anchors.meeting_key(meeting)
        agenda_item = AgendaItem.objects.get(
            meeting__series__name=series, meeting__number=number, title=TOPIC_TITLES[topic]
        )
        challenge_link(challenge=challenge, agenda_item=agenda_item)
    for text in planned["action_points"]:
        challenge_link(challenge=challenge, action_point=ActionPoint.objects.get(text=text))
