"""Work plan pages: the list with its totals, a plan with its activities, milestones, budget
and challenges, and the managers' create and edit."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mineaction.conftest import PERSONAS
from mineaction.core.choices import Component
from mineaction.workplans.models import WorkPlan, WorkPlanKind, WorkPlanStatus
from mineaction.workplans.tests.factories import make_activity, make_milestone, make_plan
from mineaction.workplans.tests.support import DAY, database_state

D = datetime.date
LIST = reverse("workplans:plan_list")
CREATE = reverse("workplans:plan_create")
MANAGERS = {"secretariat", "lead_authority", "administrator"}


def detail(plan):
    return reverse("workplans:plan_detail", args=[plan.public_id])


def edit(plan):
    return reverse("workplans:plan_edit", args=[plan.public_id])


def text_of(response):
    return re.sub(r"\s+", " ", response.text)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_list_is_for_members_and_the_plan_for_readers(clients, plan, persona):
    list_status = clients[persona].get(LIST).status_code
    detail_status = clients[persona].get(detail(plan)).status_code
    expected = {"anonymous": (302, 302), "outsider": (403, 404)}.get(persona, (200, 200))
    assert (list_status, detail_status) == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_managers_create_and_edit_plans(clients, plan, persona):
    statuses = (
        clients[persona].get(CREATE).status_code,
        clients[persona].get(edit(plan)).status_code,
    )
    if persona == "anonymous":
        assert statuses == (302, 302)
    elif persona == "outsider":
        assert statuses == (403, 404)
    else:
        assert statuses == ((200, 200) if persona in MANAGERS else (403, 403))


def test_the_list_shows_activities_and_budget_per_currency(clients, full_plan, plan, ngo_org):
    other = make_plan(
        "Platform annual plan",
        kind=WorkPlanKind.PLATFORM_ANNUAL,
        starts_on=D(2020, 1, 1),
        ends_on=D(2020, 12, 31),
    )
    make_activity(other, ngo_org, budget="100.00", currency="EUR")
    text = text_of(clients["observer"].get(LIST))
    assert "2 work plans" in text
    # The plan: 2 activities, 120 000.00 USD and 5 000.00 EUR.
    assert re.search(r"National strategy</a></td> <td>Article 5 work plan</td>", text)
    assert (
        '<td class="number">2</td> <td class="number">5,000.00 EUR<br>120,000.00 USD</td>' in text
    )
    # All the plans listed: 3 activities, 5 100.00 EUR and 120 000.00 USD.
    assert (
        '<td class="number">3</td> <td class="number">5,100.00 EUR<br>120,000.00 USD</td>' in text
    )


def test_the_list_filters_by_kind_status_and_year(clients, plan):
    make_plan(
        "Platform annual plan 2020",
        kind=WorkPlanKind.PLATFORM_ANNUAL,
        status=WorkPlanStatus.ADOPTED,
        starts_on=D(2020, 1, 1),
        ends_on=D(2020, 12, 31),
    )
    client = clients["member"]

    def titles(query):
        return re.findall(
            r'<a href="/workplans/[0-9a-f-]+/">([^<]+)</a>', client.get(LIST + query).text
        )

    assert titles("") == ["National strategy", "Platform annual plan 2020"]
    assert titles("?kind=platform_annual") == ["Platform annual plan 2020"]
    assert titles("?status=draft") == ["National strategy"]
    assert titles("?year=2020") == ["Platform annual plan 2020"]
    assert titles(f"?year={plan.starts_on.year}") == ["National strategy"]
    response = client.get(LIST + "?year=soon")
    assert "Some filters are not valid and were ignored: Enter a year, such as 2025." in (
        text_of(response)
    )
    assert len(re.findall(r'<a href="/workplans/[0-9a-f-]+/">', response.text)) == 2


def test_the_list_answers_htmx_with_its_results_only(clients, plan):
    response = clients["member"].get(LIST, headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<section id="results"')


def test_the_plan_groups_activities_by_component_and_flags_late_ones(
    clients, plan, full_plan, activity
):
    text = text_of(clients["observer"].get(detail(plan)))
    political = text.index('<h3 id="component-political">Political</h3>')
    technical = text.index('<h3 id="component-technical">Technical</h3>')
    assert political < technical
    assert (
        text.index("1.1 Adopt the national standards")
        < technical
        < text.index("2.1 Survey the northern districts")
    )
    assert 'Planned <span class="badge badge-danger">Late</span>' in text
    assert "In progress</td>" in text
    assert (
        '<progress max="100" value="40" aria-label="Progress of 2.1 Survey the northern '
        'districts">40</progress> <span>40&nbsp;%</span>'
    ) in text
    assert "1 late" in text
    assert "120,000.00 USD" in text and "5,000.00 EUR" in text


def test_the_plan_shows_milestones_in_their_state(clients, plan, full_plan):
    text = text_of(clients["member"].get(detail(plan)))
    rows = re.findall(
        r"<tr> <td>([^<]+)</td> <td>.*?<span class=\"badge[^\"]*\">([^<]+)</span>", text
    )
    assert rows == [
        ("Survey started", "Achieved"),
        ("Standards adopted", "Overdue"),
        ("Mid-term review", "Due"),
    ]
    assert "The plan as a whole" in text


def test_the_plan_lists_only_the_challenges_the_reader_may_see(clients, plan, full_plan):
    member_text = clients["member"].get(detail(plan)).text
    secretariat_text = clients["secretariat"].get(detail(plan)).text
    assert "Survey backlog in the north" in member_text
    assert "Donor fatigue" not in member_text
    assert "Donor fatigue" in secretariat_text
    url = reverse("challenges:challenge_detail", args=[full_plan["challenge"].public_id])
    assert f'href="{url}"' in member_text


def test_the_plan_shows_its_budget_per_year(clients, ngo_org):
    plan = make_plan(starts_on=D(2024, 1, 1), ends_on=D(2026, 12, 31))
    make_activity(plan, ngo_org, starts_on=D(2024, 7, 1), ends_on=D(2025, 6, 30), budget="36500.00")
    make_activity(
        plan,
        ngo_org,
        component=Component.POLITICAL,
        starts_on=D(2025, 1, 1),
        ends_on=D(2025, 12, 31),
        budget="1000.00",
    )
    text = text_of(clients["member"].get(detail(plan)))
    assert (
        '<th scope="col" class="number">Political</th><th scope="col" class="number">Technical</th>'
    ) in text
    assert (
        '<th scope="row">2024</th> <td>USD</td> <td class="number">—</td>'
        '<td class="number">18,400.00</td> <td class="number">18,400.00</td>'
    ) in text
    assert (
        '<th scope="row">2025</th> <td>USD</td> <td class="number">1,000.00</td>'
        '<td class="number">18,100.00</td> <td class="number">19,100.00</td>'
    ) in text


def test_managers_see_the_links_to_change_the_plan_and_readers_do_not(clients, plan):
    add = reverse("workplans:activity_create", args=[plan.public_id])
    assert f'href="{add}"' in clients["secretariat"].get(detail(plan)).text
    assert f'href="{add}"' not in clients["member"].get(detail(plan)).text


def test_a_manager_creates_a_plan(clients, people, authority_org):
    response = clients["secretariat"].post(
        CREATE,
        {
            "title": "Article 5 work plan 2026–2028",
            "kind": "article5",
            "starts_on": "2026-01-01",
            "ends_on": "2028-12-31",
            "status": "adopted",
            "owner": str(authority_org.public_id),
            "description": "The plan of the extension request.",
        },
    )
    plan = WorkPlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(plan)
    assert (plan.kind, plan.status, plan.owner, plan.starts_on, plan.ends_on) == (
        "article5",
        "adopted",
        authority_org,
        D(2026, 1, 1),
        D(2028, 12, 31),
    )
    assert plan.created_by == people["secretariat"].user


def test_a_plan_that_ends_before_it_starts_is_refused(clients):
    response = clients["secretariat"].post(
        CREATE,
        {
            "title": "Backwards",
            "kind": "article5",
            "starts_on": "2026-01-01",
            "ends_on": "2025-12-31",
            "status": "draft",
        },
    )
    assert response.status_code == 200
    assert "A work plan cannot end before it starts." in response.text
    assert not WorkPlan.objects.exists()


def test_a_plan_cannot_shrink_away_from_its_activities_and_milestones(
    clients, plan, full_plan, activity, today
):
    before = database_state()
    response = clients["lead_authority"].post(
        edit(plan),
        {
            "title": plan.title,
            "kind": plan.kind,
            "status": plan.status,
            "starts_on": (today + DAY).isoformat(),
            "ends_on": plan.ends_on.isoformat(),
        },
    )
    assert response.status_code == 200
    text = text_of(response)
    assert (
        "2 activities fall outside these dates (1.1 Adopt the national standards, 2.1 Survey "
        "the northern districts). Change their dates first, or choose a period that holds them."
    ) in text
    assert "2 milestones fall due outside these dates. Change their due dates first." in text
    assert database_state() == before


def test_a_manager_edits_a_plan(clients, plan):
    response = clients["administrator"].post(
        edit(plan),
        {
            "title": "National strategy (revised)",
            "kind": plan.kind,
            "status": "adopted",
            "starts_on": plan.starts_on.isoformat(),
            "ends_on": plan.ends_on.isoformat(),
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.title, plan.status) == ("National strategy (revised)", "adopted")


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_list_takes_as_many_queries_for_many_plans_as_for_one(clients, plan, ngo_org):
    client = clients["member"]
    make_activity(plan, ngo_org, budget="10.00")
    one = _queries(client, LIST)
    for number in range(6):
        other = make_plan(f"Plan {number}", owner=ngo_org)
        make_activity(other, ngo_org, budget="10.00", currency="EUR")
        make_activity(other, ngo_org, budget="10.00")
    assert _queries(client, LIST) == one


def test_the_plan_takes_as_many_queries_for_many_activities_as_for_one(
    clients, plan, activity, ngo_org, authority_org
):
    client = clients["member"]
    one = _queries(client, detail(plan))
    for number in range(6):
        more = make_activity(plan, authority_org, title=f"Activity {number}", budget="10.00")
        make_milestone(plan, f"Milestone {number}", activity=more)
    assert _queries(client, detail(plan)) == one
