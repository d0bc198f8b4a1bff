"""Forms of indicators, their values and progress reports: an indicator with its
disaggregation, a value with its breakdown (one grid per set of dimensions), a report's period
and narrative, and the filters of the secretariat's view and the API. The services check every
rule; these forms turn what was typed into what the services take, and put the services'
messages next to the fields they concern."""

import itertools

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mineaction.core import access
from mineaction.core.forms import DateInput, add_problems
from mineaction.core.search import query_terms
from mineaction.partnerships.models import (
    Commitment,
    Partnership,
    PlanAction,
    ReportStatus,
)
from mineaction.partnerships.services import indicators as indicator_services
from mineaction.partnerships.services import reports as report_services
from mineaction.stakeholders.models import Organisation

AMOUNT = {"max_digits": 18, "decimal_places": 2}
FIRST_YEAR, LAST_YEAR = 1997, 2100


def _cleaned(form):
    if not form.is_bound:
        return {}
    # Valid filters apply even when another is wrong: the page reports the wrong one.
    return getattr(form, "cleaned_data", {})


# Indicators ------------------------------------------------------------------------------------


class LinkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, record):
        if isinstance(record, PlanAction):
            return _("%(plan)s #%(number)s %(title)s") % {
                "plan": record.section.action_plan.code,
                "number": record.number,
                "title": record.short_title,
            }
        if isinstance(record, Commitment):
            return _("%(party)s: %(commitment)s") % {
                "party": record.party,
                "commitment": str(record)[:80],
            }
        return str(record)


class IndicatorForm(forms.Form):
    """An indicator's terms. Managers choose what it is linked to; a party's people create it
    for the partnership or commitment they came from (`link`), which they cannot change."""

    name = forms.CharField(label=_("Name"), max_length=300)
    unit = forms.CharField(
        label=_("Unit"), max_length=60, help_text=_("For example: people, m², %.")
    )
    baseline = forms.DecimalField(label=_("Baseline"), **AMOUNT)
    baseline_date = forms.DateField(label=_("Baseline date"), required=False, widget=DateInput())
    target = forms.DecimalField(label=_("Target"), **AMOUNT)
    target_date = forms.DateField(
        label=_("Target date"), widget=DateInput(), help_text=_("After the baseline date.")
    )
    by_sex_and_age = forms.BooleanField(
        label=_("Break the values down by sex and age band"),
        required=False,
        help_text=_("Sex: female, male. Age bands: under 18, 18 to 59, 60 and over."),
    )
    partnership = LinkChoiceField(
        label=_("Partnership"),
        required=False,
        queryset=Partnership.objects.order_by("title"),
        to_field_name="public_id",
    )
    commitment = LinkChoiceField(
        label=_("Commitment"),
        required=False,
        queryset=Commitment.objects.select_related("party").order_by("due_on", "id"),
        to_field_name="public_id",
    )
    plan_action = LinkChoiceField(
        label=_("Plan action"),
        required=False,
        queryset=PlanAction.objects.select_related("section__action_plan").order_by(
            "-section__action_plan__first_year", "number"
        ),
        to_field_name="public_id",
    )
    LINKS = ("partnership", "commitment", "plan_action")

    def __init__(self, *args, user, indicator=None, link=None, **kwargs):
        if indicator is not None and "initial" not in kwargs:
            kwargs["initial"] = indicator_initial(indicator)
        elif link:
            kwargs["initial"] = {
                name: record.public_id for name, record in link.items() if record is not None
            }
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.is_manager = access.can_manage_partnerships(user)
        if indicator is not None:
            link = {name: getattr(indicator, name) for name in self.LINKS}
        self.link = link or {}
        if not self.is_manager:
            for name in self.LINKS:
                del self.fields[name]

    def links(self):
        if self.is_manager:
            return {name: self.cleaned_data.get(name) for name in self.LINKS}
        return {name: self.link.get(name) for name in self.LINKS}

    def clean(self):
        cleaned = super().clean()
        add_problems(
            self,
            indicator_services.indicator_problems(
                name=cleaned.get("name"),
                unit=cleaned.get("unit"),
                baseline=cleaned.get("baseline"),
                baseline_date=cleaned.get("baseline_date"),
                target=cleaned.get("target"),
                target_date=cleaned.get("target_date"),
                **self.links(),
            ),
        )
        return cleaned

    def values(self):
        """The cleaned values as `indicator_save` takes them (without the dimensions)."""
        names = ("name", "unit", "baseline", "baseline_date", "target", "target_date")
        return {
            **{name: self.cleaned_data.get(name) for name in names},
            "by_sex_and_age": self.cleaned_data.get("by_sex_and_age", False),
            **self.links(),
        }


