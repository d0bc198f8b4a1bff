"""Article 5 data in IMAS terms: admin areas, hazard areas, land release and the milestones of
the Article 5 work plan, plus the import mappings and import jobs that bring them in.

Areas are whole square metres (never km²). Geometry is WGS84 GeoJSON; a hazard's baseline area
is its recorded area, or the geodesic area of its geometry when none was recorded. The
arithmetic on areas (remaining at a date, release per year...) is in `services/progress.py`.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mineaction.core.models import BaseModel


class HazardType(models.TextChoices):
    SHA = "SHA", _("Suspected hazardous area (SHA)")
    CHA = "CHA", _("Confirmed hazardous area (CHA)")


class HazardStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("hazard area status", "Open")
    CLOSED = "closed", pgettext_lazy("hazard area status", "Closed")
    HANDED_OVER = "handed_over", _("Handed over")


class DeviceCategory(models.TextChoices):
    """Explosive ordnance categories of IMAS 04.10."""

    AP_MINE = "ap_mine", _("Anti-personnel mine")
    AV_MINE = "av_mine", _("Anti-vehicle mine")
    IMPROVISED_MINE = "improvised_mine", _("Improvised mine")
    CMR = "cmr", _("Cluster munition remnant")
    UXO = "uxo", _("Unexploded ordnance (UXO)")
    AXO = "axo", _("Abandoned explosive ordnance (AXO)")
    BOOBY_TRAP = "booby_trap", _("Booby-trap")
    OTHER_ERW = "other_erw", _("Other explosive remnant of war")


class ReleaseMethod(models.TextChoices):
    CANCELLED = "cancelled", _("Cancelled by non-technical survey")
    REDUCED = "reduced", _("Reduced by technical survey")
    CLEARED = "cleared", _("Cleared")


class Article5Data(BaseModel):
    """The records the Article 5 figures are computed from: a save or delete drops the cached
    figures (`services.progress.data_changed`). Bulk writes (imports, the demo) call it
    themselves, in the same transaction."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        from mineaction.landrelease.services.progress import data_changed

        with transaction.atomic():
            super().save(*args, **kwargs)
            data_changed()

    def delete(self, *args, **kwargs):
        from mineaction.landrelease.services.progress import data_changed

        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            data_changed()
        return result


# LandRelease's count field for each device category, in the order of DeviceCategory.
DEVICE_FIELDS = {category: f"devices_{category}" for category in DeviceCategory.values}


