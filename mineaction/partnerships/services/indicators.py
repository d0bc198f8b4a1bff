"""Indicators, their disaggregation and their values (Maputo Action Plan action 21: "time-bound
targets and indicators taking into account age and gender").

An indicator is broken down along dimensions ("sex": female, male; "age": under 18, 18 to 59,
60 and over; and any the partners define). A value's breakdown is a list of cells, each naming
one category per dimension of a chosen set (all the indicator's dimensions, or any subset of
them, such as sex only). When every cell of that set is given the cells must add up to the
total exactly: a breakdown that contradicts its total is refused, naming both figures. When
some cells are missing the breakdown is partial: it may not exceed the total, and it is shown
as partial with the share of the total it covers.

Amounts are `Decimal`s with at most two decimals (what the database keeps), so "adds up
exactly" means exactly. The pages, the API and the demo data call these functions, so the
rules and messages are the same everywhere.
"""

import itertools
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from mineaction.partnerships.models import (
    Indicator,
    IndicatorDimension,
    IndicatorValue,
    IndicatorValuePart,
    ProgressReport,
    ReportStatus,
)
from mineaction.stakeholders.models import AgeBand, Sex

SEX, AGE = "sex", "age"
# The standard dimensions as stored (English labels; shown translated by their codes).
STANDARD_DIMENSIONS = (
    {
        "code": SEX,
        "name": "Sex",
        "categories": [{"code": "female", "label": "Female"}, {"code": "male", "label": "Male"}],
    },
    {
        "code": AGE,
        "name": "Age band",
        "categories": [
            {"code": "under_18", "label": "Under 18"},
            {"code": "18_59", "label": "18 to 59"},
            {"code": "60_plus", "label": "60 and over"},
        ],
    },
)
STANDARD_NAMES = {SEX: _("Sex"), AGE: _("Age band")}
STANDARD_LABELS = {
    SEX: {"female": Sex.FEMALE.label, "male": Sex.MALE.label},
    AGE: {
        "under_18": AgeBand.UNDER_18.label,
        "18_59": _("18 to 59"),
        "60_plus": AgeBand.FROM_60.label,
    },
}
MAX_DIMENSIONS = 4
MAX_CATEGORIES = 20
CODE_LENGTH = 30
CODE = re.compile(r"^\w+$")
MAX_WHOLE_DIGITS = 16  # DecimalField(max_digits=18, decimal_places=2)
FULL, PARTIAL, NONE = "full", "partial", "none"
SHARE_PLACES = Decimal("0.0001")


def _add(errors, name, message):
    errors.setdefault(name, []).append(message)


def figure(value):
    """A figure as messages show it: without trailing zeros, in the active language."""
    value = Decimal(value)
    plain = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return formats.number_format(plain, use_l10n=True)


def amount_problem(value, what):
    """A message when `value` cannot be stored as an amount, else None. Amounts are Decimals
    only: a float is a programming error, never rounded silently."""
    if not isinstance(value, Decimal):
        raise TypeError(f"{what} must be a Decimal, not {type(value).__name__}")
    if not value.is_finite():
        return _("%(what)s is not a number.") % {"what": what}
    if abs(value) >= 10**MAX_WHOLE_DIGITS:
        return _("%(what)s is too large.") % {"what": what}
    if value != value.quantize(Decimal("0.01")):
        return _("%(what)s has more than two decimals.") % {"what": what}
    return None


# Dimensions ------------------------------------------------------------------------------------


def dimension_name(dimension):
    """A dimension's name in the reader's language (the standard ones are translated)."""
    code, name = _get(dimension, "code"), _get(dimension, "name")
    standard = {d["code"]: d["name"] for d in STANDARD_DIMENSIONS}
    if code in STANDARD_NAMES and name == standard[code]:
        return str(STANDARD_NAMES[code])
    return name


def category_label(dimension_code, category):
    """A category's label in the reader's language (the standard ones are translated)."""
    label = STANDARD_LABELS.get(dimension_code, {}).get(category["code"])
    return str(label) if label is not None else category["label"]


def _get(record, name):
    return record[name] if isinstance(record, dict) else getattr(record, name)


def code_for(text):
    """A code for a name or label: its letters and digits joined by underscores."""
    return slugify(text, allow_unicode=True).replace("-", "_")[:CODE_LENGTH]


def _fold(text):
    return " ".join(str(text).split()).casefold()


