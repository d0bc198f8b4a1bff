"""Django's admin for the partnerships app: for administrators to look into records. The
State's assessments and commitments' statuses are read-only here: they change through the
platform's pages and API, which check the years and delivery dates."""

from django.contrib import admin

from mineaction.partnerships.models import (
    ActionAssessment,
    ActionPlan,
    Commitment,
    Partnership,
    PartnershipDocument,
    PlanAction,
    PlanSection,
)

READ_ONLY = ["public_id", "created_at", "updated_at", "created_by"]


class PlanSectionInline(admin.TabularInline):
    model = PlanSection
    extra = 0
    fields = ["number", "order", "title"]


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "first_year", "last_year"]
    search_fields = ["code", "title"]
    readonly_fields = READ_ONLY
    inlines = [PlanSectionInline]


class PlanActionInline(admin.TabularInline):
    model = PlanAction
    extra = 0
    fields = ["number", "short_title", "applies_to_state"]


@admin.register(PlanSection)
class PlanSectionAdmin(admin.ModelAdmin):
    list_display = ["action_plan", "number", "title", "order"]
    list_filter = ["action_plan"]
    readonly_fields = READ_ONLY
    inlines = [PlanActionInline]


class AssessmentInline(admin.TabularInline):
    model = ActionAssessment
    extra = 0
    can_delete = False
    fields = ["year", "status", "evidence"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PlanAction)
class PlanActionAdmin(admin.ModelAdmin):
    list_display = ["number", "short_title", "section", "applies_to_state"]
    list_filter = ["section__action_plan", "applies_to_state"]
    search_fields = ["short_title"]
    readonly_fields = READ_ONLY
    inlines = [AssessmentInline]


class DocumentInline(admin.TabularInline):
    model = PartnershipDocument
    extra = 0
    fields = ["title", "file"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["title", "state_party", "starts_on", "ends_on", "reporting_frequency"]
    search_fields = ["title", "purpose"]
    raw_id_fields = ["state_party"]
    filter_horizontal = ["partners", "focal_points", "plan_actions"]
    readonly_fields = READ_ONLY
    inlines = [DocumentInline]


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["party", "kind", "due_on", "status", "delivered_on", "partnership"]
    list_filter = ["kind", "status"]
    search_fields = ["description", "party__name"]
    raw_id_fields = ["partnership", "party"]
    filter_horizontal = ["plan_actions", "challenges"]
    readonly_fields = [*READ_ONLY, "status", "delivered_on"]
