"""Documents members attach to records (meeting papers, evidence of a challenge): the types,
size limit and content check every upload form shares."""

import os

from django import forms
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

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


def validate_document(upload):
    """Refuse a file of a type that cannot be attached, too large, or not what its name says."""
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
            _("The file is %(size)s; the limit is 20 MB.") % {"size": filesizeformat(upload.size)},
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


def document_response(document):
    """The attached file as a download (404 when the file is gone from the storage)."""
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1])
