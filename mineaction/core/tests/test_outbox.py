import datetime
import socket

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mineaction.core import mail
from mineaction.core.models import OutboundEmail
from mineaction.stakeholders.tests.helpers import LOGIN, assert_outcome

RUNNERS = ["secretariat", "lead_authority", "administrator"]
OUTBOX_ACCESS = {"anonymous": LOGIN, "outsider": 403} | {
    persona: 200 if persona in RUNNERS else 403
    for persona in ["observer", "member", "lead_donor", "data_manager", *RUNNERS]
}


@pytest.fixture
def mail_server_down(settings):
    """Mail settings pointing at a loopback port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }
    return port


def queue(django_capture_on_commit_callbacks, **fields):
    values = {"to": ["claire.dubois@example.org"], "subject": "Réunion", "text": "Bonjour"}
    with django_capture_on_commit_callbacks(execute=True):
        return mail.queue_email(**(values | fields))


def fetch(outbound):
    return OutboundEmail.objects.get(pk=outbound.pk)


def test_queued_email_is_delivered_once_the_transaction_commits(
    db, smtp_server, django_capture_on_commit_callbacks
):
    outbound = queue(
        django_capture_on_commit_callbacks,
        html="<p>Bonjour</p>",
        language="fr",
        purpose="test",
        headers={"X-Platform": "yes"},
        attachments=[("note.txt", "Une note", "text/plain")],
        alternatives=[("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar; method=REQUEST")],
    )
    [message] = smtp_server
    assert message["X-Envelope-To"] == "claire.dubois@example.org"
    assert message["Subject"] == "Réunion"
    assert message["Content-Language"] == "fr"
    assert message["X-Platform"] == "yes"
    assert message["Message-ID"].startswith(f"<{outbound.public_id}@")
    assert message.get_body(("plain",)).get_content().strip() == "Bonjour"
    assert message.get_body(("html",)).get_content().strip() == "<p>Bonjour</p>"
    calendar = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    assert calendar.get_param("method") == "REQUEST"
    [attachment] = list(message.iter_attachments())
    assert (attachment.get_filename(), attachment.get_content().strip()) == ("note.txt", "Une note")
    outbound = fetch(outbound)
    assert outbound.status == OutboundEmail.Status.SENT
    assert outbound.attempts == 1
    assert outbound.sent_at is not None
    assert outbound.last_error == ""


def test_nothing_is_stored_or_sent_when_the_transaction_rolls_back(
    db, smtp_server, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        mail.queue_email(to=["a@example.org"], subject="s", text="t")
        raise RuntimeError
    assert callbacks == []
    assert OutboundEmail.objects.count() == 0
    assert smtp_server == []


def test_mail_stays_queued_with_the_error_while_the_server_is_down(
    db, mail_server_down, django_capture_on_commit_callbacks
):
    before = timezone.now()
    outbound = fetch(queue(django_capture_on_commit_callbacks))
    assert outbound.status == OutboundEmail.Status.QUEUED
    assert outbound.attempts == 1
    assert outbound.last_error.startswith("ConnectionRefusedError: ")
    assert outbound.last_attempt_at >= before
    delay = outbound.next_attempt_at - outbound.last_attempt_at
    assert datetime.timedelta(seconds=55) < delay < datetime.timedelta(seconds=70)


def test_the_queued_mail_is_delivered_when_the_server_is_up_again(
    db, mail_server_down, django_capture_on_commit_callbacks, settings, request
):
    outbound = queue(django_capture_on_commit_callbacks)
    assert fetch(outbound).status == OutboundEmail.Status.QUEUED
    # Not due yet: a scheduled run leaves it alone.
    assert mail.deliver_due() == {"sent": 0, "failed": 0, "waiting": 1}
    inbox = request.getfixturevalue("smtp_server")  # the mail server comes up
    counts = mail.deliver_due(now=timezone.now() + datetime.timedelta(minutes=2))
    assert counts == {"sent": 1, "failed": 0, "waiting": 0}
    assert len(inbox) == 1
    outbound = fetch(outbound)
    assert (outbound.status, outbound.attempts, outbound.last_error) == ("sent", 2, "")


@pytest.mark.parametrize(
    ("attempts", "minutes"), [(1, 1), (2, 5), (3, 15), (4, 60), (5, 360), (12, 360)]
)
def test_retries_back_off_then_continue_every_six_hours(attempts, minutes):
    assert mail.retry_delay(attempts) == datetime.timedelta(minutes=minutes)


def test_each_failed_attempt_pushes_the_next_one_further(
    db, mail_server_down, django_capture_on_commit_callbacks
):
    outbound = queue(django_capture_on_commit_callbacks)
    delays = []
    for _ in range(5):
        OutboundEmail.objects.filter(pk=outbound.pk).update(next_attempt_at=timezone.now())
        assert mail.deliver_due() == {"sent": 0, "failed": 1, "waiting": 1}
        current = fetch(outbound)
        delays.append(round((current.next_attempt_at - timezone.now()).total_seconds() / 60))
    assert delays == [5, 15, 60, 360, 360]
    assert fetch(outbound).attempts == 6
    assert fetch(outbound).status == OutboundEmail.Status.QUEUED


def test_delivering_a_sent_email_again_sends_nothing(
    db, smtp_server, django_capture_on_commit_callbacks
):
    outbound = queue(django_capture_on_commit_callbacks)
    assert mail.deliver(outbound) is False
    assert mail.retry_now(outbound) is False
    assert mail.deliver_due(now=timezone.now() + datetime.timedelta(days=1))["sent"] == 0
    assert len(smtp_server) == 1
    assert fetch(outbound).attempts == 1


def test_an_email_claimed_by_another_worker_is_not_sent_twice(db, smtp_server):
    outbound = OutboundEmail.objects.create(to=["a@example.org"], subject="s", body_text="t")
    now = timezone.now()
    # Another worker has claimed it and is talking to the mail server.
    OutboundEmail.objects.filter(pk=outbound.pk).update(
        last_attempt_at=now, next_attempt_at=now + mail.CLAIM_LEASE
    )
    assert mail.deliver(outbound) is False
    assert mail.retry_now(outbound) is False
    assert smtp_server == []


def test_command_sends_due_mail_and_prints_the_counts(db, smtp_server, capsys):
    due = OutboundEmail.objects.create(to=["a@example.org"], subject="Due", body_text="t")
    OutboundEmail.objects.create(
        to=["b@example.org"],
        subject="Later",
        body_text="t",
        next_attempt_at=timezone.now() + datetime.timedelta(hours=1),
    )
    call_command("send-queued-mail")
    assert capsys.readouterr().out == "Sent 1, failed 0, still waiting 1.\n"
    assert [message["Subject"] for message in smtp_server] == ["Due"]
    assert fetch(due).status == OutboundEmail.Status.SENT
    call_command("send-queued-mail")
    assert capsys.readouterr().out == "Sent 0, failed 0, still waiting 1.\n"
    assert len(smtp_server) == 1


def test_command_reports_failures(db, mail_server_down, capsys):
    OutboundEmail.objects.create(to=["a@example.org"], subject="Due", body_text="t")
    call_command("send-queued-mail")
    assert capsys.readouterr().out == "Sent 0, failed 1, still waiting 1.\n"


# The outbox page -------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "expected"), OUTBOX_ACCESS.items())
def test_outbox_page_access_by_role(clients, persona, expected):
    assert_outcome(clients[persona].get(reverse("core:outbox")), expected)


def test_outbox_lists_waiting_mail_with_attempts_and_last_error(
    clients, mail_server_down, django_capture_on_commit_callbacks
):
    queue(django_capture_on_commit_callbacks, subject="Invitation: plenary")
    response = clients["secretariat"].get(reverse("core:outbox"))
    content = response.content.decode()
    assert response.context["counts"] == {"waiting": 1, "sent": 0}
    [email] = response.context["page"].object_list
    assert email.subject == "Invitation: plenary"
    assert "ConnectionRefusedError" in content
    assert "Retry now" in content
    assert "Bonjour" not in content  # bodies may hold personal links


def test_outbox_shows_sent_mail_on_its_own_tab(
    clients, smtp_server, django_capture_on_commit_callbacks
):
    queue(django_capture_on_commit_callbacks, subject="Minutes")
    response = clients["secretariat"].get(reverse("core:outbox"), {"show": "sent"})
    assert [email.subject for email in response.context["page"].object_list] == ["Minutes"]
    waiting = clients["secretariat"].get(reverse("core:outbox"))
    assert list(waiting.context["page"].object_list) == []


def test_retry_now_delivers_a_waiting_email_once_the_server_is_up(
    clients, mail_server_down, django_capture_on_commit_callbacks, request
):
    outbound = queue(django_capture_on_commit_callbacks)
    inbox = request.getfixturevalue("smtp_server")
    url = reverse("core:outbox_retry", args=[outbound.public_id])
    response = clients["secretariat"].post(url)
    assert response.status_code == 302
    assert response.url == reverse("core:outbox")
    assert len(inbox) == 1
    assert fetch(outbound).status == OutboundEmail.Status.SENT
    clients["secretariat"].post(url)
    assert len(inbox) == 1


def test_retry_now_while_the_server_is_down_keeps_the_email_with_the_error(
    clients, mail_server_down, django_capture_on_commit_callbacks
):
    outbound = queue(django_capture_on_commit_callbacks)
    response = clients["secretariat"].post(
        reverse("core:outbox_retry", args=[outbound.public_id]), follow=True
    )
    assert "could not be sent and stays queued: ConnectionRefusedError" in (
        response.content.decode()
    )
    assert fetch(outbound).attempts == 2


@pytest.mark.parametrize("persona", ["member", "observer", "data_manager"])
def test_readers_cannot_retry_mail(clients, persona, smtp_server):
    outbound = OutboundEmail.objects.create(
        to=["a@example.org"],
        subject="s",
        body_text="t",
        next_attempt_at=timezone.now() + datetime.timedelta(hours=1),
    )
    response = clients[persona].post(reverse("core:outbox_retry", args=[outbound.public_id]))
    assert response.status_code == 403
    assert smtp_server == []


def test_outbox_link_is_in_the_navigation_of_meeting_runners_only(clients):
    outbox = reverse("core:outbox")
    assert outbox in clients["secretariat"].get(reverse("core:token_list")).content.decode()
    assert outbox not in clients["member"].get(reverse("core:token_list")).content.decode()
