"""Forms for agenda items and the documents attached to them."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mineaction.core.uploads import validate_document
from mineaction.meetings.models import ActionPoint, AgendaDocument, AgendaItem
from mineaction.stakeholders.models import Person


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = [
            "title",
            "description",
            "kind",
            "component",
            "presenter",
            "duration_minutes",
            "reviewed_action_points",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "reviewed_action_points": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        self.fields["presenter"].queryset = Person.objects.select_related("organisation")
        # Action points of this series' earlier meetings that are still open, and those
        # already attached (even if closed since).
        attached = self.instance.reviewed_action_points.all() if self.instance.pk else []
        self.fields["reviewed_action_points"].queryset = ActionPoint.objects.filter(
            Q(
                pk__in=ActionPoint.objects.open()
                .filter(meeting__series_id=meeting.series_id)
                .exclude(meeting=meeting)
                .values("pk")
            )
            | Q(pk__in=[point.pk for point in attached])
        ).select_related("owner_organisation")
        self.fields["reviewed_action_points"].to_field_name = "public_id"
        self.fields["presenter"].to_field_name = "public_id"


class AgendaDocumentForm(forms.ModelForm):
    class Meta:
        model = AgendaDocument
        fields = ["title", "file"]
        help_texts = {
            "file": _(
                "Up to 20 MB. PDF, Word (DOCX), Excel (XLSX), PowerPoint (PPTX), "
                "OpenDocument (ODT, ODS), PNG or JPEG."
            )
        }

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        return upload if upload is None else validate_document(upload)