class AdminArea(Article5Data):
    """An administrative area (level 1 = province or region ... level 4 = village)."""

    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.PositiveSmallIntegerField(
        _("level"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # "/PR01/DI0103/" : the codes from level 1 down to this area, for "in this region" filters.
    path = models.CharField(max_length=500, editable=False, db_index=True)
    geometry = models.JSONField(_("boundary"), null=True, blank=True)

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("admin area")
        verbose_name_plural = _("admin areas")

    def __str__(self):
        return f"{self.name} ({self.code})"

    def compute_path(self):
        parent_path = self.parent.path if self.parent_id else "/"
        return f"{parent_path}{self.code}/"

    def save(self, *args, **kwargs):
        self.path = self.compute_path()
        super().save(*args, **kwargs)


class HazardArea(Article5Data):
    external_id = models.CharField(
        _("external id"),
        max_length=100,
        unique=True,
        help_text=_("The identifier in the national database, such as the IMSMA id."),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    hazard_type = models.CharField(_("type"), max_length=3, choices=HazardType.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=HazardStatus.choices, default=HazardStatus.OPEN
    )
    closed_on = models.DateField(
        _("closed or handed over on"),
        null=True,
        blank=True,
        help_text=_("Required when the status is closed or handed over."),
    )
    # ",ap_mine,uxo," : the device categories, comma-delimited so that one category can be
    # filtered with `contains=",uxo,"` on every database. Use `device_list`.
    device_categories = models.CharField(_("device categories"), max_length=200, blank=True)
    admin_area = models.ForeignKey(
        AdminArea,
        verbose_name=_("admin area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazard_areas",
    )
    geometry = models.JSONField(_("geometry"), null=True, blank=True)
    geometry_area_m2 = models.PositiveBigIntegerField(
        _("geodesic area of the geometry (m²)"), null=True, blank=True, editable=False
    )
    recorded_area_m2 = models.PositiveBigIntegerField(
        _("recorded area (m²)"), null=True, blank=True
    )
    # The baseline of every area figure: the recorded area, else the geometry's area.
    area_m2 = models.PositiveBigIntegerField(_("area (m²)"), editable=False)
    min_lon = models.FloatField(null=True, blank=True, editable=False)
    min_lat = models.FloatField(null=True, blank=True, editable=False)
    max_lon = models.FloatField(null=True, blank=True, editable=False)
    max_lat = models.FloatField(null=True, blank=True, editable=False)
    date_recorded = models.DateField(_("date recorded"))
    source_organisation = models.ForeignKey(
        "stakeholders.Organisation",
        verbose_name=_("source organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["external_id"]
        verbose_name = _("hazard area")
        verbose_name_plural = _("hazard areas")
        indexes = [
            models.Index(fields=["status", "hazard_type"]),
            models.Index(fields=["date_recorded"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=HazardStatus.OPEN) | models.Q(closed_on__isnull=False),
                name="hazard_closed_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.external_id} ({self.hazard_type})"

    @property
    def device_list(self):
        return [code for code in self.device_categories.split(",") if code]

    @staticmethod
    def join_devices(codes):
        ordered = [code for code in DeviceCategory.values if code in set(codes)]
        return f",{','.join(ordered)}," if ordered else ""

    def device_labels(self):
        labels = dict(DeviceCategory.choices)
        return [labels[code] for code in self.device_list if code in labels]

    @property
    def area_discrepancy(self):
        """How far the recorded area is from the geometry's (0.12 = 12 %), or None."""
        if not self.recorded_area_m2 or not self.geometry_area_m2:
            return None
        return abs(self.recorded_area_m2 - self.geometry_area_m2) / self.geometry_area_m2


class LandRelease(Article5Data):
    """Land released from one hazard area by one operator, by one method, over some dates."""

    external_id = models.CharField(
        _("external id"),
        max_length=100,
        unique=True,
        help_text=_(
            "The identifier of the release (or completion report) in the national database."
        ),
    )
    hazard_area = models.ForeignKey(
        HazardArea,
        verbose_name=_("hazard area"),
        on_delete=models.PROTECT,
        related_name="releases",
    )
    operator = models.ForeignKey(
        "stakeholders.Organisation",
        verbose_name=_("operator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    method = models.CharField(_("method"), max_length=20, choices=ReleaseMethod.choices)
    area_m2 = models.PositiveBigIntegerField(_("area (m²)"), validators=[MinValueValidator(1)])
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(
        _("end date"), help_text=_("The land counts as released from this date.")
    )
    devices_ap_mine = models.PositiveIntegerField(_("anti-personnel mines destroyed"), default=0)
    devices_av_mine = models.PositiveIntegerField(_("anti-vehicle mines destroyed"), default=0)
    devices_improvised_mine = models.PositiveIntegerField(
        _("improvised mines destroyed"), default=0
    )
    devices_cmr = models.PositiveIntegerField(_("cluster munition remnants destroyed"), default=0)
    devices_uxo = models.PositiveIntegerField(_("UXO destroyed"), default=0)
    devices_axo = models.PositiveIntegerField(_("AXO destroyed"), default=0)
    devices_booby_trap = models.PositiveIntegerField(_("booby-traps destroyed"), default=0)
    devices_other_erw = models.PositiveIntegerField(_("other ERW destroyed"), default=0)

    class Meta:
        ordering = ["-end_date", "external_id"]
        verbose_name = _("land release")
        verbose_name_plural = _("land releases")
        indexes = [
            # Remaining area at a date: released per hazard up to the date (covering on SQLite).
            models.Index(fields=["hazard_area", "end_date", "area_m2"]),
            models.Index(fields=["end_date", "method"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(area_m2__gt=0), name="release_area_positive"),
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(start_date__lte=models.F("end_date")),
                name="release_dates_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.external_id}: {self.get_method_display()}, {self.area_m2} m²"

    def devices(self):
        """{category: count} for the categories with at least one device."""
        return {
            category: getattr(self, field)
            for category, field in DEVICE_FIELDS.items()
            if getattr(self, field)
        }


class Article5Milestone(BaseModel):
    """The area planned for release in a year, nationally or in one region: the annual plan of
    the Article 5 extension request."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1997), MaxValueValidator(2100)]
    )
    admin_area = models.ForeignKey(
        AdminArea,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="milestones",
        help_text=_("Leave empty for the national milestone."),
    )
    planned_area_m2 = models.PositiveBigIntegerField(_("planned release (m²)"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        # The national milestone first in each year, on every database (PostgreSQL puts NULL
        # last, SQLite first).
        ordering = ["year", models.F("admin_area__code").asc(nulls_first=True)]
        verbose_name = _("Article 5 milestone")
        verbose_name_plural = _("Article 5 milestones")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "admin_area"], name="milestone_one_per_year_and_region"
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=models.Q(admin_area__isnull=True),
                name="milestone_one_national_per_year",
            ),
        ]

    def __str__(self):
        region = self.admin_area.name if self.admin_area_id else _("national")
        return f"{self.year} ({region}): {self.planned_area_m2} m²"


class ImportKind(models.TextChoices):
    ADMIN_AREAS = "admin-areas", _("Admin areas")
    HAZARDS = "hazards", _("Hazard areas")
    RELEASES = "releases", _("Land release")
    MILESTONES = "milestones", _("Article 5 milestones")


class ImportMapping(BaseModel):
    """How the columns of one source's files map to the canonical columns, saved by name."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind of data"), max_length=20, choices=ImportKind.choices)
    columns = models.JSONField(
        _("columns"), default=dict, help_text=_("{canonical column: column in the file}")
    )

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("import mapping")
        verbose_name_plural = _("import mappings")
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="import_mapping_unique_name")
        ]

    def __str__(self):
        return self.name


class ImportJob(BaseModel):
    """One file brought in from the pages or the API: its progress and its report."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        VALIDATING = "validating", _("Checking rows")
        SAVING = "saving", _("Saving")
        DONE = "done", _("Imported")
        REFUSED = "refused", _("Refused")
        CHECKED = "checked", _("Checked (dry run)")

    kind = models.CharField(_("kind of data"), max_length=20, choices=ImportKind.choices)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    mapping = models.ForeignKey(
        ImportMapping,
        verbose_name=_("saved mapping"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    columns = models.JSONField(_("columns"), default=dict, blank=True)
    dry_run = models.BooleanField(_("check only"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.UPLOADED
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    # [{"line": 12, "column": "area_m2", "message": "..."}]; line 0 = the file as a whole.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.original_name}"

    @property
    def percent(self):
        if self.status in {self.Status.DONE, self.Status.REFUSED, self.Status.CHECKED}:
            return 100
        if not self.total_rows:
            return 0
        return min(99, self.processed_rows * 100 // self.total_rows)
