"""Forms of resource mobilisation: exchange rates, funding requirements, pledges (with their
split over the years), disbursements, and the filters of the lists and of the funding gap.

The pages and the API validate with these forms and save through `services`, so a bad value
gets the same message everywhere. Records that come from the work plans or from an IATI import
keep the figures of their source: only what the source does not say can be changed here.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from mineaction.core import access
from mineaction.core.choices import Component
from mineaction.core.forms import DateInput, add_problems
from mineaction.funding.models import (
    Disbursement,
    ExchangeRate,
    FundingRequirement,
    Pledge,
    PledgeStatus,
    Source,
)
from mineaction.funding.services import money
from mineaction.funding.services.records import rate_problems, requirement_problems
from mineaction.stakeholders.models import Organisation

# Admin areas and partnerships belong to other apps; reached through the foreign keys.
AdminArea = Pledge._meta.get_field("region").related_model
Partnership = Pledge._meta.get_field("partnership").related_model

# Regions offered: provinces and districts (money for a smaller area names its district).
REGION_LEVELS = 2
SPLIT_LINE = re.compile(r"^(\d{4})\s*[:=]?\s*(\S.*)$")
AMOUNT_TEXT = re.compile(r"^\d+([.,]\d+)?$")
SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


class CurrencyField(forms.CharField):
    """An ISO 4217 code, accepted in any case."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 3)
        kwargs.setdefault("help_text", _("ISO 4217 code, such as EUR."))
        super().__init__(**kwargs)
        self.widget.attrs.update({"size": 4, "autocapitalize": "characters"})

    def to_python(self, value):
        return super().to_python(value).upper()


class YearField(forms.IntegerField):
    """A year the platform accepts (a model's own bounds are replaced)."""

    def __init__(self, **kwargs):
        kwargs["min_value"] = money.EARLIEST_YEAR
        kwargs["max_value"] = money.LATEST_YEAR
        super().__init__(**kwargs)
        # Lazy: fields of filter forms are built once, the message is read per request.
        out_of_range = lazy(money.year_problem, str)(money.EARLIEST_YEAR - 1)
        self.error_messages.update(
            min_value=out_of_range,
            max_value=out_of_range,
            invalid=_("Enter a year, such as 2026."),
        )


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, area):
        return area.name if area.parent_id is None else f"{area.parent.name} › {area.name}"


def region_queryset(current=None):
    regions = Q(level__lte=REGION_LEVELS)
    if current is not None:
        regions |= Q(pk=current.pk)
    return AdminArea.objects.filter(regions).select_related("parent").order_by("path")


def organisation_queryset(*current):
    active = Q(is_active=True)
    for organisation in current:
        if organisation is not None:
            active |= Q(pk=organisation.pk)
    return Organisation.objects.filter(active).order_by("name")


def _lock(form, names, help_text):
    """Fields whose value comes from the record's source: shown, not changed."""
    for name in names:
        if name in form.fields:
            form.fields[name].disabled = True
            form.fields[name].help_text = help_text


# Exchange rates ------------------------------------------------------------------------------


class ExchangeRateForm(forms.ModelForm):
    class Meta:
        model = ExchangeRate
        fields = ["currency", "year", "rate"]
        field_classes = {"currency": CurrencyField, "year": YearField}
        widgets = {"rate": forms.NumberInput(attrs={"step": "any"})}

    def __init__(self, *args, base_currency, **kwargs):
        super().__init__(*args, **kwargs)
        self.base_currency = base_currency
        self.fields["rate"].help_text = _(
            "How many %(base)s one unit of the currency was worth in the year (the year's "
            "average, as the finance unit sets it)."
        ) % {"base": base_currency}
        self.fields["rate"].error_messages["min_value"] = _("The rate must be more than zero.")

    def clean(self):
        cleaned = super().clean()
        add_problems(
            self,
            rate_problems(
                currency=cleaned.get("currency"),
                year=cleaned.get("year"),
                rate=cleaned.get("rate"),
                instance=self.instance,
                base=self.base_currency,
            ),
        )
        return cleaned

    def validate_unique(self):
        """`rate_problems` says which rate already exists, in the page's words."""

    def validate_constraints(self):
        """`rate_problems` checks the rate and its year, in the page's words."""


# Funding requirements ------------------------------------------------------------------------


