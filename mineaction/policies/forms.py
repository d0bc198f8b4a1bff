"""Forms of the policy and standards tracker: the instrument list's filters, instruments, stage
changes, advocacy entries and the IMAS catalogue. The pages, the API and the IMAS import
validate with the same forms and services, so a bad value gets the same message everywhere."""

import re

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from mineaction.core import access
from mineaction.core.choices import Component
from mineaction.core.forms import DateInput
from mineaction.core.search import matching, query_terms
from mineaction.policies.models import (
    AdvocacyAction,
    ImasStandard,
    Instrument,
    InstrumentKind,
    InstrumentStage,
)
from mineaction.policies.services import advocacy as advocacy_services
from mineaction.policies.services import instruments as services
from mineaction.stakeholders.models import Organisation

IMAS_REFERENCE = re.compile(r"^\d{2}\.\d{2}(\.\d{1,2})?$")
ISO_DATE = ["%Y-%m-%d"]


def normalise_reference(text):
    """ "IMAS 07.11" and " 07.11 " are the standard "07.11"."""
    text = (text or "").strip()
    if text[:4].upper() == "IMAS":
        text = text[4:].strip()
    return text


def use_public_ids(form, names):
    """Choose related records by their public id (as the API sends them), and show the current
    ones selected: a model form's initial values are primary keys."""
    for name in names:
        form.fields[name].to_field_name = "public_id"
        if isinstance(form.initial.get(name), int):
            form.initial[name] = getattr(form.instance, name).public_id


# The instrument list -----------------------------------------------------------------------------


class InstrumentFilterForm(forms.Form):
    """Filters of the instrument list, its exports and the API. Invalid values are reported
    and ignored on the pages (the API answers 400)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(),
        help_text=_("Words in the reference, title or description."),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *InstrumentKind.choices]
    )
    stage = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        choices=[("", _("All stages")), *InstrumentStage.choices],
    )
    component = forms.ChoiceField(
        label=_("Component"),
        required=False,
        choices=[("", _("All components")), *Component.choices],
    )
    responsible_body = forms.ModelChoiceField(
        label=_("Responsible body"),
        required=False,
        queryset=Organisation.objects.none(),
        to_field_name="public_id",
        empty_label=_("All"),
    )
    overdue = forms.BooleanField(
        label=_("Overdue only"),
        required=False,
        help_text=_("Target date passed, not adopted or in force."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_body"].queryset = Organisation.objects.filter(
            instruments__isnull=False
        ).distinct()

    def filter(self, instruments, *, today=None, stage=True):
        """`instruments` filtered; `stage=False` leaves the stage out (for the pipeline's
        counts, which show every stage)."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        instruments = matching(instruments, query_terms(data.get("q", "")))
        for name in ("kind", "component", "responsible_body"):
            if data.get(name):
                instruments = instruments.filter(**{name: data[name]})
        if stage and data.get("stage"):
            instruments = instruments.filter(stage=data["stage"])
        if data.get("overdue"):
            instruments = instruments.filter(
                services.overdue_condition(today or timezone.localdate())
            )
        return instruments


# Instruments -----------------------------------------------------------------------------------