INVALID_CODE = _("“%(code)s” is not a valid code: use at most 30 letters, digits and underscores.")


def _valid_code(code):
    return bool(CODE.match(code)) and len(code) <= CODE_LENGTH


def _categories(dimension_label, categories, known, errors):
    """The categories as [{"code", "label"}]; `known` maps folded labels of the stored
    dimension to their codes, so an unchanged label keeps its code."""
    result, codes, labels = [], set(), set()
    for position, category in enumerate(categories, start=1):
        if not isinstance(category, dict):
            category = {"label": category}
        label = " ".join(str(category.get("label") or "").split())
        if not label:
            message = _("“%(dimension)s” has an empty category.")
            _add(errors, "dimensions", message % {"dimension": dimension_label})
            continue
        code = category.get("code") or known.get(_fold(label)) or code_for(label)
        code = code or f"category_{position}"
        if not _valid_code(code):
            _add(errors, "dimensions", INVALID_CODE % {"code": code})
            continue
        if code in codes or _fold(label) in labels:
            message = _("“%(dimension)s” has the category “%(category)s” twice.")
            _add(errors, "dimensions", message % {"dimension": dimension_label, "category": label})
            continue
        codes.add(code)
        labels.add(_fold(label))
        result.append({"code": code, "label": label})
    return result


def _dimension(position, dimension, stored, errors):
    """One user-defined dimension as stored, its problems added to `errors`."""
    name = " ".join(str(dimension.get("name") or "").split())
    label = name or str(_("Disaggregation %(number)s") % {"number": position})
    if not name:
        message = _("Give disaggregation %(number)s a name.")
        _add(errors, "dimensions", message % {"number": position})
    code = dimension.get("code") or code_for(name) or f"dimension_{position}"
    if not _valid_code(code):
        _add(errors, "dimensions", INVALID_CODE % {"code": code})
    previous = stored.get(code)
    known = {_fold(c["label"]): c["code"] for c in previous.categories} if previous else {}
    given = list(dimension.get("categories") or [])
    count = len(errors.get("dimensions", []))
    categories = _categories(label, given, known, errors)
    if not given:
        message = _("Give the categories of “%(dimension)s”.")
        _add(errors, "dimensions", message % {"dimension": label})
    elif len(errors.get("dimensions", [])) == count and len(categories) < 2:
        message = _("“%(dimension)s” needs at least two categories.")
        _add(errors, "dimensions", message % {"dimension": label})
    elif len(categories) > MAX_CATEGORIES:
        message = _("“%(dimension)s” has more than %(most)s categories.")
        _add(errors, "dimensions", message % {"dimension": label, "most": MAX_CATEGORIES})
    return {"code": code, "name": name, "categories": categories}


def normalised_dimensions(*, by_sex_and_age, dimensions, stored=None):
    """(dimensions as stored, errors): the standard ones first when `by_sex_and_age`, then the
    user's own in their order. `stored` ({code: IndicatorDimension}) keeps the codes of the
    categories whose label is unchanged."""
    errors = {}
    stored = stored or {}
    standard = [dict(d, categories=list(d["categories"])) for d in STANDARD_DIMENSIONS]
    result = standard if by_sex_and_age else []
    for position, dimension in enumerate(dimensions or [], start=1):
        result.append(_dimension(position, dimension, stored, errors))
    seen = {}
    for dimension in result:
        key, name = dimension["code"], _fold(dimension["name"])
        if key in seen or (name and name in seen.values()):
            _add(
                errors,
                "dimensions",
                _("There are two disaggregations “%(dimension)s”.")
                % {"dimension": dimension_name(dimension)},
            )
        seen[key] = name
    if len(result) > MAX_DIMENSIONS:
        _add(
            errors,
            "dimensions",
            _("An indicator has at most %(most)s disaggregations.") % {"most": MAX_DIMENSIONS},
        )
    return result, errors


def is_standard(dimensions):
    """Whether the standard sex and age band dimensions are among `dimensions`."""
    codes = {_get(d, "code"): [c["code"] for c in _get(d, "categories")] for d in dimensions}
    return all(
        codes.get(d["code"]) == [c["code"] for c in d["categories"]] for d in STANDARD_DIMENSIONS
    )