def indicator_initial(indicator):
    dimensions = indicator_services.indicator_dimensions(indicator)
    return {
        "name": indicator.name,
        "unit": indicator.unit,
        "baseline": indicator.baseline,
        "baseline_date": indicator.baseline_date,
        "target": indicator.target,
        "target_date": indicator.target_date,
        "by_sex_and_age": indicator_services.is_standard(dimensions),
        "partnership": indicator.partnership.public_id if indicator.partnership else None,
        "commitment": indicator.commitment.public_id if indicator.commitment else None,
        "plan_action": indicator.plan_action.public_id if indicator.plan_action else None,
    }


class DimensionForm(forms.Form):
    """A disaggregation the partners define: its name and categories, one per line."""

    code = forms.CharField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(
        label=_("Disaggregation"),
        required=False,
        max_length=100,
        help_text=_("For example: disability, displacement status."),
    )
    categories = forms.CharField(
        label=_("Categories"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )
    remove = forms.BooleanField(label=_("Remove"), required=False)

    def dimension(self):
        """The dimension as `indicator_save` takes it, or None for an empty or removed row."""
        data = self.cleaned_data
        lines = [line.strip() for line in (data.get("categories") or "").splitlines()]
        categories = [line for line in lines if line]
        if data.get("remove") or not (data.get("name", "").strip() or categories):
            return None
        return {"code": data.get("code") or None, "name": data["name"], "categories": categories}


DimensionFormSet = forms.formset_factory(DimensionForm, extra=2, max_num=10, absolute_max=10)


def dimension_formset(data=None, *, indicator=None):
    """The user-defined dimensions (the standard ones are the checkbox) and blank rows."""
    initial = []
    if indicator is not None:
        dimensions = indicator_services.indicator_dimensions(indicator)
        standard = indicator_services.is_standard(dimensions)
        for dimension in dimensions:
            if standard and dimension.code in (indicator_services.SEX, indicator_services.AGE):
                continue
            initial.append(
                {
                    "code": dimension.code,
                    "name": dimension.name,
                    "categories": "\n".join(c["label"] for c in dimension.categories),
                }
            )
    formset = DimensionFormSet(data, initial=initial, prefix="dimensions")
    formset.extra = 1 if initial else 2
    return formset


def formset_dimensions(formset):
    return [d for d in (form.dimension() for form in formset.forms) if d is not None]


# Values and their breakdown --------------------------------------------------------------------


class Group:
    """One grid of the breakdown: the cells of one set of dimensions."""

    def __init__(self, number, dimensions):
        self.number = number
        self.dimensions = dimensions
        names = [indicator_services.dimension_name(d) for d in dimensions]
        self.label = _("By %(dimensions)s") % {"dimensions": ", ".join(names)}
        self.codes = [d.code for d in dimensions]
        self.cells = list(
            itertools.product(*[[c["code"] for c in d.categories] for d in dimensions])
        )
        last = dimensions[-1]
        self.column_name = indicator_services.dimension_name(last)
        self.columns = [indicator_services.category_label(last.code, c) for c in last.categories]
        self.open = False

    def field_name(self, position):
        return f"g{self.number}_c{position}"

    def categories(self, cell):
        return dict(zip(self.codes, cell, strict=True))


class IndicatorValueForm(forms.Form):
    """An indicator's value: its total, one breakdown (any grid, cells may be left empty for a
    partial breakdown), and a note. Cells are given in one grid only."""

    total = forms.DecimalField(label=_("Total"), required=False, **AMOUNT)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, indicator, dimensions, value=None, require_total=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.dimensions = dimensions
        self.fields["total"].required = require_total
        self.fields["total"].label = _("Total (%(unit)s)") % {"unit": indicator.unit}
        self.groups = _groups(dimensions)
        for group in self.groups:
            for position, cell in enumerate(group.cells):
                self.fields[group.field_name(position)] = forms.DecimalField(
                    label=indicator_services.cell_label(dimensions, group.categories(cell)),
                    required=False,
                    **AMOUNT,
                )
        if value is not None and not self.is_bound:
            self._set_initial(value)
        if self.groups and not any(group.open for group in self.groups):
            self.groups[0].open = True
        for group in self.groups:
            group.rows = self._rows(group)

    def _set_initial(self, value):
        self.initial.update({"total": value.total, "note": value.note})
        parts = list(value.parts.all())
        if not parts:
            return
        keys = set(parts[0].categories)
        group = next((g for g in self.groups if set(g.codes) == keys), None)
        if group is None:
            return
        group.open = True
        amounts = {tuple(p.categories[c] for c in group.codes): p.amount for p in parts}
        for position, cell in enumerate(group.cells):
            if cell in amounts:
                self.initial[group.field_name(position)] = amounts[cell]

    def _rows(self, group):
        """The grid's rows: the categories of every dimension but the last, then one field per
        category of the last."""
        width = len(group.columns)
        rows = []
        for start in range(0, len(group.cells), width):
            cell = group.cells[start]
            label = indicator_services.cell_label(group.dimensions[:-1], group.categories(cell))
            fields = [self[group.field_name(start + i)] for i in range(width)]
            rows.append((label, fields))
        return rows

    def clean(self):
        cleaned = super().clean()
        filled = [
            group
            for group in self.groups
            if any(cleaned.get(group.field_name(i)) is not None for i in range(len(group.cells)))
        ]
        if self.is_bound:
            for group in self.groups:
                group.open = group in filled
            if self.groups and not filled:
                self.groups[0].open = True
        if len(filled) > 1:
            raise forms.ValidationError(
                _("Fill in one breakdown only; you filled in: %(groups)s.")
                % {"groups": "; ".join(str(group.label) for group in filled)}
            )
        if filled and cleaned.get("total") is None and "total" not in self.errors:
            self.add_error("total", _("Give the total of the breakdown."))
        self.filled = filled[0] if filled else None
        return cleaned

    def parts(self):
        group = self.filled
        if group is None:
            return []
        return [
            {"categories": group.categories(cell), "amount": self.cleaned_data[name]}
            for position, cell in enumerate(group.cells)
            if self.cleaned_data.get(name := group.field_name(position)) is not None
        ]

    def value(self):
        """{"indicator", "total", "parts", "note"} as the services take it."""
        return {
            "indicator": self.indicator,
            "total": self.cleaned_data.get("total"),
            "parts": self.parts(),
            "note": self.cleaned_data.get("note", ""),
        }


def _groups(dimensions):
    """Every set of dimensions a breakdown may use: all of them first, then smaller sets."""
    groups = []
    for size in range(len(dimensions), 0, -1):
        for chosen in itertools.combinations(dimensions, size):
            groups.append(Group(len(groups), list(chosen)))
    return groups


class DirectValueForm(IndicatorValueForm):
    """The State's own figure of a year for a plan action's indicator."""

    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, require_total=True, **kwargs)
        self.today = today or timezone.localdate()
        self.order_fields(["year", "total"])
        self.fields["total"].error_messages["required"] = _("Give the total of the year.")
        plan = self.indicator.plan_action.section.action_plan
        self.fields["year"].help_text = _(
            "From %(first)s to %(last)s, the years of the action plan, and not after this "
            "year. A value of a year already recorded replaces it."
        ) % {"first": plan.first_year, "last": plan.last_year}

    def clean_year(self):
        year = self.cleaned_data["year"]
        plan = self.indicator.plan_action.section.action_plan
        if not plan.first_year <= year <= plan.last_year:
            raise forms.ValidationError(
                _("Choose a year of the action plan, from %(first)s to %(last)s.")
                % {"first": plan.first_year, "last": plan.last_year}
            )
        if year > self.today.year:
            raise forms.ValidationError(_("The year cannot be in the future."))
        return year


