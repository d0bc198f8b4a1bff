import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mineaction.conftest import PERSONAS, make_organisation, make_person
from mineaction.core import audit
from mineaction.core.choices import Component, Role
from mineaction.core.models import DeadlineChange
from mineaction.stakeholders.models import Membership, Person, WorkingGroup


@pytest.fixture
def deadline(country):
    today = timezone.localdate()
    country.original_article5_deadline = today - datetime.timedelta(days=1000)
    country.save()
    DeadlineChange.objects.create(
        profile=country,
        new_deadline=today + datetime.timedelta(days=365),
        decided_on=today - datetime.timedelta(days=30),
        decision="Decision of the Meeting of the States Parties",
    )
    return country


def test_anonymous_visitor_sees_a_public_welcome_and_a_log_in_link(client, country):
    response = client.get("/")
    assert response.status_code == 200
    assert "National Mine Action Platform of Testland" in response.text
    assert 'href="/accounts/login/"' in response.text
    assert "Article 5 deadline" not in response.text


def test_person_without_membership_is_told_they_have_none(clients):
    response = clients["outsider"].get("/")
    assert response.status_code == 200
    assert "no.membership@example.org" in response.text
    assert "has no current membership of the platform" in response.text
    assert "Your membership" not in response.text


def test_lead_authority_sees_the_countdown_the_audit_trail_and_member_counts(clients, deadline):
    response = clients["lead_authority"].get("/")
    text = response.text
    assert "365 days left" in text
    assert "1 extension granted." in text
    assert 'href="/audit/"' in text
    counts = response.context["member_counts"]
    assert counts["people"] == 6
    assert dict(counts["per_role"])["Member"] == 2
    assert "Privileged users without two-factor" not in text


def test_secretariat_sees_members_log_ins_and_recent_changes(clients, people, ngo_org):
    with audit.acting_as(people["secretariat"].user):
        Person.objects.create(given_name="No", family_name="Login", organisation=ngo_org)
    make_person("invited.person@example.org", ngo_org, role=Role.MEMBER)
    response = clients["secretariat"].get("/")
    text = response.text
    assert response.context["without_login_count"] == 1
    assert response.context["not_logged_in_count"] == 1
    assert "Invited Person (Clear Fields Association)" in text
    assert "Created: No Login · secretariat.officer@example.org" in text
    assert "Article 5 deadline" not in text
    assert 'href="/audit/"' not in text


def test_data_manager_sees_the_country_profile_and_deadline(clients, deadline):
    text = clients["data_manager"].get("/").text
    assert "<dd>Testland (TST)</dd>" in text
    assert "365 days left" in text
    assert 'href="/country/"' in text
    assert "People per role" not in text


def test_data_manager_is_told_when_there_is_no_country_profile(clients, country):
    country.delete()
    assert "The country profile has not been set up yet." in clients["data_manager"].get("/").text


@pytest.mark.parametrize("persona", ["member", "observer", "lead_donor"])
def test_members_see_their_organisation_roles_groups_and_the_lead_donor(clients, people, persona):
    group = WorkingGroup.objects.create(
        name="Technical working group", component=Component.TECHNICAL
    )
    group.members.add(people[persona])
    group.conveners.add(people[persona])
    response = clients[persona].get("/")
    text = response.text
    assert "Your membership" in text
    assert str(people[persona].organisation) in text
    assert "since Jan. 1, 2020, open-ended" in text
    assert re.search(r">Technical working group</a> \(Technical\)", text)
    assert '<span class="badge">convener</span>' in text
    assert "Kingdom of Examplia, until Dec. 31, 2099" in text
    assert ("Your organisation holds the lead donor term" in text) == (persona == "lead_donor")
    assert "People per role" not in text


def test_administrator_sees_users_and_privileged_people_without_two_factor(
    clients, people, ngo_org
):
    make_person("unsafe.secretariat@example.org", ngo_org, role=Role.SECRETARIAT, two_factor=False)
    make_person("safe.member@example.org", ngo_org, role=Role.MEMBER)
    response = clients["administrator"].get("/")
    assert [user.email for user in response.context["without_two_factor"]] == [
        "unsafe.secretariat@example.org"
    ]
    assert response.context["user_counts"] == {"total": 10, "active": 10}
    assert 'href="/admin/"' in response.text


def test_dashboard_links_only_to_pages_that_exist(clients, deadline):
    for persona in PERSONAS:
        response = clients[persona].get("/")
        for path in set(re.findall(r'href="(/[^"#?]*)', response.text)):
            if path.startswith(("/static/", "/accounts/logout")):
                continue
            assert clients[persona].get(path).status_code != 404, (persona, path)


def add_more_of_everything(count, ngo_org):
    donor = make_organisation(f"Donor {count}")
    for number in range(count):
        person = make_person(f"extra{count}.{number}@example.org", donor, role=Role.MEMBER)
        Membership.objects.create(
            person=person, role=Role.OBSERVER, starts_on=datetime.date(2021, 1, 1)
        )
        Person.objects.create(given_name="Extra", family_name=str(number), organisation=ngo_org)
        group = WorkingGroup.objects.create(
            name=f"Group {count}.{number}", component=Component.POLITICAL
        )
        group.members.add(person)
        make_person(f"admin{count}.{number}@example.org", ngo_org, superuser=True, two_factor=False)


@pytest.mark.parametrize("persona", PERSONAS)
def test_dashboard_query_count_stays_flat_as_data_grows(
    clients, people, ngo_org, deadline, persona, django_assert_num_queries
):
    client = clients[persona]
    add_more_of_everything(1, ngo_org)
    group = WorkingGroup.objects.create(name="Mine", component=Component.TECHNICAL)
    if persona not in {"anonymous"}:
        group.members.add(people[persona])
    client.get("/")
    with CaptureQueriesContext(connection) as baseline:
        client.get("/")
    add_more_of_everything(5, ngo_org)
    group2 = WorkingGroup.objects.create(name="Mine too", component=Component.POLITICAL)
    if persona not in {"anonymous"}:
        group2.conveners.add(people[persona])
    with django_assert_num_queries(len(baseline)):
        assert client.get("/").status_code == 200
