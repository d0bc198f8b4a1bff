"""Forms of the core pages: country profile, Article 5 extensions, audit filters, API tokens."""

import datetime

from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mineaction.core.models import AuditEntry, CountryProfile, DeadlineChange, User


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def add_problems(form, errors):
    """A service's messages ({field: [message]}) onto the form's fields, or onto the form when
    the field is not on it, unless the field has its own error already."""
    for name, messages in errors.items():
        if name in form.errors:
            continue
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


class CountryProfileForm(forms.ModelForm):
    official_languages = forms.MultipleChoiceField(
        label=_("Official languages"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The platform languages that are official languages of the State."),
    )

    class Meta:
        model = CountryProfile
        fields = [
            "name",
            "iso3",
            "official_languages",
            "currency",
            "convention_entry_into_force",
            "original_article5_deadline",
        ]
        widgets = {
            "convention_entry_into_force": DateInput(),
            "original_article5_deadline": DateInput(),
        }

    def clean_iso3(self):
        return self.cleaned_data["iso3"].strip().upper()

    def clean_currency(self):
        return self.cleaned_data["currency"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        entry = cleaned.get("convention_entry_into_force")
        original = cleaned.get("original_article5_deadline")
        if entry and original and original <= entry:
            self.add_error(
                "original_article5_deadline",
                _("The Article 5 deadline must be later than the Convention's entry into force."),
            )
        first = self._first_extension()
        if original and first and original >= first.new_deadline:
            self.add_error(
                "original_article5_deadline",
                _("The original deadline must be earlier than the first extension (%(deadline)s).")
                % {"deadline": first.new_deadline.isoformat()},
            )
        return cleaned

    def _first_extension(self):
        if self.instance.pk is None:
            return None
        return self.instance.deadline_changes.order_by("decided_on", "id").first()


class DeadlineExtensionForm(forms.ModelForm):
    """An extension of the Article 5 deadline; it must move the current deadline later."""

    class Meta:
        model = DeadlineChange
        fields = ["new_deadline", "decided_on", "decision", "reference_url"]
        widgets = {"new_deadline": DateInput(), "decided_on": DateInput()}

    def __init__(self, *args, profile, **kwargs):
        super().__init__(*args, **kwargs)
        self.profile = profile
        self.instance.profile = profile

    def clean_decided_on(self):
        decided_on = self.cleaned_data["decided_on"]
        if decided_on > timezone.localdate():
            raise forms.ValidationError(_("The decision date cannot be in the future."))
        latest = self.profile.deadline_changes.order_by("-decided_on", "-id").first()
        if latest and decided_on < latest.decided_on:
            raise forms.ValidationError(
                _("The decision cannot be earlier than the previous extension (%(date)s).")
                % {"date": latest.decided_on.isoformat()}
            )
        return decided_on

    def clean_new_deadline(self):
        new_deadline = self.cleaned_data["new_deadline"]
        current = self.profile.article5_deadline
        if current is None:
            raise forms.ValidationError(
                _("Set the original Article 5 deadline in the country profile first.")
            )
        if new_deadline <= current:
            raise forms.ValidationError(
                _("The new deadline must be later than the deadline it extends (%(date)s).")
                % {"date": current.isoformat()}
            )
        return new_deadline


class AuditFilterForm(forms.Form):
    record_type = forms.ModelChoiceField(
        label=_("Record type"),
        queryset=ContentType.objects.none(),
        required=False,
        empty_label=_("All record types"),
    )
    actor = forms.ModelChoiceField(
        label=_("Who"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Anyone"),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        recorded = AuditEntry.objects.values("content_type")
        self.fields["record_type"].queryset = ContentType.objects.filter(pk__in=recorded)
        self.fields["record_type"].label_from_instance = record_type_label
        actors = AuditEntry.objects.filter(actor__isnull=False).values("actor")
        self.fields["actor"].queryset = User.objects.filter(pk__in=actors).order_by("email")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period cannot be before its start."))
        return cleaned

    def filter(self, entries):
        data = self.cleaned_data
        if data.get("record_type"):
            entries = entries.filter(content_type=data["record_type"])
        if data.get("actor"):
            entries = entries.filter(actor=data["actor"])
        if data.get("date_from"):
            entries = entries.filter(timestamp__date__gte=data["date_from"])
        if data.get("date_to"):
            entries = entries.filter(timestamp__date__lte=data["date_to"])
        return entries


def record_type_label(content_type):
    model = content_type.model_class()
    if model is None:
        return content_type.model
    return str(model._meta.verbose_name).capitalize()


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, for example: nightly import script."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for a token that works until you revoke it."),
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        return name

    def clean_expires_on(self):
        expires_on = self.cleaned_data["expires_on"]
        if expires_on and expires_on <= timezone.localdate():
            raise forms.ValidationError(_("The expiry date must be in the future."))
        return expires_on

    def expires_at(self):
        """The end of the expiry day in the platform's time zone, or None."""
        expires_on = self.cleaned_data.get("expires_on")
        if expires_on is None:
            return None
        end_of_day = datetime.datetime.combine(expires_on, datetime.time.max)
        return timezone.make_aware(end_of_day)


class PatternsForm(forms.Form):
    """A sample form for the patterns page: every kind of field, with errors when bound."""

    title = forms.CharField(label=_("Title"), max_length=20, help_text=_("A short title."))
    email = forms.EmailField(label=_("Email address"))
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("Choose…")), ("a", _("First kind")), ("b", _("Second kind"))],
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(label=_("I confirm"))
