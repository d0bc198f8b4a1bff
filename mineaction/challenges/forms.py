"""Forms of the challenge register: the list filters, raising and editing a challenge, moving
its status, evidence documents and links with the meeting cycle. The pages and the API validate
with the same forms and services, so a bad value gets the same message everywhere."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mineaction.challenges.models import (
    OPEN_STATUSES,
    Challenge,
    ChallengeDocument,
    ChallengeKind,
    ChallengeStatus,
)
from mineaction.challenges.services import register as services
from mineaction.core.choices import Component, Visibility
from mineaction.core.forms import DateInput
from mineaction.core.search import matching, query_terms
from mineaction.core.uploads import ALLOWED_EXTENSIONS, validate_document
from mineaction.meetings.models import ActionPoint, AgendaItem
from mineaction.meetings.services.action_points import meeting_date
from mineaction.stakeholders.models import Organisation

# Admin areas belong to the Article 5 records; the register reaches them through its foreign
# key rather than importing that app.
AdminArea = Challenge._meta.get_field("region").related_model

# Regions offered when raising a challenge and in the filters: provinces and districts. A
# challenge of a smaller area names the district it lies in.
REGION_LEVELS = 2
OPEN, CLOSED = "open", "closed"


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, area):
        return area.name if area.level == 1 else f"{area.parent.name} › {area.name}"


def region_queryset(current=None):
    regions = Q(level__lte=REGION_LEVELS)
    if current is not None:
        regions |= Q(pk=current.pk)
    return AdminArea.objects.filter(regions).select_related("parent").order_by("path")


def list_order(challenges):
    """The register's order: the members' priorities first, then the newest."""
    return challenges.order_by(F("priority_rank").asc(nulls_last=True), "-raised_on", "-number")


class ChallengeFilterForm(forms.Form):
    """Filters of the challenge list, its export and the API. Invalid values are reported and
    ignored (pages) or refused (API)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.SearchInput(),
        help_text=_("Words in the reference, title, description, evidence or resolution."),
    )
    component = forms.ChoiceField(
        label=_("Component"), required=False, choices=[("", _("All")), *Component.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *ChallengeStatus.choices]
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *ChallengeKind.choices]
    )
    region = RegionChoiceField(
        label=_("Region"),
        required=False,
        queryset=AdminArea.objects.none(),
        to_field_name="code",
        empty_label=_("All"),
        help_text=_("Includes the areas inside it."),
    )
    state = forms.ChoiceField(
        label=_("Open or closed"),
        required=False,
        choices=[
            ("", _("All")),
            (OPEN, pgettext_lazy("challenges", "Open")),
            (CLOSED, pgettext_lazy("challenges", "Resolved or parked")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = region_queryset()

    def _values(self):
        if not self.is_bound:
            return {}
        # Valid fields filter even when another is wrong: the page reports the wrong one.
        return getattr(self, "cleaned_data", {})

    def filter(self, challenges, *, with_status=True):
        """The challenges matching the filters; without the status filter for the counts per
        status, which show what each status would give."""
        data = self._values()
        challenges = matching(challenges, query_terms(data.get("q", "")))
        for name in ("component", "kind"):
            if data.get(name):
                challenges = challenges.filter(**{name: data[name]})
        if data.get("region"):
            challenges = challenges.filter(region__path__startswith=data["region"].path)
        if data.get("state") == OPEN:
            challenges = challenges.filter(status__in=OPEN_STATUSES)
        elif data.get("state") == CLOSED:
            challenges = challenges.exclude(status__in=OPEN_STATUSES)
        if with_status and data.get("status"):
            challenges = challenges.filter(status=data["status"])
        return challenges


class ChallengeForm(forms.ModelForm):
    """What a challenge says: raising it (the person and organisation are the logged-in
    person's) and editing it. The status changes on its own page."""

    class Meta:
        model = Challenge
        fields = [
            "title",
            "kind",
            "component",
            "description",
            "evidence",
            "region",
            "visibility",
            "restricted_to",
        ]
        field_classes = {"region": RegionChoiceField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "evidence": forms.Textarea(attrs={"rows": 4}),
            "restricted_to": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "region": _(
                "The province or district concerned. Leave empty for a national challenge."
            ),
            "visibility": _(
                "Members: every member of the platform. Restricted: only the organisations "
                "chosen below, your own organisation and the secretariat."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = region_queryset(self.instance.region)
        active = Q(is_active=True)
        if self.instance.pk:
            active |= Q(pk__in=self.instance.restricted_to.values("pk"))
        self.fields["restricted_to"].queryset = Organisation.objects.filter(active)

    def clean(self):
        cleaned = super().clean()
        errors = services.challenge_problems(
            title=cleaned.get("title", self.data.get("title", "")),
            kind=cleaned.get("kind", ChallengeKind.CHALLENGE),
            component=cleaned.get("component", ""),
            description=cleaned.get("description", self.data.get("description", "")),
            visibility=cleaned.get("visibility", Visibility.MEMBERS),
            restricted_to=cleaned.get("restricted_to") or [],
        )
        for field, messages in errors.items():
            if field not in self.errors and field in self.fields:
                for message in messages:
                    self.add_error(field, message)
        if cleaned.get("visibility") != Visibility.RESTRICTED and "restricted_to" in cleaned:
            cleaned["restricted_to"] = Organisation.objects.none()
        return cleaned

    def values(self):
        """The cleaned values as the service functions take them."""
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class StatusChoiceField(forms.ChoiceField):
    """Offers the moves allowed from the current status, and accepts any status so that a move
    that is not allowed gets the message naming both statuses (see `status_change_problems`)."""

    def valid_value(self, value):
        return value in ChallengeStatus.values


class ChallengeStatusForm(forms.Form):
    """A move of the challenge's status: only the moves allowed from its current status."""

    to_status = StatusChoiceField(label=_("New status"))
    on = forms.DateField(label=_("Date of the change"), widget=DateInput())
    meeting = forms.ModelChoiceField(
        label=_("Decided at meeting"),
        required=False,
        queryset=None,
        to_field_name="public_id",
        empty_label=_("No meeting"),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the status changes, or what was agreed."),
    )
    resolution = forms.CharField(
        label=pgettext_lazy("challenge", "Resolution"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when the challenge is resolved or parked: how, or why."),
    )

    def __init__(self, *args, challenge, meetings, **kwargs):
        """`meetings`: those the user may see."""
        kwargs.setdefault(
            "initial", {"on": timezone.localdate(), "resolution": challenge.resolution}
        )
        super().__init__(*args, **kwargs)
        self.challenge = challenge
        self.fields["to_status"].choices = [
            (status.value, status.label) for status in challenge.allowed_statuses()
        ]
        self.fields["meeting"].queryset = meetings.select_related("series").order_by("-starts_at")

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        errors = services.status_change_problems(
            challenge=self.challenge,
            to_status=cleaned["to_status"],
            on=cleaned["on"],
            resolution=cleaned.get("resolution", ""),
            meeting=cleaned.get("meeting"),
            today=timezone.localdate(),
        )
        if errors:
            raise ValidationError(errors)
        return cleaned


class ChallengeDocumentForm(forms.ModelForm):
    class Meta:
        model = ChallengeDocument
        fields = ["title", "file"]
        help_texts = {
            "file": _("PDF, Word, Excel, PowerPoint, OpenDocument, PNG or JPEG; at most 20 MB.")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ",".join(sorted(ALLOWED_EXTENSIONS))

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        return upload if upload is None else validate_document(upload)


class AgendaItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, agenda_item):
        return _("%(meeting)s (%(date)s): %(item)s") % {
            "meeting": agenda_item.meeting,
            "date": meeting_date(agenda_item.meeting).isoformat(),
            "item": agenda_item,
        }


class ActionPointChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, action_point):
        return _("%(meeting)s: %(action)s (%(organisation)s)") % {
            "meeting": action_point.meeting,
            "action": action_point.text[:80],
            "organisation": action_point.owner_organisation,
        }


class ChallengeLinkForm(forms.Form):
    """The secretariat links the challenge to an agenda item or to an action point."""

    agenda_item = AgendaItemChoiceField(
        label=_("Agenda item"),
        required=False,
        queryset=None,
        to_field_name="public_id",
        empty_label=_("None"),
        help_text=_("The agenda item where the challenge is discussed."),
    )
    action_point = ActionPointChoiceField(
        label=_("Action point"),
        required=False,
        queryset=None,
        to_field_name="public_id",
        empty_label=_("None"),
        help_text=_("An action point that addresses the challenge."),
    )

    def __init__(self, *args, challenge, meetings, **kwargs):
        """`meetings`: those the user may see."""
        super().__init__(*args, **kwargs)
        self.challenge = challenge
        self.fields["agenda_item"].queryset = (
            AgendaItem.objects.filter(meeting__in=meetings)
            .select_related("meeting__series")
            .order_by("-meeting__starts_at", "order", "id")
        )
        self.fields["action_point"].queryset = (
            ActionPoint.objects.filter(meeting__in=meetings)
            .select_related("meeting__series", "owner_organisation")
            .order_by("-meeting__starts_at", "id")
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        agenda_item, action_point = cleaned.get("agenda_item"), cleaned.get("action_point")
        if (agenda_item is None) == (action_point is None):
            raise ValidationError(_("Choose either an agenda item or an action point to link."))
        return cleaned


class LinkChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, link):
        if link.agenda_item_id:
            return _("Agenda item “%(item)s” of %(meeting)s") % {
                "item": link.agenda_item.title,
                "meeting": link.agenda_item.meeting,
            }
        return _("Action point “%(action)s” of %(meeting)s") % {
            "action": link.action_point.text[:80],
            "meeting": link.action_point.meeting,
        }


class ChallengeUnlinkForm(forms.Form):
    """Remove one link; the page asks to confirm (see the view)."""

    link = LinkChoiceField(
        label=_("Link to remove"),
        queryset=None,
        to_field_name="public_id",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the link to remove.")},
    )

    def __init__(self, *args, challenge, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        links = services.challenge_links(challenge).filter(
            Q(agenda_item__meeting__in=meetings) | Q(action_point__meeting__in=meetings)
        )
        self.fields["link"].queryset = links.select_related(
            "agenda_item__meeting__series", "action_point__meeting__series"
        ).order_by("created_at", "id")
