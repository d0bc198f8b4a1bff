"""The challenge pages: raising, the challenge's page with its history, editing, moving the
status, evidence documents and the secretariat's links to the meeting cycle. Access per
persona; every refused write leaves the data as it was."""

import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from mineaction.challenges.models import Challenge, ChallengeDocument, ChallengeStatus
from mineaction.challenges.services.register import challenge_change_status, challenge_link
from mineaction.challenges.tests.factories import make_challenge
from mineaction.challenges.tests.register_support import (
    LOGIN,
    assert_outcome,
    make_action_point,
    make_agenda_item,
    make_meeting,
    make_story,
    queries_for,
    register_state,
)
from mineaction.conftest import PERSONAS, TEST_TOTP_SECRET
from mineaction.core.choices import Visibility
from mineaction.core.models import User
from mineaction.meetings.models import AgendaLink, Decision, Minutes

S = ChallengeStatus
CREATE_URL = reverse("challenges:challenge_create")
MANAGERS = ["secretariat", "lead_authority", "administrator"]
RAISERS = ["member", "lead_donor", "data_manager", *MANAGERS]
CREATE_ACCESS = {"anonymous": LOGIN, "outsider": 403, "observer": 403} | dict.fromkeys(RAISERS, 200)
DETAIL_ACCESS = {"anonymous": LOGIN, "outsider": 404} | dict.fromkeys(["observer", *RAISERS], 200)
# The challenge of these tests is raised by the member's organisation and still identified.
EDIT_ACCESS = (
    {"anonymous": LOGIN, "outsider": 404}
    | dict.fromkeys(["observer", "lead_donor", "data_manager"], 403)
    | dict.fromkeys(["member", *MANAGERS], 200)
)
MANAGER_ACCESS = EDIT_ACCESS | {"member": 403}


def url(name, record):
    return reverse(f"challenges:{name}", args=[record.public_id])


def text_of(response):
    return " ".join(response.content.decode().split())


RAISED_ON = datetime.date(2024, 1, 15)


@pytest.fixture
def challenge(people, ngo_org):
    """Raised on 2024-01-15 by the member's organisation, before the meetings of the tests."""
    challenge = make_challenge("Survey teams short", ngo_org, raised_on=RAISED_ON)
    challenge.status_changes.update(on=RAISED_ON)
    return challenge


def raise_data(**values):
    return {
        "title": "Too few survey teams",
        "kind": "gap",
        "component": "technical",
        "description": "Two teams cover four provinces.",
        "evidence": "Tasking backlog of 140 areas.",
        "visibility": "members",
        **values,
    }


# Raising -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_those_who_speak_for_an_organisation_raise_challenges(clients, persona):
    assert_outcome(clients[persona].get(CREATE_URL), CREATE_ACCESS[persona])


def test_a_member_raises_a_challenge_for_their_organisation(clients, people, ngo_org):
    response = clients["member"].post(CREATE_URL, raise_data())
    challenge = Challenge.objects.get()
    assert response.status_code == 302
    assert response.url == url("challenge_detail", challenge)
    assert (challenge.raised_by, challenge.raised_by_organisation, challenge.status) == (
        people["member"],
        ngo_org,
        S.IDENTIFIED,
    )
    assert (challenge.kind, challenge.evidence) == ("gap", "Tasking backlog of 140 areas.")
    assert list(challenge.status_changes.values_list("from_status", "to_status")) == [
        ("", S.IDENTIFIED)
    ]
    page = clients["member"].get(response.url)
    assert "Challenge CH-001 has been raised." in text_of(page)


def test_a_restricted_challenge_without_organisations_is_refused(clients, people):
    before = register_state()
    response = clients["member"].post(CREATE_URL, raise_data(visibility="restricted"))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "restricted_to": ["A restricted challenge needs at least one organisation that may see it."]
    }
    assert register_state() == before


