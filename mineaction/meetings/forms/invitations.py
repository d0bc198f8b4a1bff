"""Forms for invitations: choosing whom to invite, confirming the sending, and answering an
invitation. The pages and the API validate with the same forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mineaction.meetings.models import Invitation
from mineaction.stakeholders.models import Organisation, Person, WorkingGroup

ANSWERS = [(value, label) for value, label in Invitation.Response.choices if value != "pending"]


class InvitationAddForm(forms.Form):
    """People, whole organisations (their people with a current membership) and working groups
    (their members); all invited, or all only informed (they receive the minutes)."""

    people = forms.ModelMultipleChoiceField(
        label=_("People"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Whole organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Everyone in the organisation who holds a current role."),
    )
    working_groups = forms.ModelMultipleChoiceField(
        label=_("Working groups"),
        queryset=WorkingGroup.objects.none(),
        required=False,
        help_text=_("Every member of the working group."),
    )
    informed_only = forms.BooleanField(
        label=_("Informed only"),
        required=False,
        help_text=_("They receive the minutes but are not invited to attend."),
    )

    def __init__(self, *args, by_public_id=False, **kwargs):
        """`by_public_id`: records are named by their public id (the API) instead of the
        database id (the page's select boxes)."""
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = Person.objects.select_related("organisation").order_by(
            "family_name", "given_name", "pk"
        )
        self.fields["organisations"].queryset = Organisation.objects.filter(is_active=True)
        self.fields["working_groups"].queryset = WorkingGroup.objects.all()
        if by_public_id:
            for name in ("people", "organisations", "working_groups"):
                self.fields[name].to_field_name = "public_id"

    def clean_people(self):
        people = self.cleaned_data["people"]
        without_email = [str(person) for person in people if not person.email]
        if without_email:
            raise forms.ValidationError(
                _("These people have no email address, so they cannot be invited: %(names)s.")
                % {"names": ", ".join(without_email)},
                code="no_email",
            )
        return people

    def clean(self):
        cleaned = super().clean()
        chosen = any(cleaned.get(name) for name in ("people", "organisations", "working_groups"))
        if not self.errors and not chosen:
            raise forms.ValidationError(
                _("Choose at least one person, organisation or working group."), code="empty"
            )
        return cleaned


class ConfirmForm(forms.Form):
    """Sending mail is confirmed with the page's button, so that a stray request sends nothing."""

    confirm = forms.BooleanField(
        required=True,
        widget=forms.HiddenInput,
        error_messages={"required": _("Confirm with the button to send the email.")},
    )


class RsvpForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Your answer"),
        choices=ANSWERS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose your answer.")},
    )
