"""Resource mobilisation: what the programme needs and what partners pledge, commit and
disburse, in any currency, converted to the country's base currency by year.

Money is Decimal everywhere (never float). A pledge is split over its years (`PledgeYear`,
the parts add up exactly to the pledge); the gap per year compares the requirement with the
pledged, committed and disbursed amounts of that year. IATI activity files import into
`IatiActivity` / `IatiTransaction` / `IatiBudget`, from which the importer derives pledges and
disbursements (`source="iati"`), matched by IATI identifier so that re-imports update.
"""

import datetime

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mineaction.core.choices import Component
from mineaction.core.models import BaseModel, currency_validator
from mineaction.stakeholders.models import Organisation

MONEY = {"max_digits": 18, "decimal_places": 2}


class ExchangeRate(BaseModel):
    """How much of the base currency one unit of `currency` was worth in `year` (the
    year's average rate, as the programme's finance unit sets it)."""

    currency = models.CharField(_("currency"), max_length=3, validators=[currency_validator])
    year = models.PositiveIntegerField(_("year"))
    rate = models.DecimalField(
        _("rate to the base currency"),
        max_digits=18,
        decimal_places=8,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        ordering = ["-year", "currency"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(fields=["currency", "year"], name="one_rate_per_year"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="rate_positive"),
        ]

    def __str__(self):
        return f"{self.currency} {self.year}: {self.rate}"


class Source(models.TextChoices):
    ENTERED = "entered", _("Entered")
    WORK_PLAN = "work_plan", _("Work plan budget")
    IATI = "iati", _("IATI import")


class FundingRequirement(BaseModel):
    """What the programme needs for one year, for a component and region or for all."""

    year = models.PositiveIntegerField(_("year"))
    amount = models.DecimalField(_("amount"), validators=[MinValueValidator(0)], **MONEY)
    currency = models.CharField(_("currency"), max_length=3, validators=[currency_validator])
    component = models.CharField(
        _("component"), max_length=30, choices=Component.choices, blank=True
    )
    region = models.ForeignKey(
        "landrelease.AdminArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funding_requirements",
        verbose_name=_("region"),
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.ENTERED
    )
    challenges = models.ManyToManyField(
        "challenges.Challenge",
        blank=True,
        related_name="funding_requirements",
        verbose_name=_("challenges addressed"),
    )

    class Meta:
        ordering = ["year", "component", "id"]
        verbose_name = _("funding requirement")
        verbose_name_plural = _("funding requirements")

    def __str__(self):
        return f"{self.year} {self.amount} {self.currency}"


class PledgeStatus(models.TextChoices):
    PLEDGED = "pledged", _("Pledged")
    COMMITTED = "committed", _("Committed")
    DISBURSED = "disbursed", _("Disbursed")


class Pledge(BaseModel):
    donor = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="pledges", verbose_name=_("donor")
    )
    recipient = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pledges_received",
        verbose_name=_("recipient"),
    )
    title = models.CharField(_("title"), max_length=300)
    amount = models.DecimalField(_("amount"), validators=[MinValueValidator(0)], **MONEY)
    currency = models.CharField(_("currency"), max_length=3, validators=[currency_validator])
    first_year = models.PositiveIntegerField(_("first year"))
    last_year = models.PositiveIntegerField(_("last year"))
    pledged_on = models.DateField(_("pledged on"), default=datetime.date.today)
    status = models.CharField(
        _("status"), max_length=10, choices=PledgeStatus.choices, default=PledgeStatus.PLEDGED
    )
    component = models.CharField(
        _("component"),
        max_length=30,
        choices=Component.choices,
        blank=True,
        help_text=_("Leave empty when the pledge is not earmarked."),
    )
    region = models.ForeignKey(
        "landrelease.AdminArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pledges",
        verbose_name=_("region"),
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pledges",
        verbose_name=_("partnership"),
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.ENTERED
    )
    iati_activity = models.ForeignKey(
        "IatiActivity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pledges",
        verbose_name=_("IATI activity"),
    )

    class Meta:
        ordering = ["-first_year", "donor__name", "id"]
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")), name="pledge_years_in_order"
            )
        ]

    def __str__(self):
        return self.title