def test_a_restricted_challenge_names_its_organisations(clients, donor_org):
    clients["member"].post(
        CREATE_URL, raise_data(visibility="restricted", restricted_to=[donor_org.pk])
    )
    challenge = Challenge.objects.get()
    assert (challenge.visibility, list(challenge.restricted_to.all())) == (
        Visibility.RESTRICTED,
        [donor_org],
    )


def test_an_empty_form_is_refused_with_a_message_per_field(clients):
    before = register_state()
    response = clients["member"].post(CREATE_URL, {})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "title": ["This field is required."],
        "kind": ["This field is required."],
        "component": ["This field is required."],
        "description": ["This field is required."],
        "visibility": ["This field is required."],
    }
    assert register_state() == before


def test_an_administrator_without_a_person_is_told_why(db, client, people):
    admin = User.objects.create_user("root@example.org", "pw", is_superuser=True, is_staff=True)
    TOTP.activate(admin, TEST_TOTP_SECRET)
    client.force_login(admin)
    before = register_state()
    response = client.post(CREATE_URL, raise_data())
    assert response.status_code == 403
    assert (
        "A challenge is raised on behalf of an organisation, and your account is not linked "
        "to a person of an organisation."
    ) in text_of(response)
    assert register_state() == before


# The challenge's page ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_challenge_page_is_for_members(clients, challenge, persona):
    assert_outcome(clients[persona].get(url("challenge_detail", challenge)), DETAIL_ACCESS[persona])


def test_a_restricted_challenge_is_not_found_by_other_organisations(clients, donor_org):
    secret = make_challenge("Confidential", donor_org, visibility=Visibility.RESTRICTED)
    assert clients["member"].get(url("challenge_detail", secret)).status_code == 404
    assert clients["lead_donor"].get(url("challenge_detail", secret)).status_code == 200
    assert clients["secretariat"].get(url("challenge_detail", secret)).status_code == 200


def test_the_page_shows_the_history_with_meetings_decisions_and_action_points(
    clients, challenge, ngo_org
):
    meeting = make_meeting()
    item = make_agenda_item(meeting, "Survey capacity")
    challenge_link(challenge=challenge, agenda_item=item)
    Minutes.objects.create(meeting=meeting, language="en", status=Minutes.Status.DISTRIBUTED)
    Decision.objects.create(meeting=meeting, agenda_item=item, number=4, text="Hire two teams.")
    action_point = make_action_point(meeting, ngo_org, "Recruit team leaders", agenda_item=item)
    challenge_change_status(
        challenge=challenge, to_status=S.UNDER_DISCUSSION, note="On the agenda.", meeting=meeting
    )
    response = clients["observer"].get(url("challenge_detail", challenge))
    content = text_of(response)
    assert "Raised by Clear Fields Association." in content
    assert "Discussed at" in content and "Survey capacity" in content
    assert "Decision of" in content and "Hire two teams." in content
    assert "Recruit team leaders" in content
    assert reverse("meetings:action_points_detail", args=[action_point.public_id]) in content
    assert "Status changed from “Identified” to “Under discussion”." in content
    assert "On the agenda." in content
    assert [entry.kind for entry in response.context["history"]] == [
        "raised",
        "meeting",
        "decision",
        "action_point",
        "status_change",
    ]


def test_the_page_offers_the_actions_each_persona_may_take(clients, challenge):
    member = text_of(clients["member"].get(url("challenge_detail", challenge)))
    assert "Edit the challenge" in member
    assert "Change the status" not in member and "Link to a meeting" not in member
    observer = text_of(clients["observer"].get(url("challenge_detail", challenge)))
    assert "Edit the challenge" not in observer and "Attach an evidence document" not in observer
    secretariat = text_of(clients["secretariat"].get(url("challenge_detail", challenge)))
    assert all(
        action in secretariat
        for action in ("Edit the challenge", "Change the status", "Link to a meeting")
    )


