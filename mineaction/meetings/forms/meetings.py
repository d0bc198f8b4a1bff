"""Forms for meeting series and meetings. The pages and the API validate with the same forms.

Dates and times of a meeting are entered as the wall-clock time in the meeting's own time zone
(the zone chosen in the same form); a value sent with a UTC offset (the API) is taken as is.
"""

import datetime
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mineaction.core.choices import Visibility
from mineaction.meetings.models import Meeting, MeetingSeries
from mineaction.stakeholders.models import Organisation


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class WallClockField(forms.DateTimeField):
    """A date and time as typed, without converting it to the viewer's time zone."""

    widget = DateTimeLocalInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value
        try:
            return datetime.datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        return value


def in_zone(value, zone):
    """`value` as an aware datetime: naive values are wall-clock times in `zone`."""
    if value is None or timezone.is_aware(value):
        return value
    aware = value.replace(tzinfo=zone)
    # A wall-clock time skipped by a daylight-saving change does not exist.
    round_trip = aware.astimezone(datetime.UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != value:
        raise ValidationError(
            _("This time does not exist in the meeting's time zone (the clocks change).")
        )
    return aware


def wall_clock(value, zone_name):
    """An aware datetime as the naive wall-clock time in `zone_name`."""
    return value.astimezone(zoneinfo.ZoneInfo(zone_name)).replace(tzinfo=None)


def clean_zone_name(value):
    value = (value or "").strip()
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("Unknown time zone: %(zone)s. Use a name such as Africa/Nairobi or Europe/Geneva.")
            % {"zone": value}
        )
    return value


class MeetingSeriesForm(forms.ModelForm):
    class Meta:
        model = MeetingSeries
        fields = [
            "name",
            "kind",
            "component",
            "working_group",
            "frequency",
            "default_time_zone",
            "default_venue",
            "visibility",
        ]
        help_texts = {
            "default_time_zone": _("An IANA time zone name, such as Asia/Phnom_Penh or UTC."),
        }

    def clean_default_time_zone(self):
        return clean_zone_name(self.cleaned_data.get("default_time_zone"))

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("kind") == MeetingSeries.Kind.WORKING_GROUP
            and not cleaned.get("working_group")
            and "working_group" in self.fields
        ):
            self.add_error("working_group", _("Choose the working group that meets."))
        return cleaned


class MeetingFilterForm(forms.Form):
    UPCOMING = "upcoming"
    PAST = "past"

    series = forms.ModelChoiceField(
        label=_("Series"),
        required=False,
        queryset=MeetingSeries.objects.all(),
        to_field_name="public_id",
        empty_label=_("All series"),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Meeting.Status.choices]
    )
    when = forms.ChoiceField(
        label=_("When"),
        required=False,
        choices=[("", _("Any time")), (UPCOMING, _("Upcoming")), (PAST, _("Past"))],
    )

    def filter(self, meetings):
        data = self.cleaned_data if self.is_bound else {}
        if data.get("series"):
            meetings = meetings.filter(series=data["series"])
        if data.get("status"):
            meetings = meetings.filter(status=data["status"])
        now = timezone.now()
        if data.get("when") == self.UPCOMING:
            meetings = meetings.filter(ends_at__gte=now).order_by("starts_at", "pk")
        elif data.get("when") == self.PAST:
            meetings = meetings.filter(ends_at__lt=now)
        return meetings


class MeetingForm(forms.ModelForm):
    """A meeting's details; the series and number only when creating it. The status changes
    through its own actions (postpone, cancel, mark as held), never here."""

    starts_at = WallClockField(label=_("Starts"))
    ends_at = WallClockField(label=_("Ends"))

    class Meta:
        model = Meeting
        fields = [
            "series",
            "number",
            "title",
            "starts_at",
            "ends_at",
            "time_zone",
            "venue",
            "online_url",
            "focus",
            "chair",
            "convener",
            "visibility",
            "restricted_to",
        ]
        help_texts = {
            "time_zone": _("The meeting's local time zone: an IANA name such as Africa/Nairobi."),
        }
        widgets = {"restricted_to": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        active = Q(is_active=True)
        if self.instance.pk:
            del self.fields["series"], self.fields["number"]
            active |= Q(pk__in=[self.instance.chair_id, self.instance.convener_id])
            active |= Q(pk__in=self.instance.restricted_to.values("pk"))
            zone = self.instance.time_zone
            self.initial["starts_at"] = wall_clock(self.instance.starts_at, zone)
            self.initial["ends_at"] = wall_clock(self.instance.ends_at, zone)
        else:
            self.fields["series"].to_field_name = "public_id"
            for name in ("starts_at", "ends_at"):
                value = self.initial.get(name)
                if isinstance(value, datetime.datetime) and timezone.is_aware(value):
                    self.initial[name] = wall_clock(value, self.initial.get("time_zone", "UTC"))
        organisations = Organisation.objects.filter(active)
        for name in ("chair", "convener", "restricted_to"):
            self.fields[name].queryset = organisations

    def clean_time_zone(self):
        return clean_zone_name(self.cleaned_data.get("time_zone"))

    def clean(self):
        cleaned = super().clean()
        zone_name = cleaned.get("time_zone")
        if zone_name:
            zone = zoneinfo.ZoneInfo(zone_name)
            for name in ("starts_at", "ends_at"):
                try:
                    cleaned[name] = in_zone(cleaned.get(name), zone)
                except ValidationError as error:
                    self.add_error(name, error)
        if cleaned.get("visibility") == Visibility.RESTRICTED:
            if not cleaned.get("restricted_to"):
                self.add_error(
                    "restricted_to",
                    _("Choose the organisations that may see a restricted meeting."),
                )
        elif "restricted_to" in cleaned:
            cleaned["restricted_to"] = Organisation.objects.none()
        return cleaned

    def _post_clean(self):
        # The model's own check ("A meeting must end after it starts.") runs on aware values.
        for name in ("starts_at", "ends_at"):
            value = self.cleaned_data.get(name)
            if value is not None and timezone.is_naive(value):
                self.cleaned_data.pop(name)
        super()._post_clean()


class MeetingPostponeForm(forms.Form):
    starts_at = WallClockField(label=_("New start"))
    ends_at = WallClockField(label=_("New end"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the invitees with the updated invitation."),
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.initial.setdefault("starts_at", wall_clock(meeting.starts_at, meeting.time_zone))
        self.initial.setdefault("ends_at", wall_clock(meeting.ends_at, meeting.time_zone))
        self.fields["starts_at"].help_text = _("In the meeting's time zone, %(zone)s.") % {
            "zone": meeting.time_zone
        }

    def clean(self):
        cleaned = super().clean()
        zone = zoneinfo.ZoneInfo(self.meeting.time_zone)
        for name in ("starts_at", "ends_at"):
            try:
                cleaned[name] = in_zone(cleaned.get(name), zone)
            except ValidationError as error:
                self.add_error(name, error)
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("A meeting must end after it starts."))
        if (
            starts_at
            and ends_at
            and (starts_at, ends_at) == (self.meeting.starts_at, self.meeting.ends_at)
        ):
            self.add_error("starts_at", _("Choose a date or time other than the current one."))
        return cleaned


class MeetingCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the invitees with the cancellation."),
    )
