import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mineaction.core.choices import Component, Role
from mineaction.core.models import BaseModel


class OrganisationType(models.TextChoices):
    NATIONAL_AUTHORITY = "national_authority", _("National mine action authority or centre")
    GOVERNMENT_MINISTRY = "government_ministry", _("Government ministry or agency")
    DONOR_STATE = "donor_state", _("Donor State")
    UN_AGENCY = "un_agency", _("UN agency")
    INTERNATIONAL_ORGANISATION = "international_organisation", _("International organisation")
    INTERNATIONAL_NGO = "international_ngo", _("International NGO")
    NATIONAL_NGO = "national_ngo", _("National NGO")
    COMMERCIAL_OPERATOR = "commercial_operator", _("Commercial operator")
    ACADEMIC = "academic", _("Academic or research institution")
    AFFECTED_COMMUNITY = "affected_community", _("Affected-community or survivor organisation")
    OTHER = "other", pgettext_lazy("organisation type", "Other")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNDISCLOSED = "undisclosed", _("Prefers not to say")


class AgeBand(models.TextChoices):
    UNDER_18 = "under_18", _("Under 18")
    FROM_18_TO_29 = "18_29", _("18 to 29")
    FROM_30_TO_44 = "30_44", _("30 to 44")
    FROM_45_TO_59 = "45_59", _("45 to 59")
    FROM_60 = "60_plus", _("60 and over")
    UNDISCLOSED = "undisclosed", _("Prefers not to say")


class SurvivorStatus(models.TextChoices):
    UNKNOWN = "unknown", _("Not recorded")
    SURVIVOR = "survivor", _("Survivor")
    INDIRECT_VICTIM = "indirect_victim", _("Indirect victim (family member)")
    NOT_SURVIVOR = "not_survivor", _("Not a survivor")


class Organisation(BaseModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    type = models.CharField(_("type"), max_length=40, choices=OrganisationType.choices)
    country = models.CharField(
        _("country (ISO alpha-3)"),
        max_length=3,
        blank=True,
        help_text=_("Where the organisation is based."),
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("general email"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    iati_identifier = models.CharField(
        _("IATI organisation identifier"),
        max_length=100,
        blank=True,
        db_index=True,
        help_text=_("For example GB-GOV-1: IATI files name organisations by it."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class Person(BaseModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name=_("log-in"),
    )
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    email = models.EmailField(_("email address"), unique=True, null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("organisation"),
    )
    sex = models.CharField(_("sex"), max_length=12, choices=Sex.choices, default=Sex.UNDISCLOSED)
    age_band = models.CharField(
        _("age band"), max_length=12, choices=AgeBand.choices, default=AgeBand.UNDISCLOSED
    )
    survivor_status = models.CharField(
        _("survivor status"),
        max_length=20,
        choices=SurvivorStatus.choices,
        default=SurvivorStatus.UNKNOWN,
        help_text=_("Sensitive: only the lead authority and the secretariat see it."),
    )
    language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )

    class Meta:
        ordering = ["family_name", "given_name"]
        # The people list and the API page through people in this order.
        indexes = [
            models.Index(fields=["family_name", "given_name", "id"], name="person_name_order")
        ]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return f"{self.given_name} {self.family_name}"

    def save(self, *args, **kwargs):
        if self.email:
            self.email = self.email.strip().lower()
        else:
            self.email = None
        super().save(*args, **kwargs)


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on), starts_on__lte=on)


class Membership(BaseModel):
    """A person's role in the platform for a dated term (open-ended when `ends_on` is empty)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    starts_on = models.DateField(_("term starts"), default=datetime.date.today)
    ends_on = models.DateField(_("term ends"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="membership_term_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_role_display()}"

    def clean(self):
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A term cannot end before it starts.")})
        if self.person_id and self.starts_on:
            overlapping = Membership.objects.filter(person_id=self.person_id, role=self.role)
            overlapping = overlapping.exclude(pk=self.pk).filter(
                Q(ends_on__isnull=True) | Q(ends_on__gte=self.starts_on)
            )
            if self.ends_on:
                overlapping = overlapping.filter(starts_on__lte=self.ends_on)
            if overlapping.exists():
                raise ValidationError(
                    _("This person already holds this role for part of that term.")
                )


class LeadDonorTermQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on, ends_on__gte=on).select_related("organisation")


class LeadDonorTerm(BaseModel):
    """One term in the lead donor rotation. Terms never overlap; today's term is the current."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="lead_donor_terms",
        verbose_name=_("lead donor"),
    )
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ends"))
    notes = models.CharField(_("decision or notes"), max_length=300, blank=True)

    objects = LeadDonorTermQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("lead donor term")
        verbose_name_plural = _("lead donor rotation")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="lead_donor_term_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} {self.starts_on} – {self.ends_on}"

    def clean(self):
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A term cannot end before it starts.")})
        if self.organisation_id and self.organisation.type not in {
            OrganisationType.DONOR_STATE,
            OrganisationType.INTERNATIONAL_ORGANISATION,
            OrganisationType.UN_AGENCY,
        }:
            raise ValidationError(
                {
                    "organisation": _(
                        "The lead donor must be a donor State, a UN agency or an international "
                        "organisation."
                    )
                }
            )
        if self.starts_on and self.ends_on:
            clash = (
                LeadDonorTerm.objects.exclude(pk=self.pk)
                .filter(starts_on__lte=self.ends_on, ends_on__gte=self.starts_on)
                .first()
            )
            if clash:
                raise ValidationError(
                    _("This term overlaps the term of %(organisation)s (%(start)s to %(end)s).")
                    % {
                        "organisation": clash.organisation,
                        "start": clash.starts_on,
                        "end": clash.ends_on,
                    }
                )


class WorkingGroup(BaseModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    component = models.CharField(_("component"), max_length=30, choices=Component.choices)
    mandate = models.TextField(_("mandate"), blank=True)
    conveners = models.ManyToManyField(
        Person, related_name="convened_working_groups", blank=True, verbose_name=_("conveners")
    )
    members = models.ManyToManyField(
        Person, related_name="working_groups", blank=True, verbose_name=_("members")
    )

    class Meta:
        ordering = ["component", "name"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")

    def __str__(self):
        return self.name
