"""The policy and standards tracker: laws, regulations, the national strategy, national mine
action standards (NMAS chapters, each following an IMAS), SOPs and the integration of mine action
into development plans, with the stage each has reached and the advocacy that moves it on.

An NMAS chapter records which edition of its IMAS it follows (`imas_edition_followed`); it lags
behind when the IMAS catalogue (`ImasStandard`) holds a newer edition.
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mineaction.core.choices import Component
from mineaction.core.models import BaseModel
from mineaction.core.search import Searchable
from mineaction.stakeholders.models import Organisation


class ImasStandard(BaseModel):
    """One International Mine Action Standard and its current edition."""

    reference = models.CharField(
        _("IMAS number"), max_length=20, unique=True, help_text=_("For example 07.11.")
    )
    title = models.CharField(_("title"), max_length=300)
    edition = models.CharField(
        _("current edition"), max_length=100, help_text=_("For example: Edition 2, Amendment 3.")
    )
    edition_date = models.DateField(_("date of the current edition"))

    class Meta:
        ordering = ["reference"]
        verbose_name = _("IMAS")
        verbose_name_plural = _("IMAS")

    def __str__(self):
        return f"IMAS {self.reference} {self.title}"


class InstrumentKind(models.TextChoices):
    LAW = "law", _("Law")
    REGULATION = "regulation", _("Regulation")
    NATIONAL_STRATEGY = "national_strategy", _("National strategy")
    NMAS_CHAPTER = "nmas_chapter", _("National mine action standard (NMAS chapter)")
    SOP = "sop", _("Standing operating procedure (SOP)")
    DEVELOPMENT_PLAN = "development_plan", _("Integration into a development plan")


class InstrumentStage(models.TextChoices):
    NEED_IDENTIFIED = "need_identified", _("Need identified")
    DRAFTING = "drafting", _("Drafting")
    CONSULTATION = "consultation", _("Consultation")
    SUBMITTED = "submitted", _("Submitted")
    ADOPTED = "adopted", _("Adopted")
    IN_FORCE = "in_force", _("In force")
    UNDER_REVISION = "under_revision", _("Under revision")


T = InstrumentStage
# An instrument moves forward one stage at a time, may be sent back to an earlier drafting
# stage (a rejected submission, a consultation that reopens the text), and once adopted or in
# force may go under revision, which starts the drafting again.
STAGE_TRANSITIONS = {
    T.NEED_IDENTIFIED: {T.DRAFTING},
    T.DRAFTING: {T.CONSULTATION, T.SUBMITTED, T.NEED_IDENTIFIED},
    T.CONSULTATION: {T.DRAFTING, T.SUBMITTED},
    T.SUBMITTED: {T.DRAFTING, T.CONSULTATION, T.ADOPTED},
    T.ADOPTED: {T.IN_FORCE, T.UNDER_REVISION},
    T.IN_FORCE: {T.UNDER_REVISION},
    T.UNDER_REVISION: {T.DRAFTING, T.CONSULTATION, T.SUBMITTED, T.ADOPTED, T.IN_FORCE},
}


class Instrument(Searchable, BaseModel):
    SEARCH_FIELDS = ("reference", "title", "description")

    kind = models.CharField(_("kind"), max_length=20, choices=InstrumentKind.choices)
    reference = models.CharField(
        _("reference"),
        max_length=60,
        blank=True,
        help_text=_("For example: NMAS 07.11, Law 12/2019."),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    component = models.CharField(
        _("component"), max_length=30, choices=Component.choices, default=Component.POLITICAL
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=InstrumentStage.choices, default=T.NEED_IDENTIFIED
    )
    stage_changed_on = models.DateField(_("stage since"), default=datetime.date.today)
    responsible_body = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="instruments",
        verbose_name=_("responsible body"),
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    version = models.CharField(
        _("version"), max_length=60, blank=True, help_text=_("The instrument's own version.")
    )
    version_date = models.DateField(_("version date"), null=True, blank=True)
    imas_standard = models.ForeignKey(
        ImasStandard,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nmas_chapters",
        verbose_name=_("IMAS followed"),
    )
    imas_edition_followed = models.DateField(
        _("IMAS edition followed"),
        null=True,
        blank=True,
        help_text=_("The date of the IMAS edition this chapter follows."),
    )
    link = models.URLField(_("link to the text"), blank=True)
    challenges = models.ManyToManyField(
        "challenges.Challenge",
        blank=True,
        related_name="instruments",
        verbose_name=_("challenges addressed"),
    )

    class Meta:
        ordering = ["kind", "reference", "title"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")

    def __str__(self):
        return f"{self.reference} {self.title}" if self.reference else self.title

    def allowed_stages(self):
        return [stage for stage in InstrumentStage if stage in STAGE_TRANSITIONS[self.stage]]

    @property
    def lags_imas(self):
        """An NMAS chapter following an older edition than the current IMAS."""
        return bool(
            self.imas_standard_id
            and self.imas_edition_followed
            and self.imas_edition_followed < self.imas_standard.edition_date
        )

    def is_overdue(self, today=None):
        done = {T.ADOPTED, T.IN_FORCE}
        today = today or datetime.date.today()
        return bool(self.target_date and self.target_date < today and self.stage not in done)


class StageChange(BaseModel):
    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(
        _("from"), max_length=20, choices=InstrumentStage.choices, blank=True
    )
    to_stage = models.CharField(_("to"), max_length=20, choices=InstrumentStage.choices)
    on = models.DateField(_("date"), default=datetime.date.today)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self):
        return f"{self.on}: {self.from_stage} → {self.to_stage}"


class AdvocacyKind(models.TextChoices):
    MEETING = "meeting", pgettext_lazy("advocacy", "Meeting")
    LETTER = "letter", _("Letter or submission")
    WORKSHOP = "workshop", _("Workshop or consultation")
    BRIEFING = "briefing", _("Briefing")
    MEDIA = "media", _("Public or media statement")
    OTHER = "other", pgettext_lazy("advocacy", "Other")


class AdvocacyAction(BaseModel):
    """One step of advocacy for an instrument: who did what, when, and what came of it."""

    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="advocacy_actions"
    )
    on = models.DateField(_("date"), default=datetime.date.today)
    kind = models.CharField(_("kind"), max_length=10, choices=AdvocacyKind.choices)
    description = models.TextField(_("what was done"))
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="advocacy_actions",
        verbose_name=_("by organisation"),
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("at platform meeting"),
    )
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("advocacy action")
        verbose_name_plural = _("advocacy log")

    def __str__(self):
        return f"{self.on}: {self.description[:60]}"
