"""The action plan catalogue: the State's assessment of each action per year, progress per
section, managers' changes to an action, and loading a plan from a CSV file.

A year's status of an action is its assessment for that year; an action that does not apply to
the State counts as not applicable whatever was assessed; an action without an assessment for
the year is "not assessed". The pages, the API and the command call these functions, so the
figures and the rules are the same everywhere.
"""

import re
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mineaction.core.csvfiles import ImportIssue, read_rows
from mineaction.partnerships import action_plan_data
from mineaction.partnerships.models import (
    ActionAssessment,
    ActionPlan,
    ActionStatus,
    PlanAction,
    PlanSection,
)

NOT_ASSESSED = "not_assessed"
# The order of the progress columns: what is done first, what is unknown last.
PROGRESS_KEYS = (
    ActionStatus.ACHIEVED.value,
    ActionStatus.IN_PROGRESS.value,
    ActionStatus.NOT_STARTED.value,
    ActionStatus.NOT_APPLICABLE.value,
    NOT_ASSESSED,
)
PROGRESS_LABELS = {
    **dict(ActionStatus.choices),
    NOT_ASSESSED: _("Not assessed"),
}


def status_label(key):
    return PROGRESS_LABELS.get(key, key)


def default_year(plan, today=None):
    """The year a plan's progress is shown for: this year inside the plan's years, its last
    year once it is over, its first year before it begins."""
    year = (today or timezone.localdate()).year
    return min(max(year, plan.first_year), plan.last_year)


def year_status(action, assessment):
    """The action's status for a year, given its assessment of that year (or None)."""
    if not action.applies_to_state:
        return ActionStatus.NOT_APPLICABLE.value
    return assessment.status if assessment is not None else NOT_ASSESSED


def empty_counts():
    return dict.fromkeys(PROGRESS_KEYS, 0)


def add_counts(total, counts):
    for key in PROGRESS_KEYS:
        total[key] += counts[key]
    return total


# Progress --------------------------------------------------------------------------------------


@dataclass
class SectionProgress:
    section: PlanSection
    actions: list = field(default_factory=list)  # [(PlanAction, status, ActionAssessment|None)]
    counts: dict = field(default_factory=empty_counts)

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def counts_in_order(self):
        return [(key, status_label(key), self.counts[key]) for key in PROGRESS_KEYS]


@dataclass
class PlanProgress:
    plan: ActionPlan
    year: int
    sections: list = field(default_factory=list)
    counts: dict = field(default_factory=empty_counts)

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def counts_in_order(self):
        return [(key, status_label(key), self.counts[key]) for key in PROGRESS_KEYS]


def plans_progress(plans, years):
    """[PlanProgress] of `plans` for `years` ({plan pk: year}): three queries, however many
    plans, sections and actions."""
    plans = list(plans)
    sections = PlanSection.objects.filter(action_plan__in=plans).order_by("action_plan", "order")
    actions = PlanAction.objects.filter(section__action_plan__in=plans).order_by("number")
    assessments = {
        (assessment.plan_action_id, assessment.year): assessment
        for assessment in ActionAssessment.objects.filter(
            plan_action__section__action_plan__in=plans, year__in=set(years.values())
        )
    }
    progress = {plan.pk: PlanProgress(plan=plan, year=years[plan.pk]) for plan in plans}
    by_section = {}
    for section in sections:
        by_section[section.pk] = SectionProgress(section=section)
        progress[section.action_plan_id].sections.append(by_section[section.pk])
    for action in actions:
        section_progress = by_section[action.section_id]
        year = progress[section_progress.section.action_plan_id].year
        assessment = assessments.get((action.pk, year))
        status = year_status(action, assessment)
        section_progress.actions.append((action, status, assessment))
        section_progress.counts[status] += 1
    for plan_progress in progress.values():
        for section_progress in plan_progress.sections:
            add_counts(plan_progress.counts, section_progress.counts)
    return [progress[plan.pk] for plan in plans]


def plan_progress(plan, year):
    return plans_progress([plan], {plan.pk: year})[0]


