"""The meeting cycle: series, meetings, agenda, invitations, attendance, minutes with their
amendments and versions, decisions and action points, and the calendar feeds."""

import datetime
import hashlib
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mineaction.core.choices import Component, Visibility
from mineaction.core.models import BaseModel
from mineaction.core.search import Searchable
from mineaction.stakeholders.models import (
    AgeBand,
    LeadDonorTerm,
    Organisation,
    Person,
    Sex,
    WorkingGroup,
)


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone: %(zone)s.") % {"zone": value})


class MeetingSeries(BaseModel):
    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Plenary")
        WORKING_GROUP = "working_group", _("Working group")
        AD_HOC = "ad_hoc", _("Ad hoc")

    class Frequency(models.TextChoices):
        NONE = "none", _("Does not repeat")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        HALF_YEARLY = "half_yearly", _("Every six months")
        YEARLY = "yearly", _("Yearly")

    MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PLENARY)
    component = models.CharField(
        _("component"), max_length=30, choices=Component.choices, blank=True
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_series",
        verbose_name=_("working group"),
    )
    frequency = models.CharField(
        _("repeats"), max_length=20, choices=Frequency.choices, default=Frequency.QUARTERLY
    )
    default_time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    default_venue = models.CharField(_("usual venue"), max_length=300, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=12, choices=Visibility.choices, default=Visibility.MEMBERS
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")

    def __str__(self):
        return self.name

    def next_start(self, previous_start):
        """The start of the meeting after one that started at `previous_start`, by the rule."""
        months = self.MONTHS.get(self.frequency)
        if not months:
            return None
        month_index = previous_start.month - 1 + months
        year = previous_start.year + month_index // 12
        month = month_index % 12 + 1
        day = min(previous_start.day, _days_in_month(year, month))
        return previous_start.replace(year=year, month=month, day=day)


def _days_in_month(year, month):
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return (following - datetime.timedelta(days=1)).day


class Meeting(BaseModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        INVITATIONS_SENT = "invitations_sent", _("Invitations sent")
        HELD = "held", _("Held")
        MINUTES_DRAFT = "minutes_draft", _("Minutes in draft")
        MINUTES_CIRCULATED = "minutes_circulated", _("Minutes circulated for amendment")
        MINUTES_APPROVED = "minutes_approved", _("Minutes approved")
        DISTRIBUTED = "distributed", _("Minutes distributed")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    class Focus(models.TextChoices):
        ARTICLE_5 = "article5", _("Article 5: clearance of mined areas")
        ARTICLE_7 = "article7", _("Article 7: transparency reporting")
        VICTIM_ASSISTANCE = "victim_assistance", _("Victim assistance")
        RISK_EDUCATION = "risk_education", _("Explosive ordnance risk education")
        RESOURCES = "resources", _("Resource mobilisation")
        GENERAL = "general", pgettext_lazy("meeting focus", "General")

    series = models.ForeignKey(
        MeetingSeries,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("series"),
    )
    number = models.PositiveIntegerField(_("number"), validators=[MinValueValidator(1)])
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    focus = models.CharField(
        _("focus objective"), max_length=30, choices=Focus.choices, default=Focus.ARTICLE_5
    )
    chair = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("chair (lead authority)"),
    )
    convener = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("convener (secretariat)"),
    )
    status = models.CharField(
        _("status"), max_length=30, choices=Status.choices, default=Status.PLANNED
    )
    status_note = models.CharField(_("reason"), max_length=300, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=12, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    restricted_to = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="+",
        verbose_name=_("restricted to"),
        help_text=_("With restricted visibility, only these organisations see the meeting."),
    )
    # iCalendar: the UID stays the same for the meeting's life; SEQUENCE grows with each change
    # sent to invitees (RFC 5545 section 3.8.7.4).
    ical_sequence = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="meeting_number_per_series"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.title or f"{self.series} #{self.number}"

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A meeting must end after it starts.")})

    @property
    def ical_uid(self):
        return f"meeting-{self.public_id}@mineaction"

    @property
    def is_closed(self):
        return self.status in {
            self.Status.MINUTES_APPROVED,
            self.Status.DISTRIBUTED,
            self.Status.CANCELLED,
        }

    def co_chair(self):
        """The lead donor whose rotation term covers the meeting's date."""
        term = LeadDonorTerm.objects.current(timezone.localtime(self.starts_at).date()).first()
        return term.organisation if term else None


