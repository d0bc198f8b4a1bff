"""Django's admin for the challenges app: for administrators to look into records. Statuses,
priorities and results are read-only here: they change only through the platform's pages and
API, which keep the history and the rounds' results consistent."""

from django.contrib import admin

from mineaction.challenges.models import (
    Ballot,
    BallotEntry,
    Challenge,
    ChallengeDocument,
    ChallengeStatusChange,
    PrioritisationRound,
    RoundResult,
)

READ_ONLY = ["public_id", "created_at", "updated_at", "created_by"]


class StatusChangeInline(admin.TabularInline):
    model = ChallengeStatusChange
    extra = 0
    can_delete = False
    fields = ["on", "from_status", "to_status", "note", "meeting", "prioritisation_round"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ChallengeDocumentInline(admin.TabularInline):
    model = ChallengeDocument
    extra = 0
    fields = ["title", "file"]


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "title",
        "kind",
        "component",
        "status",
        "priority_rank",
        "raised_by_organisation",
        "raised_on",
        "visibility",
    ]
    list_filter = ["status", "kind", "component", "visibility"]
    search_fields = ["title", "description", "search_text"]
    raw_id_fields = ["region", "raised_by", "raised_by_organisation"]
    filter_horizontal = ["restricted_to"]
    readonly_fields = [
        *READ_ONLY,
        "number",
        "status",
        "status_changed_on",
        "priority_rank",
        "priority_score",
        "prioritised_in",
    ]
    inlines = [ChallengeDocumentInline, StatusChangeInline]

    def has_add_permission(self, request):
        # A challenge is raised on the platform's pages or API, which record its first status.
        return False


class BallotInline(admin.TabularInline):
    model = Ballot
    extra = 0
    can_delete = False
    fields = ["organisation", "cast_by", "cast_at", "abstained", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class RoundResultInline(admin.TabularInline):
    model = RoundResult
    extra = 0
    can_delete = False
    fields = ["challenge", "rank", "score", "votes", "abstentions"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PrioritisationRound)
class PrioritisationRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "method", "status", "closes_at", "priorities_count"]
    list_filter = ["status", "method"]
    search_fields = ["title", "description"]
    filter_horizontal = ["challenges"]
    readonly_fields = [*READ_ONLY, "status", "opened_at", "closed_at"]
    inlines = [BallotInline, RoundResultInline]


class BallotEntryInline(admin.TabularInline):
    model = BallotEntry
    extra = 0
    can_delete = False
    fields = ["challenge", "impact", "urgency", "feasibility", "rank"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ballot)
class BallotAdmin(admin.ModelAdmin):
    """Ballots are final once cast: readable here, never changed."""

    list_display = ["prioritisation_round", "organisation", "cast_at", "abstained"]
    list_filter = ["prioritisation_round", "abstained"]
    readonly_fields = [
        *READ_ONLY,
        "prioritisation_round",
        "organisation",
        "cast_by",
        "cast_at",
        "abstained",
        "comment",
    ]
    inlines = [BallotEntryInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