# Progress reports ------------------------------------------------------------------------------


class ReportCreateForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"))

    def __init__(self, *args, partnership, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = report_services.available_periods(partnership, today)
        self.fields["period"].choices = [
            (
                period.start.isoformat(),
                _("%(period)s (due %(date)s)")
                % {
                    "period": report_services.period_label(period.start, period.end),
                    "date": period.due_on.isoformat(),
                },
            )
            for period in reversed(self.periods)
        ]
        self.fields["period"].help_text = _(
            "The periods that have begun and have no report yet, the latest first."
        )

    def period_start(self):
        chosen = self.cleaned_data["period"]
        return next(p.start for p in self.periods if p.start.isoformat() == chosen)


class ReportNarrativeForm(forms.Form):
    narrative = forms.CharField(
        label=_("Narrative"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Progress, difficulties and what comes next, in your own words."),
    )
    # When the draft was last saved, as the page was opened: a save by someone else in between
    # is detected instead of silently overwritten.
    stamp = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, report, **kwargs):
        kwargs.setdefault(
            "initial", {"narrative": report.narrative, "stamp": report.updated_at.isoformat()}
        )
        super().__init__(*args, **kwargs)
        self.fields["stamp"].error_messages["required"] = _(
            "The form is incomplete: reload the page and enter the report again."
        )


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I confirm"), error_messages={"required": _("Tick the box to confirm.")}
    )


