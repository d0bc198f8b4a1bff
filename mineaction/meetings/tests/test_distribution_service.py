"""Distributing approved minutes: who receives what, in which language, with which
attachments (checked on a real SMTP server), and the refusals that change nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext
from docx.oxml.ns import qn

from mineaction.core.models import OutboundEmail
from mineaction.meetings.models import Invitation, Meeting, Minutes
from mineaction.meetings.services.distribution import minutes_distribute
from mineaction.meetings.tests.distribution_helpers import (
    ARABIC_DISCUSSION,
    CHINESE_DISCUSSION,
    ENGLISH_DISCUSSION,
    build_minutes_meeting,
    open_docx,
    pdf_fonts,
    pdf_text,
)
from mineaction.stakeholders.models import Person

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def minutes(people, authority_org, ngo_org):
    return build_minutes_meeting(people, authority_org, ngo_org)


def distribute(minutes, user, capture):
    with capture(execute=True):
        return minutes_distribute(minutes=minutes, user=user)


def attachments(message):
    return {
        part.get_filename(): (part.get_content_type(), part.get_content())
        for part in message.iter_attachments()
    }


def by_recipient(inbox):
    return {message["To"]: message for message in inbox}


def test_invited_and_informed_people_receive_the_minutes_in_their_language(
    people, minutes, smtp_server, django_capture_on_commit_callbacks
):
    result = distribute(
        minutes["en"], people["secretariat"].user, django_capture_on_commit_callbacks
    )

    assert sorted((str(person), language) for person, language in result["sent"]) == [
        ("Donor Focal", "en"),
        ("Ngo Member", "ar"),
        ("Observer Person", "zh-hans"),
    ]
    received = by_recipient(smtp_server)
    assert sorted(received) == [
        "donor.focal@example.org",
        "ngo.member@example.org",
        "observer.person@example.org",
    ]
    assert {address: message["Content-Language"] for address, message in received.items()} == {
        "donor.focal@example.org": "fr",
        "ngo.member@example.org": "ar",
        "observer.person@example.org": "zh-hans",
    }
    assert {address: message["Subject"] for address, message in received.items()} == {
        "donor.focal@example.org": "Procès-verbal de la réunion Seventh plenary",
        "ngo.member@example.org": "محضر Seventh plenary",
        "observer.person@example.org": "Seventh plenary会议记录",
    }
    assert sorted(attachments(received["ngo.member@example.org"])) == [
        "minutes-7-2031-03-12-ar.docx",
        "minutes-7-2031-03-12-ar.pdf",
    ]
    assert sorted(attachments(received["donor.focal@example.org"])) == [
        "minutes-7-2031-03-12-en.docx",
        "minutes-7-2031-03-12-en.pdf",
    ]


def test_a_person_without_minutes_in_their_language_is_told_they_get_the_authoritative_version(
    people, minutes, smtp_server, django_capture_on_commit_callbacks
):
    distribute(minutes["en"], people["secretariat"].user, django_capture_on_commit_callbacks)

    donor = by_recipient(smtp_server)["donor.focal@example.org"]
    text = " ".join(donor.get_body(("plain",)).get_content().split())
    with translation.override("fr"):
        expected = gettext(
            "The minutes are not available in your language; you receive the authoritative "
            "version, in %(language)s."
        ) % {"language": "Anglais"}
        assert "12 mars 2031" in text
    assert " ".join(expected.split()) in text  # the text was normalised the same way
    member = by_recipient(smtp_server)["ngo.member@example.org"]
    assert "authoritative version" not in member.get_body(("plain",)).get_content()
    observer = by_recipient(smtp_server)["observer.person@example.org"]
    assert "此邮件发送给您，仅供参考。" in observer.get_body(("plain",)).get_content()


def test_the_attached_pdf_and_docx_hold_the_minutes(
    people, minutes, smtp_server, django_capture_on_commit_callbacks
):
    distribute(minutes["en"], people["secretariat"].user, django_capture_on_commit_callbacks)
    received = by_recipient(smtp_server)

    content_type, english_pdf = attachments(received["donor.focal@example.org"])[
        "minutes-7-2031-03-12-en.pdf"
    ]
    assert content_type == PDF
    assert ENGLISH_DISCUSSION in " ".join(pdf_text(english_pdf).split())

    content_type, chinese_pdf = attachments(received["observer.person@example.org"])[
        "minutes-7-2031-03-12-zh-hans.pdf"
    ]
    assert CHINESE_DISCUSSION in "".join(pdf_text(chinese_pdf).split())
    assert "Noto-Sans-CJK-TC" in pdf_fonts(chinese_pdf)

    content_type, arabic_docx = attachments(received["ngo.member@example.org"])[
        "minutes-7-2031-03-12-ar.docx"
    ]
    assert content_type == DOCX
    document = open_docx(arabic_docx)
    paragraph = next(p for p in document.paragraphs if p.text == ARABIC_DISCUSSION)
    assert paragraph._p.pPr.find(qn("w:bidi")) is not None
    assert len(document.tables) == 2


def test_distribution_marks_the_minutes_and_the_meeting_distributed(
    people, minutes, smtp_server, django_capture_on_commit_callbacks
):
    distribute(minutes["en"], people["secretariat"].user, django_capture_on_commit_callbacks)

    for language in ("en", "ar", "zh-hans"):
        minutes[language].refresh_from_db()
        assert minutes[language].status == Minutes.Status.DISTRIBUTED
        assert minutes[language].distributed_at is not None
    assert Meeting.objects.get(pk=minutes["meeting"].pk).status == Meeting.Status.DISTRIBUTED
    assert OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).count() == 3


def test_people_without_an_email_address_are_reported_and_skipped(
    people, minutes, ngo_org, smtp_server, django_capture_on_commit_callbacks
):
    no_email = Person.objects.create(given_name="Sok", family_name="Chea", organisation=ngo_org)
    Invitation.objects.create(meeting=minutes["meeting"], person=no_email)

    result = distribute(
        minutes["en"], people["secretariat"].user, django_capture_on_commit_callbacks
    )

    assert result["unreachable"] == [no_email]
    assert len(smtp_server) == 3


def test_minutes_cannot_be_distributed_twice(
    people, minutes, smtp_server, django_capture_on_commit_callbacks
):
    distribute(minutes["en"], people["secretariat"].user, django_capture_on_commit_callbacks)
    smtp_server.clear()

    with pytest.raises(ValidationError) as refusal:
        distribute(minutes["en"], people["secretariat"].user, django_capture_on_commit_callbacks)

    assert refusal.value.messages[0].startswith("These minutes were already distributed on ")
    assert smtp_server == []
    assert OutboundEmail.objects.count() == 3


@pytest.mark.parametrize(
    "status", [Minutes.Status.DRAFT, Minutes.Status.CIRCULATED], ids=["draft", "circulated"]
)
def test_unapproved_minutes_cannot_be_distributed_and_nothing_changes(
    people, authority_org, ngo_org, smtp_server, django_capture_on_commit_callbacks, status
):
    drafts = build_minutes_meeting(people, authority_org, ngo_org, status=status)

    with pytest.raises(ValidationError) as refusal:
        distribute(drafts["en"], people["secretariat"].user, django_capture_on_commit_callbacks)

    label = Minutes.Status(status).label
    assert refusal.value.messages == [
        f"Only approved minutes can be distributed. These minutes are: {label}."
    ]
    drafts["en"].refresh_from_db()
    assert drafts["en"].status == status
    assert drafts["en"].distributed_at is None
    assert OutboundEmail.objects.count() == 0
    assert smtp_server == []


def test_a_member_cannot_distribute_minutes(
    people, minutes, smtp_server, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError):
        distribute(minutes["en"], people["member"].user, django_capture_on_commit_callbacks)

    minutes["en"].refresh_from_db()
    assert minutes["en"].status == Minutes.Status.APPROVED
    assert smtp_server == []


def test_a_translation_approved_later_goes_only_to_its_readers(
    people, minutes, smtp_server, django_capture_on_commit_callbacks
):
    Minutes.objects.filter(pk=minutes["zh-hans"].pk).update(status=Minutes.Status.DRAFT)
    distribute(minutes["en"], people["secretariat"].user, django_capture_on_commit_callbacks)
    # Without approved Chinese minutes the observer received the English ones.
    assert sorted(by_recipient(smtp_server)) == [
        "donor.focal@example.org",
        "ngo.member@example.org",
        "observer.person@example.org",
    ]
    smtp_server.clear()
    Minutes.objects.filter(pk=minutes["zh-hans"].pk).update(status=Minutes.Status.APPROVED)

    result = distribute(
        minutes["zh-hans"], people["secretariat"].user, django_capture_on_commit_callbacks
    )

    assert [(str(person), language) for person, language in result["sent"]] == [
        ("Observer Person", "zh-hans")
    ]
    assert [message["To"] for message in smtp_server] == ["observer.person@example.org"]
