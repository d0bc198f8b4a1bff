"""Forms of the action plan catalogue, partnerships and commitments: filters, the managers'
changes, assessments, documents, and commitments recorded by managers or by a party's people.
The pages and the API validate with the same forms and services, so a bad value gets the same
message everywhere."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mineaction.core import access
from mineaction.core.forms import DateInput, add_problems
from mineaction.core.search import query_terms
from mineaction.core.uploads import ALLOWED_EXTENSIONS, validate_document
from mineaction.partnerships.models import (
    ActionStatus,
    Commitment,
    CommitmentKind,
    CommitmentStatus,
    Partnership,
    PartnershipDocument,
    PlanAction,
)
from mineaction.partnerships.services import partnerships as partnership_services
from mineaction.partnerships.services import plans as plan_services
from mineaction.stakeholders.models import Organisation, Person

FIRST_YEAR, LAST_YEAR = 1997, 2100
CURRENT, UPCOMING, ENDED = "current", "upcoming", "ended"


def _values(form):
    if not form.is_bound:
        return {}
    # Valid filters apply even when another is wrong: the page reports the wrong one.
    return getattr(form, "cleaned_data", {})


# Action plans ----------------------------------------------------------------------------------


class PlanActionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, action):
        return _("%(plan)s #%(number)s %(title)s") % {
            "plan": action.section.action_plan.code,
            "number": action.number,
            "title": action.short_title,
        }


def plan_action_queryset():
    return PlanAction.objects.select_related("section__action_plan").order_by(
        "-section__action_plan__first_year", "number"
    )


class YearForm(forms.Form):
    """The year a plan's progress is shown for (the plan's default when empty)."""

    year = forms.IntegerField(
        label=_("Year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR
    )

    def chosen_year(self):
        return _values(self).get("year")


class PlanActionForm(forms.ModelForm):
    class Meta:
        model = PlanAction
        fields = ["short_title", "applies_to_state"]
        help_texts = {
            "short_title": _("A few words of your own saying what the action is about."),
        }

    def clean_short_title(self):
        short_title = self.cleaned_data["short_title"].strip()
        if not short_title:
            raise forms.ValidationError(_("Give the action a short title."))
        return short_title


class AssessmentForm(forms.Form):
    """The State's status of an action for a year, with its evidence."""

    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What shows the status: reports, decisions, figures."),
    )

    def __init__(self, *args, plan_action, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan_action = plan_action
        self.today = today or timezone.localdate()
        plan = plan_action.section.action_plan
        self.fields["year"].help_text = _(
            "From %(first)s (the plan's first year) to this year. An assessment of a year "
            "already assessed replaces it."
        ) % {"first": plan.first_year}

    def clean(self):
        cleaned = super().clean()
        if "year" in cleaned and "status" in cleaned:
            add_problems(
                self,
                plan_services.assessment_problems(
                    plan_action=self.plan_action,
                    year=cleaned["year"],
                    status=cleaned["status"],
                    today=self.today,
                ),
            )
        return cleaned


# Partnerships ----------------------------------------------------------------------------------


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, person):
        return _("%(person)s (%(organisation)s)") % {
            "person": person,
            "organisation": person.organisation,
        }


class PartnershipFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.SearchInput(),
        help_text=_("Words in the title or purpose."),
    )
    party = forms.ModelChoiceField(
        label=_("Party"),
        required=False,
        queryset=Organisation.objects.order_by("name"),
        to_field_name="public_id",
        empty_label=_("All"),
    )
    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[
            ("", _("All")),
            (CURRENT, pgettext_lazy("partnership", "Current")),
            (UPCOMING, pgettext_lazy("partnership", "Upcoming")),
            (ENDED, pgettext_lazy("partnership", "Ended")),
        ],
    )

    def filter(self, partnerships, today=None):
        data = _values(self)
        today = today or timezone.localdate()
        for term in query_terms(data.get("q", "")):
            partnerships = partnerships.filter(
                Q(title__icontains=term) | Q(purpose__icontains=term)
            )
        if data.get("party"):
            party = data["party"]
            partnerships = partnerships.filter(Q(state_party=party) | Q(partners=party)).distinct()
        period = data.get("period")
        if period == CURRENT:
            partnerships = partnerships.filter(starts_on__lte=today, ends_on__gte=today)
        elif period == UPCOMING:
            partnerships = partnerships.filter(starts_on__gt=today)
        elif period == ENDED:
            partnerships = partnerships.filter(ends_on__lt=today)
        return partnerships