# Filters ---------------------------------------------------------------------------------------


class ReportStatusFilterForm(forms.Form):
    """Filters of the secretariat's view of who has and has not reported."""

    partnership = forms.ModelChoiceField(
        label=_("Partnership"),
        required=False,
        queryset=Partnership.objects.order_by("title"),
        to_field_name="public_id",
        empty_label=_("All"),
    )
    party = forms.ModelChoiceField(
        label=_("Party"),
        required=False,
        queryset=Organisation.objects.order_by("name"),
        to_field_name="public_id",
        empty_label=_("All"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *report_services.STATUS_LABELS.items()],
    )
    year = forms.IntegerField(
        label=_("Period ends in"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR
    )

    def partnerships(self, partnerships):
        data = _cleaned(self)
        if data.get("partnership"):
            partnerships = partnerships.filter(pk=data["partnership"].pk)
        if data.get("party"):
            party = data["party"]
            partnerships = partnerships.filter(Q(state_party=party) | Q(partners=party)).distinct()
        return partnerships

    def rows(self, rows):
        data = _cleaned(self)
        if data.get("status"):
            rows = [row for row in rows if row.matches(data["status"])]
        if data.get("year"):
            rows = [row for row in rows if row.end.year == data["year"]]
        return rows


class IndicatorFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    partnership = forms.ModelChoiceField(
        required=False, queryset=Partnership.objects.all(), to_field_name="public_id"
    )
    commitment = forms.ModelChoiceField(
        required=False, queryset=Commitment.objects.all(), to_field_name="public_id"
    )
    plan_action = forms.ModelChoiceField(
        required=False, queryset=PlanAction.objects.all(), to_field_name="public_id"
    )

    def filter(self, indicators):
        data = _cleaned(self)
        for name in ("partnership", "commitment", "plan_action"):
            if data.get(name):
                indicators = indicators.filter(**{name: data[name]})
        for term in query_terms(data.get("q", "")):
            indicators = indicators.filter(Q(name__icontains=term) | Q(unit__icontains=term))
        return indicators


class ProgressReportFilterForm(forms.Form):
    partnership = forms.ModelChoiceField(
        required=False, queryset=Partnership.objects.all(), to_field_name="public_id"
    )
    status = forms.ChoiceField(required=False, choices=[("", ""), *ReportStatus.choices])
    year = forms.IntegerField(required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)

    def filter(self, reports):
        data = _cleaned(self)
        if data.get("partnership"):
            reports = reports.filter(partnership=data["partnership"])
        if data.get("status"):
            reports = reports.filter(status=data["status"])
        if data.get("year"):
            reports = reports.filter(period_end__year=data["year"])
        return reports
