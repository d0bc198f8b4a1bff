"""Forms for the Article 5 records: the list filters, and the data manager's corrections of
hazard areas, land release and milestones between imports. The pages and the API validate
with the same forms, so a bad value gets the same message everywhere.

The reads that the record pages and the API share (the remaining area of each hazard at a
date, hazard counts per admin area) are at the end, so that both show the same figures.
"""

import json
import math
from collections import defaultdict

from django import forms
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.validators import MinValueValidator
from django.db.models import (
    Count,
    Q,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from mineaction.core.forms import DateInput
from mineaction.landrelease import geometry, quality
from mineaction.landrelease.models import (
    DEVICE_FIELDS,
    AdminArea,
    Article5Milestone,
    DeviceCategory,
    HazardArea,
    HazardStatus,
    HazardType,
    LandRelease,
    ReleaseMethod,
)
from mineaction.landrelease.services.progress import with_remaining
from mineaction.stakeholders.models import Organisation

# The filter's list of admin areas stops at districts; deeper areas are still accepted by code
# (the links of an admin area's page, the API).
ADMIN_AREA_FILTER_LEVELS = 2


def parse_bbox(value):
    """(min_lon, min_lat, max_lon, max_lat) from "minlon,minlat,maxlon,maxlat"; ValidationError
    with the reason otherwise."""
    parts = value.split(",")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        numbers = []
    if len(parts) != 4 or len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        raise forms.ValidationError(
            _(
                "Give the box as four numbers separated by commas: west longitude, south "
                "latitude, east longitude, north latitude (for example 30.1,-18.5,31.2,-17.9)."
            )
        )
    min_lon, min_lat, max_lon, max_lat = numbers
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180):
        raise forms.ValidationError(_("Longitudes must be between -180 and 180."))
    if not (-90 <= min_lat <= 90 and -90 <= max_lat <= 90):
        raise forms.ValidationError(_("Latitudes must be between -90 and 90."))
    if min_lon > max_lon or min_lat > max_lat:
        raise forms.ValidationError(
            _("The box's west and south edges must come before its east and north edges.")
        )
    return tuple(numbers)


def area_label(area):
    """An admin area in a list of choices, indented by its level so the tree shows."""
    return f"{'– ' * (area.level - 1)}{area.name} ({area.code})"


class AdminAreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return area_label(obj)


def _drop_min_validators(field):
    """Let `clean_<field>` give the area message instead of Django's "greater than or equal"."""
    field.validators = [v for v in field.validators if not isinstance(v, MinValueValidator)]
    field.widget.attrs["min"] = 1


# Filters of the list pages (and the API's query parameters). Invalid values are reported
# and ignored on the pages, and refused with 400 by the API.


class AdminAreaFilterMixin:
    """An admin area chosen by code; the hazards of its sub-areas are included."""

    def _limit_admin_area_choices(self):
        field = self.fields["admin_area"]
        selected = self.data.get("admin_area") if self.is_bound else None

        def choices():
            # Read when the select is rendered: the API binds the same form but shows nothing.
            shown = list(
                AdminArea.objects.filter(
                    Q(level__lte=ADMIN_AREA_FILTER_LEVELS) | Q(code=selected or "")
                ).order_by("path")
            )
            return [("", field.empty_label), *((area.code, area_label(area)) for area in shown)]

        field.widget.choices = choices


def admin_area_filter_field():
    return AdminAreaChoiceField(
        label=_("Admin area"),
        required=False,
        queryset=AdminArea.objects.all(),
        to_field_name="code",
        empty_label=_("All admin areas"),
        help_text=_("Its sub-areas are included."),
        error_messages={"invalid_choice": _("No admin area has this code.")},
    )


HAZARD_SORTS = {
    "external_id": ["external_id"],
    "-external_id": ["-external_id"],
    "name": ["name", "external_id"],
    "-area": ["-area_m2", "external_id"],
    "area": ["area_m2", "external_id"],
    "-remaining": ["-remaining_m2", "external_id"],
    "remaining": ["remaining_m2", "external_id"],
    "-date_recorded": ["-date_recorded", "external_id"],
    "date_recorded": ["date_recorded", "external_id"],
}
HAZARD_SORT_CHOICES = [
    ("external_id", _("External id (A to Z)")),
    ("-external_id", _("External id (Z to A)")),
    ("name", _("Name")),
    ("-area", _("Largest baseline area first")),
    ("area", _("Smallest baseline area first")),
    ("-remaining", _("Largest remaining area first")),
    ("remaining", _("Smallest remaining area first")),
    ("-date_recorded", _("Recorded most recently first")),
    ("date_recorded", _("Recorded longest ago first")),
]


