"""/api/v1/meetings/{id}/minutes.pdf and .docx, /api/v1/minutes/{id}/distribute."""

import pytest

from mineaction.conftest import PERSONAS
from mineaction.core.models import OutboundEmail
from mineaction.core.tests.api_support import PROBLEM, token_client
from mineaction.meetings.models import Minutes
from mineaction.meetings.tests.distribution_helpers import (
    CHINESE_DISCUSSION,
    ENGLISH_DISCUSSION,
    build_minutes_meeting,
    open_docx,
    pdf_fonts,
    pdf_text,
)


@pytest.fixture
def minutes(people, authority_org, ngo_org):
    return build_minutes_meeting(people, authority_org, ngo_org)


@pytest.fixture
def drafts(people, authority_org, ngo_org):
    return build_minutes_meeting(people, authority_org, ngo_org, status=Minutes.Status.DRAFT)


def document_url(meeting, extension):
    return f"/api/v1/meetings/{meeting.public_id}/minutes.{extension}"


def distribute_url(record):
    return f"/api/v1/minutes/{record.public_id}/distribute"


@pytest.mark.parametrize("persona", PERSONAS)
def test_minutes_docx_is_for_readers_of_the_meeting(people, minutes, persona):
    response = token_client(people, persona).get(document_url(minutes["meeting"], "docx"))

    assert response.status_code == {"anonymous": 401, "outsider": 404}.get(persona, 200)


def test_minutes_pdf_is_the_authoritative_minutes(people, minutes):
    response = token_client(people, "member").get(document_url(minutes["meeting"], "pdf"))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Language"] == "en"
    assert ENGLISH_DISCUSSION in " ".join(pdf_text(response.content).split())


def test_minutes_pdf_in_chinese_embeds_the_cjk_font(people, minutes):
    response = token_client(people, "observer").get(
        document_url(minutes["meeting"], "pdf") + "?language=zh-hans"
    )

    assert response["Content-Language"] == "zh-hans"
    assert CHINESE_DISCUSSION in "".join(pdf_text(response.content).split())
    assert "Noto-Sans-CJK-TC" in pdf_fonts(response.content)


def test_minutes_docx_in_arabic(people, minutes):
    response = token_client(people, "member").get(
        document_url(minutes["meeting"], "docx") + "?language=ar"
    )

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert open_docx(response.content).core_properties.language == "ar-SA"


def test_minutes_in_a_language_without_minutes_are_not_found(people, minutes):
    response = token_client(people, "member").get(
        document_url(minutes["meeting"], "pdf") + "?language=fr"
    )

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"] == "This meeting has no minutes in this language."


def test_an_unknown_language_is_refused(people, minutes):
    response = token_client(people, "member").get(
        document_url(minutes["meeting"], "pdf") + "?language=xx"
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "language": ["Unknown language: xx. Use one of: en, fr, es, ar, ru, zh-hans."]
    }


def test_draft_minutes_are_not_downloadable_by_members(people, drafts):
    member = token_client(people, "member").get(document_url(drafts["meeting"], "pdf"))
    secretariat = token_client(people, "secretariat").get(document_url(drafts["meeting"], "docx"))

    assert member.status_code == 404
    assert member.json()["detail"] == "These minutes are not approved yet."
    assert secretariat.status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_distribute_is_for_those_who_run_meetings(people, drafts, persona):
    # Draft minutes: those allowed get the refusal (409), so nothing is sent in this walk;
    # other readers do not see draft minutes at all (404).
    response = token_client(people, persona).post(distribute_url(drafts["en"]))

    expected = {"anonymous": 401, "secretariat": 409}
    expected |= {"lead_authority": 409, "administrator": 409}
    assert response.status_code == expected.get(persona, 404)


@pytest.mark.parametrize("persona", ["observer", "member", "lead_donor", "data_manager"])
def test_readers_may_not_distribute_minutes_they_can_read(people, minutes, persona):
    response = token_client(people, persona).post(distribute_url(minutes["en"]))
    assert response.status_code == 403
    assert not OutboundEmail.objects.exists()


def test_secretariat_distributes_approved_minutes(
    people, minutes, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = token_client(people, "secretariat").post(distribute_url(minutes["en"]))

    assert response.status_code == 200
    body = response.json()
    assert sorted(body["minutes"]) == sorted(
        str(minutes[language].public_id) for language in ("en", "ar", "zh-hans")
    )
    assert sorted((r["email"], r["language"]) for r in body["recipients"]) == [
        ("donor.focal@example.org", "en"),
        ("ngo.member@example.org", "ar"),
        ("observer.person@example.org", "zh-hans"),
    ]
    assert body["without_email"] == []
    assert len(smtp_server) == 3


def test_distributing_twice_is_a_conflict(
    people, minutes, smtp_server, django_capture_on_commit_callbacks
):
    client = token_client(people, "secretariat")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(distribute_url(minutes["en"]))

    response = client.post(distribute_url(minutes["en"]))

    assert response.status_code == 409
    assert response.json()["detail"].startswith("These minutes were already distributed on ")
    assert OutboundEmail.objects.count() == 3


def test_distributing_unapproved_minutes_is_a_conflict_and_changes_nothing(
    people, drafts, smtp_server
):
    response = token_client(people, "lead_authority").post(distribute_url(drafts["en"]))

    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Only approved minutes can be distributed. These minutes are: Draft."
    )
    drafts["en"].refresh_from_db()
    assert drafts["en"].status == Minutes.Status.DRAFT
    assert OutboundEmail.objects.count() == 0
    assert smtp_server == []
