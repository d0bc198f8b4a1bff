"""Writing the demo's partnerships (`partnership_data.py`): their commitments, indicators and
progress reports, and the State's assessment of the Convention's action plan.

Everything goes through the partnerships services (`partnership_save`, `commitment_create`,
`indicator_save`, `report_create`, `report_update`, `report_submit`, `report_correct`,
`action_assess`), at the dates the facts give, so that the checks, the breakdowns of the
indicator values, the versions and the timeliness are those the platform computes for its
users. The land released that an indicator reports is read from the Article 5 records of its
provinces, so the two agree.

A partnership already there (by its title) is left as it is, with its commitments and reports,
and so is an assessment already recorded for an action and year: loading twice writes nothing
new, and what a tester did through the pages stays. Each partnership draws its figures from its
own `random.Random`, whatever is already in the database.
"""

import calendar
import datetime
import random
import zoneinfo
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.db import transaction
from django.db.models import Sum

from mineaction.challenges.models import Challenge
from mineaction.demo import challenge_data, data
from mineaction.demo import meeting_data as md
from mineaction.demo import partnership_data as pd
from mineaction.demo.article5_data import deadline_in_force
from mineaction.landrelease.models import AdminArea, Article5Milestone, LandRelease
from mineaction.partnerships.models import (
    ActionAssessment,
    ActionPlan,
    Commitment,
    Indicator,
    Partnership,
    PlanAction,
    ProgressReport,
)
from mineaction.partnerships.services.indicators import (
    indicator_dimensions,
    indicator_save,
    indicator_value_save,
)
from mineaction.partnerships.services.partnerships import commitment_create, partnership_save
from mineaction.partnerships.services.plans import action_assess
from mineaction.partnerships.services.reports import (
    report_correct,
    report_create,
    report_periods,
    report_submit,
    report_update,
)
from mineaction.stakeholders.models import Organisation, Person

SEED = data.SEED + 13
ZONE = zoneinfo.ZoneInfo(md.TIME_ZONE)
ONE = Decimal(1)
TENTH = Decimal("0.1")
CORRECTED_SHARE = Decimal("0.94")  # what is left of a count of people once corrected

# What a reset deletes, leaves first; progress reports newest version first (a correction
# protects the version it supersedes).
WIPE_ORDER = [
    "partnerships.ReportReminder",
    "partnerships.IndicatorValuePart",
    "partnerships.IndicatorValue",
    "partnerships.IndicatorDimension",
    "partnerships.ProgressReport",
    "partnerships.Indicator",
    "partnerships.Commitment",
    "partnerships.PartnershipDocument",
    "partnerships.Partnership",
    "partnerships.ActionAssessment",
]


def day(anchor, today, deadline=None):
    """The day of a date anchor of `partnership_data` (see its docstring)."""
    if anchor is None:
        return None
    kind, *rest = anchor
    if kind == "year":
        offset, month, day_of_month = rest
        return datetime.date(today.year + offset, month, day_of_month)
    base = today if kind == "today" else (deadline or deadline_in_force())
    return base + datetime.timedelta(days=rest[0])


@transaction.atomic
def load_partnerships(today, pledges):
    """Load the partnerships that are missing and the missing assessments. `pledges`: {pledge
    key of funding_data: (amount, currency)}, for the financial commitments. Returns
    {partnership key: Partnership}."""
    context = _Context(today, pledges)
    partnerships = {}
    for index, planned in enumerate(pd.PARTNERSHIPS):
        rng = random.Random(SEED + index)
        partnership = Partnership.objects.filter(title=planned["title"]).first()
        if partnership is None:
            partnership = _partnership(context, planned, rng)
        partnerships[planned["key"]] = partnership
    load_assessments(today)
    return partnerships


