"""Activity pages: detail, the managers' create, edit and delete, and progress updates by the
managers or the responsible organisation. Every refusal names what is wrong and changes
nothing."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from mineaction.challenges.tests.factories import make_challenge
from mineaction.conftest import PERSONAS
from mineaction.core.choices import Visibility
from mineaction.core.models import CountryProfile
from mineaction.workplans.forms import ActivityForm
from mineaction.workplans.models import Activity, ActivityStatus, ActivityUpdate
from mineaction.workplans.tests.factories import make_milestone
from mineaction.workplans.tests.support import DAY, database_state

MANAGERS = {"secretariat", "lead_authority", "administrator"}


def url(name, record):
    return reverse(f"workplans:{name}", args=[record.public_id])


def text_of(response):
    return re.sub(r"\s+", " ", response.text)


def activity_data(plan, organisation, **changes):
    return {
        "code": "3.2",
        "title": "Train community liaison officers",
        "description": "",
        "responsible_organisation": str(organisation.public_id),
        "component": "participation",
        "starts_on": (plan.starts_on + 31 * DAY).isoformat(),
        "ends_on": (plan.starts_on + 120 * DAY).isoformat(),
        "budget": "25000.50",
        "currency": "EUR",
        **changes,
    }


# Access ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_reads_edits_and_reports_on_an_activity(clients, plan, activity, persona):
    client = clients[persona]
    statuses = {
        name: client.get(url(name, activity)).status_code
        for name in ("activity_detail", "activity_edit", "activity_delete", "activity_progress")
    }
    statuses["activity_create"] = client.get(url("activity_create", plan)).status_code
    if persona == "anonymous":
        assert set(statuses.values()) == {302}
    elif persona == "outsider":
        assert set(statuses.values()) == {404}
    elif persona in MANAGERS:
        assert set(statuses.values()) == {200}
    elif persona == "member":
        # The responsible organisation reports progress but does not change the activity.
        assert statuses == {
            "activity_detail": 200,
            "activity_edit": 403,
            "activity_delete": 403,
            "activity_progress": 200,
            "activity_create": 403,
        }
    else:
        assert statuses == {
            "activity_detail": 200,
            "activity_edit": 403,
            "activity_delete": 403,
            "activity_progress": 403,
            "activity_create": 403,
        }


def test_the_member_is_offered_progress_but_not_edit(clients, activity):
    text = clients["member"].get(url("activity_detail", activity)).text
    assert f'href="{url("activity_progress", activity)}"' in text
    assert f'href="{url("activity_edit", activity)}"' not in text
    observer_text = clients["observer"].get(url("activity_detail", activity)).text
    assert f'href="{url("activity_progress", activity)}"' not in observer_text


def test_a_refused_write_changes_nothing(clients, plan, activity, ngo_org):
    before = database_state()
    for persona in ("observer", "member", "lead_donor", "outsider"):
        client = clients[persona]
        client.post(url("activity_edit", activity), activity_data(plan, ngo_org))
        client.post(url("activity_delete", activity), {"confirm": "yes"})
        client.post(url("activity_create", plan), activity_data(plan, ngo_org))
    for persona in ("observer", "lead_donor", "data_manager", "outsider"):
        response = clients[persona].post(
            url("activity_progress", activity),
            {"on": activity.starts_on.isoformat(), "status": "delayed", "progress_percent": "50"},
        )
        assert response.status_code in {403, 404}
    assert database_state() == before


# Detail ----------------------------------------------------------------------------------------


def test_the_activity_shows_its_progress_history_and_challenges(
    clients, plan, activity, full_plan, today
):
    ActivityUpdate.objects.create(
        activity=activity, on=today - 40 * DAY, status="in_progress", progress_percent=10
    )
    ActivityUpdate.objects.create(
        activity=activity,
        on=today - 5 * DAY,
        status="in_progress",
        progress_percent=40,
        note="Two districts done.",
    )
    text = text_of(clients["member"].get(url("activity_detail", activity)))
    assert text.index("Two districts done.") < text.index(
        f'datetime="{(today - 40 * DAY).isoformat()}"'
    )
    assert "Survey backlog in the north" in text
    assert "Donor fatigue" not in text
    assert "Survey started" in text


# Create and edit -------------------------------------------------------------------------------


def test_a_manager_adds_an_activity_with_the_challenges_it_addresses(
    clients, plan, ngo_org, people
):
    challenge = make_challenge("Few women in survey teams", ngo_org)
    response = clients["secretariat"].post(
        url("activity_create", plan),
        activity_data(plan, ngo_org, challenges=[str(challenge.public_id)], currency="eur"),
    )
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("activity_detail", activity)
    assert (activity.code, activity.component, activity.budget, activity.currency) == (
        "3.2",
        "participation",
        Decimal("25000.50"),
        "EUR",
    )
    assert (activity.status, activity.progress_percent) == ("planned", 0)
    assert list(activity.challenges.all()) == [challenge]
    assert activity.created_by == people["secretariat"].user


def test_the_form_offers_the_country_currency(clients, plan):
    CountryProfile.objects.update(currency="XOF")
    text = clients["secretariat"].get(url("activity_create", plan)).text
    assert 'name="currency" value="XOF"' in text


def test_the_challenges_offered_are_those_the_user_may_see(plan, ngo_org, donor_org, people):
    visible = make_challenge("Open to members", ngo_org)
    hidden = make_challenge("Restricted", donor_org, visibility=Visibility.RESTRICTED)
    form = ActivityForm(instance=Activity(work_plan=plan), user=people["member"].user)
    assert list(form.fields["challenges"].queryset) == [visible]
    form = ActivityForm(instance=Activity(work_plan=plan), user=people["secretariat"].user)
    assert set(form.fields["challenges"].queryset) == {visible, hidden}


def test_links_to_challenges_the_editor_cannot_see_are_kept(
    plan, activity, ngo_org, donor_org, people
):
    visible = make_challenge("Open to members", ngo_org)
    hidden = make_challenge("Restricted", donor_org, visibility=Visibility.RESTRICTED)
    activity.challenges.set([visible, hidden])
    data = activity_data(plan, ngo_org, challenges=[])
    form = ActivityForm(data=data, instance=activity, user=people["member"].user)
    assert form.is_valid(), form.errors
    form.save()
    assert list(activity.challenges.all()) == [hidden]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"ends_on": "PLAN_START"},
            "ends_on",
            "An activity cannot end before it starts.",
        ),
        ({"budget": "-1"}, "budget", "A budget cannot be negative."),
        ({"currency": ""}, "currency", "Enter the currency of the budget, such as USD."),
        (
            {"currency": "EURO"},
            "currency",
            "Ensure this value has at most 3 characters (it has 4).",
        ),
        ({"currency": "E1R"}, "currency", "Enter a three-letter ISO 4217 currency code."),
        ({"budget": "12.345"}, "budget", "Give the budget in whole cents: at most two decimals."),
        ({"budget": "lots"}, "budget", "Enter the budget as a number, such as 125000.50."),
        (
            {"starts_on": "31/01/2025"},
            "starts_on",
            "Enter the date as YYYY-MM-DD, such as 2025-12-31.",
        ),
        ({"title": ""}, "title", "This field is required."),
        (
            {"challenges": ["not-a-challenge"]},
            "challenges",
            "“not-a-challenge” is not a valid value.",
        ),
    ],
)
def test_bad_activities_are_refused_with_a_clear_message(
    clients, plan, activity, ngo_org, changes, field, message
):
    changes = {
        name: plan.starts_on.isoformat() if value == "PLAN_START" else value
        for name, value in changes.items()
    }
    data = activity_data(plan, ngo_org, **changes)
    if field == "ends_on":
        data["starts_on"] = (plan.starts_on + DAY).isoformat()
    before = database_state()
    for target in (url("activity_create", plan), url("activity_edit", activity)):
        response = clients["secretariat"].post(target, data)
        assert response.status_code == 200
        errors = re.search(
            rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.text
        )
        assert errors is not None, field
        assert re.findall(r"<li>(.*?)</li>", errors.group(1)) == [message]
    assert database_state() == before


def test_an_activity_outside_the_plan_is_refused_naming_the_plan_dates(
    clients, plan, activity, ngo_org
):
    before = database_state()
    data = activity_data(plan, ngo_org, ends_on=(plan.ends_on + DAY).isoformat())
    response = clients["lead_authority"].post(url("activity_edit", activity), data)
    assert response.status_code == 200
    start, end = (date_format(day, "DATE_FORMAT") for day in (plan.starts_on, plan.ends_on))
    period = f"{start} to {end}"
    assert (
        f"The activity must take place within the period of the plan “National strategy”: {period}."
    ) in text_of(response).replace("&ldquo;", "“").replace("&rdquo;", "”")
    assert database_state() == before


def test_a_manager_edits_an_activity(clients, plan, activity, ngo_org, authority_org):
    data = activity_data(
        plan, authority_org, budget="", currency="", title="Survey the north, phase 2"
    )
    response = clients["administrator"].post(url("activity_edit", activity), data)
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.budget, activity.responsible_organisation) == (
        "Survey the north, phase 2",
        None,
        authority_org,
    )
    # Status and progress change only through progress updates.
    assert (activity.status, activity.progress_percent) == ("in_progress", 40)


# Delete ----------------------------------------------------------------------------------------


def test_deleting_asks_for_confirmation(clients, plan, activity):
    response = clients["secretariat"].post(url("activity_delete", activity))
    assert response.status_code == 200
    assert 'name="confirm" value="yes"' in response.text
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_a_confirmed_delete_removes_the_activity_and_its_updates(clients, plan, activity, today):
    ActivityUpdate.objects.create(
        activity=activity, on=today, status="in_progress", progress_percent=5
    )
    response = clients["secretariat"].post(url("activity_delete", activity), {"confirm": "yes"})
    assert response.status_code == 302
    assert response["Location"] == url("plan_detail", plan)
    assert not Activity.objects.exists()
    assert not ActivityUpdate.objects.exists()


def test_an_activity_with_milestones_is_not_deleted(clients, plan, activity):
    make_milestone(plan, activity=activity)
    before = database_state()
    page = text_of(clients["secretariat"].get(url("activity_delete", activity)))
    response = clients["secretariat"].post(url("activity_delete", activity), {"confirm": "yes"})
    message = (
        "This activity has 1 milestone. Delete it, or attach it to the plan as a whole, before "
        "deleting the activity."
    )
    assert message in page
    assert 'name="confirm"' not in page
    assert response.status_code == 400
    assert message in text_of(response)
    assert database_state() == before


# Progress --------------------------------------------------------------------------------------


def progress(client, activity, **data):
    return client.post(url("activity_progress", activity), data)


def test_the_responsible_organisation_reports_progress(clients, activity, today, people):
    response = progress(
        clients["member"],
        activity,
        on=today.isoformat(),
        status="delayed",
        progress_percent="55",
        note="Rains stopped the teams.",
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    update = activity.updates.get()
    assert (update.on, update.status, update.progress_percent, update.note) == (
        today,
        "delayed",
        55,
        "Rains stopped the teams.",
    )
    assert (activity.status, activity.progress_percent) == ("delayed", 55)
    assert update.created_by == people["member"].user


def test_completed_without_a_figure_is_100_percent(clients, activity, today):
    response = progress(clients["secretariat"], activity, on=today.isoformat(), status="completed")
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.status, activity.progress_percent) == ("completed", 100)
    assert activity.updates.get().progress_percent == 100


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"status": "completed", "progress_percent": "60"},
            "progress_percent",
            "A completed activity is 100 percent done. Enter 100, or choose another status.",
        ),
        (
            {"status": "in_progress", "progress_percent": "100"},
            "progress_percent",
            "Progress of 100 percent means the activity is completed: choose “Completed”.",
        ),
        (
            {"status": "in_progress", "progress_percent": "101"},
            "progress_percent",
            "The progress is a percentage from 0 to 100.",
        ),
        (
            {"status": "in_progress", "progress_percent": "-1"},
            "progress_percent",
            "The progress is a percentage from 0 to 100.",
        ),
        (
            {"status": "in_progress", "progress_percent": ""},
            "progress_percent",
            "Enter the progress, a percentage from 0 to 100.",
        ),
        (
            {"status": "in_progress", "progress_percent": "half"},
            "progress_percent",
            "Enter the progress as a whole number from 0 to 100.",
        ),
        ({"status": "", "progress_percent": "50"}, "status", "This field is required."),
        (
            {"status": "finished", "progress_percent": "50"},
            "status",
            "Select a valid choice. finished is not one of the available choices.",
        ),
        (
            {"status": "in_progress", "progress_percent": "50", "on": "TOMORROW"},
            "on",
            "The date of an update cannot be in the future.",
        ),
    ],
)
def test_bad_progress_is_refused_with_a_clear_message(
    clients, activity, today, data, field, message
):
    data = {"on": today.isoformat(), **data}
    if data["on"] == "TOMORROW":
        data["on"] = (today + DAY).isoformat()
    before = database_state()
    response = progress(clients["member"], activity, **data)
    assert response.status_code == 200
    errors = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', response.text)
    assert errors is not None, response.text
    assert [
        m.replace("&ldquo;", "“").replace("&rdquo;", "”")
        for m in re.findall(r"<li>(.*?)</li>", errors.group(1))
    ] == [message]
    assert database_state() == before


def test_an_update_cannot_predate_the_last_one(clients, activity, today):
    ActivityUpdate.objects.create(
        activity=activity, on=today - 3 * DAY, status="in_progress", progress_percent=40
    )
    before = database_state()
    response = progress(
        clients["member"],
        activity,
        on=(today - 4 * DAY).isoformat(),
        status="in_progress",
        progress_percent="45",
    )
    assert response.status_code == 200
    last = date_format(today - 3 * DAY, "DATE_FORMAT")
    expected = f"The date cannot be before the last progress update ({last})."
    assert expected in response.text
    assert database_state() == before
    assert activity.status == ActivityStatus.IN_PROGRESS