def test_the_page_makes_as_many_queries_with_a_long_history(clients, challenge, ngo_org):
    def add_meetings(numbers):
        for number in numbers:
            meeting = make_meeting(number=number)
            item = make_agenda_item(meeting)
            challenge_link(challenge=challenge, agenda_item=item)
            make_action_point(meeting, ngo_org, agenda_item=item)

    add_meetings(range(1, 3))
    few = queries_for(clients["member"], url("challenge_detail", challenge))
    add_meetings(range(3, 13))
    many = queries_for(clients["member"], url("challenge_detail", challenge))
    assert few == many


# Editing -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_raising_organisation_and_the_secretariat_edit(clients, challenge, persona):
    assert_outcome(clients[persona].get(url("challenge_edit", challenge)), EDIT_ACCESS[persona])


def test_the_raising_organisation_no_longer_edits_once_the_platform_took_it_up(clients, challenge):
    challenge_change_status(challenge=challenge, to_status=S.UNDER_DISCUSSION)
    assert clients["member"].get(url("challenge_edit", challenge)).status_code == 403
    assert clients["secretariat"].get(url("challenge_edit", challenge)).status_code == 200


def test_editing_saves_the_texts(clients, challenge):
    response = clients["member"].post(
        url("challenge_edit", challenge), raise_data(title="Survey capacity in the east")
    )
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert (challenge.title, challenge.status) == ("Survey capacity in the east", S.IDENTIFIED)


def test_a_bad_edit_changes_nothing(clients, challenge):
    before = register_state()
    response = clients["secretariat"].post(
        url("challenge_edit", challenge), raise_data(title="", component="roads")
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "title": ["This field is required."],
        "component": ["Select a valid choice. roads is not one of the available choices."],
    }
    assert register_state() == before


# Status ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_secretariat_moves_the_status(clients, challenge, persona):
    assert_outcome(
        clients[persona].get(url("challenge_status", challenge)), MANAGER_ACCESS[persona]
    )


def test_the_status_form_offers_only_the_allowed_moves(clients, challenge):
    challenge_change_status(challenge=challenge, to_status=S.RESOLVED, resolution="Done.")
    form = clients["secretariat"].get(url("challenge_status", challenge)).context["form"]
    assert [value for value, _label in form.fields["to_status"].choices] == ["under_discussion"]


def test_a_status_change_is_recorded_with_its_meeting(clients, challenge):
    meeting = make_meeting()
    on = timezone.localdate() - datetime.timedelta(days=3)
    response = clients["secretariat"].post(
        url("challenge_status", challenge),
        {
            "to_status": "parked",
            "on": on.isoformat(),
            "meeting": str(meeting.public_id),
            "note": "No funds this year.",
            "resolution": "Waiting for the 2027 budget.",
        },
    )
    assert response.status_code == 302
    assert response.url == url("challenge_detail", challenge) + "#history"
    challenge.refresh_from_db()
    assert (challenge.status, challenge.status_changed_on, challenge.resolution) == (
        S.PARKED,
        on,
        "Waiting for the 2027 budget.",
    )
    change = challenge.status_changes.last()
    assert (change.meeting, change.note) == (meeting, "No funds this year.")


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"to_status": "identified"},
            {"to_status": ["A challenge cannot move from “Identified” to “Identified”."]},
        ),
        (
            {"to_status": "closed"},
            {"to_status": ["Select a valid choice. closed is not one of the available choices."]},
        ),
        ({"to_status": "resolved"}, {"resolution": ["Say how the challenge was resolved."]}),
        ({"to_status": "parked"}, {"resolution": ["Say why the challenge is parked."]}),
        (
            {"to_status": "under_discussion", "on": "2999-01-01"},
            {"on": ["The date of the change cannot be in the future."]},
        ),
        ({"to_status": "under_discussion", "on": "yesterday"}, {"on": ["Enter a valid date."]}),
    ],
)
def test_a_refused_status_change_says_why_and_changes_nothing(clients, challenge, data, errors):
    before = register_state()
    data.setdefault("on", timezone.localdate().isoformat())
    response = clients["secretariat"].post(url("challenge_status", challenge), data)
    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert register_state() == before


