"""The Article 5 records in Django's admin (administrators only)."""

import datetime
import json

import pytest
from django.urls import reverse

from mineaction.landrelease import geometry
from mineaction.landrelease.models import HazardArea
from mineaction.landrelease.tests.factories import (
    make_admin_area,
    make_hazard,
    make_milestone,
    make_release,
    square,
)

MODELS = [
    "adminarea",
    "hazardarea",
    "landrelease",
    "article5milestone",
    "importmapping",
    "importjob",
]


@pytest.fixture
def records(db):
    region = make_admin_area("PR01", name="North Province")
    hazard = make_hazard("HA-0001", admin_area=region)
    make_release(hazard, 1_000, datetime.date(2023, 1, 1))
    make_milestone(2025, 10_000)
    return {"region": region, "hazard": hazard}


@pytest.mark.parametrize("model", MODELS)
def test_administrator_can_browse_article5_records_in_the_admin(clients, records, model):
    response = clients["administrator"].get(reverse(f"admin:landrelease_{model}_changelist"))

    assert response.status_code == 200


def test_admin_search_finds_a_hazard_area_by_its_admin_area(clients, records):
    url = reverse("admin:landrelease_hazardarea_changelist")

    response = clients["administrator"].get(url, {"q": "North"})

    assert [hazard.external_id for hazard in response.context["cl"].result_list] == ["HA-0001"]


def test_adding_a_hazard_area_in_the_admin_computes_its_areas(clients, records):
    shape = square(30.6, -18.6)
    data = {
        "external_id": "HA-ADMIN",
        "name": "",
        "hazard_type": "SHA",
        "status": "open",
        "closed_on": "",
        "devices": ["cmr"],
        "admin_area": records["region"].pk,
        "recorded_area_m2": "",
        "date_recorded": "2020-01-01",
        "source_organisation": "",
        "geojson": json.dumps(shape),
    }

    response = clients["administrator"].post(reverse("admin:landrelease_hazardarea_add"), data)

    assert response.status_code == 302
    hazard = HazardArea.objects.get(external_id="HA-ADMIN")
    assert hazard.area_m2 == geometry.geodesic_area_m2(geometry.parse(shape))
    assert hazard.device_categories == ",cmr,"


def test_the_admin_shows_the_external_id_but_does_not_change_it(clients, records):
    url = reverse("admin:landrelease_hazardarea_change", args=[records["hazard"].pk])

    response = clients["administrator"].get(url)

    assert response.status_code == 200
    assert "external_id" not in response.context["adminform"].form.fields
    assert "HA-0001" in response.content.decode()


@pytest.mark.parametrize("persona", ["data_manager", "lead_authority"])
def test_non_staff_cannot_open_the_admin(clients, persona):
    response = clients[persona].get(reverse("admin:landrelease_hazardarea_changelist"))

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
