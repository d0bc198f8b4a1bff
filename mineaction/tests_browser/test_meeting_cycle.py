"""The whole meeting cycle in a real Chromium, as the secretariat, a member and the lead authority:
create a meeting → agenda → invite → RSVP from the email link → attendance → minutes →
amendment → approval → distribution → action point reminder → carry-over into the next meeting.

Mail goes through the outbox to a real SMTP server on loopback (the `smtp_server` fixture; the
live server runs in this process, so the overridden settings apply to it), and the received
messages are read back: the answer link, the calendar file, the PDF and Word minutes.
"""

import datetime
import io
import re

import docx
import icalendar
import pypdf
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from mineaction.meetings.models import (
    ActionPoint,
    Amendment,
    Attendance,
    Invitation,
    Meeting,
    MeetingSeries,
    Minutes,
)
from mineaction.meetings.services import agenda as agenda_services
from mineaction.meetings.services import attendance as attendance_services
from mineaction.meetings.services import invitations as invitation_services
from mineaction.meetings.services import minutes as minutes_services
from mineaction.tests_browser.support import (
    VIEWPORT,
    blocking_violations,
    current_totp_code,
    enter_totp_code,
    log_in,
)

pytestmark = pytest.mark.browser

SERIES_NAME = "Quarterly coordination plenary"
MEETING_TITLE = "First quarterly plenary"
NEW_ITEM = "Survey results in the northern provinces"
DISCUSSION = "The survey teams reported 14 suspected hazardous areas cancelled."
AMENDED_DISCUSSION = "The survey teams reported 16 suspected hazardous areas cancelled."
DECISION = "The plenary endorses the northern survey plan."
ACTION = "Share the northern survey maps with all operators"
AMENDMENT = "The figure is 16 areas, not 14: two were cancelled on the last day."
PROPOSED_ITEMS = [
    "Opening and adoption of the agenda",
    "Review of open action points",
    "Review of priority challenges",
]


def flat(text):
    """Text with every run of whitespace (line breaks of a PDF, too) as one space."""
    return " ".join(text.split())


def plain_body(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def messages_to(inbox, address, subject_start=""):
    return [
        message
        for message in inbox
        if address in message["To"] and message["Subject"].startswith(subject_start)
    ]


@pytest.fixture
def site(settings, live_server, smtp_server):
    """Links in emails point to the live server; mail goes to the loopback SMTP server."""
    settings.SITE_URL = live_server.url
    return smtp_server


@pytest.fixture
def open_browser(browser, live_server):
    """A new browser window (own cookies) per call; logged in through the real form when a
    person is given, with their TOTP code when they have two-factor authentication."""
    contexts = []

    def open_browser(person=None, *, two_factor=False):
        context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT, locale="en-GB")
        context.set_default_timeout(15_000)
        contexts.append(context)
        tab = context.new_page()
        if person is not None:
            log_in(tab, person.user.email)
            if two_factor:
                enter_totp_code(tab, current_totp_code())
            expect(tab.get_by_role("heading", level=1)).to_have_text("Dashboard")
        return tab

    yield open_browser
    for context in contexts:
        context.close()


def expect_message(page, text):
    """The page shows `text` among its messages (after a redirect)."""
    expect(page.locator("ul.messages li").filter(has_text=text)).to_have_count(1)


