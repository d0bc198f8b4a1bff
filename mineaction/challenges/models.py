"""The challenge register and the members' prioritisation rounds.

A challenge (a trend, gap, concern, challenge or opportunity) is raised by a member under one of
the platform's components and moves through the statuses of `ChallengeStatus`; every move is a
dated `ChallengeStatusChange`. Meetings link to challenges through `meetings.AgendaLink`; work
plan activities and policy instruments name the challenges they address.

In a prioritisation round each member organisation casts one ballot: scores for impact, urgency
and feasibility, or a ranking. Closing the round computes `RoundResult`, which is kept so that
later rounds can be compared with earlier ones.
"""

import datetime
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mineaction.core.choices import Component, Visibility
from mineaction.core.models import BaseModel
from mineaction.core.search import Searchable
from mineaction.stakeholders.models import Organisation, Person


class ChallengeKind(models.TextChoices):
    TREND = "trend", _("Trend")
    GAP = "gap", _("Gap")
    CONCERN = "concern", _("Concern")
    CHALLENGE = "challenge", pgettext_lazy("kind of issue", "Challenge")
    OPPORTUNITY = "opportunity", _("Opportunity")


class ChallengeStatus(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    UNDER_DISCUSSION = "under_discussion", _("Under discussion")
    PRIORITISED = "prioritised", _("Prioritised")
    BEING_ADDRESSED = "being_addressed", _("Being addressed")
    RESOLVED = "resolved", _("Resolved")
    PARKED = "parked", _("Parked")


S = ChallengeStatus
# The moves a challenge's status may make. A resolved or parked challenge can be reopened for
# discussion; nothing jumps back to "identified".
STATUS_TRANSITIONS = {
    S.IDENTIFIED: {S.UNDER_DISCUSSION, S.PRIORITISED, S.BEING_ADDRESSED, S.PARKED, S.RESOLVED},
    S.UNDER_DISCUSSION: {S.PRIORITISED, S.BEING_ADDRESSED, S.PARKED, S.RESOLVED},
    S.PRIORITISED: {S.UNDER_DISCUSSION, S.BEING_ADDRESSED, S.PARKED, S.RESOLVED},
    S.BEING_ADDRESSED: {S.PRIORITISED, S.PARKED, S.RESOLVED},
    S.RESOLVED: {S.UNDER_DISCUSSION},
    S.PARKED: {S.UNDER_DISCUSSION, S.PRIORITISED},
}
OPEN_STATUSES = (S.IDENTIFIED, S.UNDER_DISCUSSION, S.PRIORITISED, S.BEING_ADDRESSED)


class ChallengeQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Challenge(Searchable, BaseModel):
    SEARCH_FIELDS = ("reference", "title", "description", "evidence", "resolution")

    number = models.PositiveIntegerField(_("number"), unique=True, editable=False)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=20, choices=ChallengeKind.choices, default=ChallengeKind.CHALLENGE
    )
    component = models.CharField(_("component"), max_length=30, choices=Component.choices)
    description = models.TextField(_("description"))
    evidence = models.TextField(
        _("evidence"),
        blank=True,
        help_text=_("Figures, reports or observations that show the challenge."),
    )
    region = models.ForeignKey(
        "landrelease.AdminArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="challenges",
        verbose_name=_("region"),
        help_text=_("Leave empty for a national challenge."),
    )
    raised_by = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="challenges_raised",
        verbose_name=_("raised by"),
    )
    raised_by_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="challenges_raised",
        verbose_name=_("raised by organisation"),
    )
    raised_on = models.DateField(_("raised on"), default=datetime.date.today)
    status = models.CharField(
        _("status"), max_length=20, choices=ChallengeStatus.choices, default=S.IDENTIFIED
    )
    status_changed_on = models.DateField(_("status since"), default=datetime.date.today)
    resolution = models.TextField(
        pgettext_lazy("challenge", "resolution"),
        blank=True,
        help_text=_("How the challenge was resolved or why parked."),
    )
    # The result of the latest closed prioritisation round that included the challenge.
    priority_rank = models.PositiveIntegerField(_("priority rank"), null=True, blank=True)
    priority_score = models.DecimalField(
        _("priority score"), max_digits=7, decimal_places=3, null=True, blank=True
    )
    prioritised_in = models.ForeignKey(
        "PrioritisationRound",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("prioritised in"),
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=12,
        choices=[c for c in Visibility.choices if c[0] != Visibility.PUBLIC],
        default=Visibility.MEMBERS,
    )
    restricted_to = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="restricted_challenges",
        verbose_name=_("restricted to"),
        help_text=_("With restricted visibility: the organisations that may see it."),
    )

    objects = ChallengeQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        verbose_name = pgettext_lazy("kind of issue", "challenge")
        verbose_name_plural = _("challenges")

    def __str__(self):
        return f"{self.reference} {self.title}"

    @property
    def reference(self):
        return f"CH-{self.number:03d}" if self.number else ""

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    def allowed_statuses(self):
        return [s for s in ChallengeStatus if s in STATUS_TRANSITIONS[self.status]]

    def save(self, *args, **kwargs):
        if self.number is None:
            last = Challenge.objects.aggregate(models.Max("number"))["number__max"]
            self.number = (last or 0) + 1
        super().save(*args, **kwargs)


