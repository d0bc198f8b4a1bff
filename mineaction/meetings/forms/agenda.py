"""Forms for agenda items and the documents attached to them."""

import os

from django import forms
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from mineaction.meetings.models import ActionPoint, AgendaDocument, AgendaItem
from mineaction.stakeholders.models import Person

MAX_DOCUMENT_SIZE = 20 * 1024 * 1024
ALLOWED_EXTENSIONS = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
# What a file of each kind starts with: a renamed file of another kind is refused.
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".ods": (b"PK\x03\x04",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}


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
        if upload is None:
            return upload
        extension = os.path.splitext(upload.name)[1].lower()
        if extension not in ALLOWED_EXTENSIONS:
            raise forms.ValidationError(
                _(
                    "Files of this type cannot be attached. Attach a PDF, DOCX, XLSX, PPTX, "
                    "ODT, ODS, PNG or JPEG file."
                ),
                code="file_type",
            )
        if upload.size > MAX_DOCUMENT_SIZE:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is 20 MB.")
                % {"size": filesizeformat(upload.size)},
                code="file_size",
            )
        upload.seek(0)
        start = upload.read(8)
        upload.seek(0)
        if not start.startswith(SIGNATURES[extension]):
            raise forms.ValidationError(
                _("The file's content is not a %(kind)s file, as its name says.")
                % {"kind": extension[1:].upper()},
                code="file_content",
            )
        return upload
