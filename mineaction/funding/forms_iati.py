"""The IATI upload form, shared by the page and the API so that their rules and messages
agree. It checks the request (a file of the right kind and size, a country code); the file's
content is checked by the importer, which records a refused import with every problem."""

import os

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from mineaction.core.models import CountryProfile
from mineaction.funding.iati import codes
from mineaction.funding.iati.selection import country_code_error

ALLOWED_EXTENSIONS = (".xml",)


def profile_country():
    """The country profile's ISO 3166 alpha-3 code as the alpha-2 code IATI uses, or ""."""
    profile = CountryProfile.load()
    if profile is None:
        return ""
    return codes.ALPHA2_BY_ALPHA3.get((profile.iso3 or "").upper(), "")


class IatiImportForm(forms.Form):
    file = forms.FileField(
        label=_("IATI activity file"),
        error_messages={"required": _("Choose the IATI activity file (XML) to import.")},
    )
    country = forms.CharField(
        label=_("Recipient country"),
        max_length=2,
        required=False,
        help_text=_(
            "Two-letter ISO 3166 code, such as LA. Only the activities and transactions for "
            "this country are imported; leave it empty to import every mine action activity "
            "of the file."
        ),
        error_messages={"max_length": _("Enter a two-letter ISO 3166 code, such as LA.")},
    )
    dry_run = forms.BooleanField(
        label=_("Check only (dry run): report what would be imported and save nothing"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An IATI activity file (XML, standard 2.01 to 2.03) of up to %(size)s. Only the "
            "activities with the DAC sector 15250 (mine action) are imported."
        ) % {"size": filesizeformat(settings.IMPORT_MAX_FILE_SIZE)}
        self.fields["file"].widget.attrs["accept"] = ",".join(
            (*ALLOWED_EXTENSIONS, "application/xml", "text/xml")
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        extension = os.path.splitext(upload.name)[1].lower()
        if extension not in ALLOWED_EXTENSIONS:
            raise forms.ValidationError(
                _("IATI activity files are XML files: choose a file ending in .xml."),
                code="file_type",
            )
        if upload.size > settings.IMPORT_MAX_FILE_SIZE:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s.")
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.IMPORT_MAX_FILE_SIZE),
                },
                code="file_size",
            )
        return upload

    def clean_country(self):
        country = self.cleaned_data["country"].strip().upper()
        error = country_code_error(country)
        if error:
            raise forms.ValidationError(error, code="country")
        return country
