"""From a member's challenge to the next meeting's agenda, in a real Chromium: a member raises a
challenge, the secretariat puts it with two others in a prioritisation round and opens it,
three organisations vote, the round closes, the challenge ranks first, and the proposed agenda
of the series' next meeting reviews it.

Everybody logs in through the real log-in form, the secretariat with its TOTP code.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from mineaction.challenges.models import (
    Ballot,
    Challenge,
    ChallengeStatus,
    PrioritisationRound,
    RoundStatus,
)
from mineaction.challenges.tests.factories import make_challenge
from mineaction.meetings.models import AgendaItem, AgendaLink, Meeting, MeetingSeries
from mineaction.tests_browser.support import VIEWPORT, current_totp_code, enter_totp_code, log_in

pytestmark = pytest.mark.browser

SERIES_NAME = "Quarterly plenary of the platform"
TITLE = "Survey teams cannot reach the villages along the eastern border"
DESCRIPTION = (
    "The only road to the border villages has been closed since the floods; the survey teams "
    "have not visited the community reports there for four months."
)
EVIDENCE = "27 community reports wait for a first visit."
OTHER_TITLES = [
    "Spare parts for demining machines held at customs",
    "Risk education materials out of stock",
]
ROUND_TITLE = "Priorities for the next plenary"
# (impact, urgency, feasibility) each voter gives the new challenge and the two others.
SCORES = [(5, 5, 5), (4, 4, 4), (2, 2, 2)]
PRIORITY_REVIEW = "Review of priority challenges"


@pytest.fixture
def open_browser(browser, live_server):
    """A new browser window (own cookies) per person, logged in through the real form, with
    their TOTP code when they have two-factor authentication."""
    contexts = []

    def open_browser(person, *, two_factor=False):
        context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT, locale="en-GB")
        context.set_default_timeout(15_000)
        contexts.append(context)
        tab = context.new_page()
        log_in(tab, person.user.email)
        if two_factor:
            enter_totp_code(tab, current_totp_code())
        expect(tab.get_by_role("heading", level=1)).to_have_text("Dashboard")
        return tab

    yield open_browser
    for context in contexts:
        context.close()


def expect_message(page, text):
    expect(page.locator("ul.messages li").filter(has_text=text)).to_have_count(1)


def vote(page, prioritisation_round, challenges):
    """Cast the organisation's ballot through the ballot form: SCORES, in order."""
    page.goto(reverse("challenges:round_detail", args=[prioritisation_round.public_id]))
    page.get_by_role("link", name="Vote for your organisation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vote")
    for challenge, scores in zip(challenges, SCORES, strict=True):
        for criterion, score in zip(("impact", "urgency", "feasibility"), scores, strict=True):
            field = page.locator(f"select[name={criterion}_{challenge.public_id.hex}]")
            field.select_option(str(score))
    page.get_by_role("button", name="Cast the ballot").click()
    expect_message(page, "Your organisation's ballot has been cast.")


