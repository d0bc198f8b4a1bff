"""The attendance sheet: one line per person with present / remote / absent and the sex and age
band given in the room; the inclusion page's filters. The pages and the API validate with these
forms, so a bad value gets the same message everywhere."""

import re
import uuid

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mineaction.meetings.models import Attendance, MeetingSeries
from mineaction.meetings.services.attendance import DEFAULT_LAST, MAX_LAST
from mineaction.stakeholders.models import AgeBand, Person, Sex

LINE_KEY = re.compile(r"^([0-9a-f-]{36})-(presence|sex|age_band)$")


def posted_person_ids(data):
    """The people a posted sheet is about: the `person` list and every `<id>-<field>` key
    (an htmx line sends only its own fields), in order, each once."""
    ids = list(data.getlist("person"))
    ids += [match.group(1) for key in data if (match := LINE_KEY.match(key))]
    return list(dict.fromkeys(ids))


def people_by_public_id(ids):
    """The people named by `ids` (one query) and the ids that name nobody."""
    valid = {}
    unknown = []
    for value in ids:
        try:
            valid[str(uuid.UUID(str(value)))] = value
        except ValueError:
            unknown.append(value)
    found = {
        str(person.public_id): person
        for person in Person.objects.filter(public_id__in=valid).select_related("organisation")
    }
    unknown += [original for key, original in valid.items() if key not in found]
    return list(found.values()), unknown


class AttendanceSheetForm(forms.Form):
    """Fields `<person public id>-presence`, `-sex` and `-age_band` per line of the sheet.

    A line without a presence is left as it is. Sex and age band start from the person's record
    (or from the attendance already registered) and may be corrected. `unknown`: posted ids
    that name no person, refused. `presence_required`: the API's entries must each give one.
    """

    def __init__(self, data=None, *, rows, unknown=(), presence_required=False, **kwargs):
        self.rows = rows
        self.unknown = list(unknown)
        if data is not None:
            data = data.copy()
        super().__init__(data, **kwargs)
        for row in rows:
            prefix = str(row.person.public_id)
            source = row.attendance or row.person
            fields = {
                "presence": forms.ChoiceField(
                    label=_("Presence"),
                    choices=Attendance.Presence.choices,
                    required=presence_required,
                    widget=forms.RadioSelect,
                    initial=row.attendance.presence if row.attendance else None,
                ),
                "sex": forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=source.sex),
                "age_band": forms.ChoiceField(
                    label=_("Age band"), choices=AgeBand.choices, initial=source.age_band
                ),
            }
            for name, field in fields.items():
                key = f"{prefix}-{name}"
                self.fields[key] = field
                # Lines added to a posted sheet, and API entries without sex or age band,
                # start from the record's values.
                if data is not None and name != "presence" and key not in data:
                    data[key] = field.initial
        if data is not None:
            self.data = data

    def clean(self):
        if self.unknown:
            raise forms.ValidationError(
                _("There is no such person: %(ids)s.") % {"ids": ", ".join(self.unknown)},
                code="unknown_person",
            )
        return super().clean()

    def lines(self):
        """(row, presence field, sex field, age band field) for the template."""
        for row in self.rows:
            prefix = str(row.person.public_id)
            yield (
                row,
                self[f"{prefix}-presence"],
                self[f"{prefix}-sex"],
                self[f"{prefix}-age_band"],
            )

    def entries(self, only=None):
        """The lines with a presence, as the service takes them; `only`: these people's."""
        entries = []
        for row in self.rows:
            if only is not None and row.person not in only:
                continue
            prefix = str(row.person.public_id)
            presence = self.cleaned_data.get(f"{prefix}-presence")
            if presence:
                entries.append(
                    {
                        "person": row.person,
                        "presence": presence,
                        "sex": self.cleaned_data[f"{prefix}-sex"],
                        "age_band": self.cleaned_data[f"{prefix}-age_band"],
                    }
                )
        return entries


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, email or organisation"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def search(self, *, exclude, limit=20):
        words = self.cleaned_data.get("q", "").split() if self.is_valid() else []
        if not words:
            return []
        people = Person.objects.exclude(pk__in=exclude).select_related("organisation")
        for word in words:
            people = people.filter(
                Q(given_name__icontains=word)
                | Q(family_name__icontains=word)
                | Q(email__icontains=word)
                | Q(organisation__name__icontains=word)
                | Q(organisation__acronym__icontains=word)
            )
        return list(people.order_by("family_name", "given_name", "pk")[:limit])


def last_meetings_field():
    return forms.IntegerField(
        label=_("Constituencies absent for the last … meetings"),
        min_value=1,
        max_value=MAX_LAST,
        required=False,
        initial=DEFAULT_LAST,
    )


class InclusionFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    series = forms.ModelChoiceField(
        label=_("Series"),
        queryset=MeetingSeries.objects.order_by("name"),
        to_field_name="public_id",
        required=False,
        empty_label=_("All series"),
    )
    last = last_meetings_field()

    def values(self):
        """(year, series, last) with the defaults for what was left empty."""
        data = self.cleaned_data if self.is_valid() else {}
        return (
            data.get("year") or timezone.localdate().year,
            data.get("series"),
            data.get("last") or DEFAULT_LAST,
        )


class LastMeetingsForm(forms.Form):
    """How many of the series' last meetings the per-meeting page looks back over."""

    last = last_meetings_field()

    def value(self):
        return (self.cleaned_data.get("last") if self.is_valid() else None) or DEFAULT_LAST
