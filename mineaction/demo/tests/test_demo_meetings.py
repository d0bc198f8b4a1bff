"""The demo's meeting cycle: two years of quarterly plenaries, the next one, the technical working
group, and action points in every state.

Most checks read one demo loaded for the whole module (loading takes a few seconds); the tests
that load or reset it themselves run in their own transaction as usual.
"""

import collections
import datetime
import zoneinfo
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from mineaction.core import audit
from mineaction.core.models import OutboundEmail, User
from mineaction.demo import meeting_data
from mineaction.demo.plan import demo_plan
from mineaction.demo.services import demo_wipe
from mineaction.meetings.models import (
    ActionPoint,
    ActionPointUpdate,
    AgendaItem,
    Amendment,
    Attendance,
    Decision,
    Invitation,
    Meeting,
    MeetingSeries,
    Minutes,
    MinutesEntry,
    MinutesVersion,
)
from mineaction.meetings.services.action_points import (
    action_point_problems,
    open_action_points_for_review,
    own_action_points,
)
from mineaction.meetings.services.attendance import inclusion_for_meeting
from mineaction.meetings.services.minutes import can_propose_amendment, minutes_approve_problem

ZONE = zoneinfo.ZoneInfo("Africa/Niamey")
PLENARY, TECHNICAL = "Quarterly plenary", "Technical working group"
MEETING_MODELS = [
    MeetingSeries,
    Meeting,
    AgendaItem,
    Invitation,
    Attendance,
    Minutes,
    MinutesEntry,
    MinutesVersion,
    Decision,
    Amendment,
    ActionPoint,
    ActionPointUpdate,
]
FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_demo(*args):
    with override_settings(PASSWORD_HASHERS=FAST_HASHING):
        call_command("load_demo", *args, stdout=StringIO())


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once and committed for the module's tests, wiped afterwards."""
    with django_db_blocker.unblock():
        load_demo()
        yield
        with audit.acting_as(None):
            demo_wipe()


@pytest.fixture
def loaded(demo, db):
    """Each test reads the module's demo inside its own transaction (rolled back after)."""


def snapshot():
    return {
        model.__name__: sorted(
            repr(sorted((k, v) for k, v in row.items() if k != "updated_at"))
            for row in model.objects.values()
        )
        for model in MEETING_MODELS
    } | {
        "reviewed": sorted(
            AgendaItem.reviewed_action_points.through.objects.values_list(
                "agendaitem_id", "actionpoint_id"
            )
        )
    }


def plenaries():
    return Meeting.objects.filter(series__name=PLENARY).order_by("starts_at")


def local_day(moment):
    return timezone.localtime(moment, ZONE).date()


# Series and meetings ---------------------------------------------------------------------------


def test_the_demo_has_a_plenary_and_a_technical_working_group_series_in_one_time_zone(loaded):
    series = {s.name: s for s in MeetingSeries.objects.all()}

    assert sorted(series) == [PLENARY, TECHNICAL]
    assert series[PLENARY].kind == MeetingSeries.Kind.PLENARY
    assert series[PLENARY].frequency == MeetingSeries.Frequency.QUARTERLY
    assert series[TECHNICAL].kind == MeetingSeries.Kind.WORKING_GROUP
    assert series[TECHNICAL].working_group.name == "Technical Working Group"
    assert series[TECHNICAL].component == "technical"
    assert {s.default_time_zone for s in series.values()} == {"Africa/Niamey"}
    assert set(Meeting.objects.values_list("time_zone", flat=True)) == {"Africa/Niamey"}


def test_eight_quarterly_plenaries_over_two_years_and_one_in_about_three_weeks(loaded):
    today = timezone.localdate()
    meetings = list(plenaries())
    days = [local_day(meeting.starts_at) for meeting in meetings]

    assert [meeting.number for meeting in meetings] == list(range(22, 31))
    assert [meeting.status for meeting in meetings] == [Meeting.Status.DISTRIBUTED] * 7 + [
        Meeting.Status.MINUTES_CIRCULATED,
        Meeting.Status.INVITATIONS_SENT,
    ]
    assert sum(day < today for day in days) == 8
    assert 21 <= (days[-1] - today).days <= 25
    gaps = [(later - earlier).days for earlier, later in zip(days, days[1:], strict=False)]
    assert all(85 <= gap <= 97 for gap in gaps)
    assert (days[-1] - days[0]).days <= 2 * 366 + 7
    assert {day.weekday() for day in days} <= {1, 2, 3}
    for meeting in meetings:
        assert timezone.localtime(meeting.starts_at, ZONE).time() == datetime.time(9, 0)
        assert meeting.ends_at - meeting.starts_at == datetime.timedelta(hours=3, minutes=30)
        assert meeting.chair.acronym == "NMAA"
        assert meeting.convener.acronym == "UNDP"