def partnership_counts():
    return {
        "partnerships": Partnership.objects.count(),
        "commitments": Commitment.objects.count(),
        "indicators": Indicator.objects.count(),
        "progress reports": ProgressReport.objects.count(),
        "action plan assessments": ActionAssessment.objects.count(),
    }


@transaction.atomic
def wipe_partnerships():
    """Delete every partnership, commitment, indicator, report and assessment (the action plan
    catalogue stays: it is the Convention's, not the demo's)."""
    for label in WIPE_ORDER:
        model = apps.get_model(label)
        if model is ProgressReport:
            for version in sorted(set(model.objects.values_list("version", flat=True)))[::-1]:
                model.objects.filter(version=version).delete()
        else:
            model.objects.all().delete()


class _Context:
    """What the partnerships of one day of loading refer to."""

    def __init__(self, today, pledges):
        self.today = today
        self.deadline = deadline_in_force()
        self.pledges = pledges
        self.organisations = {}
        for organisation in Organisation.objects.all():
            self.organisations[organisation.name] = organisation
            if organisation.acronym:
                self.organisations.setdefault(organisation.acronym, organisation)
        self.provinces = {area.code: area for area in AdminArea.objects.filter(level=1)}
        titles = {c["key"]: c["title"] for c in challenge_data.CHALLENGES}
        by_title = {c.title: c for c in Challenge.objects.filter(title__in=titles.values())}
        self.challenges = {
            key: by_title[title] for key, title in titles.items() if title in by_title
        }
        self.actions = applicable_actions(today.year)

    def day(self, anchor):
        return day(anchor, self.today, self.deadline)

    def people(self, emails):
        found = {person.email: person for person in Person.objects.filter(email__in=emails)}
        return [found[email] for email in emails]


def applicable_actions(year):
    """The actions of the action plan running in `year` (else the latest) that apply to the
    State, in number order."""
    plan = (
        ActionPlan.objects.filter(first_year__lte=year, last_year__gte=year).first()
        or ActionPlan.objects.order_by("-last_year").first()
    )
    if plan is None:
        return []
    return list(
        PlanAction.objects.filter(section__action_plan=plan, applies_to_state=True).order_by(
            "number"
        )
    )


def matching_actions(actions, words, most):
    """The first `most` actions whose short title contains one of `words`."""
    found = [a for a in actions if any(word in a.short_title.lower() for word in words)]
    return found[:most]


# Partnerships and commitments -------------------------------------------------------------


def _partnership(context, planned, rng):
    organisation = context.organisations
    partnership = partnership_save(
        title=planned["title"],
        purpose=planned["purpose"],
        state_party=organisation[planned["state_party"]],
        partners=[organisation[name] for name in planned["partners"]],
        starts_on=context.day(planned["starts"]),
        ends_on=context.day(planned["ends"]),
        reporting_frequency=planned["frequency"],
        report_due_days=planned["due_days"],
        focal_points=context.people(planned["focal_points"]),
        plan_actions=matching_actions(context.actions, planned["plan_actions"], 3),
    )
    commitments = {}
    for planned_commitment in planned["commitments"]:
        created = _commitment(context, partnership, planned_commitment)
        if planned_commitment["key"]:
            commitments[planned_commitment["key"]] = created
    indicators = [
        (_indicator(context, partnership, planned_indicator, commitments), planned_indicator)
        for planned_indicator in planned["indicators"]
    ]
    _reports(context, partnership, planned, indicators, rng)
    return partnership


def _commitment(context, partnership, planned):
    amount, currency = planned["amount"], planned["currency"]
    if planned["pledge"]:
        amount, currency = context.pledges[planned["pledge"]]
    return commitment_create(
        partnership=partnership,
        party=context.organisations[planned["party"]],
        kind=planned["kind"],
        description=planned["description"],
        due_on=context.day(planned["due"]),
        status=planned["status"],
        delivered_on=context.day(planned["delivered"]),
        amount=amount,
        currency=currency,
        plan_actions=matching_actions(context.actions, planned["plan_actions"], 2),
        challenges=[
            context.challenges[k] for k in planned["challenges"] if k in context.challenges
        ],
        today=context.today,
    )