def test_a_status_change_before_the_last_one_is_refused(clients, challenge):
    last = RAISED_ON
    before = register_state()
    response = clients["secretariat"].post(
        url("challenge_status", challenge),
        {"to_status": "under_discussion", "on": (last - datetime.timedelta(days=1)).isoformat()},
    )
    assert response.context["form"].errors == {
        "on": [f"The date cannot be before the last change of status ({last.isoformat()})."]
    }
    assert register_state() == before


# Documents ---------------------------------------------------------------------------------------


def pdf(name="survey.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.7\n% survey\n", content_type="application/pdf")


@pytest.fixture
def document(challenge, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = ChallengeDocument(challenge=challenge, title="Survey report")
    document.file.save("survey.pdf", ContentFile(b"%PDF-1.7\n"), save=True)
    return document


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_raising_organisation_and_the_secretariat_attach_documents(clients, challenge, persona):
    assert_outcome(
        clients[persona].get(url("challenge_document_add", challenge)), EDIT_ACCESS[persona]
    )


def test_a_document_is_attached_downloaded_and_removed(
    clients, challenge, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    response = clients["member"].post(
        url("challenge_document_add", challenge), {"title": "Survey report", "file": pdf()}
    )
    assert response.status_code == 302
    document = ChallengeDocument.objects.get()
    assert (document.challenge, document.title) == (challenge, "Survey report")
    download = clients["observer"].get(url("challenge_document_download", document))
    assert b"".join(download.streaming_content) == b"%PDF-1.7\n% survey\n"
    path = tmp_path / document.file.name
    assert path.exists()
    confirm = clients["member"].get(url("challenge_document_delete", document))
    assert "will be removed with its file" in text_of(confirm)
    with django_capture_on_commit_callbacks(execute=True):
        clients["member"].post(url("challenge_document_delete", document), {"confirm": "yes"})
    assert ChallengeDocument.objects.count() == 0
    assert not path.exists()


def test_a_document_of_the_wrong_type_is_refused(clients, challenge, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = clients["member"].post(
        url("challenge_document_add", challenge),
        {"title": "Report", "file": SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf")},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "file": ["The file's content is not a PDF file, as its name says."]
    }
    assert ChallengeDocument.objects.count() == 0
    assert list(tmp_path.iterdir()) == []


def test_removing_a_document_needs_confirmation(clients, document):
    response = clients["member"].post(url("challenge_document_delete", document))
    assert response.status_code == 200
    assert ChallengeDocument.objects.count() == 1


@pytest.mark.parametrize("persona", PERSONAS)
def test_documents_follow_the_challenge(clients, document, persona):
    assert_outcome(
        clients[persona].get(url("challenge_document_download", document)),
        DETAIL_ACCESS[persona],
    )
    assert_outcome(
        clients[persona].post(url("challenge_document_delete", document), {"confirm": "yes"}),
        EDIT_ACCESS[persona] if EDIT_ACCESS[persona] != 200 else 302,
    )


def test_a_document_of_a_restricted_challenge_is_not_found_by_others(
    clients, donor_org, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    secret = make_challenge("Confidential", donor_org, visibility=Visibility.RESTRICTED)
    document = ChallengeDocument(challenge=secret, title="Budget")
    document.file.save("budget.pdf", ContentFile(b"%PDF-1.7\n"), save=True)
    assert clients["member"].get(url("challenge_document_download", document)).status_code == 404
    assert (
        clients["lead_donor"].get(url("challenge_document_download", document)).status_code == 200
    )


# Links -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_secretariat_links_challenges_to_meetings(clients, challenge, persona):
    assert_outcome(clients[persona].get(url("challenge_link", challenge)), MANAGER_ACCESS[persona])
    assert_outcome(
        clients[persona].get(url("challenge_unlink", challenge)), MANAGER_ACCESS[persona]
    )


def test_linking_to_an_agenda_item_and_refusing_a_second_link(clients, challenge):
    item = make_agenda_item(make_meeting(), "Survey capacity")
    data = {"agenda_item": str(item.public_id)}
    response = clients["secretariat"].post(url("challenge_link", challenge), data)
    assert response.status_code == 302
    assert list(AgendaLink.objects.values_list("agenda_item", "target", "target_public_id")) == [
        (item.pk, "challenge", challenge.public_id)
    ]
    again = clients["secretariat"].post(url("challenge_link", challenge), data)
    assert again.status_code == 200
    assert again.context["form"].errors == {
        "agenda_item": [
            "The challenge is already linked to this agenda item of Quarterly plenary #1."
        ]
    }
    assert AgendaLink.objects.count() == 1


def test_a_link_needs_exactly_one_target(clients, challenge, ngo_org):
    meeting = make_meeting()
    both = {
        "agenda_item": str(make_agenda_item(meeting).public_id),
        "action_point": str(make_action_point(meeting, ngo_org).public_id),
    }
    for data in ({}, both):
        response = clients["secretariat"].post(url("challenge_link", challenge), data)
        assert response.context["form"].errors == {
            "__all__": ["Choose either an agenda item or an action point to link."]
        }
    assert AgendaLink.objects.count() == 0


def test_unlinking_asks_to_confirm_then_removes_the_link(clients, challenge, ngo_org):
    action_point = make_action_point(make_meeting(), ngo_org)
    link = challenge_link(challenge=challenge, action_point=action_point)
    page = clients["secretariat"].get(url("challenge_unlink", challenge), {"link": link.public_id})
    assert page.context["form"]["link"].value() == str(link.public_id)
    unconfirmed = clients["secretariat"].post(
        url("challenge_unlink", challenge), {"link": str(link.public_id)}
    )
    assert unconfirmed.status_code == 200
    assert AgendaLink.objects.count() == 1
    response = clients["secretariat"].post(
        url("challenge_unlink", challenge), {"link": str(link.public_id), "confirm": "yes"}
    )
    assert response.status_code == 302
    assert AgendaLink.objects.count() == 0


def test_a_link_of_another_challenge_cannot_be_removed_here(clients, challenge, ngo_org):
    other = make_challenge("Other", ngo_org)
    link = challenge_link(challenge=other, agenda_item=make_agenda_item(make_meeting()))
    response = clients["secretariat"].post(
        url("challenge_unlink", challenge), {"link": str(link.public_id), "confirm": "yes"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "link": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert AgendaLink.objects.count() == 1


def test_linked_records_appear_on_the_challenge_page(clients, challenge, ngo_org):
    meeting = make_meeting()
    challenge_link(challenge=challenge, agenda_item=make_agenda_item(meeting, "Survey capacity"))
    challenge_link(challenge=challenge, action_point=make_action_point(meeting, ngo_org))
    content = text_of(clients["member"].get(url("challenge_detail", challenge)))
    assert "Agenda item “Survey capacity” of Quarterly plenary #1" in content
    assert "Action point of Quarterly plenary #1:" in content
    assert "Map the suspected areas</a> (Open)" in content
    assert "Remove the link" not in content
    assert "Remove the link" in text_of(
        clients["secretariat"].get(url("challenge_detail", challenge))
    )


def test_the_page_tells_the_whole_story(clients, people, ngo_org, authority_org):
    story = make_story(ngo_org, authority_org)
    content = text_of(clients["member"].get(url("challenge_detail", story)))
    for sentence in (
        "Raised by Clear Fields Association.",
        "under the agenda item “Review of priority challenges”.",
        "Ask for two more survey teams.",
        "Draft the tasking plan</a> (Clear Fields Association · Open)",
        "Status changed from “Identified” to “Prioritised”.",
        "Top of the list.",
        "Ranked 1 of 2 (score 4.250) in the prioritisation round",
        ">First round</a>.",
        "Addressed by the activity",
        "2.1 Train two survey teams",
        "of Article 5 work plan (In progress).",
        "Addressed by the policy instrument",
        "NMAS 07.11 Land release",
        "(Law, Drafting).",
    ):
        assert sentence in content
    assert "Closed session" not in content
