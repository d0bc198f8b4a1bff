"""The policy tracker in Django's admin. Stages change on the pages (or the API), which record
each change; here the stage can only be set when an instrument is first recorded."""

from django import forms
from django.contrib import admin

from mineaction.policies.models import (
    AdvocacyAction,
    ImasStandard,
    Instrument,
    StageChange,
)
from mineaction.policies.services import instruments as services

READ_ONLY = ["public_id", "created_at", "updated_at", "created_by"]


class InstrumentAdminForm(forms.ModelForm):
    class Meta:
        model = Instrument
        fields = [
            "kind",
            "reference",
            "title",
            "description",
            "component",
            "stage",
            "stage_changed_on",
            "responsible_body",
            "target_date",
            "version",
            "version_date",
            "imas_standard",
            "imas_edition_followed",
            "link",
            "challenges",
        ]

    def clean(self):
        cleaned_data = super().clean()
        errors = services.instrument_problems(
            kind=cleaned_data.get("kind"),
            imas_standard=cleaned_data.get("imas_standard"),
            imas_edition_followed=cleaned_data.get("imas_edition_followed"),
        )
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name, message)
        return cleaned_data


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    fields = ["on", "from_stage", "to_stage", "note"]
    readonly_fields = ["on", "from_stage", "to_stage"]

    def has_add_permission(self, request, obj=None):
        return False


class AdvocacyActionInline(admin.StackedInline):
    model = AdvocacyAction
    extra = 0
    fields = ["on", "kind", "description", "organisation", "meeting", "outcome"]
    autocomplete_fields = ["organisation", "meeting"]


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    form = InstrumentAdminForm
    list_display = ["title", "reference", "kind", "component", "stage", "target_date"]
    list_filter = ["kind", "component", "stage"]
    search_fields = ["reference", "title", "description"]
    list_select_related = ["responsible_body"]
    autocomplete_fields = ["responsible_body", "imas_standard"]
    filter_horizontal = ["challenges"]
    readonly_fields = READ_ONLY
    inlines = [StageChangeInline, AdvocacyActionInline]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "stage", "stage_changed_on"] if obj is not None else fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            StageChange.objects.create(instrument=obj, to_stage=obj.stage, on=obj.stage_changed_on)


@admin.register(ImasStandard)
class ImasStandardAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "edition", "edition_date"]
    search_fields = ["reference", "title"]
    readonly_fields = READ_ONLY


@admin.register(AdvocacyAction)
class AdvocacyActionAdmin(admin.ModelAdmin):
    list_display = ["on", "instrument", "kind", "organisation"]
    list_filter = ["kind"]
    search_fields = ["description", "outcome", "instrument__title", "organisation__name"]
    list_select_related = ["instrument", "organisation"]
    autocomplete_fields = ["instrument", "organisation", "meeting"]
    date_hierarchy = "on"
    readonly_fields = READ_ONLY