def test_only_the_next_plenary_lies_ahead_and_the_working_group_met_four_times(loaded):
    upcoming = Meeting.objects.filter(starts_at__gt=timezone.now())
    technical = Meeting.objects.filter(series__name=TECHNICAL).order_by("number")

    assert Meeting.objects.count() == 13
    assert [(m.series.name, m.number) for m in upcoming] == [(PLENARY, 30)]
    assert [m.number for m in technical] == [11, 12, 13, 14]
    assert [m.status for m in technical] == [Meeting.Status.DISTRIBUTED] * 3 + [
        Meeting.Status.MINUTES_DRAFT
    ]
    assert all(m.starts_at < timezone.now() for m in technical)


def test_every_agenda_opens_reviews_action_points_covers_each_component_and_closes(loaded):
    for meeting in plenaries():
        items = list(meeting.agenda_items.order_by("order"))
        per_component = collections.Counter(item.component for item in items[2:-1])

        assert [item.order for item in items] == list(range(1, len(items) + 1))
        assert items[0].title == "Opening and adoption of the agenda"
        assert items[1].kind == AgendaItem.Kind.ACTION_POINT_REVIEW
        assert items[-1].title == "Any other business"
        assert sorted(per_component) == [
            "participation",
            "political",
            "resource_mobilisation",
            "technical",
        ]
        assert all(2 <= count <= 4 for count in per_component.values())
        assert all(item.presenter is not None for item in items[:-1])


# Invitations and attendance --------------------------------------------------------------------


def test_every_plenary_invites_thirty_six_people_and_informs_four(loaded):
    for meeting in plenaries():
        invitations = meeting.invitations.all()

        assert invitations.filter(informed_only=False).count() == 36
        assert invitations.filter(informed_only=True).count() == 4
        assert set(invitations.values_list("sent_sequence", flat=True)) == {0}
    observer = User.objects.get(email="observer@demo.example").person
    assert Invitation.objects.filter(person=observer, informed_only=True).count() == 9


def test_the_upcoming_plenary_has_a_mix_of_answers_and_leaves_two_log_ins_to_answer(loaded):
    meeting = plenaries().last()
    answers = collections.Counter(
        meeting.invitations.filter(informed_only=False).values_list("response", flat=True)
    )
    pending = meeting.invitations.filter(response=Invitation.Response.PENDING)

    assert set(answers) == set(Invitation.Response.values)
    assert sum(answers.values()) == 36
    assert pending.filter(person__user__email="member@demo.example").exists()
    assert pending.filter(person__user__email="donor@demo.example").exists()
    assert not meeting.attendances.exists()
    assert not meeting.minutes.exists()
    assert all(
        invitation.responded_at is not None and invitation.responded_at < timezone.now()
        for invitation in meeting.invitations.exclude(response=Invitation.Response.PENDING)
    )


def test_attendance_mixes_presence_sex_age_and_affected_communities(loaded):
    for meeting in Meeting.objects.exclude(status=Meeting.Status.INVITATIONS_SENT):
        invited = meeting.invitations.filter(informed_only=False)
        presence = set(meeting.attendances.values_list("presence", flat=True))

        assert meeting.attendances.count() == invited.count()
        assert presence == set(Attendance.Presence.values)
    attended = Attendance.objects.exclude(presence=Attendance.Presence.ABSENT)
    women = attended.filter(sex="female").count() / attended.count()
    affected = attended.filter(organisation__type="affected_community")

    assert 0.3 <= women <= 0.45
    assert len(set(attended.values_list("age_band", flat=True))) == 5
    for meeting in plenaries()[:8]:
        assert affected.filter(meeting=meeting).count() >= 3
    for attendance in Attendance.objects.select_related("person"):
        assert attendance.organisation_id == attendance.person.organisation_id
        assert (attendance.sex, attendance.age_band) == (
            attendance.person.sex,
            attendance.person.age_band,
        )


def test_the_inclusion_figures_service_reads_the_demo_attendance(loaded):
    meeting = plenaries()[7]

    figures = inclusion_for_meeting(meeting=meeting, meetings=Meeting.objects.all())

    assert figures["meeting"]
    assert figures["figures"]


# Minutes, decisions and amendments -------------------------------------------------------------