def _indicator(context, partnership, planned, commitments):
    dimensions = [
        {**dimension, "categories": [context.provinces[code].name for code in planned["provinces"]]}
        for dimension in planned["dimensions"]
    ]
    target = planned["target"]
    if planned["values"] == "released":
        target = _release_target(context, partnership, planned["provinces"])
    return indicator_save(
        name=planned["name"],
        unit=planned["unit"],
        baseline=planned["baseline"],
        baseline_date=partnership.starts_on,
        target=target,
        target_date=context.day(planned["target_date"])
        if planned["target_date"]
        else (partnership.ends_on),
        partnership=partnership,
        commitment=commitments.get(planned["commitment"]),
        by_sex_and_age=planned["by_sex_and_age"],
        dimensions=dimensions,
    )


def released_m2(start, end, province_code=None):
    """m² released (by every method) from `start` to `end`, in a province or everywhere."""
    releases = LandRelease.objects.filter(end_date__gte=start, end_date__lte=end)
    if province_code:
        releases = releases.filter(hazard_area__admin_area__path__startswith=f"/{province_code}/")
    return releases.aggregate(total=Sum("area_m2"))["total"] or 0


def _release_target(context, partnership, codes):
    """Everything released since the start and everything the revised plan still asks of the
    provinces up to the deadline, to the thousand m²."""
    end_of_last_year = datetime.date(context.today.year - 1, 12, 31)
    done = sum(released_m2(partnership.starts_on, end_of_last_year, code) for code in codes)
    planned = (
        Article5Milestone.objects.filter(
            admin_area__code__in=codes, year__gte=context.today.year
        ).aggregate(total=Sum("planned_area_m2"))["total"]
        or 0
    )
    return Decimal(round(done + planned, -3))


# Indicator values -------------------------------------------------------------------------


def _whole_cells(total, shares):
    """{cell: whole amount} proportional to `shares`, adding up to `total` exactly."""
    weight = sum(shares.values())
    exact = {cell: Decimal(total) * share / weight for cell, share in shares.items()}
    whole = {cell: int(amount) for cell, amount in exact.items()}
    left = int(total) - sum(whole.values())
    for cell in sorted(exact, key=lambda c: (-(exact[c] - whole[c]), c))[:left]:
        whole[cell] += 1
    return whole


def people_parts(total, number, mode="mixed"):
    """The breakdown of a count of people for the period numbered `number` (see the indicator's
    "people" in partnership_data): by sex only, without the over-sixties (partial), or in full
    by sex and age band."""
    shares = pd.SEX_AGE_SHARES
    if mode == "adults":
        shares = {cell: share for cell, share in shares.items() if cell[1] != "under_18"}
    cells = _whole_cells(total, shares)
    if mode == "adults":
        cells.update({("female", "under_18"): 0, ("male", "under_18"): 0})
    every, first = pd.SEX_ONLY_EVERY
    if mode == "by_sex" or (mode == "mixed" and number % every == first):
        by_sex = {}
        for (sex, _age), amount in cells.items():
            by_sex[sex] = by_sex.get(sex, 0) + amount
        return [{"categories": {"sex": s}, "amount": Decimal(a)} for s, a in by_sex.items()]
    every, first = pd.PARTIAL_EVERY
    if mode == "mixed" and number % every == first:
        cells = {cell: amount for cell, amount in cells.items() if cell[1] != "60_plus"}
    return [
        {"categories": {"sex": sex, "age": age}, "amount": Decimal(amount)}
        for (sex, age), amount in sorted(cells.items())
    ]