class HazardFilterForm(AdminAreaFilterMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(),
        help_text=_("External id or name."),
    )
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *HazardType.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *HazardStatus.choices],
    )
    device = forms.ChoiceField(
        label=_("Device category"),
        required=False,
        choices=[("", _("All categories")), *DeviceCategory.choices],
    )
    admin_area = admin_area_filter_field()
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=HAZARD_SORT_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_admin_area_choices()

    def filter(self, hazards):
        """`hazards` filtered and sorted; sorting by remaining area needs `with_remaining`."""
        data = self.cleaned_data if self.is_bound else {}
        for word in data.get("q", "").split():
            hazards = hazards.filter(Q(external_id__icontains=word) | Q(name__icontains=word))
        if data.get("type"):
            hazards = hazards.filter(hazard_type=data["type"])
        if data.get("status"):
            hazards = hazards.filter(status=data["status"])
        if data.get("device"):
            hazards = hazards.filter(device_categories__contains=f",{data['device']},")
        if data.get("admin_area"):
            hazards = hazards.filter(admin_area__path__startswith=data["admin_area"].path)
        return hazards.order_by(*HAZARD_SORTS[data.get("sort") or "external_id"])


class HazardApiFilterForm(HazardFilterForm):
    """The API's filters: those of the page, a bounding box and the date of the figures."""

    bbox = forms.CharField(
        label=_("Bounding box"),
        required=False,
        help_text=_("min_lon,min_lat,max_lon,max_lat in degrees (WGS84)."),
    )
    as_of = forms.DateField(label=_("Remaining area on"), required=False)

    def clean_bbox(self):
        text = self.cleaned_data["bbox"].strip()
        return parse_bbox(text) if text else None

    def filter(self, hazards):
        hazards = super().filter(hazards)
        if self.cleaned_data.get("bbox"):
            min_lon, min_lat, max_lon, max_lat = self.cleaned_data["bbox"]
            hazards = hazards.filter(
                max_lon__gte=min_lon,
                min_lon__lte=max_lon,
                max_lat__gte=min_lat,
                min_lat__lte=max_lat,
            )
        return hazards


class ReleaseFilterForm(AdminAreaFilterMixin, forms.Form):
    method = forms.ChoiceField(
        label=_("Method"),
        required=False,
        choices=[("", _("All methods")), *ReleaseMethod.choices],
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=1997,
        max_value=2100,
        help_text=_("The year the land was released (end date)."),
    )
    operator = forms.ModelChoiceField(
        label=_("Operator"),
        required=False,
        queryset=Organisation.objects.order_by("name"),
        to_field_name="public_id",
        empty_label=_("All operators"),
        error_messages={"invalid_choice": _("No organisation has this id.")},
    )
    hazard = forms.CharField(
        label=_("Hazard area"),
        required=False,
        max_length=100,
        help_text=_("The hazard area's external id."),
    )
    admin_area = admin_area_filter_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_admin_area_choices()

    def filter(self, releases):
        data = self.cleaned_data if self.is_bound else {}
        if data.get("method"):
            releases = releases.filter(method=data["method"])
        if data.get("year"):
            releases = releases.filter(end_date__year=data["year"])
        if data.get("operator"):
            releases = releases.filter(operator=data["operator"])
        if data.get("hazard"):
            releases = releases.filter(hazard_area__external_id__iexact=data["hazard"])
        if data.get("admin_area"):
            releases = releases.filter(
                hazard_area__admin_area__path__startswith=data["admin_area"].path
            )
        return releases.order_by("-end_date", "external_id")


class AdminAreaTreeForm(forms.Form):
    depth = forms.TypedChoiceField(
        label=_("Show levels down to"),
        required=False,
        coerce=int,
        choices=[(level, str(level)) for level in range(1, 5)],
    )


# Corrections by the data manager ---------------------------------------------------------------


