"""Partnerships in the sense of Maputo Action Plan action 21, and the Convention's action plans.

- The action plan catalogue (`ActionPlan`, `PlanSection`, `PlanAction`) holds the Convention's
  action plans as data, with the State's own assessment per action and year
  (`ActionAssessment`).
- A `Partnership` binds the State and one or more partners for a period; each party makes
  `Commitment`s (financial, in-kind, technical, policy), and they agree `Indicator`s with a
  baseline and a target, disaggregated by sex and age band and by any other dimension they
  define (`IndicatorDimension`).
- `ProgressReport`s carry the values of a period (`IndicatorValue`, with its disaggregated
  `IndicatorValuePart`s) and a narrative. A submitted report is locked: a correction is a new
  version that supersedes it.
"""

import datetime

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mineaction.core.models import BaseModel, currency_validator
from mineaction.stakeholders.models import Organisation, Person

# Action plan catalogue ---------------------------------------------------------------------------


class ActionPlan(BaseModel):
    code = models.SlugField(_("code"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    first_year = models.PositiveIntegerField(_("first year"))
    last_year = models.PositiveIntegerField(_("last year"))
    adopted_at = models.CharField(
        _("adopted at"), max_length=200, blank=True, help_text=_("The review conference.")
    )

    class Meta:
        ordering = ["-first_year"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")), name="action_plan_years_in_order"
            )
        ]

    def __str__(self):
        return self.title


class PlanSection(BaseModel):
    action_plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="sections")
    number = models.CharField(_("number"), max_length=10, help_text=_("For example IV."))
    order = models.PositiveIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["action_plan", "order"]
        verbose_name = _("action plan section")
        verbose_name_plural = _("action plan sections")
        constraints = [
            models.UniqueConstraint(fields=["action_plan", "order"], name="section_order_per_plan")
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class PlanAction(BaseModel):
    section = models.ForeignKey(PlanSection, on_delete=models.CASCADE, related_name="actions")
    number = models.PositiveIntegerField(_("action number"))
    short_title = models.CharField(_("short title"), max_length=300)
    applies_to_state = models.BooleanField(
        _("applies to the State"),
        default=True,
        help_text=_("Untick for actions that do not concern this State (e.g. stockpiles)."),
    )

    class Meta:
        ordering = ["section__action_plan", "number"]
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")

    def __str__(self):
        return f"#{self.number} {self.short_title}"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class ActionAssessment(BaseModel):
    """The State's own assessment of one action for one year, with its evidence."""

    plan_action = models.ForeignKey(
        PlanAction, on_delete=models.CASCADE, related_name="assessments"
    )
    year = models.PositiveIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices)
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        ordering = ["plan_action", "-year"]
        verbose_name = _("action assessment")
        verbose_name_plural = _("action assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["plan_action", "year"], name="one_assessment_per_action_and_year"
            )
        ]

    def __str__(self):
        return f"{self.plan_action} {self.year}: {self.status}"


# Partnerships and commitments ---------------------------------------------------------------------


class ReportingFrequency(models.TextChoices):
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Every six months")
    YEARLY = "yearly", _("Yearly")


class Partnership(BaseModel):
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"))
    state_party = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="partnerships_as_state",
        verbose_name=_("for the State"),
    )
    partners = models.ManyToManyField(
        Organisation, related_name="partnerships", verbose_name=_("partners")
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    reporting_frequency = models.CharField(
        _("progress reports"),
        max_length=12,
        choices=ReportingFrequency.choices,
        default=ReportingFrequency.HALF_YEARLY,
    )
    report_due_days = models.PositiveIntegerField(
        _("report due (days after the period)"), default=30
    )
    focal_points = models.ManyToManyField(
        Person,
        blank=True,
        related_name="partnership_focal_points",
        verbose_name=_("focal points"),
        help_text=_("They receive the reminders before a progress report is due."),
    )
    plan_actions = models.ManyToManyField(
        PlanAction, blank=True, related_name="partnerships", verbose_name=_("plan actions")
    )

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="partnership_ends_after_it_starts"
            )
        ]

    def __str__(self):
        return self.title


class PartnershipDocument(BaseModel):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="partnerships/documents/%Y/")

    class Meta:
        ordering = ["title"]
        verbose_name = _("partnership document")
        verbose_name_plural = _("partnership documents")

    def __str__(self):
        return self.title


class CommitmentKind(models.TextChoices):
    FINANCIAL = "financial", _("Financial")
    IN_KIND = "in_kind", _("In kind")
    TECHNICAL = "technical", _("Technical")
    POLICY = "policy", pgettext_lazy("commitment", "Policy")


class CommitmentStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("commitment", "Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("commitment", "In progress")
    DELIVERED = "delivered", _("Delivered")
    NOT_DELIVERED = "not_delivered", _("Not delivered")
    CANCELLED = "cancelled", pgettext_lazy("commitment", "Cancelled")


class Commitment(BaseModel):
    """What one party undertakes, by when. Delivered on time when `delivered_on` <= `due_on`."""

    partnership = models.ForeignKey(
        Partnership,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="commitments",
        verbose_name=_("partnership"),
    )
    party = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("committed by"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=CommitmentKind.choices)
    description = models.TextField(_("what"))
    due_on = models.DateField(_("by when"))
    status = models.CharField(
        _("status"),
        max_length=14,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.PLANNED,
    )
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    amount = models.DecimalField(
        _("amount"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, validators=[currency_validator]
    )
    plan_actions = models.ManyToManyField(
        PlanAction, blank=True, related_name="commitments", verbose_name=_("plan actions")
    )
    challenges = models.ManyToManyField(
        "challenges.Challenge",
        blank=True,
        related_name="commitments",
        verbose_name=_("challenges addressed"),
    )

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="delivered", delivered_on__isnull=False)
                | (~Q(status="delivered") & Q(delivered_on__isnull=True)),
                name="commitment_delivered_has_a_date",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | ~Q(currency=""),
                name="commitment_amount_has_a_currency",
            ),
        ]

    def __str__(self):
        return self.description[:80]

    def timeliness(self, today=None):
        """ "on_time", "late" (delivered after the date), "overdue" (not delivered, date
        passed), "pending", or "" (not delivered or cancelled)."""
        today = today or datetime.date.today()
        if self.status == CommitmentStatus.DELIVERED:
            return "on_time" if self.delivered_on <= self.due_on else "late"
        if self.status in {CommitmentStatus.CANCELLED, CommitmentStatus.NOT_DELIVERED}:
            return ""
        return "overdue" if self.due_on < today else "pending"


# Indicators ---------------------------------------------------------------------------------------


class Indicator(BaseModel):
    """A time-bound target. Linked to a partnership, a commitment or a plan action (at least
    one). Its dimensions (sex, age band, others) say how its values may be broken down."""

    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=60, help_text=_("For example: people, m², %."))
    baseline = models.DecimalField(_("baseline"), max_digits=18, decimal_places=2)
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=2)
    target_date = models.DateField(_("target date"))
    partnership = models.ForeignKey(
        Partnership,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("partnership"),
    )
    commitment = models.ForeignKey(
        Commitment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
        verbose_name=_("commitment"),
    )
    plan_action = models.ForeignKey(
        PlanAction,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
        verbose_name=_("plan action"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(partnership__isnull=False)
                | Q(commitment__isnull=False)
                | Q(plan_action__isnull=False),
                name="indicator_is_linked",
            )
        ]

    def __str__(self):
        return self.name


class IndicatorDimension(BaseModel):
    """One way of breaking an indicator's values down: its categories are
    [{"code": "female", "label": "Female"}, ...]. The standard ones are "sex" and "age"."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="dimensions")
    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveIntegerField(_("order"), default=1)
    categories = models.JSONField(_("categories"), default=list)

    class Meta:
        ordering = ["indicator", "order", "id"]
        verbose_name = _("disaggregation")
        verbose_name_plural = _("disaggregations")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "code"], name="dimension_code_unique")
        ]

    def __str__(self):
        return self.name


# Progress reports ---------------------------------------------------------------------------------


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report", "Draft")
    SUBMITTED = "submitted", _("Submitted")


class ProgressReport(BaseModel):
    """A partnership's report for one period. Locked once submitted; a correction is a new
    version (version + 1, `supersedes` the earlier one), and the latest submitted version of a
    period is the one that counts."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="progress_reports"
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_on = models.DateField(_("due"))
    version = models.PositiveIntegerField(_("version"), default=1)
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        verbose_name=_("corrects"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    narrative = models.TextField(_("narrative"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )

    class Meta:
        ordering = ["partnership", "-period_end", "-version"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "period_start", "period_end", "version"],
                name="one_report_version_per_period",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="report_period_in_order"
            ),
        ]

    def __str__(self):
        return f"{self.partnership} {self.period_start}–{self.period_end} v{self.version}"

    @property
    def is_locked(self):
        return self.status == ReportStatus.SUBMITTED


class IndicatorValue(BaseModel):
    """An indicator's value for a period: in a progress report, or (for plan actions) the
    State's own yearly figure. `parts` break the total down; see `IndicatorValuePart`."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    progress_report = models.ForeignKey(
        ProgressReport,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="values",
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    total = models.DecimalField(_("total"), max_digits=18, decimal_places=2)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["indicator", "period_end"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "progress_report"],
                condition=Q(progress_report__isnull=False),
                name="one_value_per_indicator_and_report",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period_start", "period_end"],
                condition=Q(progress_report__isnull=True),
                name="one_direct_value_per_indicator_and_period",
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.total}"


class IndicatorValuePart(models.Model):
    """One cell of a value's breakdown: {"sex": "female", "age": "under_18"} → amount. All
    parts of a value use the same dimensions; when every cell is given they add up to the total
    exactly, and a partial breakdown never exceeds it."""

    value = models.ForeignKey(IndicatorValue, on_delete=models.CASCADE, related_name="parts")
    categories = models.JSONField(_("categories"))
    amount = models.DecimalField(
        _("amount"), max_digits=18, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("breakdown cell")
        verbose_name_plural = _("breakdown cells")

    def __str__(self):
        return f"{self.categories}: {self.amount}"


class ReportReminder(models.Model):
    """One reminder sent about a period's report; the unique key makes sending idempotent."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="reminders")
    period_end = models.DateField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "period_end", "kind"], name="one_report_reminder_per_kind"
            )
        ]

    def __str__(self):
        return f"{self.partnership} {self.period_end} {self.kind}"
