"""The outbox: every email the platform sends is stored first, then delivered.

`queue_email` stores an `OutboundEmail` in the caller's transaction and, once it commits, tries
to deliver it at once. A delivery that fails (the mail server is down, refuses the message...)
keeps the email queued with the error and a next attempt after a growing delay; the scheduled
command `mineaction send-queued-mail` retries what is due, so no email is ever given up or lost.

A delivery first claims the email with a conditional update, so two workers (or a worker and
the "retry now" button) never send the same email twice. Each message carries a Message-ID
derived from the email's public id, so even a retry after a crash between sending and recording
is recognisable as the same message by the receiving side.
"""

import base64
import datetime
import logging

from django.core.mail import DNS_NAME, EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from mineaction.core.models import OutboundEmail

logger = logging.getLogger(__name__)

# Delays before the 1st, 2nd, 3rd and 4th retry; every later retry waits RETRY_EVERY.
BACKOFF = [
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=15),
    datetime.timedelta(minutes=60),
]
RETRY_EVERY = datetime.timedelta(hours=6)
# While one process delivers an email, nobody else may: it is pushed this far into the future.
CLAIM_LEASE = datetime.timedelta(minutes=10)
ERROR_LENGTH = 2000
SENT = "sent"
FAILED = "failed"


def retry_delay(attempts):
    """How long to wait after the `attempts`-th failed attempt (1 for the first failure)."""
    if attempts <= len(BACKOFF):
        return BACKOFF[max(attempts, 1) - 1]
    return RETRY_EVERY


def _encode(content):
    if isinstance(content, str):
        content = content.encode()
    return base64.b64encode(content).decode("ascii")


def _decode(data):
    return base64.b64decode(data.encode("ascii"))


def queue_email(
    *,
    to,
    subject,
    text,
    html="",
    language="",
    attachments=(),
    alternatives=(),
    purpose="",
    headers=None,
):
    """Store an email in the outbox and deliver it once the current transaction commits.

    `attachments` are (filename, content, content type) and `alternatives` (content, content
    type), content as text or bytes; a content type may carry parameters, such as
    "text/calendar; method=REQUEST". Returns the `OutboundEmail`.
    """
    outbound = OutboundEmail.objects.create(
        to=[to] if isinstance(to, str) else list(to),
        subject=" ".join(str(subject).split())[:300],
        body_text=text,
        body_html=html,
        language=language,
        purpose=purpose,
        headers=dict(headers or {}),
        attachments=[
            {"filename": filename, "content_type": content_type, "data": _encode(content)}
            for filename, content, content_type in attachments
        ],
        alternatives=[
            {"content_type": content_type, "data": _encode(content)}
            for content, content_type in alternatives
        ],
    )
    transaction.on_commit(lambda: deliver(outbound))
    return outbound


def build_message(outbound):
    """The Django email message for a stored email."""
    headers = {"Message-ID": f"<{outbound.public_id}@{DNS_NAME}>", **outbound.headers}
    if outbound.language:
        headers.setdefault("Content-Language", outbound.language)
    message = EmailMultiAlternatives(
        subject=outbound.subject, body=outbound.body_text, to=outbound.to, headers=headers
    )
    if outbound.body_html:
        message.attach_alternative(outbound.body_html, "text/html")
    for alternative in outbound.alternatives:
        message.attach_alternative(_decode(alternative["data"]), alternative["content_type"])
    for attachment in outbound.attachments:
        message.attach(
            attachment["filename"], _decode(attachment["data"]), attachment["content_type"]
        )
    return message


def _claim(outbound, now):
    """Take the email for this delivery; False when it is sent, cancelled or not yet due, or
    another process is delivering it."""
    claimed = OutboundEmail.objects.filter(
        pk=outbound.pk, status=OutboundEmail.Status.QUEUED, next_attempt_at__lte=now
    ).update(next_attempt_at=now + CLAIM_LEASE, last_attempt_at=now)
    return claimed == 1


def deliver(outbound):
    """Send one queued email now, through the default mailer, if it is due and nobody else is
    sending it. Records success, or the error with the time of the next attempt. Returns True
    when the email was sent."""
    return _attempt(outbound) == SENT


def _attempt(outbound, now=None):
    """SENT, FAILED, or None when the email was not ours to send."""
    if not _claim(outbound, now or timezone.now()):
        return None
    outbound.refresh_from_db()
    try:
        build_message(outbound).send()
    except Exception as error:  # noqa: BLE001 - any failure leaves the email queued
        logger.warning("Could not send email %s: %s", outbound.public_id, error)
        outbound.attempts += 1
        outbound.last_error = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
        outbound.next_attempt_at = timezone.now() + retry_delay(outbound.attempts)
        outbound.save(update_fields=["attempts", "last_error", "next_attempt_at"])
        return FAILED
    outbound.attempts += 1
    outbound.status = OutboundEmail.Status.SENT
    outbound.sent_at = timezone.now()
    outbound.last_error = ""
    outbound.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    return SENT


def deliver_due(now=None):
    """Try every queued email whose next attempt is due, oldest first.

    Returns the counts {"sent": ..., "failed": ..., "waiting": ...} (waiting: still queued
    after this run, due or not)."""
    counts = {SENT: 0, FAILED: 0}
    for outbound in OutboundEmail.objects.due(now).order_by("next_attempt_at", "id"):
        outcome = _attempt(outbound, now)
        if outcome is not None:
            counts[outcome] += 1
    counts["waiting"] = OutboundEmail.objects.filter(status=OutboundEmail.Status.QUEUED).count()
    return counts


def retry_now(outbound):
    """Make a queued email due at once and try to deliver it (the outbox's "retry now")."""
    OutboundEmail.objects.filter(pk=outbound.pk, status=OutboundEmail.Status.QUEUED).exclude(
        # An email being delivered right now keeps its claim.
        next_attempt_at=F("last_attempt_at") + CLAIM_LEASE
    ).update(next_attempt_at=timezone.now())
    return deliver(outbound)