def _used_categories(indicator):
    """{dimension code: {category codes}} used by the indicator's recorded breakdowns."""
    used = {}
    parts = IndicatorValuePart.objects.filter(value__indicator=indicator)
    for categories in parts.values_list("categories", flat=True):
        for code, category in categories.items():
            used.setdefault(code, set()).add(category)
    return used


def _removal_problems(indicator, dimensions, stored, errors):
    used = _used_categories(indicator)
    new = {d["code"]: {c["code"] for c in d["categories"]} for d in dimensions}
    for code, categories in sorted(used.items()):
        dimension = stored.get(code)
        name = dimension_name(dimension) if dimension else code
        if code not in new:
            _add(
                errors,
                "dimensions",
                _("“%(dimension)s” is used by recorded values and cannot be removed.")
                % {"dimension": name},
            )
            continue
        labels = {c["code"]: c for c in dimension.categories} if dimension else {}
        for category in sorted(categories - new[code]):
            shown = category_label(code, labels[category]) if category in labels else category
            _add(
                errors,
                "dimensions",
                _(
                    "The category “%(category)s” of “%(dimension)s” is used by recorded values and "
                    "cannot be removed."
                )
                % {"category": shown, "dimension": name},
            )


# Indicators ------------------------------------------------------------------------------------


def indicator_problems(
    *,
    name,
    unit,
    baseline,
    baseline_date,
    target,
    target_date,
    partnership,
    commitment,
    plan_action,
):
    """Messages per field for an indicator's values (not its dimensions); empty when they are
    acceptable."""
    errors = {}
    if not (name or "").strip():
        _add(errors, "name", _("Give the indicator a name."))
    if not (unit or "").strip():
        _add(errors, "unit", _("Give the unit the indicator counts in, such as people or m²."))
    for field, value, what in (
        ("baseline", baseline, _("The baseline")),
        ("target", target, _("The target")),
    ):
        if value is None:
            _add(errors, field, _("%(what)s is required.") % {"what": what})
        else:
            problem = amount_problem(value, what)
            if problem:
                _add(errors, field, problem)
    if target_date is None:
        _add(errors, "target_date", _("Give the date the target should be reached by."))
    elif baseline_date is not None and target_date <= baseline_date:
        _add(
            errors,
            "target_date",
            _("The target date must be after the baseline date (%(date)s).")
            % {"date": formats.date_format(baseline_date, "DATE_FORMAT")},
        )
    if partnership is None and commitment is None and plan_action is None:
        _add(
            errors,
            "__all__",
            _("Link the indicator to a partnership, a commitment or a plan action."),
        )
    if (
        commitment is not None
        and partnership is not None
        and commitment.partnership_id is not None
        and commitment.partnership_id != partnership.pk
    ):
        _add(
            errors,
            "commitment",
            _("The commitment belongs to another partnership (“%(partnership)s”).")
            % {"partnership": commitment.partnership},
        )
    return errors


@transaction.atomic
def indicator_save(
    *,
    indicator=None,
    name,
    unit,
    baseline,
    baseline_date=None,
    target,
    target_date,
    partnership=None,
    commitment=None,
    plan_action=None,
    by_sex_and_age=False,
    dimensions=(),
):
    """Create an indicator (`indicator` None) or change one, with its dimensions: the standard
    sex and age bands when `by_sex_and_age`, then `dimensions` ([{"name", "categories": [label
    or {"code", "label"}], "code" (optional)}]). A commitment's indicator belongs to the
    commitment's partnership too, so its parties report on it. A dimension or category used by
    recorded values cannot be removed. Returns the indicator."""
    if commitment is not None and partnership is None:
        partnership = commitment.partnership
    errors = indicator_problems(
        name=name,
        unit=unit,
        baseline=baseline,
        baseline_date=baseline_date,
        target=target,
        target_date=target_date,
        partnership=partnership,
        commitment=commitment,
        plan_action=plan_action,
    )
    stored = {d.code: d for d in indicator.dimensions.all()} if indicator and indicator.pk else {}
    wanted, dimension_errors = normalised_dimensions(
        by_sex_and_age=by_sex_and_age, dimensions=dimensions, stored=stored
    )
    for field, messages in dimension_errors.items():
        errors.setdefault(field, []).extend(messages)
    if stored and "dimensions" not in errors:
        _removal_problems(indicator, wanted, stored, errors)
    if errors:
        raise ValidationError(errors)
    indicator = indicator or Indicator()
    values = {
        "name": name.strip(),
        "unit": unit.strip(),
        "baseline": baseline,
        "baseline_date": baseline_date,
        "target": target,
        "target_date": target_date,
        "partnership": partnership,
        "commitment": commitment,
        "plan_action": plan_action,
    }
    for field, value in values.items():
        setattr(indicator, field, value)
    indicator.save()
    _save_dimensions(indicator, wanted, stored)
    return indicator