class RequirementForm(forms.ModelForm):
    class Meta:
        model = FundingRequirement
        fields = [
            "year",
            "amount",
            "currency",
            "component",
            "region",
            "description",
            "challenges",
        ]
        field_classes = {
            "currency": CurrencyField,
            "year": YearField,
            "region": RegionChoiceField,
        }
        widgets = {"challenges": forms.CheckboxSelectMultiple}
        help_texts = {
            "component": _("Leave empty when the requirement is for all components."),
            "region": _("Leave empty for a national requirement."),
        }

    def __init__(self, *args, user, base_currency, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["region"].queryset = region_queryset(self.instance.region)
        self.fields["region"].empty_label = _("National")
        self.fields["component"].choices = [("", _("All components")), *Component.choices]
        self.fields["challenges"].queryset = access.visible_challenges(user).order_by("number")
        self.fields["challenges"].required = False
        if not self.instance.pk:
            self.initial.setdefault("currency", base_currency)
        if self.instance.source == Source.WORK_PLAN:
            _lock(
                self,
                ["year", "amount", "currency", "component", "region"],
                _("Taken from the work plans' budgets."),
            )

    def clean(self):
        cleaned = super().clean()
        add_problems(
            self,
            requirement_problems(
                year=cleaned.get("year"),
                amount=cleaned.get("amount"),
                currency=cleaned.get("currency"),
            ),
        )
        return cleaned

    def challenges(self):
        """The challenges chosen, keeping those linked that the user may not see."""
        chosen = list(self.cleaned_data.get("challenges") or [])
        if self.instance.pk:
            visible = self.fields["challenges"].queryset
            chosen += list(self.instance.challenges.exclude(pk__in=visible.values("pk")))
        return chosen

    def requirement(self):
        """The requirement with the form's values, not saved."""
        requirement = self.instance
        for name in ("year", "amount", "currency", "component", "region", "description"):
            if not self.fields[name].disabled:
                setattr(requirement, name, self.cleaned_data[name])
        return requirement


# Pledges -------------------------------------------------------------------------------------


def parse_split(text):
    """{year: Decimal} from lines such as "2025: 150000.50"; ValidationError naming the line
    that cannot be read."""
    split = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = SPLIT_LINE.match(line)
        amount = SPACES.sub("", match.group(2)) if match else ""
        if not match or not AMOUNT_TEXT.match(amount):
            raise ValidationError(
                _(
                    "Line %(number)s is not a year and an amount, such as 2025: 150000.50 "
                    "(without thousands separators)."
                )
                % {"number": number}
            )
        year = int(match.group(1))
        if year in split:
            raise ValidationError(_("%(year)s is given twice.") % {"year": year})
        split[year] = money.as_decimal(amount.replace(",", "."))
    return split


def split_text(pledge):
    """The pledge's split as the form shows it, or "" when it is the equal split."""
    parts = {part.year: part.amount for part in pledge.years.all()}
    if not parts or parts == money.split_over_years(
        pledge.amount, pledge.first_year, pledge.last_year
    ):
        return ""
    return "\n".join(f"{year}: {amount}" for year, amount in sorted(parts.items()))


class PledgeForm(forms.ModelForm):
    split = forms.CharField(
        label=_("Split over the years"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "2025: 150000.00"}),
        help_text=_(
            "Optional. One line per year with its part, such as 2025: 150000.00. The parts "
            "must add up exactly to the amount. When empty, the amount is split equally over "
            "the years (in cents, the remaining cents to the first years)."
        ),
    )

    class Meta:
        model = Pledge
        fields = [
            "donor",
            "title",
            "recipient",
            "amount",
            "currency",
            "first_year",
            "last_year",
            "split",
            "pledged_on",
            "status",
            "component",
            "region",
            "partnership",
        ]
        field_classes = {
            "currency": CurrencyField,
            "first_year": YearField,
            "last_year": YearField,
            "region": RegionChoiceField,
        }
        widgets = {"pledged_on": DateInput()}
        help_texts = {
            "region": _("Leave empty when the pledge is not earmarked for a region."),
            "status": _(
                "Pledged: announced. Committed: agreed in writing. Disbursed: paid in full."
            ),
        }

    def __init__(self, *args, donor=None, base_currency, years=None, **kwargs):
        """`donor`: the organisation the pledge is recorded for when the user may not choose
        (a donor's people record their own); `years`: an explicit split given as data (API)."""
        super().__init__(*args, **kwargs)
        self.given_years = years
        instance = self.instance
        if donor is not None:
            del self.fields["donor"]
            instance.donor = donor
        else:
            self.fields["donor"].queryset = organisation_queryset(
                instance.donor if instance.donor_id else None
            )
        self.fields["recipient"].queryset = organisation_queryset(
            instance.recipient if instance.recipient_id else None
        )
        self.fields["region"].queryset = region_queryset(instance.region)
        self.fields["region"].empty_label = _("Not earmarked")
        self.fields["component"].choices = [("", _("Not earmarked")), *Component.choices]
        self.fields["partnership"].queryset = Partnership.objects.order_by("title")
        if instance.pk:
            self.initial.setdefault("split", split_text(instance))
        else:
            self.initial.setdefault("currency", base_currency)
            self.initial.setdefault("pledged_on", timezone.localdate())
        if instance.source == Source.IATI:
            _lock(
                self,
                ["donor", "amount", "currency", "first_year", "last_year", "split", "status"],
                _("From the IATI import: import the activity again to change it."),
            )

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise ValidationError(_("The amount must be more than zero."))
        return amount

    def clean_split(self):
        if self.fields["split"].disabled:
            return None
        if self.given_years is not None:
            return self.given_years
        return parse_split(self.cleaned_data["split"])

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_year"), cleaned.get("last_year")
        if first is not None and last is not None and not self.fields["last_year"].disabled:
            if last < first:
                self.add_error("last_year", _("The last year cannot come before the first year."))
            elif last - first + 1 > money.MAX_PLEDGE_YEARS:
                self.add_error(
                    "last_year",
                    _("A pledge can span at most %(count)s years.")
                    % {"count": money.MAX_PLEDGE_YEARS},
                )
        split = cleaned.get("split")
        if split and not self.errors and cleaned.get("amount") is not None:
            try:
                money.clean_split(
                    amount=cleaned["amount"], first_year=first, last_year=last, years=split
                )
            except ValidationError as error:
                self.add_error("split", error.message_dict["years"])
        return cleaned

    def validate_constraints(self):
        """`clean` checks the order of the years, in the page's words."""

    def years(self):
        """The explicit split to save, or None for the equal split (or, for an imported
        pledge, the split it has)."""
        if self.fields["split"].disabled:
            return {part.year: part.amount for part in self.instance.years.all()}
        return self.cleaned_data.get("split") or None


