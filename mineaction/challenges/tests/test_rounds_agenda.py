"""From a raised challenge to the next meeting's agenda: a member raises challenges, the
secretariat prepares and opens a round, three organisations vote, the round closes, and the top
challenge is proposed under "Review of priority challenges" on a new meeting's agenda."""

import datetime

from django.urls import reverse
from django.utils import timezone

from mineaction.challenges.models import ChallengeStatus, PrioritisationRound
from mineaction.challenges.services.register import challenge_raise
from mineaction.challenges.services.rounds import rounds_close_due
from mineaction.core.choices import Component
from mineaction.meetings.models import AgendaItem, AgendaLink
from mineaction.meetings.services.agenda import agenda_propose
from mineaction.meetings.tests.meetings_support import make_meeting, make_series


def raise_challenge(people, title):
    member = people["member"]
    return challenge_raise(
        title=title,
        component=Component.TECHNICAL,
        description=f"About {title.lower()}.",
        person=member,
        organisation=member.organisation,
    )


def vote(client, prioritisation_round, values):
    """Cast a ballot through the page: {challenge: (impact, urgency, feasibility)}."""
    data = {}
    for challenge, triple in values.items():
        for name, value in zip(("impact", "urgency", "feasibility"), triple, strict=True):
            data[f"{name}_{challenge.public_id.hex}"] = str(value)
    address = reverse("challenges:round_vote", args=[prioritisation_round.public_id])
    response = client.post(address, data)
    assert response.status_code == 302, response.context["form"].errors


def test_the_top_challenge_of_a_closed_round_is_on_the_next_meetings_agenda(clients, people):
    survey = raise_challenge(people, "Outdated survey of the northern border")
    gender = raise_challenge(people, "Few women in survey teams")
    funding = raise_challenge(people, "Funding gap for victim assistance")
    closes_at = timezone.now() + datetime.timedelta(days=7)

    created = clients["secretariat"].post(
        reverse("challenges:round_create"),
        {
            "title": "Priorities before the plenary",
            "method": "score",
            "weight_impact": "40",
            "weight_urgency": "40",
            "weight_feasibility": "20",
            "challenges": [str(c.pk) for c in (survey, gender, funding)],
            "closes_at": timezone.localtime(closes_at).strftime("%Y-%m-%dT%H:%M"),
            "priorities_count": "1",
        },
    )
    assert created.status_code == 302
    prioritisation_round = PrioritisationRound.objects.get()
    opened = clients["secretariat"].post(
        reverse("challenges:round_open", args=[prioritisation_round.public_id]),
        {"confirm": "on"},
    )
    assert opened.status_code == 302

    # The NGO, the donor and the national authority vote; the gender gap comes first
    # ((4.2 + 4.6 + 4.0) / 3 = 4.267), then the funding gap (3.4), then the survey (2.6).
    vote(
        clients["member"],
        prioritisation_round,
        {survey: (3, 3, 1), gender: (4, 4, 5), funding: (3, 3, 3)},
    )
    vote(
        clients["lead_donor"],
        prioritisation_round,
        {survey: (2, 2, 3), gender: (5, 5, 3), funding: (4, 4, 2)},
    )
    vote(
        clients["lead_authority"],
        prioritisation_round,
        {survey: (3, 3, 3), gender: (4, 4, 4), funding: (4, 3, 4)},
    )

    # The round's time comes; the scheduled command closes it.
    PrioritisationRound.objects.filter(pk=prioritisation_round.pk).update(
        closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert [(r.pk, problem) for r, problem in rounds_close_due()] == [
        (prioritisation_round.pk, None)
    ]

    for challenge in (survey, gender, funding):
        challenge.refresh_from_db()
    assert [
        (c.status, c.priority_rank, str(c.priority_score)) for c in (gender, funding, survey)
    ] == [
        (ChallengeStatus.PRIORITISED, 1, "4.267"),
        (ChallengeStatus.IDENTIFIED, 2, "3.400"),
        (ChallengeStatus.IDENTIFIED, 3, "2.600"),
    ]

    meeting = make_meeting(make_series())
    agenda_propose(meeting=meeting)

    review = AgendaItem.objects.get(meeting=meeting, kind=AgendaItem.Kind.PRIORITY_REVIEW)
    assert review.title == "Review of priority challenges"
    links = AgendaLink.objects.filter(agenda_item=review)
    assert [(link.target, link.target_public_id) for link in links] == [
        (AgendaLink.Target.CHALLENGE, gender.public_id)
    ]