def test_the_whole_meeting_cycle_runs_in_the_browser(
    open_browser, site, live_server, people, ngo_org
):
    inbox = site
    member, lead, observer = people["member"], people["lead_authority"], people["observer"]
    series = MeetingSeries.objects.create(
        name=SERIES_NAME, default_time_zone="UTC", default_venue="Mine Action Centre, Room 1"
    )
    now = timezone.now().astimezone(datetime.UTC).replace(second=0, microsecond=0)
    starts_at, ends_at = now - datetime.timedelta(hours=3), now + datetime.timedelta(hours=1)
    today = timezone.localdate()
    due_on = today + datetime.timedelta(days=14)

    secretariat = open_browser(people["secretariat"], two_factor=True)

    # Create the meeting of the series, started three hours ago (so it can be held now).
    secretariat.goto(reverse("meetings:meetings_list"))
    secretariat.get_by_role("link", name="Plan the next meeting").click()
    secretariat.get_by_role("link", name=SERIES_NAME).click()
    expect(secretariat.locator("input[name=number]")).to_have_value("1")
    secretariat.locator("input[name=title]").fill(MEETING_TITLE)
    secretariat.locator("input[name=starts_at]").fill(starts_at.strftime("%Y-%m-%dT%H:%M"))
    secretariat.locator("input[name=ends_at]").fill(ends_at.strftime("%Y-%m-%dT%H:%M"))
    expect(secretariat.locator("input[name=time_zone]")).to_have_value("UTC")
    secretariat.get_by_role("button", name="Save").click()
    expect(secretariat.get_by_role("heading", level=1)).to_contain_text(MEETING_TITLE)
    expect_message(secretariat, "The meeting has been created with a proposed agenda.")
    meeting = Meeting.objects.get(title=MEETING_TITLE)
    assert (meeting.series, meeting.number, meeting.status) == (series, 1, Meeting.Status.PLANNED)
    assert (meeting.starts_at, meeting.ends_at) == (starts_at, ends_at)
    meeting_url = reverse("meetings:meetings_detail", args=[meeting.public_id])

    # The agenda: the proposed items are there; add one.
    agenda = secretariat.locator("#agenda")
    for title in [*PROPOSED_ITEMS, "Any other business"]:
        expect(agenda.get_by_role("heading", level=3, name=title)).to_be_visible()
    agenda.get_by_role("link", name="Add an agenda item").click()
    secretariat.locator("input[name=title]").fill(NEW_ITEM)
    secretariat.locator("select[name=kind]").select_option("decision")
    secretariat.locator("select[name=component]").select_option("technical")
    secretariat.locator("select[name=presenter]").select_option(str(member.public_id))
    secretariat.locator("input[name=duration_minutes]").fill("40")
    secretariat.get_by_role("button", name="Save").click()
    expect_message(secretariat, "The agenda item has been added.")
    expect(agenda.get_by_role("heading", level=3, name=NEW_ITEM)).to_be_visible()
    expect(agenda).to_contain_text("presented by Ngo Member (Clear Fields Association)")
    item = meeting.agenda_items.get(title=NEW_ITEM)
    assert item.order == meeting.agenda_items.count()

    # Invite a person and a whole organisation (its people with a current role), and inform
    # the lead donor's focal point.
    secretariat.get_by_role("navigation", name="This meeting").get_by_role(
        "link", name="Invitations"
    ).click()
    secretariat.get_by_role("link", name="Invite people").click()
    secretariat.locator("select[name=people]").select_option(str(lead.pk))
    secretariat.locator("select[name=organisations]").select_option(str(ngo_org.pk))
    secretariat.get_by_role("button", name="Add to the list").click()
    expect_message(secretariat, "3 people have been added.")
    secretariat.get_by_role("link", name="Invite people").click()
    secretariat.locator("select[name=people]").select_option(str(people["lead_donor"].pk))
    secretariat.get_by_label("Informed only").check()
    secretariat.get_by_role("button", name="Add to the list").click()
    expect_message(secretariat, "1 person has been added.")
    invited = {
        invitation.person.email: invitation.informed_only
        for invitation in meeting.invitations.select_related("person")
    }
    assert invited == {
        lead.email: False,
        member.email: False,
        observer.email: False,
        people["lead_donor"].email: True,
    }

    # Send the invitations: one email each to the three invited people, none to the informed.
    secretariat.get_by_role("link", name="Send invitations (3 people)").click()
    secretariat.get_by_role("button", name="Send invitations").click()
    expect_message(secretariat, "The invitations are on their way to 3 people.")
    assert sorted(message["X-Envelope-To"] for message in inbox) == sorted(
        [lead.email, member.email, observer.email]
    )
    (invitation_email,) = messages_to(inbox, member.email)
    assert MEETING_TITLE in invitation_email["Subject"]
    calendar_part = next(
        part for part in invitation_email.walk() if part.get_content_type() == "text/calendar"
    )
    calendar = icalendar.Calendar.from_ical(calendar_part.get_content())
    (event,) = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "REQUEST"
    assert event.decoded("dtstart") == starts_at
    body = plain_body(invitation_email)
    assert f"{NEW_ITEM} (40 min)" in body
    (rsvp_link,) = re.findall(r"https?://\S+/meetings/rsvp/\S+/", body)
    assert rsvp_link.startswith(live_server.url + "/meetings/rsvp/")

    # The member answers from the email's link, in a browser that is not logged in.
    invitee = open_browser()
    invitee.goto(rsvp_link)
    expect(invitee.get_by_role("heading", level=1)).to_have_text(MEETING_TITLE)
    expect(invitee.locator("dl")).to_contain_text("Ngo Member")
    invitee.get_by_label("Will attend", exact=True).check()
    invitee.get_by_role("button", name="Send my answer").click()
    expect_message(invitee, "Thank you: your answer has been recorded.")
    expect(invitee.locator("dl")).to_contain_text("Will attend")
    assert Invitation.objects.get(meeting=meeting, person=member).response == "accepted"
    secretariat.reload()
    member_row = secretariat.get_by_role("row").filter(has_text="Ngo Member")
    expect(member_row).to_contain_text("Will attend")

    # Attendance on the quick-entry sheet: each choice saves its line at once (htmx), then
    # the whole sheet is saved; the meeting is then held.
    secretariat.goto(meeting_url)
    secretariat.get_by_role("navigation", name="This meeting").get_by_role(
        "link", name="Attendance and inclusion figures"
    ).click()
    secretariat.get_by_role("link", name="Register attendance").click()
    expect(secretariat.get_by_role("heading", level=1)).to_contain_text("Register attendance")
    for person, presence in [(member, "Present"), (lead, "Present"), (observer, "Absent")]:
        line = secretariat.locator(f"#line-{person.public_id}")
        line.get_by_role("radio", name=presence, exact=True).check()
        expect(line.get_by_role("status")).to_have_text("Saved")
    secretariat.get_by_role("button", name="Save attendance").click()
    expect_message(secretariat, "Attendance saved for 3 people.")
    presences = dict(
        Attendance.objects.filter(meeting=meeting).values_list("person__email", "presence")
    )
    assert presences == {member.email: "present", lead.email: "present", observer.email: "absent"}
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD

    # Minutes: start them, summarise the discussion, record a decision and an action point.
    secretariat.goto(meeting_url)
    secretariat.get_by_role("navigation", name="This meeting").get_by_role(
        "link", name="Minutes"
    ).click()
    secretariat.locator("main").get_by_label("Language").select_option("en")
    secretariat.get_by_role("button", name="Start minutes").click()
    expect_message(secretariat, "The minutes have been started.")
    minutes = Minutes.objects.get(meeting=meeting)
    minutes_url = reverse("meetings:minutes_detail", args=[minutes.public_id])
    secretariat.get_by_role("link", name="Edit the minutes").click()
    secretariat.get_by_label(str(item)).fill(DISCUSSION)
    secretariat.get_by_role("button", name="Save").click()
    expect_message(secretariat, "The minutes have been saved.")
    section = secretariat.locator(f"#item-{item.public_id}")
    expect(section).to_contain_text(DISCUSSION)

    section.get_by_text("Record a decision").click()
    section.locator(f"[name='decision-{item.public_id}-text']").fill(DECISION)
    section.get_by_role("button", name="Record the decision").click()
    section = secretariat.locator(f"#item-{item.public_id}")
    expect(section.locator("ol li")).to_contain_text(DECISION)
    expect(section.get_by_role("link", name="Edit decision 1")).to_be_visible()

    section.get_by_text("Add an action point").click()
    prefix = f"action-{item.public_id}"
    section.locator(f"[name='{prefix}-text']").fill(ACTION)
    section.locator(f"[name='{prefix}-owner_organisation']").select_option(str(ngo_org.public_id))
    section.locator(f"[name='{prefix}-owner_person']").select_option(str(member.public_id))
    section.locator(f"[name='{prefix}-due_on']").fill(due_on.isoformat())
    section.locator(f"[name='{prefix}-component']").select_option("technical")
    section.get_by_role("button", name="Add the action point").click()
    section = secretariat.locator(f"#item-{item.public_id}")
    expect(section.get_by_role("row").filter(has_text=ACTION)).to_contain_text(
        "Clear Fields Association: Ngo Member"
    )
    action_point = ActionPoint.objects.get(meeting=meeting)
    assert (action_point.text, action_point.due_on, action_point.owner_person) == (
        ACTION,
        due_on,
        member,
    )

    # Circulate for amendment: the attendees (present or remote) are told.
    secretariat.goto(minutes_url)
    secretariat.get_by_role("link", name="Circulate for amendment").click()
    expect(secretariat.locator("main")).to_contain_text("Ngo Member")
    closes_on = today + datetime.timedelta(days=7)
    secretariat.locator("input[name=amendments_close_on]").fill(closes_on.isoformat())
    secretariat.get_by_role("button", name="Save").click()
    expect_message(secretariat, "The minutes have been circulated for amendment.")
    circulated = [message for message in inbox if minutes_url in plain_body(message)]
    assert sorted(message["X-Envelope-To"] for message in circulated) == sorted(
        [member.email, lead.email]
    )

    # The member, an attendee, proposes an amendment.
    member_tab = open_browser(member)
    member_tab.goto(minutes_url)
    member_tab.get_by_role("link", name="Propose an amendment").click()
    member_tab.locator("select[name=agenda_item]").select_option(str(item.public_id))
    member_tab.locator("textarea[name=comment]").fill(AMENDMENT)
    member_tab.locator("textarea[name=proposed_text]").fill(AMENDED_DISCUSSION)
    member_tab.get_by_role("button", name="Save").click()
    expect_message(member_tab, "Your amendment has been sent to the secretariat.")
    amendments = member_tab.locator("#amendments")
    expect(amendments.get_by_role("row").filter(has_text=AMENDMENT)).to_contain_text("Ngo Member")

    # The secretariat accepts it and changes the text.
    secretariat.goto(minutes_url)
    secretariat.get_by_role("link", name="Resolve the amendment by Ngo Member").click()
    secretariat.get_by_label("Accept: I will change the text of the minutes").check()
    secretariat.get_by_role("button", name="Save").click()
    expect_message(secretariat, "The amendment has been accepted.")
    expect(secretariat.get_by_role("heading", level=1)).to_contain_text("Edit the minutes")
    secretariat.get_by_label(str(item)).fill(AMENDED_DISCUSSION)
    secretariat.get_by_label("What changed").fill("Amendment by Ngo Member included")
    secretariat.get_by_role("button", name="Save").click()
    expect_message(secretariat, "The minutes have been saved.")
    expect(secretariat.locator(f"#item-{item.public_id}")).to_contain_text(AMENDED_DISCUSSION)
    assert Amendment.objects.get(minutes=minutes).status == Amendment.Status.ACCEPTED

    # The lead authority approves.
    authority = open_browser(lead, two_factor=True)
    authority.goto(minutes_url)
    authority.get_by_role("link", name="Approve the minutes").click()
    authority.get_by_role("button", name="Approve the minutes").click()
    expect_message(authority, "The minutes have been approved.")
    minutes.refresh_from_db()
    assert (minutes.status, minutes.approved_by) == (Minutes.Status.APPROVED, lead.user)

    # The secretariat distributes: everyone invited or informed gets PDF and Word minutes.
    secretariat.goto(minutes_url)
    secretariat.get_by_role("link", name="Distribute the minutes").click()
    secretariat.get_by_role("button", name="Send the minutes").click()
    expect_message(secretariat, "The minutes have been sent to 4 people.")
    distributed = [m for m in inbox if m["Subject"] == f"Minutes of {MEETING_TITLE}"]
    assert sorted(message["X-Envelope-To"] for message in distributed) == sorted(invited)
    attachments = {
        part.get_content_type(): part.get_content()
        for part in messages_to(distributed, member.email)[0].iter_attachments()
    }
    docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert sorted(attachments) == ["application/pdf", docx_type]
    pdf_text = flat(
        "\n".join(
            page.extract_text()
            for page in pypdf.PdfReader(io.BytesIO(attachments["application/pdf"])).pages
        )
    )
    word = docx.Document(io.BytesIO(attachments[docx_type]))
    word_text = flat(
        "\n".join(
            [paragraph.text for paragraph in word.paragraphs]
            + [cell.text for table in word.tables for row in table.rows for cell in row.cells]
        )
    )
    for text in (MEETING_TITLE, NEW_ITEM, AMENDED_DISCUSSION, DECISION, ACTION):
        assert text in pdf_text, f"{text!r} is not in the PDF"
        assert text in word_text, f"{text!r} is not in the Word document"
    assert DISCUSSION not in pdf_text
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DISTRIBUTED
    member_tab.goto(minutes_url)  # published: the member downloads them too
    with member_tab.expect_download() as download:
        member_tab.get_by_role("link", name="Download as PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")

    # Three days before the due date, the owner is reminded, once.
    before = len(inbox)
    reminder_day = due_on - datetime.timedelta(days=3)
    output = io.StringIO()
    call_command("send-reminders", today=reminder_day.isoformat(), stdout=output)
    assert "1 reminder(s) sent" in output.getvalue()
    (reminder,) = inbox[before:]
    assert reminder["X-Envelope-To"] == member.email
    assert reminder["Subject"] == f"Action point due on {due_on.isoformat()}"
    reminder_body = flat(plain_body(reminder))
    assert f"is due on {due_on.isoformat()}, in 3 days" in reminder_body
    assert ACTION in reminder_body
    action_point_url = reverse("meetings:action_points_detail", args=[action_point.public_id])
    assert live_server.url + action_point_url in reminder_body
    call_command("send-reminders", today=reminder_day.isoformat(), stdout=io.StringIO())
    assert len(inbox) == before + 1

    # The next meeting of the series reviews the action point, still open.
    secretariat.goto(reverse("meetings:meetings_list"))
    secretariat.get_by_role("link", name="Plan the next meeting").click()
    secretariat.get_by_role("link", name=SERIES_NAME).click()
    expect(secretariat.locator("input[name=number]")).to_have_value("2")
    secretariat.get_by_role("button", name="Save").click()
    expect_message(secretariat, "The meeting has been created with a proposed agenda.")
    review = secretariat.locator("#agenda li").filter(
        has=secretariat.get_by_role("heading", level=3, name="Review of open action points")
    )
    expect(review.get_by_role("link", name=ACTION)).to_be_visible()
    expect(review).to_contain_text("Open")
    following = Meeting.objects.get(series=series, number=2)
    assert following.starts_at == series.next_start(starts_at)  # a quarter later
    assert list(
        following.agenda_items.get(kind="action_point_review").reviewed_action_points.all()
    ) == [action_point]


