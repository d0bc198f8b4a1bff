"""Forms of the work plans: the list, budget and export filters, a plan, an activity, a
progress update and a milestone. The pages and the API validate with the same forms (records
are named by their public ids in both), so a bad value gets the same message everywhere."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mineaction.core import access
from mineaction.core.forms import DateInput
from mineaction.core.models import CountryProfile
from mineaction.stakeholders.models import Organisation
from mineaction.workplans.models import (
    Activity,
    ActivityUpdate,
    Milestone,
    WorkPlan,
    WorkPlanKind,
    WorkPlanStatus,
)
from mineaction.workplans.services import plans as services

DATE_ERROR = _("Enter the date as YYYY-MM-DD, such as 2025-12-31.")
CENT = Decimal("0.01")


def date_field(label, *, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        help_text=help_text,
        error_messages={"invalid": DATE_ERROR},
    )


def organisation_field(label, *, required=True, help_text=""):
    return forms.ModelChoiceField(
        label=label,
        required=required,
        queryset=Organisation.objects.order_by("name", "id"),
        to_field_name="public_id",
        help_text=help_text,
    )


def _problems_to_form(form, errors):
    """Attach the service's messages per field to the form's fields (or the form); a field
    that already has an error keeps only that one."""
    for field, messages in errors.items():
        if field in form.errors:
            continue
        form.add_error(field if field in form.fields else None, messages)


# Filters ---------------------------------------------------------------------------------------


class WorkPlanFilterForm(forms.Form):
    """Filters of the plan list. Invalid values are reported and ignored."""

    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *WorkPlanKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *WorkPlanStatus.choices]
    )
    year = forms.IntegerField(
        label=_("Running in"),
        required=False,
        min_value=1900,
        max_value=2200,
        help_text=_("A year: the plans whose period covers part of it."),
        error_messages={"invalid": _("Enter a year, such as 2025.")},
    )

    def filter(self, plans):
        data = self.cleaned_data if self.is_bound else {}
        for name in ("kind", "status"):
            if data.get(name):
                plans = plans.filter(**{name: data[name]})
        if data.get("year"):
            plans = plans.filter(starts_on__year__lte=data["year"], ends_on__year__gte=data["year"])
        return plans


def plan_choice_field(required=False):
    return forms.ModelChoiceField(
        label=_("Work plan"),
        required=required,
        queryset=WorkPlan.objects.order_by("-starts_on", "title", "id"),
        to_field_name="public_id",
        empty_label=_("All work plans"),
    )


class PlanScopeForm(forms.Form):
    """The plans whose activities a budget or an export covers: one plan, or a kind of plan."""

    plan = plan_choice_field()
    kind = forms.ChoiceField(
        label=_("Kind of plan"), required=False, choices=[("", _("All")), *WorkPlanKind.choices]
    )

    def filter(self, activities):
        data = self.cleaned_data if self.is_bound else {}
        if data.get("plan"):
            activities = activities.filter(work_plan=data["plan"])
        if data.get("kind"):
            activities = activities.filter(work_plan__kind=data["kind"])
        return activities


# Plans -----------------------------------------------------------------------------------------


class WorkPlanForm(forms.ModelForm):
    owner = organisation_field(
        _("Owner"), required=False, help_text=_("The organisation that leads the plan.")
    )
    starts_on = date_field(_("Starts"))
    ends_on = date_field(_("Ends"))

    class Meta:
        model = WorkPlan
        fields = ["title", "kind", "starts_on", "ends_on", "status", "owner", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def clean(self):
        cleaned_data = super().clean()
        _problems_to_form(
            self,
            services.work_plan_problems(
                work_plan=self.instance,
                starts_on=cleaned_data.get("starts_on"),
                ends_on=cleaned_data.get("ends_on"),
            ),
        )
        return cleaned_data


# Activities ------------------------------------------------------------------------------------


class ActivityForm(forms.ModelForm):
    """An activity of a plan. Its status and progress change through progress updates."""

    responsible_organisation = organisation_field(_("Responsible organisation"))
    starts_on = date_field(_("Starts"))
    ends_on = date_field(_("Ends"))
    budget = forms.DecimalField(
        label=_("Budget"),
        required=False,
        max_digits=16,
        decimal_places=2,
        help_text=_("Leave empty when the activity needs no funds of its own."),
        error_messages={
            "invalid": _("Enter the budget as a number, such as 125000.50."),
            "max_decimal_places": _("Give the budget in whole cents: at most two decimals."),
        },
    )
    currency = forms.CharField(
        label=_("Currency"),
        required=False,
        max_length=3,
        help_text=_("The ISO 4217 code of the budget's currency, such as USD or EUR."),
    )
    challenges = forms.ModelMultipleChoiceField(
        label=_("Challenges addressed"),
        required=False,
        queryset=None,
        to_field_name="public_id",
        help_text=_("The challenges of the register this activity helps to resolve."),
    )

    class Meta:
        model = Activity
        fields = [
            "code",
            "title",
            "description",
            "responsible_organisation",
            "component",
            "starts_on",
            "ends_on",
            "budget",
            "currency",
            "challenges",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        visible = access.visible_challenges(user).order_by("-number")
        self.fields["challenges"].queryset = visible
        self.fields["challenges"].widget.attrs["size"] = 8
        # Links to challenges this user may not see are kept as they are.
        if self.instance.pk:
            self.hidden_challenges = list(self.instance.challenges.exclude(pk__in=visible))
        else:
            self.hidden_challenges = []
            profile = CountryProfile.load()
            if not self.initial.get("currency"):
                self.initial["currency"] = profile.currency if profile else ""

    def clean_currency(self):
        return self.cleaned_data["currency"].strip().upper()

    def clean_budget(self):
        budget = self.cleaned_data["budget"]
        if budget is None:
            return None
        if budget < 0:
            raise ValidationError(_("A budget cannot be negative."))
        return budget.quantize(CENT)

    def clean_challenges(self):
        return [*self.cleaned_data["challenges"], *self.hidden_challenges]

    def clean(self):
        cleaned_data = super().clean()
        _problems_to_form(
            self,
            services.activity_problems(
                work_plan=self.instance.work_plan,
                starts_on=cleaned_data.get("starts_on"),
                ends_on=cleaned_data.get("ends_on"),
                budget=cleaned_data.get("budget"),
                currency=cleaned_data.get("currency", ""),
            ),
        )
        return cleaned_data


class ActivityProgressForm(forms.ModelForm):
    """A progress update: its date, the status and progress it leaves the activity in."""

    on = date_field(_("Date"), help_text=_("Today or a past date."))
    progress_percent = forms.IntegerField(
        label=_("Progress (%)"),
        required=False,
        help_text=_("From 0 to 100. A completed activity is at 100."),
        error_messages={"invalid": _("Enter the progress as a whole number from 0 to 100.")},
    )

    class Meta:
        model = ActivityUpdate
        fields = ["on", "status", "progress_percent", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, activity, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "on": timezone.localdate(),
                "status": activity.status,
                "progress_percent": activity.progress_percent,
            },
        )
        super().__init__(*args, **kwargs)
        self.activity = activity
        self.fields["progress_percent"].widget.attrs.update(min=0, max=100)

    def clean(self):
        cleaned_data = super().clean()
        if "status" in self.errors or "on" in self.errors or "progress_percent" in self.errors:
            return cleaned_data
        errors, percent = services.progress_problems(
            activity=self.activity,
            on=cleaned_data.get("on"),
            status=cleaned_data.get("status"),
            progress_percent=cleaned_data.get("progress_percent"),
        )
        _problems_to_form(self, errors)
        cleaned_data["progress_percent"] = percent
        return cleaned_data

    def _post_clean(self):
        # The update is created by the service, which also moves the activity; the model's
        # own checks would only repeat the service's messages.
        pass


# Milestones ------------------------------------------------------------------------------------


class MilestoneForm(forms.ModelForm):
    activity = forms.ModelChoiceField(
        label=_("Activity"),
        required=False,
        queryset=None,
        to_field_name="public_id",
        empty_label=_("The plan as a whole"),
    )
    due_on = date_field(_("Due"))
    achieved_on = date_field(
        _("Achieved on"), required=False, help_text=_("Leave empty until it is achieved.")
    )

    class Meta:
        model = Milestone
        fields = ["title", "activity", "due_on", "achieved_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = self.instance.work_plan.activities.order_by(
            "starts_on", "code", "id"
        )

    def clean(self):
        cleaned_data = super().clean()
        _problems_to_form(
            self,
            services.milestone_problems(
                work_plan=self.instance.work_plan,
                activity=cleaned_data.get("activity"),
                due_on=cleaned_data.get("due_on"),
                achieved_on=cleaned_data.get("achieved_on"),
            ),
        )
        return cleaned_data
