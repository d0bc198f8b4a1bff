import pytest
from django.urls import reverse

from mineaction.core.choices import Component, Visibility
from mineaction.meetings.models import Invitation, Meeting
from mineaction.meetings.tests.invitations_support import (
    arabic_invitee,
    french_invitee,
    invite,
    make_invitee,
    make_meeting,
)
from mineaction.stakeholders.models import WorkingGroup
from mineaction.stakeholders.tests.helpers import (
    DETAIL_ACCESS,
    EDIT_ACCESS,
    assert_outcome,
    queries_for,
)


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def meeting(people):
    return make_meeting()


@pytest.fixture
def claire(ngo_org):
    return french_invitee(ngo_org)


@pytest.fixture
def layla(ngo_org):
    return arabic_invitee(ngo_org)


def url(name, meeting):
    return reverse(f"meetings:{name}", args=[meeting.public_id])


def post_sending(client, url, django_capture_on_commit_callbacks, data=None):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(url, data if data is not None else {"confirm": "on"})


@pytest.mark.parametrize(("persona", "expected"), DETAIL_ACCESS.items())
def test_invitation_list_access_by_role(clients, meeting, persona, expected):
    assert_outcome(clients[persona].get(url("invitations_list", meeting)), expected)


@pytest.mark.parametrize(("persona", "expected"), EDIT_ACCESS.items())
def test_invite_page_access_by_role(clients, meeting, persona, expected):
    assert_outcome(clients[persona].get(url("invitations_add", meeting)), expected)


@pytest.mark.parametrize(("persona", "expected"), EDIT_ACCESS.items())
def test_send_page_access_by_role(clients, meeting, persona, expected):
    assert_outcome(clients[persona].get(url("invitations_send", meeting)), expected)


def test_a_restricted_meeting_is_hidden_from_other_organisations(clients, people, donor_org):
    meeting = make_meeting(visibility=Visibility.RESTRICTED)
    meeting.restricted_to.set([donor_org])
    assert clients["member"].get(url("invitations_list", meeting)).status_code == 404
    assert clients["lead_donor"].get(url("invitations_list", meeting)).status_code == 200


def test_list_shows_answers_and_counts(clients, meeting, claire, layla, people):
    first, second = invite(meeting, claire, layla)
    invite(meeting, people["observer"], informed_only=True)
    Invitation.objects.filter(pk=first.pk).update(response=Invitation.Response.ACCEPTED)
    response = clients["member"].get(url("invitations_list", meeting))
    counts = response.context["counts"]
    assert {row["key"]: row["count"] for row in counts["responses"]} == {
        "pending": 1,
        "accepted": 1,
        "remote": 0,
        "tentative": 0,
        "declined": 0,
    }
    assert (counts["invited"], counts["informed"], counts["not_sent"]) == (2, 1, 2)
    content = response.content.decode()
    assert "Will attend" in content and "Informed only" in content
    assert url("invitations_send", meeting) not in content  # members do not send


def test_list_query_count_stays_flat(clients, meeting, ngo_org):
    invite(meeting, french_invitee(ngo_org))
    few = queries_for(clients["secretariat"], url("invitations_list", meeting))
    for index in range(5):
        person = make_invitee(
            f"person{index}@example.org",
            ngo_org,
            language="es",
            given_name="Person",
            family_name=str(index),
        )
        invite(meeting, person)
    assert queries_for(clients["secretariat"], url("invitations_list", meeting)) == few


def test_secretariat_invites_people_organisations_and_working_groups(
    clients, meeting, claire, layla, people, donor_org
):
    group = WorkingGroup.objects.create(name="Victim assistance", component=Component.TECHNICAL)
    group.members.set([layla])
    response = clients["secretariat"].post(
        url("invitations_add", meeting),
        {"people": [claire.pk], "organisations": [donor_org.pk], "working_groups": [group.pk]},
    )
    assert response.status_code == 302
    assert response.url == url("invitations_list", meeting)
    invited = set(meeting.invitations.values_list("person__email", flat=True))
    assert invited == {
        "claire.dubois@example.org",
        "layla.haddad@example.org",
        "donor.focal@example.org",
    }
    assert not meeting.invitations.filter(informed_only=True).exists()


