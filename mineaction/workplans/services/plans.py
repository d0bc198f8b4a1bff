"""Work plans, their activities, progress updates and milestones: every check and every change.

The pages, the API and the demo data call these functions, so a plan, an activity or a
milestone is validated and changed the same way everywhere. The `*_problems` functions return
messages per field (empty when the values are acceptable); the forms show them and the changes
below refuse with them, writing nothing.
"""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mineaction.workplans.models import (
    Activity,
    ActivityStatus,
    ActivityUpdate,
)

# Progress at 100 % means the activity is completed, and a completed activity is at 100 %.
COMPLETE = 100
CENT = Decimal("0.01")
# Activities named in a message about the plan's dates, at most.
NAMED_ACTIVITIES = 5


def day(value):
    """A date in the reader's language, as the pages show it."""
    return formats.date_format(value, "DATE_FORMAT")


def period_text(work_plan):
    return _("%(start)s to %(end)s") % {
        "start": day(work_plan.starts_on),
        "end": day(work_plan.ends_on),
    }


# Plans -------------------------------------------------------------------------------------------


def work_plan_problems(*, work_plan, starts_on, ends_on):
    """Messages per field for a plan's period: it ends after it starts, and it still holds the
    dates of its activities and milestones."""
    if starts_on is None or ends_on is None:
        return {}
    if ends_on < starts_on:
        return {"ends_on": [_("A work plan cannot end before it starts.")]}
    if work_plan is None or work_plan.pk is None:
        return {}
    errors = []
    outside = list(
        work_plan.activities.exclude(starts_on__gte=starts_on, ends_on__lte=ends_on).order_by(
            "starts_on", "code", "id"
        )
    )
    if outside:
        names = ", ".join(str(activity) for activity in outside[:NAMED_ACTIVITIES])
        errors.append(
            ngettext(
                "%(count)s activity falls outside these dates (%(names)s). Change its dates "
                "first, or choose a period that holds it.",
                "%(count)s activities fall outside these dates (%(names)s). Change their dates "
                "first, or choose a period that holds them.",
                len(outside),
            )
            % {"count": len(outside), "names": names}
        )
    milestones = work_plan.milestones.exclude(due_on__gte=starts_on, due_on__lte=ends_on).count()
    if milestones:
        errors.append(
            ngettext(
                "%(count)s milestone falls due outside these dates. Change its due date first.",
                "%(count)s milestones fall due outside these dates. Change their due dates first.",
                milestones,
            )
            % {"count": milestones}
        )
    return {"ends_on": errors} if errors else {}


@transaction.atomic
def work_plan_save(*, form):
    """Save a plan from its validated form (create or edit)."""
    work_plan = form.instance
    errors = work_plan_problems(
        work_plan=work_plan, starts_on=work_plan.starts_on, ends_on=work_plan.ends_on
    )
    if errors:
        raise ValidationError(errors)
    return form.save()


def with_activity_counts(plans):
    return plans.annotate(activity_count=Count("activities", distinct=True))


def budget_totals_by_plan(plan_ids):
    """{plan id: [(currency, total budget)]} of the activities not cancelled, by currency."""
    rows = (
        Activity.objects.filter(work_plan_id__in=plan_ids, budget__isnull=False)
        .exclude(status=ActivityStatus.CANCELLED)
        .values("work_plan_id", "currency")
        .annotate(total=Sum("budget"))
        .order_by("work_plan_id", "currency")
    )
    totals = defaultdict(list)
    for row in rows:
        # SQLite sums decimals without their scale: give every total its cents.
        totals[row["work_plan_id"]].append((row["currency"], row["total"].quantize(CENT)))
    return totals


def budget_totals(activities):
    """[(currency, total)] of the loaded activities that are not cancelled."""
    totals = defaultdict(Decimal)
    for activity in activities:
        if activity.budget is not None and activity.status != ActivityStatus.CANCELLED:
            totals[activity.currency] += activity.budget
    return sorted(totals.items())


# Activities ------------------------------------------------------------------------------------


def activity_problems(*, work_plan, starts_on, ends_on, budget, currency):
    """Messages per field for an activity's dates and budget."""
    errors = {}
    if starts_on is not None and ends_on is not None:
        if ends_on < starts_on:
            errors["ends_on"] = [_("An activity cannot end before it starts.")]
        elif starts_on < work_plan.starts_on or ends_on > work_plan.ends_on:
            errors["ends_on"] = [
                _(
                    "The activity must take place within the period of the plan “%(plan)s”: "
                    "%(period)s."
                )
                % {"plan": work_plan.title, "period": period_text(work_plan)}
            ]
    if budget is not None and budget < 0:
        errors["budget"] = [_("A budget cannot be negative.")]
    if budget is not None and not currency:
        errors["currency"] = [_("Enter the currency of the budget, such as USD.")]
    return errors