class HazardAreaForm(forms.ModelForm):
    """A hazard area's details. The geometry is pasted as GeoJSON; its area, bounding box and
    the baseline area are recomputed when it is saved."""

    devices = forms.MultipleChoiceField(
        label=_("Device categories"),
        required=False,
        choices=DeviceCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    geojson = forms.CharField(
        label=_("Geometry (GeoJSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "class": "monospace", "dir": "ltr"}),
        help_text=_(
            "A GeoJSON Polygon, MultiPolygon or Point in longitude and latitude (WGS84). "
            "Leave empty when only the recorded area is known."
        ),
    )

    class Meta:
        model = HazardArea
        fields = [
            "name",
            "hazard_type",
            "status",
            "closed_on",
            "admin_area",
            "recorded_area_m2",
            "date_recorded",
            "source_organisation",
        ]
        field_classes = {"admin_area": AdminAreaChoiceField}
        widgets = {"closed_on": DateInput(), "date_recorded": DateInput()}
        help_texts = {
            "recorded_area_m2": _(
                "The area in the national database. Leave empty to use the geometry's area."
            )
        }

    field_order = [
        "external_id",
        "name",
        "hazard_type",
        "status",
        "closed_on",
        "devices",
        "admin_area",
        "recorded_area_m2",
        "date_recorded",
        "source_organisation",
        "geojson",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["admin_area"].queryset = AdminArea.objects.order_by("path")
        self.fields["source_organisation"].queryset = Organisation.objects.order_by("name")
        _drop_min_validators(self.fields["recorded_area_m2"])
        self._saved_geometry = self.instance.geometry
        if self.instance.pk:
            self.initial.setdefault("devices", self.instance.device_list)
            if self.instance.geometry:
                self.initial.setdefault("geojson", json.dumps(self.instance.geometry))

    def clean_recorded_area_m2(self):
        area = self.cleaned_data["recorded_area_m2"]
        if area is not None and area <= 0:
            raise forms.ValidationError(_("The recorded area must be more than 0 m²."))
        return area

    def clean_geojson(self):
        try:
            shape = geometry.parse(self.cleaned_data["geojson"].strip())
        except geometry.GeometryError as error:
            raise forms.ValidationError(str(error)) from None
        # The same checks as an import: an invalid polygon, no area, far outside the country.
        errors = [
            finding.message
            for finding in quality.check_geometry(shape, extent=quality.country_extent())
            if finding.severity == quality.ERROR
        ]
        if errors:
            raise forms.ValidationError(errors)
        return shape

    def clean(self):
        cleaned_data = super().clean()
        self._check_closing(cleaned_data)
        self._check_area(cleaned_data)
        return cleaned_data

    def _check_closing(self, data):
        status, closed_on = data.get("status"), data.get("closed_on")
        if status and status != HazardStatus.OPEN and closed_on is None:
            self.add_error(
                "closed_on", _("Give the date the hazard area was closed or handed over.")
            )
        elif status == HazardStatus.OPEN and closed_on is not None:
            self.add_error(
                "closed_on",
                _("An open hazard area has no closing date: clear the date or change the status."),
            )
        elif closed_on and data.get("date_recorded") and closed_on < data["date_recorded"]:
            self.add_error(
                "closed_on", _("A hazard area cannot be closed before the date it was recorded.")
            )

    def _check_area(self, data):
        if "geojson" not in data or "recorded_area_m2" not in data:
            return  # already reported
        shape, recorded = data["geojson"], data["recorded_area_m2"]
        if shape is None and recorded is None:
            self.add_error(
                "recorded_area_m2",
                _("Give the recorded area, the geometry, or both: a hazard area needs an area."),
            )
        elif shape is not None and shape.geom_type not in geometry.POLYGONAL and not recorded:
            self.add_error(
                "recorded_area_m2", _("A point has no area: give the recorded area too.")
            )

    def save(self, commit=True):
        hazard = super().save(commit=False)
        hazard.device_categories = HazardArea.join_devices(self.cleaned_data["devices"])
        shape = self.cleaned_data["geojson"]
        # JSON round trip: the stored form (lists, not tuples), so an unchanged geometry is not
        # recorded as a change in the audit trail.
        new_geometry = json.loads(json.dumps(geometry.to_geojson(shape)))
        if new_geometry != self._saved_geometry or hazard.pk is None:
            geometry.apply_to_hazard(hazard, shape)
            hazard.geometry = new_geometry
        hazard.area_m2 = geometry.baseline_area(hazard.recorded_area_m2, hazard.geometry_area_m2)
        if commit:
            hazard.save()
        return hazard


class HazardAreaCreateForm(HazardAreaForm):
    """A new hazard area also needs its external id (fixed afterwards: imports match on it)."""

    class Meta(HazardAreaForm.Meta):
        fields = ["external_id", *HazardAreaForm.Meta.fields]
        error_messages = {
            "external_id": {"unique": _("A hazard area with this external id already exists.")}
        }


def format_area(area_m2):
    return intcomma(area_m2)


class LandReleaseForm(forms.ModelForm):
    """Land released from one hazard area. A release larger than what remains of the hazard
    is not refused (the national data may be ahead of the hazard's recorded area) but must be
    confirmed: `needs_confirmation` is true until the confirmation box is ticked."""

    confirm_over_release = forms.BooleanField(
        label=_("Save it anyway: the release exceeds the hazard's remaining area."),
        required=False,
        widget=forms.HiddenInput,
    )

    class Meta:
        model = LandRelease
        fields = [
            "operator",
            "method",
            "area_m2",
            "start_date",
            "end_date",
            *DEVICE_FIELDS.values(),
        ]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, hazard, **kwargs):
        super().__init__(*args, **kwargs)
        self.hazard = hazard
        self.instance.hazard_area = hazard
        self.fields["operator"].queryset = Organisation.objects.order_by("name")
        _drop_min_validators(self.fields["area_m2"])
        self.over_release = None

    def clean_area_m2(self):
        area = self.cleaned_data["area_m2"]
        if area is not None and area <= 0:
            raise forms.ValidationError(_("The released area must be more than 0 m²."))
        return area

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("start_date"), cleaned_data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        area = cleaned_data.get("area_m2")
        if area:
            remaining = self.remaining_before()
            if area > remaining:
                self.over_release = _(
                    "The hazard's remaining area is %(remaining)s m²; this release of "
                    "%(area)s m² exceeds it."
                ) % {"remaining": format_area(remaining), "area": format_area(area)}
        return cleaned_data

    def remaining_before(self):
        """What the hazard's other releases leave of its baseline area (never below 0)."""
        others = self.hazard.releases.exclude(pk=self.instance.pk).aggregate(
            total=Coalesce(Sum("area_m2"), 0)
        )["total"]
        return max(0, self.hazard.area_m2 - others)

    def needs_confirmation(self):
        return bool(self.over_release) and not self.cleaned_data.get("confirm_over_release")

    def ask_confirmation(self):
        """Show the confirmation box (unticked) first, under the warning."""
        field = self.fields["confirm_over_release"]
        field.widget = forms.CheckboxInput()
        self.order_fields(["confirm_over_release"])
        self.data = self.data.copy()
        self.data.pop(self.add_prefix("confirm_over_release"), None)


class LandReleaseCreateForm(LandReleaseForm):
    class Meta(LandReleaseForm.Meta):
        fields = ["external_id", *LandReleaseForm.Meta.fields]
        error_messages = {
            "external_id": {"unique": _("A land release with this external id already exists.")}
        }


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Article5Milestone
        fields = ["year", "admin_area", "planned_area_m2", "note"]
        field_classes = {"admin_area": AdminAreaChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["admin_area"]
        field.queryset = AdminArea.objects.order_by("path")
        field.empty_label = _("National (the whole country)")
        _drop_min_validators(self.fields["planned_area_m2"])
        self.fields["planned_area_m2"].widget.attrs["min"] = 0

    def clean_planned_area_m2(self):
        area = self.cleaned_data["planned_area_m2"]
        if area is not None and area < 0:
            raise forms.ValidationError(_("The planned area cannot be negative."))
        return area

    def clean(self):
        cleaned_data = super().clean()
        year, region = cleaned_data.get("year"), cleaned_data.get("admin_area")
        if year is None or "admin_area" in self.errors:
            return cleaned_data
        duplicates = Article5Milestone.objects.filter(year=year, admin_area=region).exclude(
            pk=self.instance.pk
        )
        if duplicates.exists():
            if region is None:
                message = _("The national milestone for %(year)s already exists: edit it.")
            else:
                message = _("The milestone for %(year)s in %(region)s already exists: edit it.")
            self.add_error(
                "year", forms.ValidationError(message, params={"year": year, "region": region})
            )
        return cleaned_data


# Reads shared by the pages and the API ---------------------------------------------------------


def remaining_of(hazard, as_of):
    """One hazard's (released_m2, remaining_m2) at `as_of`, by the same rule as the lists."""
    return (
        with_remaining(HazardArea.objects.filter(pk=hazard.pk), as_of)
        .values_list("released_m2", "remaining_m2")
        .get()
    )


def released_by_method(hazard, as_of):
    """[{"method", "label", "area_m2", "count"}] of the hazard's releases up to `as_of`, in
    the order of the methods (every method, 0 when none)."""
    rows = {
        row["method"]: row
        for row in hazard.releases.filter(end_date__lte=as_of)
        .order_by()
        .values("method")
        .annotate(total=Sum("area_m2"), count=Count("pk"))
    }
    return [
        {
            "method": method,
            "label": label,
            "area_m2": rows.get(method, {}).get("total") or 0,
            "count": rows.get(method, {}).get("count") or 0,
        }
        for method, label in ReleaseMethod.choices
    ]


def hazard_counts_by_area_path():
    """{admin area path: number of hazard areas in it and in its sub-areas}, in one query."""
    counts = defaultdict(int)
    rows = (
        HazardArea.objects.filter(admin_area__isnull=False)
        .order_by()
        .values("admin_area__path")
        .annotate(count=Count("pk"))
    )
    for row in rows:
        codes = row["admin_area__path"].strip("/").split("/")
        for depth in range(1, len(codes) + 1):
            counts[f"/{'/'.join(codes[:depth])}/"] += row["count"]
    return counts