class InstrumentForm(forms.ModelForm):
    """An instrument's description. Its stage changes through `StageChangeForm` once recorded."""

    class Meta:
        model = Instrument
        fields = [
            "kind",
            "reference",
            "title",
            "description",
            "component",
            "responsible_body",
            "target_date",
            "version",
            "version_date",
            "imas_standard",
            "imas_edition_followed",
            "link",
            "challenges",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "target_date": DateInput(),
            "version_date": DateInput(),
            "imas_edition_followed": DateInput(),
            "challenges": forms.CheckboxSelectMultiple(),
        }
        help_texts = {
            "imas_standard": _("NMAS chapters only: the IMAS this chapter follows."),
            "target_date": _("When the instrument should be adopted or in force."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        use_public_ids(self, ["responsible_body", "imas_standard", "challenges"])
        visible = access.visible_challenges(user).order_by("-number")
        self.fields["challenges"].queryset = visible
        self.fields["challenges"].help_text = _("The challenges this instrument helps address.")
        # Challenges the editor may not see stay linked: the form never shows nor drops them.
        self.hidden_challenges = []
        if self.instance.pk is not None:
            self.hidden_challenges = list(self.instance.challenges.exclude(pk__in=visible))

    def clean_reference(self):
        return self.cleaned_data["reference"].strip()

    def clean_challenges(self):
        return [*self.cleaned_data["challenges"], *self.hidden_challenges]

    def clean(self):
        cleaned_data = super().clean()
        if any(name in self.errors for name in ("kind", "imas_standard", "imas_edition_followed")):
            return cleaned_data
        errors = services.instrument_problems(
            kind=cleaned_data.get("kind"),
            imas_standard=cleaned_data.get("imas_standard"),
            imas_edition_followed=cleaned_data.get("imas_edition_followed"),
        )
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name, message)
        return cleaned_data


class InstrumentCreateForm(InstrumentForm):
    """A new instrument also says which stage it has reached, and since when: an existing law
    is often recorded when already in force."""

    class Meta(InstrumentForm.Meta):
        fields = [
            "kind",
            "reference",
            "title",
            "description",
            "component",
            "stage",
            "stage_changed_on",
            "responsible_body",
            "target_date",
            "version",
            "version_date",
            "imas_standard",
            "imas_edition_followed",
            "link",
            "challenges",
        ]
        widgets = {**InstrumentForm.Meta.widgets, "stage_changed_on": DateInput()}
        help_texts = {
            **InstrumentForm.Meta.help_texts,
            "stage": _("The stage it has reached today. Later changes are recorded one by one."),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"stage_changed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_stage_changed_on(self):
        on = self.cleaned_data.get("stage_changed_on")
        problem = services.first_stage_date_problem(on)
        if problem:
            raise forms.ValidationError(problem)
        return on


class StageChangeForm(forms.Form):
    """Move an instrument to another stage. Only the allowed moves are offered; any other is
    refused with a message naming both stages."""

    to_stage = forms.ChoiceField(label=_("New stage"), choices=InstrumentStage.choices)
    on = forms.DateField(label=_("Date"), widget=DateInput(), input_formats=ISO_DATE)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example the decision or the meeting that moved it."),
    )

    def __init__(self, *args, instrument, **kwargs):
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.fields["to_stage"].widget.choices = [
            ("", "---------"),
            *((stage.value, stage.label) for stage in instrument.allowed_stages()),
        ]
        self.fields["on"].required = False
        self.fields["on"].help_text = _(
            "Not in the future, nor before the last stage change (%(date)s)."
        ) % {"date": services.local_date(instrument.stage_changed_on)}

    def clean_to_stage(self):
        to_stage = self.cleaned_data["to_stage"]
        problem = services.stage_problem(self.instrument, to_stage)
        if problem:
            raise forms.ValidationError(problem)
        return to_stage

    def clean_on(self):
        on = self.cleaned_data.get("on") or timezone.localdate()
        problem = services.stage_date_problem(self.instrument, on)
        if problem:
            raise forms.ValidationError(problem)
        return on


def meeting_label(meeting):
    """A meeting as offered in a list: its name and its day."""
    day = date_format(timezone.localtime(meeting.starts_at).date(), "DATE_FORMAT")
    return f"{meeting} ({day})"


# Advocacy --------------------------------------------------------------------------------------


class AdvocacyActionForm(forms.ModelForm):
    """One advocacy entry. Someone who is not a manager logs for their own organisation: the
    field is fixed to it, and sending another is refused."""

    class Meta:
        model = AdvocacyAction
        fields = ["on", "kind", "description", "organisation", "meeting", "outcome"]
        widgets = {
            "on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fixed_organisation = advocacy_services.own_organisation(user)
        use_public_ids(self, ["organisation", "meeting"])
        organisation = self.fields["organisation"]
        if self.fixed_organisation is not None:
            organisation.disabled = True
            organisation.queryset = Organisation.objects.filter(pk=self.fixed_organisation.pk)
            self.initial["organisation"] = self.fixed_organisation.public_id
            organisation.help_text = _("You log what your own organisation did.")
        else:
            organisation.help_text = _("Leave empty for the platform as a whole.")
        meeting = self.fields["meeting"]
        meeting.queryset = (
            access.visible_meetings(user).select_related("series").order_by("-starts_at")
        )
        meeting.help_text = _("The platform meeting where it happened, if any.")
        meeting.label_from_instance = meeting_label

    def clean(self):
        cleaned_data = super().clean()
        organisation = cleaned_data.get("organisation")
        if self.fixed_organisation is not None:
            # A disabled field ignores what was sent: refuse another organisation explicitly
            # (the API sends one) rather than silently logging for the sender's own.
            sent = self.data.get(self.add_prefix("organisation"))
            if sent not in (None, "") and str(sent) != str(self.fixed_organisation.public_id):
                organisation = None
            else:
                organisation = self.fixed_organisation
        errors = advocacy_services.advocacy_problems(
            on=cleaned_data.get("on"),
            organisation=organisation,
            fixed_organisation=self.fixed_organisation,
        )
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name, message)
        if self.fixed_organisation is not None and "organisation" not in self.errors:
            cleaned_data["organisation"] = self.fixed_organisation
        return cleaned_data


# The IMAS catalogue ----------------------------------------------------------------------------


class ImasStandardForm(forms.ModelForm):
    """One IMAS and its current edition (the pages, the API and the CSV import)."""

    edition_date = forms.DateField(
        label=_("Date of the current edition"),
        widget=DateInput(),
        input_formats=ISO_DATE,
        error_messages={"invalid": _("Enter the date as YYYY-MM-DD, such as 2024-03-31.")},
    )

    class Meta:
        model = ImasStandard
        fields = ["reference", "title", "edition", "edition_date"]

    def clean_reference(self):
        reference = normalise_reference(self.cleaned_data["reference"])
        if not IMAS_REFERENCE.match(reference):
            raise forms.ValidationError(
                _("Enter an IMAS number as two pairs of digits, such as 07.11.")
            )
        return reference

    def clean_edition_date(self):
        edition_date = self.cleaned_data["edition_date"]
        if edition_date > timezone.localdate():
            raise forms.ValidationError(_("The date of an edition cannot be in the future."))
        if self.instance.pk is not None:
            ahead = (
                self.instance.nmas_chapters.filter(imas_edition_followed__gt=edition_date)
                .order_by("-imas_edition_followed", "reference")
                .first()
            )
            if ahead is not None:
                raise forms.ValidationError(
                    _(
                        "NMAS chapter %(chapter)s follows an edition dated %(followed)s, later "
                        "than this date."
                    )
                    % {
                        "chapter": ahead,
                        "followed": services.local_date(ahead.imas_edition_followed),
                    }
                )
        return edition_date
