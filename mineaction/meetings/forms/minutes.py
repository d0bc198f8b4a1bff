"""Forms for minutes, decisions, action points agreed in the meeting, circulation and
amendments. The pages and the API validate with the same forms."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mineaction.core.forms import DateInput
from mineaction.meetings.models import ActionPoint, AgendaItem, Amendment, Decision
from mineaction.meetings.services.minutes import meeting_date
from mineaction.stakeholders.models import Organisation, Person


class MinutesStartForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        taken = set(meeting.minutes.values_list("language", flat=True))
        self.fields["language"].choices = [
            (code, name) for code, name in settings.LANGUAGES if code not in taken
        ]


def entry_field_name(agenda_item):
    return f"entry_{agenda_item.public_id}"


class MinutesEditForm(forms.Form):
    """The discussion under every agenda item, with the revision the edit started from."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    note = forms.CharField(
        label=_("What changed"),
        max_length=300,
        required=False,
        help_text=_("A short note kept with this version, such as “Amendment 2 included”."),
    )

    def __init__(self, *args, agenda_items, discussions, **kwargs):
        super().__init__(*args, **kwargs)
        self.agenda_items = list(agenda_items)
        for item in self.agenda_items:
            self.fields[entry_field_name(item)] = forms.CharField(
                label=str(item),
                required=False,
                initial=discussions.get(item.pk, ""),
                widget=forms.Textarea(attrs={"rows": 6}),
            )

    def entry_fields(self):
        return [(item, self[entry_field_name(item)]) for item in self.agenda_items]

    def discussions(self):
        return {
            item.pk: self.cleaned_data.get(entry_field_name(item), "") for item in self.agenda_items
        }


class AgendaItemChoiceMixin:
    def limit_agenda_items(self, meeting, required):
        field = self.fields["agenda_item"]
        field.queryset = AgendaItem.objects.filter(meeting=meeting).order_by("order", "id")
        field.to_field_name = "public_id"
        field.required = required


class DecisionForm(AgendaItemChoiceMixin, forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["agenda_item", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_agenda_items(meeting, required=True)


class DecisionEditForm(DecisionForm):
    """Change a recorded decision: its wording is required (an empty form changes nothing);
    the agenda item may be left empty for a decision not linked to one."""

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, meeting=meeting, **kwargs)
        self.fields["agenda_item"].required = False


class ActionPointForm(AgendaItemChoiceMixin, forms.ModelForm):
    class Meta:
        model = ActionPoint
        fields = [
            "agenda_item",
            "text",
            "owner_organisation",
            "owner_person",
            "due_on",
            "component",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "due_on": DateInput()}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.limit_agenda_items(meeting, required=True)
        self.fields["owner_organisation"].queryset = Organisation.objects.filter(
            is_active=True
        ).order_by("name")
        self.fields["owner_organisation"].to_field_name = "public_id"
        self.fields["owner_person"].queryset = Person.objects.select_related(
            "organisation"
        ).order_by("family_name", "given_name")
        self.fields["owner_person"].to_field_name = "public_id"

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < meeting_date(self.meeting):
            raise forms.ValidationError(_("A due date cannot be before the meeting."))
        return due_on

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("owner_organisation")
        person = cleaned.get("owner_person")
        if organisation and person and person.organisation_id != organisation.pk:
            self.add_error(
                "owner_person",
                _("%(person)s does not belong to %(organisation)s.")
                % {"person": person, "organisation": organisation},
            )
        return cleaned


class CirculateForm(forms.Form):
    amendments_close_on = forms.DateField(
        label=_("Amendments close on"),
        widget=DateInput(),
        help_text=_("Attendees may propose amendments until the end of this day."),
    )

    def clean_amendments_close_on(self):
        closes_on = self.cleaned_data["amendments_close_on"]
        if closes_on <= timezone.localdate():
            raise forms.ValidationError(_("The closing date for amendments must be in the future."))
        return closes_on


class AmendmentForm(AgendaItemChoiceMixin, forms.ModelForm):
    class Meta:
        model = Amendment
        fields = ["agenda_item", "comment", "proposed_text"]
        widgets = {
            "comment": forms.Textarea(attrs={"rows": 4}),
            "proposed_text": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "agenda_item": _("Leave empty for a comment on the minutes as a whole."),
            "proposed_text": _("Optional: the wording you propose instead."),
        }

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_agenda_items(meeting, required=False)


class AmendmentResolveForm(forms.Form):
    ACCEPT = "accept"
    REJECT = "reject"

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (ACCEPT, _("Accept: I will change the text of the minutes")),
            (REJECT, _("Do not accept")),
        ],
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(
        label=_("Resolution"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the amendment is not accepted: the reason, for its author."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == self.REJECT and not cleaned.get("resolution", "").strip():
            self.add_error("resolution", _("Give the reason for not accepting the amendment."))
        return cleaned

    @property
    def accepted(self):
        return self.cleaned_data["outcome"] == self.ACCEPT