class PledgeYear(models.Model):
    """The part of a pledge that falls in one year."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveIntegerField(_("year"))
    amount = models.DecimalField(_("amount"), validators=[MinValueValidator(0)], **MONEY)

    class Meta:
        ordering = ["pledge", "year"]
        verbose_name = _("pledge year")
        verbose_name_plural = _("pledge years")
        constraints = [
            models.UniqueConstraint(fields=["pledge", "year"], name="one_part_per_pledge_year")
        ]

    def __str__(self):
        return f"{self.pledge} {self.year}: {self.amount}"


class Disbursement(BaseModel):
    pledge = models.ForeignKey(
        Pledge,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="disbursements",
        verbose_name=_("pledge"),
    )
    donor = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="disbursements",
        verbose_name=_("donor"),
    )
    recipient = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disbursements_received",
        verbose_name=_("recipient"),
    )
    disbursed_on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, validators=[currency_validator])
    component = models.CharField(
        _("component"), max_length=30, choices=Component.choices, blank=True
    )
    region = models.ForeignKey(
        "landrelease.AdminArea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disbursements",
        verbose_name=_("region"),
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.ENTERED
    )
    iati_transaction = models.OneToOneField(
        "IatiTransaction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="disbursement",
    )

    class Meta:
        ordering = ["-disbursed_on", "id"]
        verbose_name = pgettext_lazy("funding", "disbursement")
        verbose_name_plural = pgettext_lazy("funding", "disbursements")

    def __str__(self):
        return f"{self.disbursed_on} {self.amount} {self.currency}"


# IATI ---------------------------------------------------------------------------------------------


class IatiActivity(BaseModel):
    """An IATI activity as last imported. `share` is the part of it that is mine action
    (sector 15250's percentage; 1 when the sector is given per transaction or at 100%)."""

    iati_identifier = models.CharField(_("IATI identifier"), max_length=200, unique=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    reporting_org_ref = models.CharField(_("reporting organisation (IATI id)"), max_length=200)
    reporting_org_name = models.CharField(_("reporting organisation"), max_length=300, blank=True)
    default_currency = models.CharField(_("default currency"), max_length=3, blank=True)
    recipient_countries = models.JSONField(_("recipient countries"), default=list)
    share = models.DecimalField(_("mine action share"), max_digits=7, decimal_places=4)
    activity_status = models.CharField(_("activity status"), max_length=2, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    last_updated = models.DateTimeField(_("last updated by the publisher"), null=True, blank=True)
    participating_orgs = models.JSONField(_("participating organisations"), default=list)
    standard_version = models.CharField(_("IATI version"), max_length=10)

    class Meta:
        ordering = ["iati_identifier"]
        verbose_name = _("IATI activity")
        verbose_name_plural = _("IATI activities")

    def __str__(self):
        return self.iati_identifier


class IatiTransaction(models.Model):
    class Type(models.TextChoices):
        INCOMING_FUNDS = "1", _("Incoming funds")
        OUTGOING_COMMITMENT = "2", _("Outgoing commitment")
        DISBURSEMENT = "3", pgettext_lazy("IATI", "Disbursement")
        EXPENDITURE = "4", _("Expenditure")
        INCOMING_COMMITMENT = "11", _("Incoming commitment")
        OUTGOING_PLEDGE = "12", _("Outgoing pledge")
        INCOMING_PLEDGE = "13", _("Incoming pledge")

    activity = models.ForeignKey(
        IatiActivity, on_delete=models.CASCADE, related_name="transactions"
    )
    position = models.PositiveIntegerField(help_text="Order of the transaction in the activity.")
    ref = models.CharField(max_length=200, blank=True)
    type = models.CharField(_("type"), max_length=2, choices=Type.choices)
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3)
    value_date = models.DateField(_("value date"), null=True, blank=True)
    share = models.DecimalField(_("mine action share"), max_digits=7, decimal_places=4)
    provider_org = models.CharField(_("provider"), max_length=300, blank=True)
    receiver_org = models.CharField(_("receiver"), max_length=300, blank=True)

    class Meta:
        ordering = ["activity", "position"]
        verbose_name = _("IATI transaction")
        verbose_name_plural = _("IATI transactions")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "position"], name="one_transaction_per_position"
            )
        ]

    def __str__(self):
        return f"{self.activity} {self.type} {self.date} {self.value} {self.currency}"


class IatiBudget(models.Model):
    activity = models.ForeignKey(IatiActivity, on_delete=models.CASCADE, related_name="budgets")
    position = models.PositiveIntegerField()
    type = models.CharField(_("type"), max_length=2, blank=True)
    status = models.CharField(_("status"), max_length=2, blank=True)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    value = models.DecimalField(_("value"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3)

    class Meta:
        ordering = ["activity", "position"]
        verbose_name = _("IATI budget")
        verbose_name_plural = _("IATI budgets")

    def __str__(self):
        return f"{self.activity} {self.period_start}–{self.period_end}: {self.value}"


class IatiImport(BaseModel):
    """One IATI file imported (or refused), with its report."""

    class Status(models.TextChoices):
        DONE = "done", _("Imported")
        REFUSED = "refused", _("Refused")

    original_name = models.CharField(_("file"), max_length=255)
    country = models.CharField(_("recipient country"), max_length=2, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    activities_created = models.PositiveIntegerField(default=0)
    activities_updated = models.PositiveIntegerField(default=0)
    activities_skipped = models.PositiveIntegerField(default=0)
    transactions = models.PositiveIntegerField(default=0)
    report = models.JSONField(_("report"), default=dict)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("IATI import")
        verbose_name_plural = _("IATI imports")

    def __str__(self):
        return f"{self.original_name} ({self.status})"
