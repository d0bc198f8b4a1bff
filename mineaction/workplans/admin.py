from django.contrib import admin

from mineaction.workplans.models import Activity, ActivityUpdate, Milestone, WorkPlan

READ_ONLY = ["public_id", "created_at", "updated_at", "created_by"]


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0
    fields = ["code", "title", "responsible_organisation", "component", "starts_on", "ends_on"]
    raw_id_fields = ["responsible_organisation"]
    show_change_link = True


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    fields = ["title", "activity", "due_on", "achieved_on"]
    raw_id_fields = ["activity"]


@admin.register(WorkPlan)
class WorkPlanAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "starts_on", "ends_on", "owner"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "description"]
    date_hierarchy = "starts_on"
    raw_id_fields = ["owner"]
    readonly_fields = READ_ONLY
    inlines = [ActivityInline, MilestoneInline]


class ActivityUpdateInline(admin.TabularInline):
    model = ActivityUpdate
    extra = 0
    fields = ["on", "status", "progress_percent", "note"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "work_plan",
        "component",
        "responsible_organisation",
        "starts_on",
        "ends_on",
        "budget",
        "currency",
        "status",
        "progress_percent",
    ]
    list_filter = ["component", "status", "work_plan__kind"]
    search_fields = ["code", "title", "description"]
    raw_id_fields = ["work_plan", "responsible_organisation"]
    filter_horizontal = ["challenges"]
    readonly_fields = READ_ONLY
    inlines = [ActivityUpdateInline]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["title", "work_plan", "activity", "due_on", "achieved_on"]
    list_filter = ["work_plan"]
    search_fields = ["title"]
    raw_id_fields = ["work_plan", "activity"]
    readonly_fields = READ_ONLY