def _save_dimensions(indicator, wanted, stored):
    for order, dimension in enumerate(wanted, start=1):
        record = stored.pop(dimension["code"], None) or IndicatorDimension(
            indicator=indicator, code=dimension["code"]
        )
        record.name = dimension["name"]
        record.order = order
        record.categories = dimension["categories"]
        record.save()
    for record in stored.values():
        record.delete()


def indicator_dimensions(indicator):
    """The indicator's dimensions in order (prefetched ones when there are)."""
    return sorted(indicator.dimensions.all(), key=lambda d: (d.order, d.pk))


def partnership_indicators(partnership):
    """The indicators its progress reports give values for (a commitment's indicators belong to
    the commitment's partnership too)."""
    return Indicator.objects.filter(
        Q(partnership=partnership) | Q(commitment__partnership=partnership)
    ).order_by("name", "id")


# Values and their breakdown --------------------------------------------------------------------


def cells(dimensions):
    """Every cell of the dimensions' cross product: tuples of category codes, in order."""
    return list(itertools.product(*[[c["code"] for c in d.categories] for d in dimensions]))


def cell_label(dimensions, categories):
    """ "Female, Under 18": the cell's categories in the dimensions' order."""
    labels = []
    for dimension in dimensions:
        code = categories.get(dimension.code)
        if code is None:
            continue
        category = next((c for c in dimension.categories if c["code"] == code), None)
        labels.append(category_label(dimension.code, category) if category else code)
    return ", ".join(labels)


@dataclass
class Breakdown:
    """What a value's parts say: the dimensions used, whether every cell is given, and the
    share of the total the given cells cover."""

    dimensions: list  # IndicatorDimension, in the indicator's order
    cells: int  # the cells of the chosen dimensions
    given: int
    covered: Decimal
    total: Decimal

    @property
    def status(self):
        if not self.dimensions:
            return NONE
        return FULL if self.given == self.cells else PARTIAL

    @property
    def share(self):
        """The share of the total the given cells cover (0–1), or None for a total of 0."""
        if not self.total:
            return None
        return (self.covered / self.total).quantize(SHARE_PLACES)

    @property
    def percent(self):
        """The share as a percentage with one decimal, or None."""
        share = self.share
        return None if share is None else (share * 100).quantize(Decimal("0.1"))

    def names(self):
        return [dimension_name(d) for d in self.dimensions]


def breakdown_problems(dimensions, total, parts):
    """(messages, Breakdown or None) for a value's total and parts against the indicator's
    `dimensions`; the messages are empty when the value is acceptable."""
    problems = []
    problem = amount_problem(total, _("The total"))
    if problem:
        return [problem], None
    if total < 0:
        problems.append(_("The total cannot be negative."))
    parts = list(parts or [])
    if not parts:
        return problems, Breakdown([], 0, 0, Decimal(0), total)
    if not dimensions:
        return [*problems, _("This indicator has no disaggregation: give the total only.")], None
    by_code = {d.code: d for d in dimensions}
    keys, seen, covered = None, set(), Decimal(0)
    for part in parts:
        categories = dict(part.get("categories") or {})
        amount = part.get("amount")
        message = _part_problem(by_code, dimensions, categories, amount)
        if message:
            problems.append(message)
            continue
        if keys is None:
            keys = set(categories)
        elif set(categories) != keys:
            problems.append(_("Every cell of a breakdown must use the same disaggregations."))
            continue
        cell = tuple(sorted(categories.items()))
        if cell in seen:
            problems.append(
                _("The cell “%(cell)s” is given twice.")
                % {"cell": cell_label(dimensions, categories)}
            )
            continue
        seen.add(cell)
        covered += amount
    if problems:
        return problems, None
    used = [d for d in dimensions if d.code in keys]
    expected = 1
    for dimension in used:
        expected *= len(dimension.categories)
    breakdown = Breakdown(used, expected, len(seen), covered, total)
    if breakdown.status == FULL and covered != total:
        problems.append(
            _("The parts add up to %(parts)s but the total is %(total)s.")
            % {"parts": figure(covered), "total": figure(total)}
        )
    elif breakdown.status == PARTIAL and covered > total:
        problems.append(
            _("The parts given add up to %(parts)s, more than the total of %(total)s.")
            % {"parts": figure(covered), "total": figure(total)}
        )
    return problems, (None if problems else breakdown)