def test_held_plenaries_have_english_minutes_and_some_french_ones(loaded):
    authority = User.objects.get(email="authority@demo.example")
    for meeting in plenaries()[:8]:
        english = meeting.minutes.get(language="en")
        items = meeting.agenda_items.count()

        assert english.is_authoritative
        assert english.entries.count() == items
        assert not english.entries.filter(discussion="").exists()
        assert english.versions.count() == english.revision >= 2
    distributed = Minutes.objects.filter(
        meeting__series__name=PLENARY, status=Minutes.Status.DISTRIBUTED
    )
    french = Minutes.objects.filter(language="fr")

    assert distributed.filter(language="en").count() == 7
    assert {m.approved_by for m in distributed} == {authority}
    assert all(m.approved_at < m.distributed_at < timezone.now() for m in distributed)
    assert french.count() == 4
    assert not french.filter(is_authoritative=True).exists()
    assert set(french.values_list("status", flat=True)) == {Minutes.Status.DISTRIBUTED}
    assert french.first().entries.exclude(discussion="").count() == (
        french.first().meeting.agenda_items.count()
    )


def test_the_latest_plenary_minutes_are_circulated_with_one_open_amendment(loaded):
    meeting = plenaries()[7]
    minutes = meeting.minutes.get()
    amendments = list(minutes.amendments.order_by("status"))

    assert minutes.status == Minutes.Status.CIRCULATED
    assert minutes.amendments_close_on > timezone.localdate()
    assert [a.status for a in amendments] == ["accepted", "open"]
    assert str(minutes_approve_problem(minutes)) == (
        "1 amendment is still open. Resolve it before approving the minutes."
    )
    assert (
        amendments[0].proposed_text
        in minutes.entries.get(agenda_item=amendments[0].agenda_item).discussion
    )
    assert minutes.versions.count() == 3
    for amendment in Amendment.objects.select_related("minutes__meeting"):
        assert amendment.proposed_by.attendances.filter(
            meeting=amendment.minutes.meeting, presence="present"
        ).exists()
    donor = User.objects.get(email="donor@demo.example")
    assert can_propose_amendment(donor, minutes)


def test_decisions_are_numbered_from_one_in_every_held_meeting(loaded):
    for meeting in Meeting.objects.exclude(status=Meeting.Status.INVITATIONS_SENT):
        numbers = list(meeting.decisions.values_list("number", flat=True))

        assert numbers == list(range(1, len(numbers) + 1))
        assert meeting.decisions.get(number=1).text == "The agenda was adopted as proposed."
    assert Decision.objects.filter(meeting__series__name=PLENARY).count() >= 8 * 2


# Action points ---------------------------------------------------------------------------------


def test_action_points_are_in_every_state_and_ten_are_overdue(loaded):
    statuses = collections.Counter(ActionPoint.objects.values_list("status", flat=True))
    overdue = ActionPoint.objects.overdue()

    assert ActionPoint.objects.count() == 40
    assert statuses == {"open": 7, "in_progress": 8, "done": 20, "dropped": 5}
    assert overdue.count() == 10
    assert collections.Counter(overdue.values_list("status", flat=True)) == {
        "open": 5,
        "in_progress": 5,
    }
    assert ActionPoint.objects.open().filter(due_on__gte=timezone.localdate()).count() == 5


def test_action_points_have_dated_progress_and_pass_the_services_validation(loaded):
    today = timezone.localdate()
    for action_point in ActionPoint.objects.select_related("meeting", "agenda_item"):
        held_on = local_day(action_point.meeting.starts_at)
        updates = list(action_point.updates.order_by("on"))
        problems = action_point_problems(
            meeting=action_point.meeting,
            agenda_item=action_point.agenda_item,
            text=action_point.text,
            owner_organisation=action_point.owner_organisation,
            owner_person=action_point.owner_person,
            due_on=action_point.due_on,
            component=action_point.component,
        )

        assert problems == {}
        assert all(held_on <= update.on <= today for update in updates)
        if updates:
            assert updates[-1].status == action_point.status
        if action_point.is_open:
            assert action_point.closed_on is None
        else:
            assert action_point.closed_on == updates[-1].on
        assert action_point.agenda_item.component == action_point.component
    assert ActionPointUpdate.objects.count() == 64


def test_open_action_points_carry_over_to_every_later_meeting_until_closed(loaded):
    for meeting in Meeting.objects.select_related("series"):
        review = meeting.agenda_items.get(kind=AgendaItem.Kind.ACTION_POINT_REVIEW)
        day = local_day(meeting.starts_at)
        expected = {
            action_point
            for action_point in ActionPoint.objects.filter(
                meeting__series=meeting.series, meeting__starts_at__lt=meeting.starts_at
            )
            if action_point.closed_on is None or action_point.closed_on >= day
        }

        assert set(review.reviewed_action_points.all()) == expected
    upcoming = plenaries().last()
    review = upcoming.agenda_items.get(kind=AgendaItem.Kind.ACTION_POINT_REVIEW)
    carried = ActionPoint.objects.get(text__startswith="Map the services available to survivors")

    assert set(review.reviewed_action_points.all()) == set(
        open_action_points_for_review(meeting=upcoming)
    )
    assert review.reviewed_action_points.count() == 11
    assert carried.reviewed_in.count() == 8