class _Series:
    """An indicator's value for each period of its partnership, drawn in period order."""

    def __init__(self, context, indicator, planned, partnership):
        self.context = context
        self.indicator = indicator
        self.planned = planned
        self.partnership = partnership
        self.cumulative = Decimal(0)
        if planned["values"] == "released":
            dimension = indicator_dimensions(indicator)[0]
            self.province_codes = {
                code: category["code"]
                for code, category in zip(planned["provinces"], dimension.categories, strict=True)
            }

    def value(self, rng, number, period, until):
        """{"indicator", "total", "parts", "note"} for the period up to `until`, or None."""
        kind = self.planned["values"]
        if kind == "released":
            parts = [
                {
                    "categories": {"province": category},
                    "amount": Decimal(released_m2(period.start, until, code)),
                }
                for code, category in self.province_codes.items()
            ]
            total = sum((part["amount"] for part in parts), Decimal(0))
        elif kind == "people":
            total = Decimal(rng.randint(*self.planned["range"]))
            parts = people_parts(total, number, self.planned["people"])
        elif kind == "trend":
            total, parts = self._trend(rng, period), []
        elif kind == "cumulative":
            self.cumulative = min(
                self.cumulative + rng.randint(*self.planned["range"]), self.planned["target"]
            )
            total, parts = self.cumulative, []
        else:
            return None
        return {"indicator": self.indicator, "total": total, "parts": parts, "note": ""}

    def _trend(self, rng, period):
        span = (self.partnership.ends_on - self.partnership.starts_on).days
        elapsed = Decimal((period.end - self.partnership.starts_on).days) / span
        baseline, target = self.planned["baseline"], self.planned["target"]
        level = baseline + (target - baseline) * min(ONE, elapsed) * Decimal("0.8")
        noise = Decimal(str(rng.uniform(-0.8, 0.8)))
        return (level + noise).quantize(TENTH, rounding=ROUND_HALF_UP)


# Progress reports -------------------------------------------------------------------------


def _long_date(value):
    return f"{value.day} {calendar.month_name[value.month]} {value.year}"


def _submitted(on):
    return datetime.datetime.combine(on, datetime.time(*pd.SUBMITTED_AT), tzinfo=ZONE)


def _reports(context, partnership, planned, indicators, rng):
    """The progress reports of every period begun by today (see partnership_data)."""
    today = context.today
    periods = report_periods(partnership, today)
    series = [_Series(context, indicator, p, partnership) for indicator, p in indicators]
    submitters = context.people(planned["submitted_by"])
    last = len(periods) - 1
    for number, period in enumerate(periods):
        until = min(period.end, today - datetime.timedelta(days=1))
        values = [s.value(rng, number, period, until) for s in series]
        values = [value for value in values if value is not None]
        outcome = _outcome(planned, number, last, period, today)
        if outcome == "missing":
            continue
        submitter = submitters[number % len(submitters)] if submitters else None
        narrative = planned["narrative"].format(
            start=_long_date(period.start),
            end=_long_date(period.end),
            released=f"{int(values[0]['total']):,}" if values else "",
            event=planned["events"][number % len(planned["events"])],
        )
        report = report_create(partnership=partnership, period_start=period.start, today=today)
        if outcome == "draft":
            kept = [value for value in values if value["indicator"] is series[0].indicator]
            report_update(report=report, narrative=planned["draft_narrative"], values=kept)
            continue
        report = report_update(report=report, narrative=narrative, values=values)
        on = _submission_day(outcome, period)
        _submit(report, on, submitter)
        if outcome == "corrected":
            _correct(report, planned, values, period, submitter, number)


def _outcome(planned, number, last, period, today):
    if number == last and period.end >= today:
        return "draft" if planned["current_draft"] else "missing"
    if number >= last - 1:
        on_time = period.end + datetime.timedelta(days=pd.SUBMITTED_AFTER_DAYS)
        return "on_time" if on_time < today else "draft"
    outcomes = planned["reports"]
    return outcomes[number] if number < len(outcomes) else "on_time"


