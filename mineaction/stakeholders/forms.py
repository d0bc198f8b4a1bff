"""Forms for stakeholders. The pages and the API validate with the same forms, so a bad value
gets the same message everywhere."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mineaction.core.choices import Role
from mineaction.stakeholders.models import (
    LeadDonorTerm,
    Membership,
    Organisation,
    Person,
    WorkingGroup,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "acronym",
            "type",
            "country",
            "website",
            "email",
            "description",
            "is_active",
        ]

    def clean_country(self):
        country = self.cleaned_data["country"].strip().upper()
        if country and (len(country) != 3 or not country.isalpha()):
            raise forms.ValidationError(_("Enter a three-letter ISO 3166 code, such as KHM."))
        return country


class PersonForm(forms.ModelForm):
    """Everything about a person; `survivor_status` only for those allowed to see it."""

    class Meta:
        model = Person
        fields = [
            "given_name",
            "family_name",
            "job_title",
            "email",
            "phone",
            "organisation",
            "sex",
            "age_band",
            "survivor_status",
            "language",
        ]

    def __init__(self, *args, sensitive=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True)
        if not sensitive:
            del self.fields["survivor_status"]

    def clean_email(self):
        email = (self.cleaned_data.get("email") or "").strip().lower()
        return email or None


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["person", "role", "starts_on", "ends_on", "notes"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, allowed_roles=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.select_related("organisation")
        if allowed_roles is not None:
            self.fields["role"].choices = [
                (value, label) for value, label in Role.choices if value in allowed_roles
            ]


class LeadDonorTermForm(forms.ModelForm):
    class Meta:
        model = LeadDonorTerm
        fields = ["organisation", "starts_on", "ends_on", "notes"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}


class WorkingGroupForm(forms.ModelForm):
    class Meta:
        model = WorkingGroup
        fields = ["name", "component", "mandate", "conveners", "members"]
