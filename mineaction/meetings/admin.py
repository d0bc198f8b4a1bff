from django.contrib import admin

from mineaction.meetings.models import (
    ActionPoint,
    ActionPointUpdate,
    AgendaDocument,
    AgendaItem,
    Amendment,
    Attendance,
    CalendarFeed,
    Decision,
    Invitation,
    Meeting,
    MeetingSeries,
    Minutes,
)

READ_ONLY = ["public_id", "created_at", "updated_at", "created_by"]


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "component", "frequency", "default_time_zone", "visibility"]
    list_filter = ["kind", "component", "frequency", "visibility"]
    search_fields = ["name", "default_venue"]
    readonly_fields = READ_ONLY


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["order", "title", "kind", "component", "presenter", "duration_minutes"]
    raw_id_fields = ["presenter"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "series", "number", "starts_at", "time_zone", "status"]
    list_filter = ["status", "series", "focus", "visibility"]
    search_fields = ["title", "venue", "series__name"]
    date_hierarchy = "starts_at"
    readonly_fields = [*READ_ONLY, "ical_sequence"]
    filter_horizontal = ["restricted_to"]
    inlines = [AgendaItemInline]


class AgendaDocumentInline(admin.TabularInline):
    model = AgendaDocument
    extra = 0


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "order", "kind", "duration_minutes"]
    list_filter = ["kind", "component"]
    search_fields = ["title", "meeting__title", "meeting__series__name"]
    raw_id_fields = ["meeting", "presenter"]
    filter_horizontal = ["reviewed_action_points"]
    readonly_fields = READ_ONLY
    inlines = [AgendaDocumentInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["person", "meeting", "informed_only", "response", "sent_sequence"]
    list_filter = ["response", "informed_only"]
    raw_id_fields = ["meeting", "person"]
    readonly_fields = READ_ONLY


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["person", "meeting", "organisation", "presence"]
    list_filter = ["presence"]
    raw_id_fields = ["meeting", "person", "organisation"]
    readonly_fields = READ_ONLY


@admin.register(Minutes)
class MinutesAdmin(admin.ModelAdmin):
    list_display = ["meeting", "language", "is_authoritative", "status", "revision"]
    list_filter = ["status", "language"]
    raw_id_fields = ["meeting"]
    readonly_fields = [*READ_ONLY, "revision", "approved_by", "approved_at", "distributed_at"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["number", "meeting", "text"]
    raw_id_fields = ["meeting", "agenda_item"]
    readonly_fields = READ_ONLY


@admin.register(Amendment)
class AmendmentAdmin(admin.ModelAdmin):
    list_display = ["minutes", "proposed_by", "status"]
    list_filter = ["status"]
    raw_id_fields = ["minutes", "agenda_item", "proposed_by"]
    readonly_fields = [*READ_ONLY, "resolved_by", "resolved_at"]


class ActionPointUpdateInline(admin.TabularInline):
    model = ActionPointUpdate
    extra = 0
    fields = ["on", "text", "status"]


@admin.register(ActionPoint)
class ActionPointAdmin(admin.ModelAdmin):
    list_display = ["__str__", "owner_organisation", "due_on", "status", "meeting"]
    list_filter = ["status", "component"]
    search_fields = ["text", "owner_organisation__name"]
    raw_id_fields = ["meeting", "agenda_item", "owner_organisation", "owner_person"]
    readonly_fields = READ_ONLY
    inlines = [ActionPointUpdateInline]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Deleting a feed stops its address; only its owner creates a new one, on their page."""

    list_display = ["user", "hint", "created_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    readonly_fields = ["user", "hint", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False
