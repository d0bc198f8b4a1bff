"""The saved mappings page: list, edit and delete (with a confirmation)."""

import pytest
from django.urls import reverse

from mineaction.landrelease.models import ImportJob, ImportMapping


@pytest.fixture
def mapping(db):
    return ImportMapping.objects.create(
        name="Northern survey", kind="hazards", columns={"external_id": "HAZ_ID", "type": "T"}
    )


def test_the_mappings_are_listed_with_their_columns_and_actions(clients, mapping):
    page = clients["data_manager"].get(reverse("landrelease:imports_mappings"))
    assert page.status_code == 200
    assert list(page.context["mappings"]) == [mapping]
    assert "<code>external_id</code>: HAZ_ID" in page.text
    assert reverse("landrelease:imports_mapping_edit", args=[mapping.public_id]) in page.text
    assert reverse("landrelease:imports_mapping_delete", args=[mapping.public_id]) in page.text


def test_a_mapping_is_renamed_and_its_columns_changed(clients, mapping):
    response = clients["data_manager"].post(
        reverse("landrelease:imports_mapping_edit", args=[mapping.public_id]),
        {"mapping_name": "Northern survey 2024", "external_id": "IMSMA_ID", "type": " T "},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("landrelease:imports_mappings")
    mapping.refresh_from_db()
    assert mapping.name == "Northern survey 2024"
    assert mapping.columns == {"external_id": "IMSMA_ID", "type": "T"}


def test_the_edit_form_shows_the_columns_of_the_mappings_kind(clients, mapping):
    form = (
        clients["data_manager"]
        .get(reverse("landrelease:imports_mapping_edit", args=[mapping.public_id]))
        .context["form"]
    )
    assert form["external_id"].value() == "HAZ_ID"
    assert "hazard_external_id" not in form.fields
    assert "date_recorded" in form.fields
    assert form["mapping_name"].value() == "Northern survey"


def test_a_mapping_name_is_unique_per_kind(clients, mapping):
    other = ImportMapping.objects.create(name="Southern survey", kind="hazards", columns={})
    ImportMapping.objects.create(name="Releases", kind="releases", columns={})
    url = reverse("landrelease:imports_mapping_edit", args=[other.public_id])
    response = clients["data_manager"].post(url, {"mapping_name": "Northern survey"})
    assert response.context["form"].errors == {
        "mapping_name": ["Another mapping for Hazard areas already has this name."]
    }
    # The same name for another kind of data is another mapping.
    assert clients["data_manager"].post(url, {"mapping_name": "Releases"}).status_code == 302


def test_a_file_column_is_given_once(clients, mapping):
    response = clients["data_manager"].post(
        reverse("landrelease:imports_mapping_edit", args=[mapping.public_id]),
        {"mapping_name": "Northern survey", "external_id": "ID", "name": "", "type": "id"},
    )
    assert response.context["form"].errors == {
        "type": ["The file column “id” is already given for external_id."]
    }
    mapping.refresh_from_db()
    assert mapping.columns == {"external_id": "HAZ_ID", "type": "T"}


def test_an_empty_edit_is_refused_and_changes_nothing(clients, mapping):
    response = clients["data_manager"].post(
        reverse("landrelease:imports_mapping_edit", args=[mapping.public_id]), {}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"mapping_name": ["This field is required."]}
    mapping.refresh_from_db()
    assert (mapping.name, mapping.columns) == (
        "Northern survey",
        {"external_id": "HAZ_ID", "type": "T"},
    )


def test_deleting_a_mapping_asks_first(clients, mapping):
    url = reverse("landrelease:imports_mapping_delete", args=[mapping.public_id])
    page = clients["data_manager"].get(url)
    assert page.status_code == 200
    assert 'name="confirm"' in page.text
    assert clients["data_manager"].post(url).status_code == 200
    assert ImportMapping.objects.filter(pk=mapping.pk).exists()


def test_a_deleted_mapping_leaves_the_imports_that_used_it(clients, mapping, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    job = ImportJob.objects.create(
        kind="hazards", original_name="survey.csv", mapping=mapping, columns=mapping.columns
    )
    response = clients["data_manager"].post(
        reverse("landrelease:imports_mapping_delete", args=[mapping.public_id]), {"confirm": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("landrelease:imports_mappings")
    assert not ImportMapping.objects.exists()
    job.refresh_from_db()
    assert (job.mapping, job.columns) == (None, {"external_id": "HAZ_ID", "type": "T"})