def progress_json(progress, *, with_actions=False, action_extra=None):
    """The JSON twin of a plan's progress per section."""

    def section_json(section_progress):
        body = {
            "public_id": str(section_progress.section.public_id),
            "number": section_progress.section.number,
            "title": section_progress.section.title,
            "counts": dict(section_progress.counts),
            "total": section_progress.total,
        }
        if with_actions:
            body["actions"] = [
                {
                    "public_id": str(action.public_id),
                    "number": action.number,
                    "short_title": action.short_title,
                    "applies_to_state": action.applies_to_state,
                    "status": status,
                    "evidence": assessment.evidence if assessment else "",
                    **(action_extra(action) if action_extra else {}),
                }
                for action, status, assessment in section_progress.actions
            ]
        return body

    plan = progress.plan
    return {
        "public_id": str(plan.public_id),
        "code": plan.code,
        "title": plan.title,
        "first_year": plan.first_year,
        "last_year": plan.last_year,
        "adopted_at": plan.adopted_at,
        "year": progress.year,
        "counts": dict(progress.counts),
        "total": progress.total,
        "sections": [section_json(section) for section in progress.sections],
    }


# Assessments and changes -----------------------------------------------------------------------


def assessment_problems(*, plan_action, year, status, today=None):
    """Messages per field for an assessment; empty when it may be recorded."""
    errors = {}
    plan = plan_action.section.action_plan
    this_year = (today or timezone.localdate()).year
    if year is None:
        errors["year"] = [_("Enter the year the assessment is for.")]
    elif year < plan.first_year:
        errors["year"] = [
            _("%(plan)s starts in %(first)s: assess a year from %(first)s on.")
            % {"plan": plan.title, "first": plan.first_year}
        ]
    elif year > this_year:
        errors["year"] = [
            _("%(year)s is in the future: assess this year or an earlier one.") % {"year": year}
        ]
    if status not in ActionStatus.values:
        errors["status"] = [_("Choose the action's status.")]
    return errors


@transaction.atomic
def action_assess(*, plan_action, year, status, evidence="", today=None):
    """Record the State's assessment of an action for a year: one per year, a new assessment
    of the same year replaces the earlier one. Returns (assessment, created)."""
    errors = assessment_problems(plan_action=plan_action, year=year, status=status, today=today)
    if errors:
        raise ValidationError(errors)
    assessment = (
        ActionAssessment.objects.select_for_update()
        .filter(plan_action=plan_action, year=year)
        .first()
    )
    if assessment is None:
        return ActionAssessment.objects.create(
            plan_action=plan_action, year=year, status=status, evidence=evidence or ""
        ), True
    assessment.status, assessment.evidence = status, evidence or ""
    assessment.save()
    return assessment, False


@transaction.atomic
def plan_action_update(*, plan_action, short_title, applies_to_state):
    """A manager's wording of the action's short title, and whether it applies to the State."""
    short_title = (short_title or "").strip()
    if not short_title:
        raise ValidationError({"short_title": [_("Give the action a short title.")]})
    plan_action.short_title = short_title
    plan_action.applies_to_state = bool(applies_to_state)
    plan_action.save()
    return plan_action


# Loading a plan from a CSV file ----------------------------------------------------------------

IMPORT_COLUMNS = (
    "plan_code",
    "plan_title",
    "first_year",
    "last_year",
    "section_number",
    "section_title",
    "action_number",
    "short_title",
)
PLAN_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,19}$")
LIMITS = {"plan_title": 200, "section_number": 10, "section_title": 200, "short_title": 300}
FIRST_POSSIBLE_YEAR, LAST_POSSIBLE_YEAR = 1997, 2100


@dataclass
class ImportReport:
    errors: list = field(default_factory=list)
    tally: dict = field(default_factory=dict)

    @property
    def ok(self):
        return not self.errors

    def count(self, kind, outcome):
        return self.tally.get(kind, {}).get(outcome, 0)


def _read_rows(content, report):
    return read_rows(
        content, IMPORT_COLUMNS, errors=report.errors, empty_message=_("The file has no actions.")
    )


def _whole_number(values, name, problems, *, low, high):
    try:
        number = int(values[name])
    except ValueError:
        problems.append(
            _("%(column)s: “%(value)s” is not a whole number.")
            % {"column": name, "value": values[name]}
        )
        return None
    if not low <= number <= high:
        problems.append(
            _("%(column)s: %(value)s is not between %(low)s and %(high)s.")
            % {"column": name, "value": number, "low": low, "high": high}
        )
        return None
    return number


