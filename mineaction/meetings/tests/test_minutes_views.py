"""Minutes pages: drafting, decisions and action points inline, concurrent edits, versions,
circulation, amendments and approval."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from mineaction.core.models import OutboundEmail
from mineaction.meetings.models import (
    ActionPoint,
    Amendment,
    Decision,
    Meeting,
    Minutes,
    MinutesVersion,
)
from mineaction.meetings.services import minutes as services
from mineaction.meetings.tests.minutes_support import agenda, entry_field, make_held_meeting


@pytest.fixture
def meeting(people):
    return make_held_meeting(people)


@pytest.fixture
def minutes(meeting, people):
    return services.minutes_start(meeting=meeting, language="en", user=people["secretariat"].user)


def url(name, record, **query):
    address = reverse(f"meetings:{name}", args=[record.public_id])
    if query:
        address += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return address


def edit_data(minutes, texts, revision=None, note=""):
    data = {"revision": revision or minutes.revision, "note": note}
    for item, text in zip(agenda(minutes.meeting), texts, strict=True):
        data[entry_field(item)] = text
    return data


def circulate(minutes, people, days=7):
    return services.minutes_circulate(
        minutes=minutes,
        closes_on=timezone.localdate() + datetime.timedelta(days=days),
        user=people["secretariat"].user,
    )


def snapshot(minutes):
    minutes.refresh_from_db()
    return (
        minutes.status,
        minutes.revision,
        list(minutes.entries.values_list("discussion", flat=True)),
        Decision.objects.count(),
        ActionPoint.objects.count(),
        Amendment.objects.count(),
        MinutesVersion.objects.count(),
    )


def test_the_whole_minutes_cycle_from_draft_to_approval(clients, people, meeting):
    secretariat, member, authority = (
        clients["secretariat"],
        clients["member"],
        clients["lead_authority"],
    )
    first, second = agenda(meeting)

    response = secretariat.post(url("minutes_start", meeting), {"language": "en"})
    minutes = Minutes.objects.get(meeting=meeting)
    assert response.status_code == 302
    assert response.url == url("minutes_detail", minutes)
    assert (minutes.status, minutes.is_authoritative, minutes.revision) == ("draft", True, 1)
    assert minutes.entries.count() == 2
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.MINUTES_DRAFT

    response = secretariat.post(
        url("minutes_edit", minutes),
        edit_data(minutes, ["Clearance is on track.", "Two pledges."], note="First draft"),
    )
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.revision == 2
    assert minutes.entries.get(agenda_item=first).discussion == "Clearance is on track."

    response = secretariat.post(
        url("minutes_decision_add", minutes),
        {
            "agenda_item_prefix": first.public_id,
            f"decision-{first.public_id}-agenda_item": first.public_id,
            f"decision-{first.public_id}-text": "Adopt the 2025 work plan.",
        },
    )
    assert response.status_code == 302
    assert response.url == url("minutes_detail", minutes) + f"#item-{first.public_id}"
    decision = Decision.objects.get()
    assert (decision.number, decision.agenda_item, decision.meeting) == (1, first, meeting)

    prefix = f"action-{second.public_id}"
    response = secretariat.post(
        url("minutes_action_point_add", minutes),
        {
            "agenda_item_prefix": second.public_id,
            f"{prefix}-agenda_item": second.public_id,
            f"{prefix}-text": "Send the funding gap table to donors.",
            f"{prefix}-owner_organisation": people["member"].organisation.public_id,
            f"{prefix}-owner_person": people["member"].public_id,
            f"{prefix}-due_on": "2025-03-10",
            f"{prefix}-component": "resource_mobilisation",
        },
    )
    assert response.status_code == 302
    action_point = ActionPoint.objects.get()
    assert (action_point.meeting, action_point.agenda_item) == (meeting, second)
    assert action_point.owner_person == people["member"]
    minutes.refresh_from_db()
    assert minutes.revision == 4
    assert list(minutes.versions.values_list("revision", flat=True)) == [1, 2, 3, 4]
    assert minutes.versions.get(revision=4).content["action_points"][0]["text"] == (
        "Send the funding gap table to donors."
    )

    # The draft is the secretariat's working text: members see it once it is circulated.
    assert member.get(url("minutes_detail", minutes)).status_code == 404

    closes_on = timezone.localdate() + datetime.timedelta(days=10)
    response = secretariat.post(
        url("minutes_circulate", minutes), {"amendments_close_on": closes_on.isoformat()}
    )
    assert response.status_code == 302
    minutes.refresh_from_db()
    meeting.refresh_from_db()
    assert (minutes.status, minutes.amendments_close_on) == ("circulated", closes_on)
    assert meeting.status == Meeting.Status.MINUTES_CIRCULATED

    page = member.get(url("minutes_detail", minutes)).content.decode()
    assert "Adopt the 2025 work plan." in page
    assert "Send the funding gap table to donors." in page

    response = member.post(
        url("minutes_amendment_add", minutes),
        {
            "agenda_item": first.public_id,
            "comment": "The clearance figure is wrong.",
            "proposed_text": "Clearance is behind schedule.",
        },
    )
    assert response.status_code == 302
    amendment = Amendment.objects.get()
    assert (amendment.proposed_by, amendment.status) == (people["member"], "open")

    response = authority.post(url("minutes_approve", minutes))
    assert response.status_code == 400
    assert "1 amendment is still open. Resolve it before approving the minutes." in (
        response.content.decode()
    )

    response = secretariat.post(
        url("minutes_amendment_resolve", amendment), {"outcome": "accept", "resolution": ""}
    )
    assert response.status_code == 302
    assert response.url == url("minutes_edit", minutes)
    amendment.refresh_from_db()
    assert (amendment.status, amendment.resolved_by) == ("accepted", people["secretariat"].user)
    response = secretariat.post(
        url("minutes_edit", minutes),
        edit_data(minutes, ["Clearance is behind schedule.", "Two pledges."], note="Amendment 1"),
    )
    assert response.status_code == 302

    response = authority.post(url("minutes_approve", minutes))
    assert response.status_code == 302
    minutes.refresh_from_db()
    meeting.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED
    assert minutes.approved_by == people["lead_authority"].user
    assert minutes.approved_at is not None
    assert meeting.status == Meeting.Status.MINUTES_APPROVED

    before = snapshot(minutes)
    response = secretariat.post(
        url("minutes_edit", minutes), edit_data(minutes, ["Rewritten.", "Rewritten."])
    )
    assert response.status_code == 400
    assert "These minutes have been approved and can no longer be changed." in (
        response.content.decode()
    )
    assert snapshot(minutes) == before


def test_circulation_emails_each_attendee_in_their_language(
    people, meeting, minutes, smtp_server, django_capture_on_commit_callbacks
):
    member = people["member"]
    member.language = "fr"
    member.save()
    with django_capture_on_commit_callbacks(execute=True):
        circulate(minutes, people)
    queued = sorted((mail.to, mail.language, mail.purpose) for mail in OutboundEmail.objects.all())
    assert queued == sorted(
        [
            ([people["lead_donor"].email], "en", "minutes_circulated"),
            ([member.email], "fr", "minutes_circulated"),
        ]
    )
    assert sorted(message["X-Envelope-To"] for message in smtp_server) == sorted(
        [member.email, people["lead_donor"].email]
    )
    french = next(m for m in smtp_server if m["X-Envelope-To"] == member.email)
    assert french["Content-Language"] == "fr"
    assert settings.SITE_URL + url("minutes_detail", minutes) in french.get_content()
    # The observer was absent: not notified.
    assert people["observer"].email not in [m["X-Envelope-To"] for m in smtp_server]


def test_second_editor_from_the_same_revision_gets_the_merge_page_and_loses_nothing(
    clients, people, minutes
):
    first_editor, second_editor = clients["secretariat"], clients["administrator"]
    first, second = agenda(minutes.meeting)
    assert first_editor.get(url("minutes_edit", minutes)).status_code == 200
    assert second_editor.get(url("minutes_edit", minutes)).status_code == 200

    response = first_editor.post(
        url("minutes_edit", minutes), edit_data(minutes, ["Text by the first.", ""], revision=1)
    )
    assert response.status_code == 302

    response = second_editor.post(
        url("minutes_edit", minutes), edit_data(minutes, ["Text by the second.", ""], revision=1)
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Text by the first." in page
    assert page.count("Text by the second.") == 2  # beside the other text, and in the field
    assert 'name="revision" value="2"' in page
    minutes.refresh_from_db()
    assert minutes.revision == 2
    assert minutes.entries.get(agenda_item=first).discussion == "Text by the first."

    response = second_editor.post(
        url("minutes_edit", minutes),
        edit_data(minutes, ["Text by the first.\nText by the second.", ""], revision=2),
    )
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.revision == 3
    assert minutes.entries.get(agenda_item=first).discussion == (
        "Text by the first.\nText by the second."
    )
    assert minutes.versions.get(revision=2).content["entries"][0]["discussion"] == (
        "Text by the first."
    )
    assert minutes.versions.get(revision=3).created_by == people["administrator"].user


def test_versions_page_compares_two_versions_line_by_line_escaped(clients, people, minutes):
    services.minutes_save(
        minutes=minutes,
        revision=1,
        discussions={agenda(minutes.meeting)[0].pk: "Kept line\nOld <b>line</b>"},
        note="",
        user=people["secretariat"].user,
    )
    services.minutes_save(
        minutes=minutes,
        revision=2,
        discussions={agenda(minutes.meeting)[0].pk: "Kept line\nNew <script>line</script>"},
        note="Fixed",
        user=people["secretariat"].user,
    )
    circulate(minutes, people)
    response = clients["member"].get(url("minutes_versions", minutes, **{"from": 2, "to": 3}))
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        '<del><span aria-hidden="true">− </span><span class="visually-hidden">Removed: </span>'
        "Old &lt;b&gt;line&lt;/b&gt;</del>"
    ) in page
    assert (
        '<ins><span aria-hidden="true">+ </span><span class="visually-hidden">Added: </span>'
        "New &lt;script&gt;line&lt;/script&gt;</ins>"
    ) in page
    assert "<li>Kept line</li>" in page
    assert "<script>line" not in page

    response = clients["member"].get(url("minutes_versions", minutes, **{"from": 9, "to": 3}))
    assert response.status_code == 400
    assert "Choose two versions of these minutes to compare." in response.content.decode()


@pytest.mark.parametrize(
    ("due_on", "owner", "field", "message"),
    [
        ("2025-03-09", "member", "due_on", "A due date cannot be before the meeting."),
        (
            "2025-04-01",
            "secretariat",
            "owner_person",
            "Secretariat Officer does not belong to Clear Fields Association.",
        ),
    ],
)
def test_bad_action_point_is_refused_and_changes_nothing(
    clients, people, minutes, due_on, owner, field, message
):
    item = agenda(minutes.meeting)[0]
    prefix = f"action-{item.public_id}"
    before = snapshot(minutes)
    response = clients["secretariat"].post(
        url("minutes_action_point_add", minutes),
        {
            "agenda_item_prefix": item.public_id,
            f"{prefix}-agenda_item": item.public_id,
            f"{prefix}-text": "Do something.",
            f"{prefix}-owner_organisation": people["member"].organisation.public_id,
            f"{prefix}-owner_person": people[owner].public_id,
            f"{prefix}-due_on": due_on,
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot(minutes) == before


def test_decision_form_over_htmx_returns_only_the_agenda_item_section(clients, minutes):
    item = agenda(minutes.meeting)[1]
    response = clients["secretariat"].post(
        url("minutes_decision_add", minutes),
        {
            "agenda_item_prefix": item.public_id,
            f"decision-{item.public_id}-agenda_item": item.public_id,
            f"decision-{item.public_id}-text": "Hold a donor round table.",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.startswith(f'\n<section id="item-{item.public_id}"')
    assert "Hold a donor round table." in page
    assert "<html" not in page


@pytest.mark.parametrize("persona", ["member", "secretariat", "administrator"])
def test_only_the_lead_authority_approves_minutes(clients, people, minutes, persona):
    circulate(minutes, people)
    before = snapshot(minutes)
    response = clients[persona].post(url("minutes_approve", minutes))
    assert response.status_code == 403
    assert "Only the lead authority approves minutes." in response.content.decode()
    assert snapshot(minutes) == before


def test_approval_of_draft_minutes_is_refused(clients, minutes):
    before = snapshot(minutes)
    response = clients["lead_authority"].post(url("minutes_approve", minutes))
    assert response.status_code == 400
    assert (
        "Minutes can be approved only after they have been circulated for amendment."
        in response.content.decode()
    )
    assert snapshot(minutes) == before


def test_amendment_after_the_window_closed_is_refused(clients, people, minutes):
    circulate(minutes, people)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Minutes.objects.filter(pk=minutes.pk).update(amendments_close_on=yesterday)
    before = snapshot(minutes)
    response = clients["member"].post(
        url("minutes_amendment_add", minutes), {"comment": "Too late?"}
    )
    assert response.status_code == 400
    assert "The amendment window closed on" in response.content.decode()
    assert snapshot(minutes) == before


def test_amendment_to_draft_minutes_is_refused(clients, minutes):
    before = snapshot(minutes)
    # Members do not see draft minutes at all; the secretariat is told why.
    response = clients["member"].post(url("minutes_amendment_add", minutes), {"comment": "Hm"})
    assert response.status_code == 404
    response = clients["secretariat"].post(url("minutes_amendment_add", minutes), {"comment": "Hm"})
    assert response.status_code == 400
    assert (
        "Amendments can be proposed only while the minutes are circulated for amendment."
        in response.content.decode()
    )
    assert snapshot(minutes) == before


def test_people_who_did_not_attend_cannot_propose_amendments(clients, people, minutes):
    circulate(minutes, people)
    before = snapshot(minutes)
    response = clients["observer"].post(url("minutes_amendment_add", minutes), {"comment": "x"})
    assert response.status_code == 403
    assert "Only the people who attended the meeting" in response.content.decode()
    assert snapshot(minutes) == before


def test_rejecting_an_amendment_needs_a_reason(clients, people, minutes):
    circulate(minutes, people)
    amendment = services.amendment_propose(
        minutes=minutes,
        person=people["member"],
        agenda_item=None,
        comment="Add the date.",
        proposed_text="",
    )
    response = clients["secretariat"].post(
        url("minutes_amendment_resolve", amendment), {"outcome": "reject", "resolution": " "}
    )
    assert response.status_code == 200
    assert "Give the reason for not accepting the amendment." in response.content.decode()
    amendment.refresh_from_db()
    assert amendment.status == Amendment.Status.OPEN

    response = clients["secretariat"].post(
        url("minutes_amendment_resolve", amendment),
        {"outcome": "reject", "resolution": "The date is in the agenda."},
    )
    assert response.status_code == 302
    amendment.refresh_from_db()
    assert (amendment.status, amendment.resolution) == ("rejected", "The date is in the agenda.")


def test_circulation_with_a_past_closing_date_is_refused(clients, minutes):
    before = snapshot(minutes)
    response = clients["secretariat"].post(
        url("minutes_circulate", minutes),
        {"amendments_close_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    assert "The closing date for amendments must be in the future." in response.content.decode()
    assert snapshot(minutes) == before
    assert OutboundEmail.objects.count() == 0


def test_minutes_cannot_start_before_the_meeting_is_held(clients, people):
    meeting = make_held_meeting(people, status=Meeting.Status.INVITATIONS_SENT)
    response = clients["secretariat"].post(url("minutes_start", meeting), {"language": "en"})
    assert response.status_code == 200
    assert "Minutes can be started only once the meeting has been held." in (
        response.content.decode()
    )
    assert not Minutes.objects.exists()


def test_second_language_can_become_authoritative(clients, people, minutes):
    response = clients["secretariat"].post(
        url("minutes_start", minutes.meeting), {"language": "fr"}
    )
    french = Minutes.objects.get(language="fr")
    assert response.status_code == 302
    assert french.is_authoritative is False
    assert french.entries.count() == 2

    response = clients["secretariat"].post(url("minutes_authoritative", french))
    assert response.status_code == 302
    french.refresh_from_db()
    minutes.refresh_from_db()
    assert (french.is_authoritative, minutes.is_authoritative) == (True, False)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("outsider", 404), ("observer", 403), ("member", 403), ("secretariat", 200)],
)
def test_only_meeting_runners_edit_minutes(clients, people, minutes, persona, expected):
    circulate(minutes, people)
    assert clients[persona].get(url("minutes_edit", minutes)).status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("outsider", 404), ("observer", 404), ("member", 404), ("lead_donor", 404)]
    + [("data_manager", 404), ("secretariat", 200), ("lead_authority", 200)]
    + [("administrator", 200)],
)
def test_draft_minutes_are_shown_only_to_those_who_run_meetings(
    clients, minutes, persona, expected
):
    assert clients[persona].get(url("minutes_detail", minutes)).status_code == expected
    assert clients[persona].get(url("minutes_versions", minutes)).status_code == expected
    assert clients[persona].get(url("minutes_edit", minutes)).status_code == expected
    listing = clients[persona].get(url("minutes_list", minutes.meeting))
    if persona != "outsider":
        shown = list(listing.context["minutes_list"])
        assert shown == ([minutes] if expected == 200 else [])


@pytest.mark.parametrize("status", ["circulated", "approved", "distributed"])
def test_members_see_minutes_from_their_circulation_on(clients, people, minutes, status):
    circulate(minutes, people)
    Minutes.objects.filter(pk=minutes.pk).update(status=status)
    french = services.minutes_start(
        meeting=minutes.meeting, language="fr", user=people["secretariat"].user
    )
    page = clients["member"].get(url("minutes_detail", minutes))
    assert page.status_code == 200
    assert list(page.context["other_languages"]) == []
    assert clients["member"].get(url("minutes_detail", french)).status_code == 404
    listing = clients["member"].get(url("minutes_list", minutes.meeting))
    assert list(listing.context["minutes_list"]) == [minutes]
    assert list(
        clients["secretariat"].get(url("minutes_detail", minutes)).context["other_languages"]
    ) == [french]


@pytest.mark.parametrize(("persona", "expected"), [("outsider", 404), ("observer", 200)])
def test_readers_see_minutes_and_outsiders_do_not(clients, people, minutes, persona, expected):
    circulate(minutes, people)
    assert clients[persona].get(url("minutes_detail", minutes)).status_code == expected
    assert clients[persona].get(url("minutes_versions", minutes)).status_code == expected
    assert clients[persona].get(url("minutes_list", minutes.meeting)).status_code == expected
