"""Forms for stakeholders. The pages and the API validate with the same forms, so a bad value
gets the same message everywhere."""

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from mineaction.core.choices import Role
from mineaction.core.forms import DateInput
from mineaction.core.models import User
from mineaction.stakeholders.models import (
    AgeBand,
    LeadDonorTerm,
    Membership,
    Organisation,
    OrganisationType,
    Person,
    Sex,
    WorkingGroup,
)

LEAD_DONOR_TYPES = [
    OrganisationType.DONOR_STATE,
    OrganisationType.INTERNATIONAL_ORGANISATION,
    OrganisationType.UN_AGENCY,
]


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
            "iati_identifier",
        ]

    def clean_country(self):
        country = self.cleaned_data["country"].strip().upper()
        if country and (len(country) != 3 or not country.isalpha()):
            raise forms.ValidationError(_("Enter a three-letter ISO 3166 code, such as KHM."))
        return country

    def clean_iati_identifier(self):
        """IATI imports find the donor by this identifier: it must name one organisation."""
        identifier = self.cleaned_data["iati_identifier"].strip()
        if any(character.isspace() for character in identifier):
            raise forms.ValidationError(_("An IATI identifier has no spaces, such as GB-GOV-1."))
        others = Organisation.objects.filter(iati_identifier=identifier).exclude(
            pk=self.instance.pk
        )
        if identifier and others.exists():
            raise forms.ValidationError(
                _("%(name)s already has this IATI identifier.") % {"name": others.first().name}
            )
        return identifier


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

    def __init__(self, *args, sensitive=False, own_record=False, **kwargs):
        """`sensitive`: the editor may see survivor status. `own_record`: a person editing
        themselves, who may not move to another organisation (the lead donor role follows
        the organisation)."""
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.organisation_id)
        )
        if not sensitive:
            del self.fields["survivor_status"]
        if own_record:
            del self.fields["organisation"]

    def clean_email(self):
        email = (self.cleaned_data.get("email") or "").strip().lower()
        user = self.instance.user if self.instance.pk else None
        if user is not None and not email:
            raise forms.ValidationError(
                _("This person logs in with their email address; it cannot be removed.")
            )
        if email and Person.objects.filter(email=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("A person with this email address is already recorded."))
        if (
            email
            and User.objects.filter(email__iexact=email)
            .exclude(pk=getattr(user, "pk", None))
            .exists()
        ):
            raise forms.ValidationError(_("Another log-in already uses this email address."))
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
        if self.instance.pk:
            # A membership belongs to one person; grant a new one rather than move it.
            self.fields["person"].disabled = True


class LeadDonorTermForm(forms.ModelForm):
    class Meta:
        model = LeadDonorTerm
        fields = ["organisation", "starts_on", "ends_on", "notes"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            Q(type__in=LEAD_DONOR_TYPES, is_active=True) | Q(pk=self.instance.organisation_id)
        )


class WorkingGroupForm(forms.ModelForm):
    class Meta:
        model = WorkingGroup
        fields = ["name", "component", "mandate", "conveners", "members"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.select_related("organisation")
        for name in ("conveners", "members"):
            self.fields[name].queryset = people
            self.fields[name].widget.attrs["size"] = 12
        self.fields["conveners"].help_text = _("Conveners are also made members of the group.")

    def clean(self):
        cleaned_data = super().clean()
        conveners = set(cleaned_data.get("conveners") or [])
        members = set(cleaned_data.get("members") or [])
        # A convener is a member of the group they convene.
        if conveners - members:
            cleaned_data["members"] = list(members | conveners)
        return cleaned_data


# Search and filter forms of the list pages. Invalid values are reported and ignored.

ACTIVE_CHOICES = [("", _("All")), ("yes", _("Active")), ("no", _("Inactive"))]


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(),
        help_text=_("Name or acronym."),
    )
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("All types")), *OrganisationType.choices],
    )
    active = forms.ChoiceField(label=_("Status"), required=False, choices=ACTIVE_CHOICES)

    def filter(self, organisations):
        data = self.cleaned_data if self.is_bound else {}
        for word in data.get("q", "").split():
            organisations = organisations.filter(
                Q(name__icontains=word) | Q(acronym__icontains=word)
            )
        if data.get("type"):
            organisations = organisations.filter(type=data["type"])
        if data.get("active"):
            organisations = organisations.filter(is_active=data["active"] == "yes")
        return organisations


class PersonFilterForm(forms.Form):
    """Sex and age band filters only for those who may see them (`sensitive`)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(),
        help_text=_("Name, email or organisation."),
    )
    organisation_type = forms.ChoiceField(
        label=_("Organisation type"),
        required=False,
        choices=[("", _("All types")), *OrganisationType.choices],
    )
    role = forms.ChoiceField(
        label=_("Current role"), required=False, choices=[("", _("Any role")), *Role.choices]
    )
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", _("All")), *Sex.choices])
    age_band = forms.ChoiceField(
        label=_("Age band"), required=False, choices=[("", _("All")), *AgeBand.choices]
    )

    def __init__(self, *args, sensitive=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not sensitive:
            del self.fields["sex"]
            del self.fields["age_band"]

    def filter(self, people):
        data = self.cleaned_data if self.is_bound else {}
        for word in data.get("q", "").split():
            people = people.filter(
                Q(given_name__icontains=word)
                | Q(family_name__icontains=word)
                | Q(email__icontains=word)
                | Q(organisation__name__icontains=word)
                | Q(organisation__acronym__icontains=word)
            )
        if data.get("organisation_type"):
            people = people.filter(organisation__type=data["organisation_type"])
        if data.get("role"):
            current = Membership.objects.current().filter(person=OuterRef("pk"), role=data["role"])
            people = people.filter(Exists(current))
        for name in ("sex", "age_band"):
            if data.get(name):
                people = people.filter(**{name: data[name]})
        return people