class AgendaItem(BaseModel):
    class Kind(models.TextChoices):
        DISCUSSION = "discussion", _("Discussion")
        DECISION = "decision", _("For decision")
        INFORMATION = "information", _("For information")
        ACTION_POINT_REVIEW = "action_point_review", _("Review of open action points")
        PRIORITY_REVIEW = "priority_review", _("Review of priority challenges")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    order = models.PositiveIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.DISCUSSION)
    component = models.CharField(
        _("component"), max_length=30, choices=Component.choices, blank=True
    )
    presenter = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("presenter"),
    )
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), default=15, validators=[MinValueValidator(1)]
    )
    reviewed_action_points = models.ManyToManyField(
        "ActionPoint",
        blank=True,
        related_name="reviewed_in",
        verbose_name=_("action points reviewed"),
    )
    # Links to records of later apps (challenges, commitments) are generic, by kind and public
    # id, so adding a target is a new `AgendaLink.Target` value and no migration of this table.

    class Meta:
        ordering = ["meeting", "order", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self):
        return f"{self.order}. {self.title}"


class AgendaDocument(BaseModel):
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="meetings/documents/%Y/")

    class Meta:
        ordering = ["title"]
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")

    def __str__(self):
        return self.title


class Invitation(BaseModel):
    class Response(models.TextChoices):
        PENDING = "pending", _("No answer yet")
        ACCEPTED = "accepted", _("Will attend")
        REMOTE = "remote", _("Will attend online")
        TENTATIVE = "tentative", _("Maybe")
        DECLINED = "declined", _("Will not attend")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("meeting")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="meeting_invitations",
        verbose_name=_("person"),
    )
    informed_only = models.BooleanField(
        _("informed only"),
        default=False,
        help_text=_("Receives the minutes but is not invited to attend."),
    )
    response = models.CharField(
        _("answer"), max_length=12, choices=Response.choices, default=Response.PENDING
    )
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    sent_sequence = models.IntegerField(
        _("last version sent"),
        null=True,
        blank=True,
        help_text=_("The iCalendar SEQUENCE of the last invitation email sent."),
    )

    class Meta:
        ordering = ["person__family_name", "person__given_name"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="one_invitation_per_person")
        ]

    def __str__(self):
        return f"{self.person} – {self.meeting}"


class Attendance(BaseModel):
    class Presence(models.TextChoices):
        PRESENT = "present", _("Present")
        REMOTE = "remote", _("Remote")
        ABSENT = "absent", _("Absent")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("person")
    )
    # Captured at the time, so that later changes to the person do not rewrite history.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    presence = models.CharField(_("presence"), max_length=10, choices=Presence.choices)
    sex = models.CharField(_("sex"), max_length=12, choices=Sex.choices)
    age_band = models.CharField(_("age band"), max_length=12, choices=AgeBand.choices)

    class Meta:
        ordering = ["person__family_name", "person__given_name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="one_attendance_per_person")
        ]

    def __str__(self):
        return f"{self.person} – {self.get_presence_display()}"


class Minutes(BaseModel):
    """The minutes of a meeting in one language; one language's minutes are authoritative."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CIRCULATED = "circulated", _("Circulated for amendment")
        APPROVED = "approved", _("Approved")
        DISTRIBUTED = "distributed", _("Distributed")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="minutes", verbose_name=_("meeting")
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    is_authoritative = models.BooleanField(_("authoritative"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    # Incremented on every saved edit; an edit based on an older revision is a conflict.
    revision = models.PositiveIntegerField(default=1, editable=False)
    amendments_close_on = models.DateField(_("amendments close on"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    distributed_at = models.DateTimeField(_("distributed"), null=True, blank=True)

    class Meta:
        ordering = ["-is_authoritative", "language"]
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "language"], name="minutes_per_language"),
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(is_authoritative=True),
                name="one_authoritative_minutes",
            ),
        ]

    def __str__(self):
        return f"{self.meeting} ({self.language})"


class MinutesEntry(Searchable, BaseModel):
    """What was discussed and decided under one agenda item, in one language's minutes."""

    SEARCH_FIELDS = ("discussion",)

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="entries")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="+")
    discussion = models.TextField(_("summary of discussion"), blank=True)

    class Meta:
        ordering = ["agenda_item__order", "agenda_item__id"]
        verbose_name = _("minutes entry")
        verbose_name_plural = _("minutes entries")
        constraints = [
            models.UniqueConstraint(fields=["minutes", "agenda_item"], name="one_entry_per_item")
        ]

    def __str__(self):
        return f"{self.minutes} – {self.agenda_item}"


