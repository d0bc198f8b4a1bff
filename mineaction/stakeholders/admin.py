from django.contrib import admin

from mineaction.stakeholders.models import (
    LeadDonorTerm,
    Membership,
    Organisation,
    Person,
    WorkingGroup,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["role", "starts_on", "ends_on", "notes"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "type", "country", "is_active"]
    list_filter = ["type", "is_active"]
    search_fields = ["name", "acronym"]
    readonly_fields = ["public_id", "created_at", "updated_at", "created_by"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["family_name", "given_name", "organisation", "email", "language"]
    list_filter = ["organisation__type", "language"]
    search_fields = ["given_name", "family_name", "email", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["user"]
    readonly_fields = ["public_id", "created_at", "updated_at", "created_by"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "starts_on", "ends_on"]
    list_filter = ["role"]
    search_fields = ["person__given_name", "person__family_name", "person__email"]
    list_select_related = ["person"]
    autocomplete_fields = ["person"]
    date_hierarchy = "starts_on"


@admin.register(LeadDonorTerm)
class LeadDonorTermAdmin(admin.ModelAdmin):
    list_display = ["organisation", "starts_on", "ends_on", "notes"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "component"]
    list_filter = ["component"]
    search_fields = ["name"]
    autocomplete_fields = ["conveners", "members"]