def test_informed_people_are_added_as_informed_only(clients, meeting, claire):
    clients["secretariat"].post(
        url("invitations_add", meeting), {"people": [claire.pk], "informed_only": "on"}
    )
    assert meeting.invitations.get().informed_only is True


def test_a_person_without_email_is_refused_with_a_clear_message(clients, meeting, ngo_org):
    person = make_invitee(None, ngo_org, language="en", given_name="No", family_name="Mail")
    response = clients["secretariat"].post(url("invitations_add", meeting), {"people": [person.pk]})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "people": ["These people have no email address, so they cannot be invited: No Mail."]
    }
    assert not meeting.invitations.exists()


def test_choosing_nobody_is_refused(clients, meeting):
    response = clients["secretariat"].post(url("invitations_add", meeting), {})
    assert response.context["form"].non_field_errors() == [
        "Choose at least one person, organisation or working group."
    ]


def test_a_member_cannot_invite(clients, meeting, claire):
    response = clients["member"].post(url("invitations_add", meeting), {"people": [claire.pk]})
    assert response.status_code == 403
    assert not meeting.invitations.exists()


def test_an_invitation_is_removed_before_it_is_sent(clients, meeting, claire):
    [invitation] = invite(meeting, claire)
    remove = reverse("meetings:invitations_remove", args=[invitation.public_id])
    assert clients["member"].post(remove).status_code == 403
    response = clients["secretariat"].post(remove)
    assert response.status_code == 302
    assert not meeting.invitations.exists()


def test_a_sent_invitation_cannot_be_removed(clients, meeting, claire):
    [invitation] = invite(meeting, claire)
    Invitation.objects.filter(pk=invitation.pk).update(sent_sequence=1)
    remove = reverse("meetings:invitations_remove", args=[invitation.public_id])
    response = clients["secretariat"].post(remove, follow=True)
    assert (
        "Claire Dubois has already been sent the invitation, so it cannot be removed."
        in response.content.decode()
    )
    assert meeting.invitations.count() == 1


def test_sending_needs_the_confirmation_button(clients, meeting, claire, smtp_server):
    invite(meeting, claire)
    response = clients["secretariat"].post(url("invitations_send", meeting), {})
    assert response.status_code == 200
    assert "Confirm with the button to send the email." in response.content.decode()
    assert smtp_server == []
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_secretariat_sends_the_invitations(
    clients, meeting, claire, layla, smtp_server, django_capture_on_commit_callbacks
):
    invite(meeting, claire, layla)
    page = clients["secretariat"].get(url("invitations_send", meeting))
    assert "2 people will receive the invitation by email" in page.content.decode()
    response = post_sending(
        clients["secretariat"], url("invitations_send", meeting), django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert len(smtp_server) == 2
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.INVITATIONS_SENT
    follow = clients["secretariat"].get(response.url)
    assert "The invitations are on their way to 2 people." in follow.content.decode()


@pytest.mark.parametrize("persona", ["member", "observer", "lead_donor", "data_manager"])
def test_readers_cannot_send_invitations(clients, meeting, claire, persona, smtp_server):
    invite(meeting, claire)
    response = clients[persona].post(url("invitations_send", meeting), {"confirm": "on"})
    assert response.status_code == 403
    assert smtp_server == []


def test_the_update_page_sends_the_new_version(
    clients, meeting, claire, smtp_server, django_capture_on_commit_callbacks
):
    invite(meeting, claire)
    post_sending(
        clients["secretariat"], url("invitations_send", meeting), django_capture_on_commit_callbacks
    )
    Meeting.objects.filter(pk=meeting.pk).update(venue="Hotel Cambodiana", ical_sequence=5)
    listing = clients["secretariat"].get(url("invitations_list", meeting)).content.decode()
    assert "Update not sent yet" in listing
    assert url("invitations_send_update", meeting) in listing
    post_sending(
        clients["secretariat"],
        url("invitations_send_update", meeting),
        django_capture_on_commit_callbacks,
    )
    assert len(smtp_server) == 2
    assert meeting.invitations.get().sent_sequence == 5
    post_sending(
        clients["secretariat"],
        url("invitations_send_update", meeting),
        django_capture_on_commit_callbacks,
    )
    assert len(smtp_server) == 2