class ChallengeStatusChange(BaseModel):
    """One dated move of a challenge's status; the first one records it being raised."""

    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=ChallengeStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=ChallengeStatus.choices)
    on = models.DateField(_("date"), default=datetime.date.today)
    note = models.TextField(_("note"), blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided at meeting"),
    )
    prioritisation_round = models.ForeignKey(
        "PrioritisationRound",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("prioritisation round"),
    )

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.on}: {self.from_status} → {self.to_status}"


class ChallengeDocument(BaseModel):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="challenges/documents/%Y/")

    class Meta:
        ordering = ["title"]
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")

    def __str__(self):
        return self.title


# Prioritisation rounds --------------------------------------------------------------------------


class RoundMethod(models.TextChoices):
    SCORE = "score", _("Score impact, urgency and feasibility")
    RANK = "rank", _("Rank the challenges")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("round", "Draft")
    OPEN = "open", pgettext_lazy("round", "Open")
    CLOSED = "closed", pgettext_lazy("round", "Closed")


SCORE_MIN, SCORE_MAX = 1, 5
SCORE_VALIDATORS = [MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]


class PrioritisationRound(BaseModel):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    method = models.CharField(
        _("method"), max_length=10, choices=RoundMethod.choices, default=RoundMethod.SCORE
    )
    weight_impact = models.DecimalField(
        _("weight of impact"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(40),
        validators=[MinValueValidator(0)],
    )
    weight_urgency = models.DecimalField(
        _("weight of urgency"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(40),
        validators=[MinValueValidator(0)],
    )
    weight_feasibility = models.DecimalField(
        _("weight of feasibility"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(20),
        validators=[MinValueValidator(0)],
    )
    challenges = models.ManyToManyField(
        Challenge, related_name="prioritisation_rounds", verbose_name=_("challenges")
    )
    closes_at = models.DateTimeField(_("closes at"))
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    priorities_count = models.PositiveIntegerField(
        _("number of priorities"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("How many of the top-ranked challenges become priorities when it closes."),
    )

    class Meta:
        ordering = ["-closes_at", "-id"]
        verbose_name = _("prioritisation round")
        verbose_name_plural = _("prioritisation rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight_impact__gte=0)
                & Q(weight_urgency__gte=0)
                & Q(weight_feasibility__gte=0),
                name="round_weights_not_negative",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self):
        return self.status == RoundStatus.OPEN

    def accepts_votes(self, now=None):
        return self.is_open and (now or timezone.now()) < self.closes_at


class Ballot(BaseModel):
    """One organisation's vote in a round: one per organisation, final once cast. An abstaining
    organisation counts in the turnout and in no score."""

    prioritisation_round = models.ForeignKey(
        PrioritisationRound, on_delete=models.CASCADE, related_name="ballots"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="ballots")
    cast_by = models.ForeignKey(
        Person, null=True, on_delete=models.SET_NULL, related_name="ballots_cast"
    )
    cast_at = models.DateTimeField(_("cast at"), default=timezone.now)
    abstained = models.BooleanField(_("abstained"), default=False)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["cast_at", "id"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(
                fields=["prioritisation_round", "organisation"], name="one_ballot_per_organisation"
            )
        ]

    def __str__(self):
        return f"{self.organisation} – {self.prioritisation_round}"


class BallotEntry(models.Model):
    """A ballot's view of one challenge: three scores (score rounds) or a rank (rank rounds).
    A challenge left without scores or rank is an abstention on that challenge."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="entries")
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="+")
    impact = models.PositiveSmallIntegerField(
        _("impact"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    urgency = models.PositiveSmallIntegerField(
        _("urgency"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    feasibility = models.PositiveSmallIntegerField(
        _("feasibility"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    rank = models.PositiveSmallIntegerField(
        _("rank"), null=True, blank=True, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("ballot entry")
        verbose_name_plural = _("ballot entries")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "challenge"], name="one_entry_per_challenge")
        ]

    def __str__(self):
        return f"{self.ballot}: {self.challenge}"


class RoundResult(models.Model):
    """A challenge's place in a closed round. Equal scores share a rank ("1, 2, 2, 4");
    `spread` holds, per constituency (organisation type), the count, mean, lowest and highest
    score: {"donor_state": {"count": 3, "mean": "3.800", "min": "3.000", "max": "4.600"}}."""

    prioritisation_round = models.ForeignKey(
        PrioritisationRound, on_delete=models.CASCADE, related_name="results"
    )
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="round_results")
    rank = models.PositiveIntegerField(_("rank"), null=True)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=3, null=True)
    votes = models.PositiveIntegerField(_("votes"), default=0)
    abstentions = models.PositiveIntegerField(_("abstentions"), default=0)
    spread = models.JSONField(_("spread by constituency"), default=dict)

    class Meta:
        ordering = ["prioritisation_round", models.F("rank").asc(nulls_last=True), "challenge"]
        verbose_name = _("round result")
        verbose_name_plural = _("round results")
        constraints = [
            models.UniqueConstraint(
                fields=["prioritisation_round", "challenge"], name="one_result_per_challenge"
            )
        ]

    def __str__(self):
        return f"{self.rank}: {self.challenge}"