# Accessibility of the meeting pages ------------------------------------------------------------


@pytest.fixture
def held_meeting(people, ngo_org):
    """A held meeting with invitations, attendance, circulated minutes, a decision, an action
    point and an amendment, made through the services."""
    series = MeetingSeries.objects.create(name=SERIES_NAME, default_time_zone="UTC")
    now = timezone.now().replace(second=0, microsecond=0)
    meeting = Meeting.objects.create(
        series=series,
        number=1,
        title=MEETING_TITLE,
        starts_at=now - datetime.timedelta(hours=3),
        ends_at=now + datetime.timedelta(hours=1),
        time_zone="UTC",
    )
    agenda_services.agenda_propose(meeting=meeting)
    item = meeting.agenda_items.order_by("order").last()
    invitation_services.invitations_add(meeting=meeting, organisations=[ngo_org])
    attendance_services.attendance_register(
        meeting=meeting, entries=[{"person": people["member"], "presence": "present"}]
    )
    user = people["secretariat"].user
    minutes = minutes_services.minutes_start(meeting=meeting, language="en", user=user)
    minutes_services.minutes_decision_add(
        minutes=minutes, agenda_item=item, text=DECISION, user=user
    )
    action_point = ActionPoint.objects.create(
        meeting=meeting,
        agenda_item=item,
        owner_organisation=ngo_org,
        owner_person=people["member"],
        text=ACTION,
        due_on=timezone.localdate() + datetime.timedelta(days=14),
    )
    minutes_services.minutes_circulate(
        minutes=minutes, closes_on=timezone.localdate() + datetime.timedelta(days=7), user=user
    )
    minutes_services.amendment_propose(
        minutes=minutes,
        person=people["member"],
        agenda_item=item,
        comment=AMENDMENT,
        proposed_text="",
    )
    return {"meeting": meeting, "minutes": minutes, "action_point": action_point, "item": item}


