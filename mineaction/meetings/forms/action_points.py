"""Forms for action points: the list filters, the secretariat's edit and progress updates.
The pages and the API validate with the same forms and services, so a bad value gets the same
message everywhere."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mineaction.core.choices import Component
from mineaction.core.forms import DateInput
from mineaction.meetings.models import ActionPoint, ActionPointUpdate
from mineaction.meetings.services import action_points as services
from mineaction.stakeholders.models import Organisation, Person


class ActionPointFilterForm(forms.Form):
    """Filters of the action point lists. Invalid values are reported and ignored."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(),
        help_text=_("Words in the action."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *ActionPoint.Status.choices],
    )
    component = forms.ChoiceField(
        label=_("Component"), required=False, choices=[("", _("All")), *Component.choices]
    )
    owner_organisation = forms.ModelChoiceField(
        label=_("Owner organisation"),
        required=False,
        queryset=Organisation.objects.none(),
        to_field_name="public_id",
        empty_label=_("All"),
    )
    meeting = forms.ModelChoiceField(
        label=_("Agreed at"),
        required=False,
        queryset=None,
        to_field_name="public_id",
        empty_label=_("All meetings"),
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, meetings, **kwargs):
        """`meetings`: the meetings the viewer may see."""
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings.select_related("series").order_by("-starts_at")
        self.fields["owner_organisation"].queryset = Organisation.objects.filter(
            action_points__isnull=False
        ).distinct()

    def filter(self, action_points):
        data = self.cleaned_data if self.is_bound else {}
        for word in data.get("q", "").split():
            action_points = action_points.filter(text__icontains=word)
        for name in ("status", "component", "owner_organisation", "meeting"):
            if data.get(name):
                action_points = action_points.filter(**{name: data[name]})
        if data.get("overdue"):
            action_points = action_points.overdue()
        return action_points


class ActionPointForm(forms.ModelForm):
    """The secretariat's edit of an action point: the action, its owner and due date."""

    class Meta:
        model = ActionPoint
        fields = ["text", "owner_organisation", "owner_person", "due_on", "component"]
        widgets = {"due_on": DateInput(), "text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_person"].queryset = Person.objects.select_related("organisation")
        self.fields["owner_person"].help_text = _(
            "Leave empty when the organisation as a whole owns the action."
        )

    def clean(self):
        cleaned_data = super().clean()
        if any(name in self.errors for name in ("owner_organisation", "owner_person", "due_on")):
            return cleaned_data
        errors = services.action_point_problems(
            meeting=self.instance.meeting,
            agenda_item=self.instance.agenda_item,
            text=cleaned_data.get("text"),
            owner_organisation=cleaned_data.get("owner_organisation"),
            owner_person=cleaned_data.get("owner_person"),
            due_on=cleaned_data.get("due_on"),
            component=cleaned_data.get("component"),
        )
        if errors:
            raise ValidationError(errors)
        return cleaned_data


class ActionPointProgressForm(forms.ModelForm):
    """A progress update: its date, what happened and the status it leaves the action in."""

    class Meta:
        model = ActionPointUpdate
        fields = ["on", "text", "status"]
        widgets = {"on": DateInput(), "text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, action_point, can_reopen, **kwargs):
        kwargs.setdefault("initial", {"on": timezone.localdate(), "status": action_point.status})
        super().__init__(*args, **kwargs)
        self.action_point = action_point
        self.can_reopen = can_reopen
        allowed = services.next_statuses(action_point, can_reopen=can_reopen)
        self.fields["status"].widget.choices = [
            (value, label) for value, label in ActionPoint.Status.choices if value in allowed
        ]

    def clean_status(self):
        status = self.cleaned_data["status"]
        problem = services.status_problem(self.action_point, status, can_reopen=self.can_reopen)
        if problem:
            raise ValidationError(problem)
        return status