def _part_problem(by_code, dimensions, categories, amount):
    if not categories:
        return _("Each cell of a breakdown names a category for at least one disaggregation.")
    for code, category in categories.items():
        dimension = by_code.get(code)
        if dimension is None:
            return _("“%(dimension)s” is not a disaggregation of this indicator.") % {
                "dimension": code
            }
        if category not in {c["code"] for c in dimension.categories}:
            return _("“%(category)s” is not a category of “%(dimension)s”.") % {
                "category": category,
                "dimension": dimension_name(dimension),
            }
    what = _("The amount for %(cell)s") % {"cell": cell_label(dimensions, categories)}
    if amount is None:
        return _("%(what)s is missing.") % {"what": what}
    problem = amount_problem(amount, what)
    if problem:
        return problem
    if amount < 0:
        return _("%(what)s cannot be negative.") % {"what": what}
    return None


def value_problems(
    *, indicator, dimensions, total, parts, period_start, period_end, progress_report=None
):
    """Every message against saving this value; empty when it is acceptable."""
    problems = []
    if period_start is None or period_end is None:
        problems.append(_("Give the period of the value."))
    elif period_end < period_start:
        problems.append(_("The period must end after it starts."))
    if progress_report is not None:
        if progress_report.is_locked:
            problems.append(locked_message(progress_report))
        if indicator.partnership_id != progress_report.partnership_id:
            problems.append(
                _("“%(indicator)s” is not an indicator of this partnership.")
                % {"indicator": indicator}
            )
    breakdown_messages, _breakdown = breakdown_problems(dimensions, total, parts)
    return problems + breakdown_messages


def locked_message(report):
    return _(
        "This report was submitted on %(date)s and is locked. To change it, start a correction."
    ) % {"date": formats.date_format(timezone.localdate(report.submitted_at), "DATE_FORMAT")}


@transaction.atomic
def indicator_value_save(
    *, indicator, total, parts, period_start, period_end, progress_report=None, note=""
):
    """Record the indicator's value for a period: in a draft progress report, or (without one)
    the State's own figure, which replaces an earlier one of the same period. `parts` are
    [{"categories": {"sex": "female", "age": "under_18"}, "amount": Decimal}]. Refused with
    every reason when the breakdown does not fit the indicator or its total."""
    dimensions = indicator_dimensions(indicator)
    problems = value_problems(
        indicator=indicator,
        dimensions=dimensions,
        total=total,
        parts=parts,
        period_start=period_start,
        period_end=period_end,
        progress_report=progress_report,
    )
    if problems:
        raise ValidationError(problems)
    if progress_report is not None:
        value = IndicatorValue.objects.filter(
            indicator=indicator, progress_report=progress_report
        ).first()
    else:
        value = IndicatorValue.objects.filter(
            indicator=indicator,
            progress_report=None,
            period_start=period_start,
            period_end=period_end,
        ).first()
    value = value or IndicatorValue(indicator=indicator, progress_report=progress_report)
    value.period_start, value.period_end = period_start, period_end
    value.total = total
    value.note = (note or "").strip()
    value.save()
    _replace_parts(value, parts)
    return value


def _replace_parts(value, parts):
    value.parts.all().delete()
    IndicatorValuePart.objects.bulk_create(
        IndicatorValuePart(value=value, categories=dict(part["categories"]), amount=part["amount"])
        for part in parts or []
    )


def value_breakdown(value, dimensions):
    """The Breakdown of a recorded value (its parts prefetched or not)."""
    parts = [{"categories": p.categories, "amount": p.amount} for p in value.parts.all()]
    _problems, breakdown = breakdown_problems(dimensions, value.total, parts)
    if breakdown is not None:
        return breakdown
    # Recorded before a category was added or renamed: shown as partial, never as complete.
    used = [d for d in dimensions if any(d.code in p["categories"] for p in parts)]
    covered = sum((p["amount"] for p in parts), Decimal(0))
    return Breakdown(used, len(parts) + 1, len(parts), covered, value.total)