def test_the_member_and_the_lead_donor_log_ins_own_action_points(loaded):
    member = User.objects.get(email="member@demo.example")
    donor = User.objects.get(email="donor@demo.example")

    assert collections.Counter(own_action_points(member).values_list("status", flat=True)) == {
        "open": 2
    }
    assert own_action_points(member).overdue().count() == 1
    assert collections.Counter(own_action_points(donor).values_list("status", flat=True)) == {
        "done": 1,
        "in_progress": 1,
    }


def test_every_demo_meeting_record_passes_model_validation(loaded):
    for model in MEETING_MODELS:
        for record in model.objects.all():
            record.full_clean()


# Loading ---------------------------------------------------------------------------------------


def test_loading_queues_no_email(loaded):
    assert OutboundEmail.objects.count() == 0


def test_loading_twice_adds_nothing_and_queues_no_email(db):
    load_demo()
    before = snapshot()

    load_demo()

    assert snapshot() == before
    assert Meeting.objects.count() == 13
    assert OutboundEmail.objects.count() == 0
    assert mail.outbox == []


def test_reset_deletes_meetings_added_to_the_demo_and_loads_the_cycle_afresh(db):
    load_demo()
    before = snapshot()
    meeting = plenaries().last()
    added = Meeting.objects.create(
        series=meeting.series,
        number=31,
        starts_at=meeting.starts_at + datetime.timedelta(days=91),
        ends_at=meeting.ends_at + datetime.timedelta(days=91),
    )
    ActionPoint.objects.update(status="done")

    load_demo("--reset")

    assert not Meeting.objects.filter(pk=added.pk).exists()
    assert {key: len(rows) for key, rows in snapshot().items()} == {
        key: len(rows) for key, rows in before.items()
    }
    assert ActionPoint.objects.filter(status="done").count() == 20


def test_loading_again_puts_back_changed_action_points(db):
    load_demo()
    ActionPoint.objects.filter(status="open").update(status="done")

    load_demo()

    assert ActionPoint.objects.filter(status="open").count() == 7


# The plan --------------------------------------------------------------------------------------


def test_the_meeting_plan_is_the_same_for_the_same_day():
    day = datetime.date(2026, 11, 28)

    assert demo_plan(day)["meetings"] == demo_plan(day)["meetings"]


def test_the_meeting_plan_of_a_fixed_day_has_the_documented_mix():
    plan = demo_plan(datetime.date(2026, 11, 28))
    people = {person["email"]: person for person in plan["people"]}
    meetings = plan["meetings"]["meetings"]
    attendance = [row for meeting in meetings for row in meeting["attendance"]]
    attended = [row for row in attendance if row["presence"] != "absent"]

    assert [m["starts_at"].date().isoformat() for m in meetings] == [
        "2024-12-19", "2025-03-19", "2025-06-19", "2025-09-23", "2025-12-23", "2026-03-19",
        "2026-06-23", "2026-09-22", "2026-12-22", "2026-01-27", "2026-04-23", "2026-07-28",
        "2026-10-27",
    ]  # fmt: skip
    assert collections.Counter(row["presence"] for row in attendance) == {
        "present": 248,
        "remote": 61,
        "absent": 48,
    }
    assert collections.Counter(people[row["person"]]["sex"] for row in attended) == {
        "male": 186,
        "female": 117,
        "undisclosed": 6,
    }
    assert collections.Counter(i["response"] for i in meetings[8]["invitations"]) == {
        "accepted": 17,
        "pending": 13,
        "tentative": 4,
        "remote": 4,
        "declined": 2,
    }


def test_action_point_states_and_overdue_ones_do_not_depend_on_the_day_of_loading():
    first = datetime.date(2026, 1, 1)
    for offset in range(0, 3 * 366, 11):
        today = first + datetime.timedelta(days=offset)
        meetings = demo_plan(today)["meetings"]["meetings"]
        action_points = [a for meeting in meetings for a in meeting["action_points"]]
        open_ones = [a for a in action_points if a["closed_on"] is None]

        assert collections.Counter(a["status"] for a in action_points) == {
            "open": 7,
            "in_progress": 8,
            "done": 20,
            "dropped": 5,
        }, today
        assert sum(a["due_on"] < today for a in open_ones) == 10, today
        assert all(update["on"] <= today for a in action_points for update in a["updates"]), today
        assert sum(m["starts_at"].date() > today for m in meetings) == 1, today


def test_the_demo_time_zone_is_a_real_one():
    assert meeting_data.TIME_ZONE in zoneinfo.available_timezones()