# Disbursements -------------------------------------------------------------------------------


class DisbursementForm(forms.ModelForm):
    class Meta:
        model = Disbursement
        fields = [
            "donor",
            "disbursed_on",
            "amount",
            "currency",
            "recipient",
            "component",
            "region",
        ]
        field_classes = {"currency": CurrencyField, "region": RegionChoiceField}
        widgets = {"disbursed_on": DateInput()}
        help_texts = {
            "component": _("Empty: as the pledge, or not earmarked."),
            "region": _("Empty: as the pledge, or not earmarked for a region."),
        }

    def __init__(self, *args, donor=None, pledge=None, base_currency, **kwargs):
        """`pledge`: the pledge disbursed (its donor disburses); `donor`: the organisation of
        the user when they may not choose."""
        super().__init__(*args, **kwargs)
        instance = self.instance
        pledge = pledge if pledge is not None else instance.pledge
        instance.pledge = pledge
        if pledge is not None or donor is not None:
            del self.fields["donor"]
            instance.donor = pledge.donor if pledge is not None else donor
        else:
            self.fields["donor"].queryset = organisation_queryset(
                instance.donor if instance.donor_id else None
            )
        self.fields["recipient"].queryset = organisation_queryset(
            instance.recipient if instance.recipient_id else None
        )
        self.fields["region"].queryset = region_queryset(instance.region)
        self.fields["region"].empty_label = "—"
        self.fields["component"].choices = [("", "—"), *Component.choices]
        if not instance.pk:
            self.initial.setdefault("currency", pledge.currency if pledge else base_currency)
            if pledge is not None:
                self.initial.setdefault("recipient", pledge.recipient_id)
        if instance.source == Source.IATI:
            _lock(
                self,
                ["disbursed_on", "amount", "currency"],
                _("From the IATI import: import the activity again to change it."),
            )

    def clean_disbursed_on(self):
        on = self.cleaned_data["disbursed_on"]
        if on is None or self.fields["disbursed_on"].disabled:
            return on
        if (message := money.year_problem(on.year)) is not None:
            raise ValidationError(message)
        if on > timezone.localdate():
            raise ValidationError(
                _("A disbursement is recorded once made: choose today or a date in the past.")
            )
        return on

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0 and not self.fields["amount"].disabled:
            raise ValidationError(_("The amount must be more than zero."))
        return amount