class Decision(Searchable, BaseModel):
    """A decision taken under an agenda item, numbered within the meeting."""

    SEARCH_FIELDS = ("text",)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
        verbose_name=_("agenda item"),
    )
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("decision"))

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"], name="decision_number_per_meeting"
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:60]}"


class MinutesVersion(models.Model):
    """A frozen copy of the minutes' text at one revision, kept for comparison."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="versions")
    revision = models.PositiveIntegerField()
    # {"entries": [{"agenda_item": public id, "title": ..., "discussion": ...}],
    #  "decisions": [...], "action_points": [...]}
    content = models.JSONField(default=dict)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["minutes", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "revision"], name="one_version_per_revision")
        ]

    def __str__(self):
        return f"{self.minutes} v{self.revision}"


class Amendment(BaseModel):
    """A comment or proposed change to circulated minutes, resolved by the secretariat."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Not accepted")

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="amendments")
    agenda_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("agenda item"),
    )
    proposed_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    comment = models.TextField(_("comment"))
    proposed_text = models.TextField(_("proposed wording"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")

    def __str__(self):
        return f"{self.minutes}: {self.comment[:60]}"


class ActionPointQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[ActionPoint.Status.OPEN, ActionPoint.Status.IN_PROGRESS])

    def overdue(self, today=None):
        return self.open().filter(due_on__lt=today or timezone.localdate())


class ActionPoint(Searchable, BaseModel):
    SEARCH_FIELDS = ("text",)

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        related_name="action_points",
        verbose_name=_("agreed at"),
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_points",
        verbose_name=_("agenda item"),
    )
    text = models.TextField(_("action"))
    owner_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="action_points",
        verbose_name=_("owner organisation"),
    )
    owner_person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="action_points",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due"))
    component = models.CharField(
        _("component"), max_length=30, choices=Component.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects = ActionPointQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("action point")
        verbose_name_plural = _("action points")

    def __str__(self):
        return self.text[:80]

    @property
    def is_open(self):
        return self.status in {self.Status.OPEN, self.Status.IN_PROGRESS}


class ActionPointUpdate(BaseModel):
    action_point = models.ForeignKey(ActionPoint, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField(_("date"), default=datetime.date.today)
    text = models.TextField(_("progress"))
    status = models.CharField(
        _("status after the update"), max_length=12, choices=ActionPoint.Status.choices
    )

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self):
        return f"{self.on}: {self.text[:60]}"


class ActionPointReminder(models.Model):
    """One reminder sent; the unique key makes `send-reminders` idempotent."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")

    action_point = models.ForeignKey(
        ActionPoint, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_on = models.DateField(help_text="The due date the reminder was about.")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["action_point", "kind", "due_on"], name="one_reminder_per_kind_and_due_date"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.due_on}: {self.action_point}"


class AgendaLink(BaseModel):
    """A link from an agenda item or action point to a record of another app (a challenge or a
    commitment), by kind and public id."""

    class Target(models.TextChoices):
        CHALLENGE = "challenge", _("Challenge")
        COMMITMENT = "commitment", _("Commitment")

    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="links"
    )
    action_point = models.ForeignKey(
        ActionPoint, null=True, blank=True, on_delete=models.CASCADE, related_name="links"
    )
    target = models.CharField(max_length=20, choices=Target.choices)
    target_public_id = models.UUIDField()

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        constraints = [
            models.CheckConstraint(
                condition=Q(agenda_item__isnull=False) | Q(action_point__isnull=False),
                name="link_has_a_source",
            )
        ]

    def __str__(self):
        return f"{self.target} {self.target_public_id}"


class CalendarFeed(models.Model):
    """A user's secret calendar feed address (subscribed from a calendar program, which cannot
    log in). Only a SHA-256 hash of the secret is kept; creating a new address replaces the old.
    Kept apart from the API tokens: neither kind of secret opens the other door."""

    PREFIX = "cal_"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("starts with"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"{self.user} ({self.hint}…)"

    @staticmethod
    def hash(secret):
        return hashlib.sha256(secret.encode()).hexdigest()