class PartnershipForm(forms.ModelForm):
    """A partnership's terms (managers). The State's party is offered among the national
    authorities and government ministries; any other choice is refused with a message saying
    why, as are focal points who are not people of the parties."""

    class Meta:
        model = Partnership
        fields = [
            "title",
            "purpose",
            "state_party",
            "partners",
            "starts_on",
            "ends_on",
            "reporting_frequency",
            "report_due_days",
            "focal_points",
            "plan_actions",
        ]
        field_classes = {"focal_points": PersonChoiceField, "plan_actions": PlanActionChoiceField}
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "partners": forms.CheckboxSelectMultiple,
            "focal_points": forms.SelectMultiple(attrs={"size": 8}),
            "plan_actions": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "partners": _("Donors, UN agencies, operators and others who join the partnership."),
            "focal_points": _(
                "People of the parties. They receive the reminders before a progress report is due."
            ),
            "plan_actions": _("The Convention's action plan actions the partnership serves."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.order_by("name")
        self.fields["state_party"].queryset = organisations
        # Only the organisations that may speak for the State are offered.
        self.fields["state_party"].widget.choices = [
            ("", self.fields["state_party"].empty_label),
            *[
                (organisation.pk, str(organisation))
                for organisation in organisations.filter(
                    type__in=partnership_services.STATE_PARTY_TYPES
                )
            ],
        ]
        active = Q(is_active=True)
        if self.instance.pk:
            active |= Q(pk__in=self.instance.partners.values("pk"))
        self.fields["partners"].queryset = organisations.filter(active)
        self.fields["focal_points"].queryset = Person.objects.select_related(
            "organisation"
        ).order_by("organisation__name", "family_name", "given_name")
        self.fields["plan_actions"].queryset = plan_action_queryset()
        self.fields["plan_actions"].required = False
        self.fields["focal_points"].required = False

    def clean(self):
        cleaned = super().clean()
        add_problems(
            self,
            partnership_services.partnership_problems(
                partnership=self.instance if self.instance.pk else None,
                title=cleaned.get("title"),
                purpose=cleaned.get("purpose"),
                state_party=cleaned.get("state_party"),
                partners=cleaned.get("partners") or [],
                starts_on=cleaned.get("starts_on"),
                ends_on=cleaned.get("ends_on"),
                report_due_days=cleaned.get("report_due_days"),
                focal_points=cleaned.get("focal_points") or [],
            ),
        )
        return cleaned

    def values(self):
        """The cleaned values as `partnership_save` takes them."""
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class PartnershipDocumentForm(forms.ModelForm):
    class Meta:
        model = PartnershipDocument
        fields = ["title", "file"]
        help_texts = {
            "title": _("For example: the signed agreement, or a review's minutes."),
            "file": _("PDF, Word, Excel, PowerPoint, OpenDocument, PNG or JPEG; at most 20 MB."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ",".join(sorted(ALLOWED_EXTENSIONS))

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        return upload if upload is None else validate_document(upload)


# Commitments -----------------------------------------------------------------------------------


TIMELINESS_CHOICES = [("", _("All")), *partnership_services.TIMELINESS_LABELS.items()]


class CommitmentFilterForm(forms.Form):
    """Filters of the commitment list, its export and the API."""

    party = forms.ModelChoiceField(
        label=_("Committed by"),
        required=False,
        queryset=Organisation.objects.order_by("name"),
        to_field_name="public_id",
        empty_label=_("All"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *CommitmentKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *CommitmentStatus.choices]
    )
    timeliness = forms.ChoiceField(
        label=_("Timeliness"), required=False, choices=TIMELINESS_CHOICES
    )
    partnership = forms.ModelChoiceField(
        label=_("Partnership"),
        required=False,
        queryset=Partnership.objects.order_by("title"),
        to_field_name="public_id",
        empty_label=_("All"),
    )
    due_year = forms.IntegerField(
        label=_("Due in"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR
    )

    def filter(self, commitments, today=None):
        data = _values(self)
        for name in ("party", "kind", "status", "partnership"):
            if data.get(name):
                commitments = commitments.filter(**{name: data[name]})
        if data.get("timeliness"):
            commitments = partnership_services.timeliness_filter(
                commitments, data["timeliness"], today
            )
        if data.get("due_year"):
            commitments = commitments.filter(due_on__year=data["due_year"])
        return commitments


class PartnershipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, partnership):
        return partnership.title


class CommitmentForm(forms.ModelForm):
    """A commitment recorded by a manager (for any party, with or without a partnership) or by
    a party's people (for their own organisation, in a partnership it is party to)."""

    class Meta:
        model = Commitment
        fields = [
            "partnership",
            "party",
            "kind",
            "description",
            "due_on",
            "status",
            "delivered_on",
            "amount",
            "currency",
            "plan_actions",
            "challenges",
        ]
        field_classes = {
            "partnership": PartnershipChoiceField,
            "plan_actions": PlanActionChoiceField,
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "due_on": DateInput(),
            "delivered_on": DateInput(),
            "plan_actions": forms.SelectMultiple(attrs={"size": 8}),
            "challenges": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "delivered_on": _("Only for a delivered commitment; not in the future."),
            "amount": _("Required for a financial commitment."),
            "currency": _("The ISO 4217 code, such as USD or EUR."),
        }

    def __init__(self, *args, user, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.today = today or timezone.localdate()
        self.is_manager = access.can_manage_partnerships(user)
        self.own_organisation_id = access.own_organisation_id(user)
        partnerships = Partnership.objects.select_related("state_party").order_by("title")
        organisations = Organisation.objects.order_by("name")
        self.fields["partnership"].queryset = partnerships
        self.fields["party"].queryset = organisations
        if not self.is_manager:
            # Offered: the user's own partnerships and organisation. Anything else is refused
            # in `clean` with a message saying why.
            self.fields["partnership"].required = True
            own_partnerships = partnership_services.partnerships_of(self.own_organisation_id)
            self.fields["partnership"].widget.choices = [
                (partnership.pk, partnership.title)
                for partnership in own_partnerships.order_by("title")
            ]
            self.fields["party"].widget.choices = [
                (organisation.pk, str(organisation))
                for organisation in organisations.filter(pk=self.own_organisation_id)
            ]
            self.fields["party"].help_text = _("You record your own organisation's commitments.")
        self.fields["plan_actions"].queryset = plan_action_queryset()
        self.fields["plan_actions"].required = False
        self.fields["challenges"].queryset = access.visible_challenges(user).order_by("number")
        self.fields["challenges"].required = False
        self.fields["currency"].required = False

    def clean_currency(self):
        return (self.cleaned_data.get("currency") or "").strip().upper()

    def _permission_problems(self, cleaned):
        errors = {}
        party, partnership = cleaned.get("party"), cleaned.get("partnership")
        if self.is_manager:
            return errors
        if party is not None and party.pk != self.own_organisation_id:
            errors["party"] = [
                _("You record commitments of your own organisation only, not of %(party)s.")
                % {"party": party}
            ]
        if partnership is not None and not access.is_party(self.user, partnership):
            errors["partnership"] = [
                _("Your organisation is not a party to the partnership “%(partnership)s”.")
                % {"partnership": partnership}
            ]
        return errors

    def clean(self):
        cleaned = super().clean()
        errors = self._permission_problems(cleaned)
        if not errors:
            errors = partnership_services.commitment_problems(
                partnership=cleaned.get("partnership"),
                party=cleaned.get("party"),
                kind=cleaned.get("kind"),
                description=cleaned.get("description"),
                due_on=cleaned.get("due_on"),
                status=cleaned.get("status"),
                delivered_on=cleaned.get("delivered_on"),
                amount=cleaned.get("amount"),
                currency=cleaned.get("currency", ""),
                today=self.today,
            )
        add_problems(self, errors)
        return cleaned

    def values(self):
        """The cleaned values as the service functions take them."""
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class CommitmentProgressForm(forms.ModelForm):
    """What the committing party's people change: the status, the delivery date and the
    description."""

    class Meta:
        model = Commitment
        fields = ["status", "delivered_on", "description"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "delivered_on": DateInput(),
        }
        help_texts = {"delivered_on": _("Only for a delivered commitment; not in the future.")}

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        commitment = self.instance
        errors = partnership_services.commitment_problems(
            partnership=commitment.partnership,
            party=commitment.party,
            kind=commitment.kind,
            description=cleaned.get("description"),
            due_on=commitment.due_on,
            status=cleaned.get("status"),
            delivered_on=cleaned.get("delivered_on"),
            amount=commitment.amount,
            currency=commitment.currency,
            today=self.today,
        )
        add_problems(self, {name: errors[name] for name in errors if name in self.fields})
        return cleaned

    def values(self):
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}
