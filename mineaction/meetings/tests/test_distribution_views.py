"""Pages: download the minutes as PDF or Word, and distribute them."""

import pytest
from django.urls import reverse

from mineaction.conftest import PERSONAS
from mineaction.core.models import OutboundEmail
from mineaction.meetings.models import Meeting, Minutes
from mineaction.meetings.tests.distribution_helpers import (
    ENGLISH_DISCUSSION,
    build_minutes_meeting,
    open_docx,
    pdf_text,
)
from mineaction.stakeholders.tests.helpers import LOGIN, assert_outcome

READERS = ["observer", "member", "lead_donor", "data_manager"]
RUNNERS = ["secretariat", "lead_authority", "administrator"]


@pytest.fixture
def minutes(people, authority_org, ngo_org):
    return build_minutes_meeting(people, authority_org, ngo_org)


@pytest.fixture
def drafts(people, authority_org, ngo_org):
    return build_minutes_meeting(people, authority_org, ngo_org, status=Minutes.Status.DRAFT)


def pdf_url(record):
    return reverse("meetings:distribution_minutes_pdf", args=[record.public_id])


def docx_url(record):
    return reverse("meetings:distribution_minutes_docx", args=[record.public_id])


def distribute_url(record):
    return reverse("meetings:distribution_distribute", args=[record.public_id])


@pytest.mark.parametrize("persona", PERSONAS)
def test_approved_minutes_are_downloadable_by_every_reader_of_the_meeting(
    clients, minutes, persona
):
    response = clients[persona].get(docx_url(minutes["en"]))

    assert_outcome(response, {"anonymous": LOGIN, "outsider": 404}.get(persona, 200))


@pytest.mark.parametrize("persona", PERSONAS)
def test_draft_minutes_are_downloadable_only_by_those_who_run_meetings(clients, drafts, persona):
    response = clients[persona].get(docx_url(drafts["en"]))

    expected = {"anonymous": LOGIN} | dict.fromkeys(["outsider", *READERS], 404)
    assert_outcome(response, expected.get(persona, 200))


def test_restricted_meeting_minutes_are_hidden_from_other_organisations(clients, minutes):
    Meeting.objects.filter(pk=minutes["meeting"].pk).update(visibility="restricted")

    assert clients["member"].get(docx_url(minutes["en"])).status_code == 404
    assert clients["secretariat"].get(docx_url(minutes["en"])).status_code == 200


def test_pdf_download_is_the_minutes_in_their_language(clients, minutes):
    response = clients["member"].get(pdf_url(minutes["en"]))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Language"] == "en"
    assert response["Content-Disposition"] == ('attachment; filename="minutes-7-2031-03-12-en.pdf"')
    assert ENGLISH_DISCUSSION in " ".join(pdf_text(response.content).split())


def test_docx_download_opens_in_word(clients, minutes):
    response = clients["observer"].get(docx_url(minutes["en"]))

    document = open_docx(response.content)
    assert document.paragraphs[0].text == "Minutes of Seventh plenary"


@pytest.mark.parametrize("persona", PERSONAS)
def test_distribution_page_is_for_those_who_run_meetings(clients, minutes, persona):
    response = clients[persona].get(distribute_url(minutes["en"]))

    expected = {"anonymous": LOGIN, "outsider": 404} | dict.fromkeys(READERS, 403)
    assert_outcome(response, expected.get(persona, 200))


def test_distribution_page_lists_who_receives_which_language(clients, minutes):
    response = clients["secretariat"].get(distribute_url(minutes["en"]))

    rows = [
        (str(invitation.person), version.language, invitation.informed_only)
        for invitation, version in response.context["plan"]
    ]
    assert rows == [
        ("Donor Focal", "en", False),
        ("Ngo Member", "ar", False),
        ("Observer Person", "zh-hans", True),
    ]
    assert b"Send the minutes" in response.content


def test_secretariat_distributes_the_minutes(
    clients, minutes, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = clients["secretariat"].post(distribute_url(minutes["en"]))

    assert response.status_code == 302
    assert response.url == reverse("meetings:minutes_detail", args=[minutes["en"].public_id])
    assert sorted(message["To"] for message in smtp_server) == [
        "donor.focal@example.org",
        "ngo.member@example.org",
        "observer.person@example.org",
    ]
    minutes["en"].refresh_from_db()
    assert minutes["en"].status == Minutes.Status.DISTRIBUTED


def test_member_cannot_distribute_minutes(clients, minutes, smtp_server):
    response = clients["member"].post(distribute_url(minutes["en"]))

    assert response.status_code == 403
    minutes["en"].refresh_from_db()
    assert minutes["en"].status == Minutes.Status.APPROVED
    assert OutboundEmail.objects.count() == 0


def test_distributing_draft_minutes_is_refused_with_a_message(clients, drafts, smtp_server):
    response = clients["secretariat"].post(distribute_url(drafts["en"]))

    assert response.status_code == 400
    assert response.context["refusal"] == (
        "Only approved minutes can be distributed. These minutes are: Draft."
    )
    assert b"Send the minutes" not in response.content
    drafts["en"].refresh_from_db()
    assert drafts["en"].status == Minutes.Status.DRAFT
    assert OutboundEmail.objects.count() == 0


def test_distributing_twice_is_refused_with_a_message(
    clients, minutes, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        clients["secretariat"].post(distribute_url(minutes["en"]))

    response = clients["secretariat"].post(distribute_url(minutes["en"]))

    assert response.status_code == 400
    assert response.context["refusal"].startswith("These minutes were already distributed on ")
    assert OutboundEmail.objects.count() == 3


@pytest.mark.parametrize(("persona", "distribute"), [("member", False), ("secretariat", True)])
def test_the_minutes_page_links_to_the_documents_and_the_distribution(
    clients, minutes, persona, distribute
):
    client = clients[persona]
    page = client.get(reverse("meetings:minutes_detail", args=[minutes["en"].public_id])).text
    for link in (pdf_url(minutes["en"]), docx_url(minutes["en"])):
        assert f'href="{link}"' in page
        assert client.get(link).status_code == 200
    assert (f'href="{distribute_url(minutes["en"])}"' in page) is distribute


def test_draft_minutes_page_offers_the_secretariat_its_documents_but_no_distribution(
    clients, drafts
):
    page = (
        clients["secretariat"]
        .get(reverse("meetings:minutes_detail", args=[drafts["en"].public_id]))
        .text
    )
    assert f'href="{pdf_url(drafts["en"])}"' in page
    assert distribute_url(drafts["en"]) not in page
