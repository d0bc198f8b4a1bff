"""Instruments: recording and editing them, moving them through their stages, and the reads the
list, the exports and the API share.

The pages, the API and the admin go through these functions, so an instrument is validated and
its stage history written the same way everywhere.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from mineaction.core import access
from mineaction.policies.models import (
    STAGE_TRANSITIONS,
    Instrument,
    InstrumentKind,
    InstrumentStage,
    StageChange,
)

# An instrument whose target date has passed is late until it is adopted or in force.
DONE_STAGES = (InstrumentStage.ADOPTED, InstrumentStage.IN_FORCE)


def local_date(value):
    return date_format(value, "DATE_FORMAT")


# Reads -----------------------------------------------------------------------------------------


def overdue_condition(today):
    return Q(target_date__lt=today) & ~Q(stage__in=DONE_STAGES)


def instruments_for_list(queryset=None, *, today=None):
    """Instruments with what a list row shows, and `overdue` as a column (as `is_overdue`)."""
    queryset = Instrument.objects.all() if queryset is None else queryset
    today = today or timezone.localdate()
    return queryset.select_related("responsible_body", "imas_standard").annotate(
        overdue=ExpressionWrapper(overdue_condition(today), output_field=BooleanField())
    )


def stage_counts(queryset):
    """[{"stage", "label", "count"}] for every stage in pipeline order (zero included)."""
    rows = queryset.order_by().values("stage").annotate(count=Count("id"))
    counts = {row["stage"]: row["count"] for row in rows}
    return [
        {"stage": stage.value, "label": stage.label, "count": counts.get(stage.value, 0)}
        for stage in InstrumentStage
    ]


def visible_challenges_of(instrument, user):
    """The challenges the instrument addresses that the user may see."""
    return access.visible_challenges(user, instrument.challenges.all()).order_by("-number")


# Validation ------------------------------------------------------------------------------------


def instrument_problems(*, kind, imas_standard, imas_edition_followed, today=None):
    """Messages per field about the IMAS an instrument follows; empty when acceptable.

    Only an NMAS chapter follows an IMAS, and it must say which one and which edition, so that
    the standards view can tell whether it lags behind."""
    today = today or timezone.localdate()
    errors = {}
    if kind != InstrumentKind.NMAS_CHAPTER:
        if imas_standard is not None:
            errors["imas_standard"] = [
                _("Only an NMAS chapter follows an IMAS: leave this empty for other kinds.")
            ]
        if imas_edition_followed is not None:
            errors["imas_edition_followed"] = [
                _("Only an NMAS chapter follows an IMAS edition: leave this empty for other kinds.")
            ]
        return errors
    if imas_standard is None:
        errors["imas_standard"] = [_("An NMAS chapter needs the IMAS it follows.")]
    if imas_edition_followed is None:
        errors["imas_edition_followed"] = [
            _("Enter the date of the IMAS edition this chapter follows.")
        ]
    elif imas_edition_followed > today:
        errors["imas_edition_followed"] = [_("The edition followed cannot be in the future.")]
    elif imas_standard is not None and imas_edition_followed > imas_standard.edition_date:
        errors["imas_edition_followed"] = [
            _(
                "IMAS %(reference)s's current edition is dated %(current)s: the edition "
                "followed cannot be newer. Update the IMAS catalogue first."
            )
            % {
                "reference": imas_standard.reference,
                "current": local_date(imas_standard.edition_date),
            }
        ]
    return errors


def stage_problem(instrument, to_stage):
    """Why `instrument` may not move to `to_stage`, or None."""
    if to_stage not in InstrumentStage.values:
        return _("Unknown stage: %(value)s.") % {"value": to_stage}
    if to_stage in STAGE_TRANSITIONS[instrument.stage]:
        return None
    allowed = ", ".join(str(stage.label) for stage in instrument.allowed_stages())
    return _(
        "An instrument cannot move from “%(from)s” to “%(to)s”. From “%(from)s” it can "
        "move to: %(allowed)s."
    ) % {
        "from": InstrumentStage(instrument.stage).label,
        "to": InstrumentStage(to_stage).label,
        "allowed": allowed,
    }


def stage_date_problem(instrument, on, *, today=None):
    """Why a stage change of `instrument` may not be dated `on`, or None."""
    today = today or timezone.localdate()
    if on is None:
        return _("Enter the date of the stage change.")
    if on > today:
        return _("The date of a stage change cannot be in the future.")
    if on < instrument.stage_changed_on:
        return _("The date cannot be before the last stage change (%(date)s).") % {
            "date": local_date(instrument.stage_changed_on)
        }
    return None


def first_stage_date_problem(on, *, today=None):
    today = today or timezone.localdate()
    if on is None:
        return _("Enter the date since which the instrument is at this stage.")
    if on > today:
        return _("The date cannot be in the future.")
    return None


# Changes ---------------------------------------------------------------------------------------


@transaction.atomic
def instrument_save(*, form):
    """Save a valid instrument form; a new instrument starts its stage history with the stage
    it was recorded at."""
    creating = form.instance._state.adding
    instrument = form.save()
    if creating:
        StageChange.objects.create(
            instrument=instrument, to_stage=instrument.stage, on=instrument.stage_changed_on
        )
    return instrument


@transaction.atomic
def instrument_change_stage(*, instrument, to_stage, on=None, note="", today=None):
    """Move `instrument` to `to_stage` on `on` (default today), recording the change. Raises
    ValidationError (by field) and changes nothing when the move is not in STAGE_TRANSITIONS or
    the date is in the future or before the last change."""
    instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    today = today or timezone.localdate()
    on = today if on is None else on
    errors = {}
    problem = stage_problem(instrument, to_stage)
    if problem:
        errors["to_stage"] = [problem]
    date_problem = stage_date_problem(instrument, on, today=today)
    if date_problem:
        errors["on"] = [date_problem]
    if errors:
        raise ValidationError(errors)
    change = StageChange.objects.create(
        instrument=instrument,
        from_stage=instrument.stage,
        to_stage=to_stage,
        on=on,
        note=(note or "").strip(),
    )
    instrument.stage = to_stage
    instrument.stage_changed_on = on
    instrument.save(update_fields=["stage", "stage_changed_on", "updated_at"])
    return change