def meeting_id(records):
    return [records["meeting"].public_id]


def minutes_id(records):
    return [records["minutes"].public_id]


# (URL name, who looks at it, the URL's arguments)
MEETING_PAGES = [
    ("meetings:meetings_list", "member", None),
    ("meetings:meetings_series_list", "secretariat", None),
    ("meetings:meetings_create", "secretariat", None),
    ("meetings:meetings_detail", "secretariat", meeting_id),
    ("meetings:meetings_detail", "member", meeting_id),
    ("meetings:meetings_edit", "secretariat", meeting_id),
    ("meetings:agenda_create", "secretariat", meeting_id),
    ("meetings:invitations_list", "secretariat", meeting_id),
    ("meetings:invitations_add", "secretariat", meeting_id),
    ("meetings:attendance_register", "secretariat", meeting_id),
    ("meetings:attendance_detail", "secretariat", meeting_id),
    ("meetings:attendance_inclusion", "member", None),
    ("meetings:minutes_list", "secretariat", meeting_id),
    ("meetings:minutes_detail", "secretariat", minutes_id),
    ("meetings:minutes_detail", "member", minutes_id),
    ("meetings:minutes_edit", "secretariat", minutes_id),
    ("meetings:minutes_versions", "secretariat", minutes_id),
    ("meetings:minutes_amendment_add", "member", minutes_id),
    ("meetings:action_points_list", "member", None),
    ("meetings:action_points_mine", "member", None),
    ("meetings:action_points_overdue", "secretariat", None),
    (
        "meetings:action_points_detail",
        "member",
        lambda records: [records["action_point"].public_id],
    ),
]


@pytest.mark.parametrize(("url_name", "persona", "arguments"), MEETING_PAGES)
def test_meeting_page_has_no_serious_accessibility_violation(
    page, log_in_as, people, held_meeting, url_name, persona, arguments
):
    log_in_as(people[persona].user)
    url = reverse(url_name, args=arguments(held_meeting) if arguments else None)
    response = page.goto(url)
    assert response.status == 200, f"{url} answered {response.status} for {persona}"

    violations = blocking_violations(page)

    print(f"axe-core on {url} as {persona}:", *violations or ["no serious violations"], sep="\n")
    assert violations == []


def test_answer_page_of_an_invitation_has_no_serious_accessibility_violation(page, held_meeting):
    meeting = held_meeting["meeting"]
    meeting.status = Meeting.Status.INVITATIONS_SENT
    meeting.save(update_fields=["status"])
    invitation = meeting.invitations.first()
    response = page.goto(
        reverse("meetings:invitations_rsvp", args=[invitation_services.rsvp_token(invitation)])
    )
    assert response.status == 200

    assert blocking_violations(page) == []