# Filters -------------------------------------------------------------------------------------


class FilterForm(forms.Form):
    def values(self):
        if not self.is_bound:
            return {}
        # Valid fields filter even when another is wrong: the page reports the wrong one.
        return getattr(self, "cleaned_data", {})


def donor_filter_field():
    return forms.ModelChoiceField(
        label=_("Donor"),
        required=False,
        queryset=Organisation.objects.filter(
            Q(pledges__isnull=False) | Q(disbursements__isnull=False)
        )
        .distinct()
        .order_by("name"),
        to_field_name="public_id",
        empty_label=_("All"),
        error_messages={"invalid_choice": _("No donor has this identifier.")},
    )


class PledgeFilterForm(FilterForm):
    donor = donor_filter_field()
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *PledgeStatus.choices]
    )
    year = YearField(
        label=_("Year"), required=False, help_text=_("Pledges with a part in this year.")
    )
    component = forms.ChoiceField(
        label=_("Component"),
        required=False,
        choices=[("", _("All")), ("none", _("Not earmarked")), *Component.choices],
    )
    currency = CurrencyField(label=_("Currency"), required=False, help_text="")
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("All")), *Source.choices]
    )

    def filter(self, pledges):
        data = self.values()
        if data.get("donor"):
            pledges = pledges.filter(donor=data["donor"])
        for name in ("status", "currency", "source"):
            if data.get(name):
                pledges = pledges.filter(**{name: data[name]})
        if data.get("year") is not None:
            pledges = pledges.filter(years__year=data["year"])
        if data.get("component") == "none":
            pledges = pledges.filter(component="")
        elif data.get("component"):
            pledges = pledges.filter(component=data["component"])
        return pledges


class DisbursementFilterForm(FilterForm):
    donor = donor_filter_field()
    year = YearField(label=_("Year"), required=False)
    currency = CurrencyField(label=_("Currency"), required=False, help_text="")
    source = forms.ChoiceField(
        label=_("Source"), required=False, choices=[("", _("All")), *Source.choices]
    )

    def filter(self, disbursements):
        data = self.values()
        if data.get("donor"):
            disbursements = disbursements.filter(donor=data["donor"])
        if data.get("year") is not None:
            disbursements = disbursements.filter(disbursed_on__year=data["year"])
        for name in ("currency", "source"):
            if data.get(name):
                disbursements = disbursements.filter(**{name: data[name]})
        return disbursements


class GapFilterForm(FilterForm):
    """The funding gap's filters; the JSON twin and the API take the same ones."""

    first_year = YearField(label=_("From"), required=False)
    last_year = YearField(label=_("To"), required=False)
    component = forms.ChoiceField(
        label=_("Component"),
        required=False,
        choices=[("", _("All")), ("none", _("Not earmarked")), *Component.choices],
        help_text=_("Only what is earmarked for it."),
    )
    region = RegionChoiceField(
        label=_("Region"),
        required=False,
        queryset=AdminArea.objects.none(),
        to_field_name="code",
        empty_label=_("All"),
        help_text=_("Only what is earmarked for it or for an area inside it."),
        error_messages={"invalid_choice": _("No region has this code.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = region_queryset()

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_year"), cleaned.get("last_year")
        if first is not None and last is not None and last < first:
            self.add_error("last_year", _("The last year cannot come before the first year."))
        elif first is not None and last is not None and last - first >= 50:
            self.add_error("last_year", _("Choose a period of at most 50 years."))
        return cleaned

    def gap_filters(self):
        """The arguments of `funding_gap` from the valid filters."""
        data = self.values()
        component = data.get("component") or None
        return {
            "first_year": data.get("first_year"),
            "last_year": data.get("last_year") if "last_year" not in self.errors else None,
            "component": "" if component == "none" else component,
            "region": data.get("region"),
        }