@transaction.atomic
def activity_save(*, form):
    """Save an activity from its validated form (create or edit), with the challenges it
    addresses."""
    activity = form.instance
    errors = activity_problems(
        work_plan=activity.work_plan,
        starts_on=activity.starts_on,
        ends_on=activity.ends_on,
        budget=activity.budget,
        currency=activity.currency,
    )
    if errors:
        raise ValidationError(errors)
    return form.save()


def activity_delete_problem(activity):
    """Why the activity may not be deleted, or None: its milestones would go with it."""
    count = activity.milestones.count()
    if not count:
        return None
    return ngettext(
        "This activity has %(count)s milestone. Delete it, or attach it to the plan as a "
        "whole, before deleting the activity.",
        "This activity has %(count)s milestones. Delete them, or attach them to the plan as a "
        "whole, before deleting the activity.",
        count,
    ) % {"count": count}


@transaction.atomic
def activity_delete(*, activity):
    """Delete an activity with its progress updates; refused while it has milestones."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    problem = activity_delete_problem(activity)
    if problem:
        raise ValidationError(problem)
    activity.delete()


def progress_problems(*, activity, on, status, progress_percent, today=None):
    """Messages per field for a progress update, and the progress it records (a completed
    activity is at 100 percent when no figure is given)."""
    today = today or timezone.localdate()
    errors = {}
    if status not in ActivityStatus.values:
        errors["status"] = [_("Choose the status of the activity after this update.")]
    if progress_percent is None and status == ActivityStatus.COMPLETED:
        progress_percent = COMPLETE
    if progress_percent is None:
        errors["progress_percent"] = [_("Enter the progress, a percentage from 0 to 100.")]
    elif not 0 <= progress_percent <= COMPLETE:
        errors["progress_percent"] = [_("The progress is a percentage from 0 to 100.")]
    elif status == ActivityStatus.COMPLETED and progress_percent != COMPLETE:
        errors["progress_percent"] = [
            _("A completed activity is 100 percent done. Enter 100, or choose another status.")
        ]
    elif progress_percent == COMPLETE and status in set(ActivityStatus.values) - {
        ActivityStatus.COMPLETED
    }:
        errors["progress_percent"] = [
            _("Progress of 100 percent means the activity is completed: choose “Completed”.")
        ]
    if on is None:
        errors["on"] = [_("Enter the date of the update.")]
    elif on > today:
        errors["on"] = [_("The date of an update cannot be in the future.")]
    else:
        last = activity.updates.order_by("-on", "-id").first()
        if last is not None and on < last.on:
            errors["on"] = [
                _("The date cannot be before the last progress update (%(date)s).")
                % {"date": day(last.on)}
            ]
    return errors, progress_percent


@transaction.atomic
def activity_progress_add(*, activity, on, status, progress_percent=None, note=""):
    """Record progress on an activity and leave the activity in that status and progress.
    Raises ValidationError (by field) and writes nothing when the update is not acceptable."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    errors, progress_percent = progress_problems(
        activity=activity, on=on, status=status, progress_percent=progress_percent
    )
    if errors:
        raise ValidationError(errors)
    update = ActivityUpdate.objects.create(
        activity=activity,
        on=on,
        status=status,
        progress_percent=progress_percent,
        note=(note or "").strip(),
    )
    if (activity.status, activity.progress_percent) != (status, progress_percent):
        activity.status = status
        activity.progress_percent = progress_percent
        activity.save(update_fields=["status", "progress_percent", "updated_at"])
    return update


# Milestones ------------------------------------------------------------------------------------


def milestone_problems(*, work_plan, activity, due_on, achieved_on, today=None):
    today = today or timezone.localdate()
    errors = {}
    if activity is not None and activity.work_plan_id != work_plan.pk:
        errors["activity"] = [_("The activity belongs to another work plan.")]
    if due_on is not None and not work_plan.starts_on <= due_on <= work_plan.ends_on:
        errors["due_on"] = [
            _("The milestone must fall due within the period of the plan “%(plan)s”: %(period)s.")
            % {"plan": work_plan.title, "period": period_text(work_plan)}
        ]
    if achieved_on is not None and achieved_on > today:
        errors["achieved_on"] = [_("A milestone cannot be achieved on a date in the future.")]
    return errors


@transaction.atomic
def milestone_save(*, form):
    """Save a milestone from its validated form (create or edit)."""
    milestone = form.instance
    errors = milestone_problems(
        work_plan=milestone.work_plan,
        activity=milestone.activity,
        due_on=milestone.due_on,
        achieved_on=milestone.achieved_on,
    )
    if errors:
        raise ValidationError(errors)
    return form.save()


@transaction.atomic
def milestone_delete(*, milestone):
    milestone.delete()


def milestone_state(milestone, today):
    """ "achieved", "overdue" (past its due date, not achieved) or "due"."""
    if milestone.achieved_on is not None:
        return "achieved"
    if milestone.due_on < today:
        return "overdue"
    return "due"