def _row_problems(values):
    """(messages, cleaned values) of one line, each message after its column's name."""
    problems = []
    for name in IMPORT_COLUMNS:
        if not values[name]:
            problems.append(_("%(column)s: this value is required.") % {"column": name})
    for name, limit in LIMITS.items():
        if len(values[name]) > limit:
            problems.append(
                _("%(column)s: at most %(limit)s characters.") % {"column": name, "limit": limit}
            )
    if values["plan_code"] and not PLAN_CODE.match(values["plan_code"]):
        problems.append(
            _("plan_code: use at most 20 lowercase letters, digits, hyphens or underscores.")
        )
    cleaned = dict(values)
    for name in ("first_year", "last_year"):
        if values[name]:
            cleaned[name] = _whole_number(
                values, name, problems, low=FIRST_POSSIBLE_YEAR, high=LAST_POSSIBLE_YEAR
            )
    if values["action_number"]:
        cleaned["action_number"] = _whole_number(
            values, "action_number", problems, low=1, high=9999
        )
    first, last = cleaned.get("first_year"), cleaned.get("last_year")
    if isinstance(first, int) and isinstance(last, int) and last < first:
        problems.append(_("last_year: the plan cannot end before its first year."))
    return problems, cleaned


def _consistency_problems(line, cleaned, seen):
    """What contradicts an earlier line of the same plan: its title and years, a section's
    title, an action number already given."""
    problems = []
    code = cleaned["plan_code"]
    plan_line, plan_values = seen["plans"].setdefault(
        code, (line, tuple(cleaned[name] for name in ("plan_title", "first_year", "last_year")))
    )
    if plan_values != tuple(cleaned[name] for name in ("plan_title", "first_year", "last_year")):
        problems.append(
            _("The plan's title or years differ from line %(line)s.") % {"line": plan_line}
        )
    section_key = (code, cleaned["section_number"])
    section_line, section_title = seen["sections"].setdefault(
        section_key, (line, cleaned["section_title"])
    )
    if section_title != cleaned["section_title"]:
        problems.append(
            _("Section %(number)s has another title on line %(line)s.")
            % {"number": cleaned["section_number"], "line": section_line}
        )
    action_key = (code, cleaned["action_number"])
    if action_key in seen["actions"]:
        problems.append(
            _("Action %(number)s is already on line %(line)s.")
            % {"number": cleaned["action_number"], "line": seen["actions"][action_key]}
        )
    else:
        seen["actions"][action_key] = line
    return problems


def _plans_from_rows(rows, report):
    """The rows as `action_plan_data.PLANS`-shaped plans; every problem goes to the report."""
    seen = {"plans": {}, "sections": {}, "actions": {}}
    plans = {}
    for line, values in rows:
        problems, cleaned = _row_problems(values)
        if not problems:
            problems = _consistency_problems(line, cleaned, seen)
        if problems:
            report.errors.append(ImportIssue(line, " ".join(str(p) for p in problems)))
            continue
        plan = plans.setdefault(
            cleaned["plan_code"],
            {
                "code": cleaned["plan_code"],
                "title": cleaned["plan_title"],
                "first_year": cleaned["first_year"],
                "last_year": cleaned["last_year"],
                "sections": [],
                "by_number": {},
            },
        )
        section = plan["by_number"].get(cleaned["section_number"])
        if section is None:
            section = {
                "number": cleaned["section_number"],
                "title": cleaned["section_title"],
                "actions": [],
            }
            plan["by_number"][section["number"]] = section
            plan["sections"].append(section)
        section["actions"].append((cleaned["action_number"], cleaned["short_title"]))
    return list(plans.values())


def action_plan_import(content):
    """Load the action plan CSV `content` (bytes) into the catalogue: every line or none.

    Plans are matched by code, sections by number and actions by plan and number, so loading a
    corrected list updates the short titles and moves actions between sections; actions of the
    catalogue that the file leaves out are kept (the State may have assessed them)."""
    report = ImportReport()
    rows = _read_rows(content, report)
    if rows is None:
        return report
    plans = _plans_from_rows(rows, report)
    if report.errors:
        report.errors.sort(key=lambda issue: issue.line)
        return report
    with transaction.atomic():
        report.tally = action_plan_data.load(plans, apps)
    return report
