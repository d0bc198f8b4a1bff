from django.contrib import admin

from mineaction.landrelease.forms import HazardAreaCreateForm
from mineaction.landrelease.models import (
    AdminArea,
    Article5Milestone,
    HazardArea,
    ImportJob,
    ImportMapping,
    LandRelease,
)

READ_ONLY = ["public_id", "created_at", "updated_at", "created_by"]


@admin.register(AdminArea)
class AdminAreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    readonly_fields = [*READ_ONLY, "path"]


@admin.register(HazardArea)
class HazardAreaAdmin(admin.ModelAdmin):
    """The pages' form, so that the geometry is checked and the areas recomputed on save."""

    form = HazardAreaCreateForm
    list_display = [
        "external_id",
        "name",
        "hazard_type",
        "status",
        "admin_area",
        "area_m2",
        "date_recorded",
    ]
    list_filter = ["hazard_type", "status"]
    search_fields = ["external_id", "name", "admin_area__code", "admin_area__name"]
    list_select_related = ["admin_area"]
    autocomplete_fields = ["admin_area", "source_organisation"]
    date_hierarchy = "date_recorded"
    readonly_fields = [*READ_ONLY, "geometry_area_m2", "area_m2"]

    def get_readonly_fields(self, request, obj=None):
        # Imports match hazard areas on their external id: it is fixed once created.
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "external_id"] if obj is not None else fields


@admin.register(LandRelease)
class LandReleaseAdmin(admin.ModelAdmin):
    list_display = ["external_id", "hazard_area", "method", "area_m2", "operator", "end_date"]
    list_filter = ["method"]
    search_fields = ["external_id", "hazard_area__external_id", "operator__name"]
    list_select_related = ["hazard_area", "operator"]
    autocomplete_fields = ["hazard_area", "operator"]
    date_hierarchy = "end_date"
    readonly_fields = READ_ONLY


@admin.register(Article5Milestone)
class Article5MilestoneAdmin(admin.ModelAdmin):
    list_display = ["year", "admin_area", "planned_area_m2", "note"]
    list_filter = ["year"]
    list_select_related = ["admin_area"]
    autocomplete_fields = ["admin_area"]
    readonly_fields = READ_ONLY


@admin.register(ImportMapping)
class ImportMappingAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    readonly_fields = READ_ONLY


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """The record of an import: looked at, not changed."""

    list_display = ["original_name", "kind", "status", "dry_run", "total_rows", "created_at"]
    list_filter = ["kind", "status", "dry_run"]
    search_fields = ["original_name"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
