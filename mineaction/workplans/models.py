"""Work plans: the national strategy, the Article 5 work plan and the platform's own annual
plan, with their activities (who, what, when, budget, progress) and milestones.

An activity's budget is in its own currency. Its planned budget per calendar year is the budget
shared over the years of its dates in proportion to the days in each (see
`services.budget.planned_budget_by_year`); that is what the funding requirement reads.
"""

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mineaction.core.choices import Component
from mineaction.core.models import BaseModel, currency_validator
from mineaction.core.search import Searchable
from mineaction.stakeholders.models import Organisation


class WorkPlanKind(models.TextChoices):
    NATIONAL_STRATEGY = "national_strategy", _("National mine action strategy")
    ARTICLE5 = "article5", _("Article 5 work plan")
    PLATFORM_ANNUAL = "platform_annual", _("Platform annual plan")


class WorkPlanStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("work plan", "Draft")
    ADOPTED = "adopted", pgettext_lazy("work plan", "Adopted")
    CLOSED = "closed", pgettext_lazy("work plan", "Closed")


class WorkPlan(BaseModel):
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=WorkPlanKind.choices)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    status = models.CharField(
        _("status"), max_length=10, choices=WorkPlanStatus.choices, default=WorkPlanStatus.DRAFT
    )
    owner = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_plans",
        verbose_name=_("owner"),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="work_plan_ends_after_it_starts"
            )
        ]

    def __str__(self):
        return self.title


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DELAYED = "delayed", _("Delayed")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Activity(Searchable, BaseModel):
    SEARCH_FIELDS = ("code", "title", "description")

    work_plan = models.ForeignKey(
        WorkPlan, on_delete=models.CASCADE, related_name="activities", verbose_name=_("work plan")
    )
    code = models.CharField(
        _("code"), max_length=20, blank=True, help_text=_("The plan's own numbering, e.g. 2.3.")
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    responsible_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("responsible organisation"),
    )
    component = models.CharField(_("component"), max_length=30, choices=Component.choices)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    budget = models.DecimalField(
        _("budget"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, validators=[currency_validator]
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    progress_percent = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    challenges = models.ManyToManyField(
        "challenges.Challenge",
        blank=True,
        related_name="activities",
        verbose_name=_("challenges addressed"),
    )

    class Meta:
        ordering = ["work_plan", "starts_on", "code", "id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="activity_ends_after_it_starts"
            ),
            models.CheckConstraint(
                condition=Q(progress_percent__lte=100), name="activity_progress_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | ~Q(currency=""),
                name="activity_budget_has_a_currency",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}" if self.code else self.title

    def is_late(self, today=None):
        today = today or datetime.date.today()
        return self.status not in {ActivityStatus.COMPLETED, ActivityStatus.CANCELLED} and (
            self.ends_on < today
        )


class ActivityUpdate(BaseModel):
    """A dated progress report on an activity: its status and progress after the update."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField(_("date"), default=datetime.date.today)
    status = models.CharField(_("status"), max_length=12, choices=ActivityStatus.choices)
    progress_percent = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MaxValueValidator(100)]
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self):
        return f"{self.on}: {self.progress_percent}%"


class Milestone(BaseModel):
    work_plan = models.ForeignKey(
        WorkPlan, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("work plan")
    )
    activity = models.ForeignKey(
        Activity,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("activity"),
    )
    title = models.CharField(_("title"), max_length=300)
    due_on = models.DateField(_("due"))
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = pgettext_lazy("work plan", "milestone")
        verbose_name_plural = pgettext_lazy("work plan", "milestones")

    def __str__(self):
        return self.title
