import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from mineaction.conftest import make_person
from mineaction.core.choices import Role
from mineaction.core.models import OutboundEmail
from mineaction.meetings.models import ActionPointReminder
from mineaction.meetings.tests.test_action_points_services import make_action_point, make_meeting

TODAY = datetime.date(2024, 5, 25)


def send_reminders(*args, capture):
    """Run the command as cron would; the outbox delivers once its transaction commits."""
    output = io.StringIO()
    with capture(execute=True):
        call_command("send-reminders", *args, stdout=output)
    return output.getvalue()


@pytest.fixture
def owner(ngo_org):
    return make_person("owner.person@example.org", ngo_org, role=Role.MEMBER, language="fr")


@pytest.fixture
def meeting(db):
    return make_meeting()


def test_a_reminder_goes_to_the_owner_in_their_language_days_before_the_due_date(
    smtp_server, meeting, ngo_org, owner, django_capture_on_commit_callbacks
):
    action_point = make_action_point(
        meeting, ngo_org, owner_person=owner, due_on=datetime.date(2024, 6, 1)
    )
    output = send_reminders("--today", "2024-05-25", capture=django_capture_on_commit_callbacks)

    assert len(smtp_server) == 1
    message = smtp_server[0]
    assert message["X-Envelope-To"] == "owner.person@example.org"
    assert message["Content-Language"] == "fr"
    assert message["Subject"] == "Point d’action arrivant à échéance le 2024-06-01"
    assert "Share the survey results" in message.get_body().get_content()
    assert f"/meetings/action-points/{action_point.public_id}/" in message.get_body().get_content()
    assert f"due_soon: {action_point.public_id} (due 2024-06-01)" in output
    assert output.endswith("1 reminder(s) sent on 2024-05-25.\n")


def test_running_the_reminders_twice_sends_one_email(
    smtp_server, meeting, ngo_org, owner, django_capture_on_commit_callbacks
):
    make_action_point(meeting, ngo_org, owner_person=owner, due_on=datetime.date(2024, 6, 1))
    send_reminders("--today", "2024-05-25", capture=django_capture_on_commit_callbacks)
    output = send_reminders("--today", "2024-05-26", capture=django_capture_on_commit_callbacks)

    assert len(smtp_server) == 1
    assert output == "0 reminder(s) sent on 2024-05-26.\n"
    assert ActionPointReminder.objects.count() == 1


def test_an_overdue_action_point_is_reminded_once_after_the_due_soon_reminder(
    smtp_server, meeting, ngo_org, owner, django_capture_on_commit_callbacks
):
    make_action_point(meeting, ngo_org, owner_person=owner, due_on=datetime.date(2024, 6, 1))
    capture = django_capture_on_commit_callbacks
    send_reminders("--today", "2024-05-25", capture=capture)
    send_reminders("--today", "2024-06-02", capture=capture)
    send_reminders("--today", "2024-06-03", capture=capture)

    kinds = list(ActionPointReminder.objects.order_by("sent_at").values_list("kind", flat=True))
    assert kinds == ["due_soon", "overdue"]
    assert len(smtp_server) == 2


def test_a_changed_due_date_makes_a_new_reminder_possible(
    smtp_server, meeting, ngo_org, owner, django_capture_on_commit_callbacks
):
    action_point = make_action_point(
        meeting, ngo_org, owner_person=owner, due_on=datetime.date(2024, 6, 1)
    )
    capture = django_capture_on_commit_callbacks
    send_reminders("--today", "2024-05-25", capture=capture)
    action_point.due_on = datetime.date(2024, 6, 20)
    action_point.save()
    send_reminders("--today", "2024-06-14", capture=capture)

    assert len(smtp_server) == 2
    assert set(ActionPointReminder.objects.values_list("due_on", flat=True)) == {
        datetime.date(2024, 6, 1),
        datetime.date(2024, 6, 20),
    }


def test_nothing_is_sent_for_far_off_or_closed_action_points(
    smtp_server, meeting, ngo_org, owner, django_capture_on_commit_callbacks
):
    make_action_point(meeting, ngo_org, owner_person=owner, due_on=datetime.date(2024, 6, 2))
    make_action_point(
        meeting, ngo_org, owner_person=owner, due_on=datetime.date(2024, 5, 1), status="done"
    )
    output = send_reminders("--today", "2024-05-25", capture=django_capture_on_commit_callbacks)

    assert smtp_server == []
    assert output == "0 reminder(s) sent on 2024-05-25.\n"


def test_days_before_widens_the_window(
    smtp_server, meeting, ngo_org, owner, django_capture_on_commit_callbacks
):
    make_action_point(meeting, ngo_org, owner_person=owner, due_on=datetime.date(2024, 6, 9))
    send_reminders(
        "--today", "2024-05-25", "--days-before", "15", capture=django_capture_on_commit_callbacks
    )
    assert len(smtp_server) == 1


def test_without_an_owner_person_the_organisations_current_members_are_reminded(
    smtp_server, people, meeting, ngo_org, django_capture_on_commit_callbacks
):
    former = make_person("former.member@example.org", ngo_org)
    former.memberships.create(
        role=Role.MEMBER, starts_on=datetime.date(2019, 1, 1), ends_on=datetime.date(2020, 1, 1)
    )
    make_action_point(meeting, ngo_org, due_on=datetime.date(2024, 5, 1))
    output = send_reminders("--today", "2024-05-25", capture=django_capture_on_commit_callbacks)

    recipients = sorted(message["X-Envelope-To"] for message in smtp_server)
    # The member and the observer of the organisation; not the outsider nor the former member.
    assert recipients == ["ngo.member@example.org", "observer.person@example.org"]
    assert all("overdue" in message["Subject"].lower() for message in smtp_server)
    assert "overdue: " in output


def test_each_recipient_gets_the_reminder_in_their_own_language(
    smtp_server, meeting, ngo_org, django_capture_on_commit_callbacks
):
    make_person("anglophone.member@example.org", ngo_org, role=Role.MEMBER, language="en")
    make_person("francophone.member@example.org", ngo_org, role=Role.MEMBER, language="fr")
    make_action_point(meeting, ngo_org, due_on=datetime.date(2024, 5, 1))
    send_reminders("--today", "2024-05-25", capture=django_capture_on_commit_callbacks)

    languages = {m["X-Envelope-To"]: m["Content-Language"] for m in smtp_server}
    assert languages == {
        "anglophone.member@example.org": "en",
        "francophone.member@example.org": "fr",
    }
    assert OutboundEmail.objects.filter(purpose="action_point_reminder").count() == 2


def test_a_bad_date_is_refused_and_sends_nothing(smtp_server, meeting, ngo_org, owner):
    make_action_point(meeting, ngo_org, owner_person=owner, due_on=datetime.date(2024, 6, 1))
    with pytest.raises(CommandError, match="--today must be a date as YYYY-MM-DD"):
        call_command("send-reminders", "--today", "25/05/2024", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--days-before must be a whole number"):
        call_command("send-reminders", "--days-before", "-1", stdout=io.StringIO())
    assert ActionPointReminder.objects.count() == 0
    assert smtp_server == []