def test_a_member_challenge_ranked_first_appears_on_the_next_agenda(
    open_browser, people, donor_org, authority_org
):
    series = MeetingSeries.objects.create(name=SERIES_NAME, default_time_zone="UTC")
    previous_start = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(days=30)
    Meeting.objects.create(
        series=series,
        number=1,
        title="First plenary",
        starts_at=previous_start,
        ends_at=previous_start + datetime.timedelta(hours=3),
        time_zone="UTC",
    )
    others = [
        make_challenge(OTHER_TITLES[0], authority_org),
        make_challenge(OTHER_TITLES[1], donor_org),
    ]

    # The member raises a challenge through the form.
    member = open_browser(people["member"])
    member.goto(reverse("challenges:challenge_list"))
    member.get_by_role("link", name="Raise a challenge").click()
    member.locator("input[name=title]").fill(TITLE)
    member.locator("select[name=kind]").select_option("gap")
    member.locator("select[name=component]").select_option("technical")
    member.locator("textarea[name=description]").fill(DESCRIPTION)
    member.locator("textarea[name=evidence]").fill(EVIDENCE)
    member.get_by_role("button", name="Save").click()
    expect_message(member, "Challenge CH-003 has been raised.")
    expect(member.get_by_role("heading", level=1)).to_contain_text(TITLE)
    challenge = Challenge.objects.get(title=TITLE)
    assert (challenge.number, challenge.raised_by, challenge.raised_by_organisation) == (
        3,
        people["member"],
        people["member"].organisation,
    )
    assert challenge.status == ChallengeStatus.IDENTIFIED
    in_round = [challenge, *others]

    # The secretariat prepares a round of the three challenges and opens it.
    secretariat = open_browser(people["secretariat"], two_factor=True)
    secretariat.goto(reverse("challenges:round_list"))
    secretariat.get_by_role("link", name="New prioritisation round").click()
    secretariat.locator("input[name=title]").fill(ROUND_TITLE)
    for record in in_round:
        secretariat.get_by_label(str(record), exact=True).check()
    closes_at = timezone.now().astimezone(datetime.UTC) + datetime.timedelta(days=7)
    secretariat.locator("input[name=closes_at]").fill(closes_at.strftime("%Y-%m-%dT%H:%M"))
    secretariat.get_by_role("button", name="Save").click()
    expect_message(secretariat, "The round has been prepared. Open it when the members may vote.")
    prioritisation_round = PrioritisationRound.objects.get(title=ROUND_TITLE)
    assert set(prioritisation_round.challenges.all()) == set(in_round)
    secretariat.get_by_role("link", name="Open the round").click()
    secretariat.get_by_role("button", name="Open the round").click()
    expect_message(secretariat, "The round is open: member organisations may vote until it closes.")
    prioritisation_round.refresh_from_db()
    assert prioritisation_round.status == RoundStatus.OPEN

    # Three people of three organisations vote; the new challenge scores highest on each ballot.
    vote(member, prioritisation_round, in_round)
    vote(open_browser(people["lead_donor"]), prioritisation_round, in_round)
    vote(open_browser(people["data_manager"]), prioritisation_round, in_round)
    assert sorted(prioritisation_round.ballots.values_list("organisation__name", flat=True)) == [
        "Clear Fields Association",
        "Kingdom of Examplia",
        "Testland Mine Action Centre",
    ]
    assert not Ballot.objects.filter(abstained=True).exists()

    # The secretariat closes the round: the results rank the new challenge first.
    round_url = reverse("challenges:round_detail", args=[prioritisation_round.public_id])
    secretariat.goto(round_url)
    secretariat.get_by_role("link", name="Close the round").click()
    secretariat.get_by_role("button", name="Close the round").click()
    expect_message(secretariat, "The round is closed and its results are published.")
    results = secretariat.locator("#results-heading + .table-wrap tbody tr")
    expect(results).to_have_count(3)
    expect(results.nth(0).locator("td").nth(0)).to_have_text("1")
    expect(results.nth(0).get_by_role("link", name="CH-003")).to_be_visible()
    expect(results.nth(0)).to_contain_text("5.000")
    ranked = list(
        prioritisation_round.results.order_by("rank").values_list("challenge__number", "rank")
    )
    assert ranked == [(3, 1), (1, 2), (2, 3)]
    challenge.refresh_from_db()
    assert (challenge.status, challenge.priority_rank) == (ChallengeStatus.PRIORITISED, 1)

    # The secretariat plans the series' next meeting: its proposed agenda reviews the
    # priorities, the new challenge first, with a link to it.
    secretariat.goto(reverse("meetings:meetings_list"))
    secretariat.get_by_role("link", name="Plan the next meeting").click()
    secretariat.get_by_role("link", name=SERIES_NAME).click()
    expect(secretariat.locator("input[name=number]")).to_have_value("2")
    secretariat.get_by_role("button", name="Save").click()
    expect_message(secretariat, "The meeting has been created with a proposed agenda.")
    review = secretariat.locator("#agenda li").filter(
        has=secretariat.get_by_role("heading", level=3, name=PRIORITY_REVIEW)
    )
    links = review.locator("ul li a")
    expect(links).to_have_count(3)
    expect(links.nth(0)).to_have_text(f"CH-003 {TITLE}")
    expect(links.nth(0)).to_have_attribute(
        "href", reverse("challenges:challenge_detail", args=[challenge.public_id])
    )
    item = AgendaItem.objects.get(meeting__series=series, meeting__number=2, title=PRIORITY_REVIEW)
    assert list(item.links.order_by("id").values_list("target", "target_public_id")) == [
        (AgendaLink.Target.CHALLENGE, record.public_id) for record in in_round
    ]

    # Following the link opens the challenge, which shows the round and the meeting.
    links.nth(0).click()
    expect(secretariat.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(secretariat.locator("main")).to_contain_text(ROUND_TITLE)
