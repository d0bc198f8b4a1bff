"""`mineaction send-report-reminders`: the focal points hear of a progress report before it is
due and once when it is overdue, in their own language, through a real SMTP server; running it
again sends nothing new."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from mineaction.conftest import make_person
from mineaction.core.models import OutboundEmail
from mineaction.partnerships.models import ReportReminder
from mineaction.partnerships.tests.reports_support import (
    make_partnership,
    make_report,
    organisation,
    table_counts,
)

d = datetime.date


def send_reminders(*args, capture):
    """Run the command as cron would; the outbox delivers once its transaction commits."""
    output = io.StringIO()
    with capture(execute=True):
        call_command("send-report-reminders", *args, stdout=output)
    return output.getvalue()


@pytest.fixture
def focal_points(people):
    ngo = organisation("Clear Fields Association")
    donor = organisation("Kingdom of Examplia")
    return [
        make_person("amina.focal@example.org", ngo, language="fr"),
        make_person("john.focal@example.org", donor, language="en"),
    ]


@pytest.fixture
def partnership(focal_points):
    """Half-yearly from 2024; the first report is due on 2024-07-30."""
    partnership = make_partnership(starts_on=d(2024, 1, 1), ends_on=d(2025, 12, 31))
    partnership.focal_points.set(focal_points)
    return partnership


def test_each_focal_point_is_reminded_in_their_language_before_the_report_is_due(
    smtp_server, partnership, django_capture_on_commit_callbacks
):
    output = send_reminders("--today", "2024-07-20", capture=django_capture_on_commit_callbacks)

    messages = {m["X-Envelope-To"]: m for m in smtp_server}
    assert sorted(messages) == ["amina.focal@example.org", "john.focal@example.org"]
    english, french = messages["john.focal@example.org"], messages["amina.focal@example.org"]
    assert (english["Content-Language"], french["Content-Language"]) == ("en", "fr")
    assert english["Subject"] == "Progress report due on 2024-07-30: Clearance partnership"
    body = english.get_body().get_content()
    assert "Dear John," in body
    assert "for 2024-01-01 to 2024-06-30 is due on 2024-07-30, in 10 days." in body
    assert f"/partnerships/{partnership.public_id}/reports/new/?period=2024-01-01" in body
    # The greeting is already translated; the rest of the message follows the catalogues.
    assert french.get_body().get_content().startswith("Bonjour Amina,")
    assert output == (
        f"due_soon: {partnership.public_id} 'Clearance partnership' 2024-01-01 to 2024-06-30 "
        "(due 2024-07-30) -> amina.focal@example.org, john.focal@example.org\n"
        "1 reminder(s) sent on 2024-07-20.\n"
    )


def test_running_twice_sends_nothing_the_second_time(
    smtp_server, partnership, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    send_reminders("--today", "2024-07-20", capture=capture)
    before = table_counts()

    output = send_reminders("--today", "2024-07-21", capture=capture)

    assert output == "0 reminder(s) sent on 2024-07-21.\n"
    assert len(smtp_server) == 2
    assert table_counts() == before


def test_an_overdue_report_is_reminded_once_after_the_due_soon_reminder(
    smtp_server, partnership, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    for today in ("2024-07-20", "2024-07-31", "2024-08-15"):
        send_reminders("--today", today, capture=capture)

    kinds = list(ReportReminder.objects.order_by("sent_at", "id").values_list("kind", flat=True))
    assert kinds == ["due_soon", "overdue"]
    overdue = [m for m in smtp_server if m["X-Envelope-To"] == "john.focal@example.org"][1]
    assert overdue["Subject"] == "Overdue progress report (due 2024-07-30): Clearance partnership"
    assert "was due on 2024-07-30, 1 day ago, and has not been submitted." in (
        overdue.get_body().get_content()
    )


def test_a_submitted_report_is_not_reminded_but_a_draft_is(
    smtp_server, partnership, django_capture_on_commit_callbacks
):
    make_report(partnership, d(2024, 1, 1), d(2024, 6, 30), submitted=True)
    draft = make_report(partnership, d(2024, 7, 1), d(2024, 12, 31))

    output = send_reminders("--today", "2025-01-25", capture=django_capture_on_commit_callbacks)

    assert output.endswith("1 reminder(s) sent on 2025-01-25.\n")
    assert "2024-07-01 to 2024-12-31 (due 2025-01-30)" in output
    assert f"/partnerships/reports/{draft.public_id}/edit/" in (
        smtp_server[0].get_body().get_content()
    )


def test_nothing_is_sent_far_from_the_due_date_or_without_focal_points(
    smtp_server, people, partnership, django_capture_on_commit_callbacks
):
    silent = make_partnership("Silent partnership", starts_on=d(2024, 1, 5))
    without_address = make_person("no.address@example.org", organisation("Kingdom of Examplia"))
    without_address.email = ""
    without_address.save()
    silent.focal_points.set([without_address])
    capture = django_capture_on_commit_callbacks

    assert send_reminders("--today", "2024-07-15", capture=capture) == (
        "0 reminder(s) sent on 2024-07-15.\n"
    )
    assert smtp_server == []
    assert ReportReminder.objects.count() == 0


def test_days_before_widens_the_window(
    smtp_server, partnership, django_capture_on_commit_callbacks
):
    output = send_reminders(
        "--today", "2024-07-01", "--days-before", "30", capture=django_capture_on_commit_callbacks
    )

    assert output.endswith("1 reminder(s) sent on 2024-07-01.\n")
    assert OutboundEmail.objects.filter(purpose="progress_report_reminder").count() == 2


def test_bad_arguments_are_refused_and_send_nothing(smtp_server, partnership):
    with pytest.raises(CommandError, match="--today must be a date as YYYY-MM-DD"):
        call_command("send-report-reminders", "--today", "20/07/2024", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--days-before must be a whole number"):
        call_command("send-report-reminders", "--days-before", "-1", stdout=io.StringIO())
    assert ReportReminder.objects.count() == 0
    assert smtp_server == []