def _submission_day(outcome, period):
    if outcome == "late":
        return period.due_on + datetime.timedelta(days=pd.LATE_AFTER_DUE_DAYS)
    return period.end + datetime.timedelta(days=pd.SUBMITTED_AFTER_DAYS)


def _submit(report, on, submitter):
    report = report_submit(report=report, user=None, now=_submitted(on))
    if submitter is not None:
        report.submitted_by = submitter
        report.save()
    return report


def _correct(report, planned, values, period, submitter, number):
    """A second version correcting the counts of people (two villages were counted twice)."""
    correction = report_correct(report=report)
    modes = {p["name"]: p["people"] for p in planned["indicators"] if p["values"] == "people"}
    corrected = []
    for value in values:
        mode = modes.get(value["indicator"].name)
        if mode is not None:
            total = (value["total"] * CORRECTED_SHARE).quantize(ONE)
            value = {
                **value,
                "total": total,
                "parts": people_parts(total, number, mode),
                "note": "Corrected: two villages were counted twice.",
            }
        corrected.append(value)
    correction = report_update(
        report=correction,
        narrative=f"{correction.narrative}\n\n{planned['correction']}",
        values=corrected,
    )
    _submit(correction, period.end + datetime.timedelta(days=pd.CORRECTED_AFTER_DAYS), submitter)


# The State's assessment of the action plan ------------------------------------------------


@transaction.atomic
def load_assessments(today):
    """Assess every applicable action of the plans running in the last years, year by year up
    to this one; an action about land release also gets its yearly indicator of area released.
    Nothing happens while the catalogue has no actions."""
    first = today.year - pd.ASSESSED_YEARS + 1
    released = {
        year: released_m2(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        for year in range(first, today.year + 1)
    }
    existing = set(ActionAssessment.objects.values_list("plan_action_id", "year"))
    for plan in ActionPlan.objects.filter(last_year__gte=first, first_year__lte=today.year):
        years = range(max(first, plan.first_year), min(today.year, plan.last_year) + 1)
        actions = PlanAction.objects.filter(section__action_plan=plan, applies_to_state=True)
        for action in actions.order_by("number"):
            statuses, evidence = _topic(action.short_title)
            for year in years:
                if (action.pk, year) in existing:
                    continue
                status = statuses[year - first]
                action_assess(
                    plan_action=action,
                    year=year,
                    status=status,
                    evidence=evidence[status].format(year=year, released=f"{released[year]:,}"),
                    today=today,
                )
    _release_indicator(today, released)


def _topic(short_title):
    title = short_title.lower()
    for words, statuses, evidence in pd.ASSESSMENT_TOPICS:
        if any(word in title for word in words):
            return statuses, evidence
    return pd.DEFAULT_ASSESSMENT


def _release_indicator(today, released):
    """The area released each full year, as the State's own figure for the first applicable
    action about land release."""
    found = matching_actions(applicable_actions(today.year), pd.RELEASE_INDICATOR_WORDS, 1)
    if not found:
        return
    action = found[0]
    name = "Area released by survey and clearance"
    if Indicator.objects.filter(plan_action=action, name=name).exists():
        return
    full_years = sorted(year for year in released if year < today.year)
    remaining = (
        Article5Milestone.objects.filter(admin_area=None, year__gte=today.year).aggregate(
            total=Sum("planned_area_m2")
        )["total"]
        or 0
    )
    indicator = indicator_save(
        name=name,
        unit="m²",
        baseline=Decimal(0),
        baseline_date=datetime.date(today.year - pd.ASSESSED_YEARS, 12, 31),
        target=Decimal(sum(released[year] for year in full_years) + remaining),
        target_date=deadline_in_force(),
        plan_action=action,
    )
    for year in full_years:
        indicator_value_save(
            indicator=indicator,
            total=Decimal(released[year]),
            parts=[],
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 12, 31),
            note="From the land release records of the national database.",
        )
