"""Managers give an organisation its IATI identifier (page and API) so that IATI imports find
it as the donor; one identifier names one organisation."""

from django.urls import reverse

from mineaction.funding.iati import import_iati
from mineaction.funding.models import Pledge
from mineaction.funding.tests.iatifiles import DPORTAL
from mineaction.stakeholders.models import Organisation, OrganisationType


def organisation_data(organisation, **changes):
    return {
        "name": organisation.name,
        "acronym": organisation.acronym,
        "type": organisation.type,
        "country": organisation.country,
        "website": "",
        "email": "",
        "description": "",
        "is_active": "on",
        **changes,
    }


def test_a_manager_sets_the_iati_identifier_and_the_import_finds_the_donor(clients, donor_org):
    url = reverse("stakeholders:organisation_edit", args=[donor_org.public_id])

    response = clients["secretariat"].post(
        url, organisation_data(donor_org, iati_identifier=" XI-IATI-EC_FPI ")
    )

    assert response.status_code == 302
    donor_org.refresh_from_db()
    assert donor_org.iati_identifier == "XI-IATI-EC_FPI"
    page = clients["observer"].get(
        reverse("stakeholders:organisation_detail", args=[donor_org.public_id])
    )
    assert "<code>XI-IATI-EC_FPI</code>" in page.content.decode()
    record = import_iati(DPORTAL)
    assert record.report["organisations_created"] == []
    assert set(Pledge.objects.values_list("donor", flat=True)) == {donor_org.pk}


def test_an_identifier_already_given_to_another_organisation_is_refused(clients, donor_org):
    Organisation.objects.create(
        name="European Commission",
        type=OrganisationType.DONOR_STATE,
        iati_identifier="XI-IATI-EC_FPI",
    )
    url = reverse("stakeholders:organisation_edit", args=[donor_org.public_id])

    response = clients["lead_authority"].post(
        url, organisation_data(donor_org, iati_identifier="XI-IATI-EC_FPI")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["iati_identifier"] == [
        "European Commission already has this IATI identifier."
    ]
    donor_org.refresh_from_db()
    assert donor_org.iati_identifier == ""


def test_an_identifier_with_spaces_is_refused(clients, donor_org):
    url = reverse("stakeholders:organisation_edit", args=[donor_org.public_id])

    response = clients["lead_authority"].post(
        url, organisation_data(donor_org, iati_identifier="GB GOV 1")
    )

    assert response.context["form"].errors["iati_identifier"] == [
        "An IATI identifier has no spaces, such as GB-GOV-1."
    ]


def test_the_api_reads_and_writes_the_iati_identifier(clients, donor_org):
    url = reverse("api:organisation_patch", args=[donor_org.public_id])

    response = clients["administrator"].patch(
        url, {"iati_identifier": "XM-DAC-7"}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["iati_identifier"] == "XM-DAC-7"
    donor_org.refresh_from_db()
    assert donor_org.iati_identifier == "XM-DAC-7"
    response = clients["member"].patch(
        url, {"iati_identifier": ""}, content_type="application/json"
    )
    assert response.status_code == 403
    donor_org.refresh_from_db()
    assert donor_org.iati_identifier == "XM-DAC-7"
