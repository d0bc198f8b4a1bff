"""Django's admin for resource mobilisation: for administrators to look into records. Amounts,
splits and imported records change through the platform's pages, API and IATI import, which
keep a pledge's split adding up to its amount and imports matched by identifier; here they are
read-only."""

from django.contrib import admin

from mineaction.funding.models import (
    Disbursement,
    ExchangeRate,
    FundingRequirement,
    IatiActivity,
    IatiBudget,
    IatiImport,
    IatiTransaction,
    Pledge,
    PledgeYear,
)

READ_ONLY = ["public_id", "created_at", "updated_at", "created_by"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["currency", "year", "rate"]
    list_filter = ["year", "currency"]
    readonly_fields = READ_ONLY


@admin.register(FundingRequirement)
class FundingRequirementAdmin(admin.ModelAdmin):
    list_display = ["year", "amount", "currency", "component", "region", "source"]
    list_filter = ["year", "component", "source"]
    search_fields = ["description"]
    raw_id_fields = ["region"]
    filter_horizontal = ["challenges"]
    readonly_fields = READ_ONLY


class PledgeYearInline(admin.TabularInline):
    model = PledgeYear
    extra = 0
    can_delete = False
    fields = ["year", "amount"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    list_display = ["title", "donor", "amount", "currency", "first_year", "last_year", "status"]
    list_filter = ["status", "source", "currency", "component"]
    search_fields = ["title", "donor__name"]
    raw_id_fields = ["donor", "recipient", "region", "partnership", "iati_activity"]
    inlines = [PledgeYearInline]
    readonly_fields = [
        *READ_ONLY,
        "amount",
        "currency",
        "first_year",
        "last_year",
        "source",
        "iati_activity",
    ]


@admin.register(Disbursement)
class DisbursementAdmin(admin.ModelAdmin):
    list_display = ["disbursed_on", "donor", "amount", "currency", "pledge", "source"]
    list_filter = ["source", "currency"]
    search_fields = ["donor__name", "pledge__title"]
    raw_id_fields = ["pledge", "donor", "recipient", "region", "iati_transaction"]
    readonly_fields = [*READ_ONLY, "source", "iati_transaction"]


class IatiTransactionInline(admin.TabularInline):
    model = IatiTransaction
    extra = 0
    can_delete = False
    fields = ["position", "type", "date", "value", "currency", "share"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class IatiBudgetInline(admin.TabularInline):
    model = IatiBudget
    extra = 0
    can_delete = False
    fields = ["position", "period_start", "period_end", "value", "currency"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(IatiActivity)
class IatiActivityAdmin(ReadOnlyAdmin):
    list_display = ["iati_identifier", "title", "reporting_org_name", "share", "last_updated"]
    search_fields = ["iati_identifier", "title", "reporting_org_name"]
    inlines = [IatiTransactionInline, IatiBudgetInline]


@admin.register(IatiImport)
class IatiImportAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "country", "status", "created_at"]
    list_filter = ["status"]
