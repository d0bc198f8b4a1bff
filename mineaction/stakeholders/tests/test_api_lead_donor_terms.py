"""/api/v1/lead-donor-terms: the lead donor rotation with the current term flagged."""

import datetime

import pytest

from mineaction.conftest import PERSONAS, make_organisation
from mineaction.core.tests.api_support import queries_for, token_client
from mineaction.stakeholders.models import LeadDonorTerm, OrganisationType

LIST = "/api/v1/lead-donor-terms"


@pytest.mark.parametrize("persona", PERSONAS)
def test_rotation_is_for_members_only(people, persona):
    response = token_client(people, persona).get(LIST)

    assert response.status_code == {"anonymous": 401, "outsider": 403}.get(persona, 200)


def test_rotation_lists_terms_in_order_with_the_current_one_flagged(people, donor_org):
    current = LeadDonorTerm.objects.get()
    current.starts_on = datetime.date(2024, 1, 1)
    current.save()
    earlier_donor = make_organisation("Examplia Development Fund", OrganisationType.DONOR_STATE)
    earlier = LeadDonorTerm.objects.create(
        organisation=earlier_donor,
        starts_on=datetime.date(2022, 1, 1),
        ends_on=datetime.date(2023, 12, 31),
        notes="Agreed at the 2021 plenary.",
    )

    response = token_client(people, "observer").get(LIST)

    assert response.json() == {
        "count": 2,
        "page": 1,
        "page_size": 50,
        "results": [
            {
                "public_id": str(earlier.public_id),
                "organisation": {
                    "public_id": str(earlier_donor.public_id),
                    "name": "Examplia Development Fund",
                    "acronym": "",
                },
                "starts_on": "2022-01-01",
                "ends_on": "2023-12-31",
                "notes": "Agreed at the 2021 plenary.",
                "current": False,
            },
            {
                "public_id": str(current.public_id),
                "organisation": {
                    "public_id": str(donor_org.public_id),
                    "name": "Kingdom of Examplia",
                    "acronym": "",
                },
                "starts_on": "2024-01-01",
                "ends_on": "2099-12-31",
                "notes": "",
                "current": True,
            },
        ],
    }


def test_rotation_queries_stay_flat(people, donor_org):
    client = token_client(people, "member")
    few = queries_for(client, LIST)
    for year in range(2000, 2012):
        LeadDonorTerm.objects.create(
            organisation=donor_org,
            starts_on=datetime.date(year, 1, 1),
            ends_on=datetime.date(year, 12, 31),
        )

    assert queries_for(client, LIST) == few == 7