def value_cells(value, dimensions):
    """[(cell label, amount)] of a recorded value, in the order of the dimensions' cells."""
    order = {}
    for position, cell in enumerate(cells(dimensions)):
        for size in range(1, len(dimensions) + 1):
            for chosen in itertools.combinations(range(len(dimensions)), size):
                key = tuple(sorted((dimensions[i].code, cell[i]) for i in chosen))
                order.setdefault(key, position)
    parts = sorted(
        value.parts.all(),
        key=lambda p: (order.get(tuple(sorted(p.categories.items())), len(order)), p.pk or 0),
    )
    return [(cell_label(dimensions, p.categories), p.amount) for p in parts]


# The values that count -------------------------------------------------------------------------


def counting_report_ids(reports):
    """The ids of the reports that count: per partnership and period, the latest submitted
    version. `reports` is any iterable of ProgressReport."""
    latest = {}
    for report in reports:
        if report.status != ReportStatus.SUBMITTED:
            continue
        key = (report.partnership_id, report.period_start, report.period_end)
        if key not in latest or report.version > latest[key].version:
            latest[key] = report
    return {report.pk for report in latest.values()}


def indicator_series(indicator):
    """The indicator's values that count, by period: its direct values and, from its progress
    reports, the latest submitted version of each period. Parts prefetched."""
    values = list(
        indicator.values.select_related("progress_report__submitted_by")
        .prefetch_related("parts")
        .order_by("period_end", "period_start", "id")
    )
    reports = ProgressReport.objects.filter(
        pk__in={v.progress_report_id for v in values if v.progress_report_id}
    )
    others = ProgressReport.objects.filter(
        partnership_id__in={r.partnership_id for r in reports},
        period_start__in={r.period_start for r in reports},
        status=ReportStatus.SUBMITTED,
    ).only("id", "partnership_id", "period_start", "period_end", "version", "status")
    counting = counting_report_ids(others)
    return [v for v in values if v.progress_report_id is None or v.progress_report_id in counting]


# JSON ------------------------------------------------------------------------------------------


def _decimal(value):
    return None if value is None else str(value)


def _date(value):
    return None if value is None else value.isoformat()


def _ref(record, title):
    return None if record is None else {"public_id": str(record.public_id), "title": title}


def dimension_json(dimension):
    return {
        "code": dimension.code,
        "name": dimension_name(dimension),
        "categories": [
            {"code": c["code"], "label": category_label(dimension.code, c)}
            for c in dimension.categories
        ],
    }


def breakdown_json(breakdown):
    return {
        "status": breakdown.status,
        "dimensions": [d.code for d in breakdown.dimensions],
        "cells": breakdown.cells,
        "cells_given": breakdown.given,
        "covered": str(breakdown.covered),
        "share": _decimal(breakdown.share),
    }


def value_json(value, dimensions):
    """A recorded value with its breakdown, amounts as decimal strings."""
    report = value.progress_report
    return {
        "public_id": str(value.public_id),
        "period_start": _date(value.period_start),
        "period_end": _date(value.period_end),
        "total": str(value.total),
        "note": value.note,
        "progress_report": None
        if report is None
        else {"public_id": str(report.public_id), "version": report.version},
        "breakdown": breakdown_json(value_breakdown(value, dimensions)),
        "parts": [
            {"categories": dict(part.categories), "amount": str(part.amount)}
            for part in value.parts.all()
        ],
    }


def indicator_json(indicator, dimensions, series=None):
    """The indicator and (when `series` is given) its values that count: the JSON twin of its
    page and the API's record."""
    plan_action = indicator.plan_action
    body = {
        "public_id": str(indicator.public_id),
        "name": indicator.name,
        "unit": indicator.unit,
        "baseline": str(indicator.baseline),
        "baseline_date": _date(indicator.baseline_date),
        "target": str(indicator.target),
        "target_date": _date(indicator.target_date),
        "partnership": _ref(indicator.partnership, getattr(indicator.partnership, "title", "")),
        "commitment": _ref(indicator.commitment, str(indicator.commitment or "")),
        "plan_action": _ref(plan_action, str(plan_action or "")),
        "by_sex_and_age": is_standard(dimensions),
        "dimensions": [dimension_json(d) for d in dimensions],
    }
    if series is not None:
        body["values"] = [value_json(value, dimensions) for value in series]
    return body
