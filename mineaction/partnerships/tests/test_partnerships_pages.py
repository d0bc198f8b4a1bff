"""Partnership pages: access per persona, the managers' create and edit with their rules, the
detail page (parties, commitments per party, documents, pledges), documents, the list's filters
and its query count."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mineaction.conftest import make_organisation, make_person
from mineaction.partnerships.models import Partnership, PartnershipDocument, ProgressReport
from mineaction.partnerships.tests.partnerships_support import (
    DETAIL_ACCESS,
    LIST_ACCESS,
    MANAGER_FORM_ACCESS,
    MANAGER_RECORD_ACCESS,
    action,
    assert_outcome,
    make_commitment,
    make_document,
    make_partnership,
    make_plan,
    organisation,
    queries_for,
    table_counts,
)
from mineaction.stakeholders.models import OrganisationType

LIST_URL = reverse("partnerships:partnership_list")
CREATE_URL = reverse("partnerships:partnership_create")
Pledge = Partnership._meta.get_field("pledges").related_model


def url(name, record):
    return reverse(f"partnerships:{name}", args=[record.public_id])


@pytest.fixture
def partnership(people):
    return make_partnership()


@pytest.fixture
def form_data(people):
    state = organisation("Testland Mine Action Centre")
    ngo = organisation("Clear Fields Association")
    return {
        "title": "Eastern clearance partnership",
        "purpose": "Release the eastern province by 2027.",
        "state_party": state.pk,
        "partners": [ngo.pk, organisation("Kingdom of Examplia").pk],
        "starts_on": "2025-01-01",
        "ends_on": "2027-12-31",
        "reporting_frequency": "quarterly",
        "report_due_days": 45,
        "focal_points": [people["member"].pk, people["lead_authority"].pk],
    }


# Access ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "expected"), LIST_ACCESS.items())
def test_partnerships_are_listed_for_members(clients, partnership, persona, expected):
    assert_outcome(clients[persona].get(LIST_URL), expected)


@pytest.mark.parametrize(("persona", "expected"), DETAIL_ACCESS.items())
def test_a_partnership_and_its_accountability_are_read_by_members(
    clients, partnership, persona, expected
):
    assert_outcome(clients[persona].get(url("partnership_detail", partnership)), expected)
    assert_outcome(clients[persona].get(url("partnership_accountability", partnership)), expected)


@pytest.mark.parametrize(("persona", "expected"), MANAGER_FORM_ACCESS.items())
def test_partnerships_are_created_by_managers(clients, partnership, persona, expected):
    assert_outcome(clients[persona].get(CREATE_URL), expected)


@pytest.mark.parametrize(("persona", "expected"), MANAGER_RECORD_ACCESS.items())
def test_partnerships_and_documents_are_changed_by_managers(
    clients, partnership, persona, expected
):
    assert_outcome(clients[persona].get(url("partnership_edit", partnership)), expected)
    assert_outcome(clients[persona].get(url("partnership_document_add", partnership)), expected)


# Create and edit -------------------------------------------------------------------------------


def test_a_manager_creates_a_partnership(clients, people, form_data):
    response = clients["secretariat"].post(CREATE_URL, form_data)
    created = Partnership.objects.get(title="Eastern clearance partnership")
    assert response.status_code == 302
    assert response.url == url("partnership_detail", created)
    assert (created.state_party.name, created.starts_on, created.ends_on) == (
        "Testland Mine Action Centre",
        datetime.date(2025, 1, 1),
        datetime.date(2027, 12, 31),
    )
    assert (created.reporting_frequency, created.report_due_days) == ("quarterly", 45)
    assert sorted(created.partners.values_list("name", flat=True)) == [
        "Clear Fields Association",
        "Kingdom of Examplia",
    ]
    assert set(created.focal_points.all()) == {people["member"], people["lead_authority"]}


def test_a_partnership_serves_plan_actions(clients, form_data):
    plan = make_plan("links")
    clients["lead_authority"].post(CREATE_URL, form_data | {"plan_actions": [action(plan, 3).pk]})
    created = Partnership.objects.get(title="Eastern clearance partnership")
    assert list(created.plan_actions.all()) == [action(plan, 3)]


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"state_party": "consultant"},
            {
                "state_party": [
                    "Far Away Consulting cannot speak for the State: choose the national "
                    "mine action authority or a government ministry."
                ]
            },
        ),
        (
            {"partners": ["state"]},
            {
                "partners": [
                    "Testland Mine Action Centre (TMAC) is the State's party; it cannot also be "
                    "a partner."
                ]
            },
        ),
        ({"partners": []}, {"partners": ["This field is required."]}),
        (
            {"ends_on": "2024-12-31"},
            {"ends_on": ["The partnership must end after it starts."]},
        ),
        ({"ends_on": "2025-01-01"}, {"ends_on": ["The partnership must end after it starts."]}),
        ({"report_due_days": 0}, {"report_due_days": ["Give between 1 and 365 days."]}),
        (
            {"focal_points": ["stranger"]},
            {"focal_points": ["Una Stranger is not a person of a party to the partnership."]},
        ),
        (
            {"title": "", "purpose": " "},
            {"title": ["This field is required."], "purpose": ["This field is required."]},
        ),
    ],
)
def test_bad_partnerships_are_refused_and_nothing_is_saved(clients, form_data, changes, errors):
    stranger = make_person("una.stranger@example.org", make_organisation("Far Away Consulting"))
    names = {
        "consultant": stranger.organisation.pk,
        "state": organisation("Testland Mine Action Centre").pk,
        "stranger": stranger.pk,
    }
    resolved = {
        key: [names.get(v, v) for v in value]
        if isinstance(value, list)
        else names.get(value, value)
        for key, value in changes.items()
    }
    before = table_counts()
    response = clients["secretariat"].post(CREATE_URL, form_data | resolved)
    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert table_counts() == before


def test_a_government_ministry_may_speak_for_the_state(clients, form_data):
    ministry = make_organisation("Ministry of Defence", OrganisationType.GOVERNMENT_MINISTRY)
    response = clients["secretariat"].post(
        CREATE_URL, form_data | {"state_party": ministry.pk, "focal_points": []}
    )
    assert response.status_code == 302
    assert Partnership.objects.get(title="Eastern clearance partnership").state_party == ministry


def test_the_form_offers_only_the_state_s_possible_parties(clients):
    response = clients["secretariat"].get(CREATE_URL)
    choices = response.context["form"].fields["state_party"].widget.choices
    assert [label for _value, label in choices[1:]] == ["Testland Mine Action Centre (TMAC)"]


def test_a_manager_edits_a_partnership(clients, partnership, form_data):
    response = clients["lead_authority"].post(
        url("partnership_edit", partnership),
        form_data | {"title": "Renamed", "partners": [organisation("Clear Fields Association").pk]},
    )
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.title == "Renamed"
    assert list(partnership.partners.values_list("name", flat=True)) == ["Clear Fields Association"]


def test_a_partner_with_commitments_stays_a_party(clients, partnership, form_data):
    donor = organisation("Kingdom of Examplia")
    make_commitment(partnership, donor, kind="financial", amount=Decimal("1000"), currency="EUR")
    before = table_counts()
    response = clients["lead_authority"].post(
        url("partnership_edit", partnership),
        form_data | {"partners": [organisation("Clear Fields Association").pk]},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "partners": [
            "Kingdom of Examplia made commitments in this partnership and must stay a party. "
            "Remove or move their commitments first."
        ]
    }
    assert set(partnership.partners.all()) == {donor, organisation("Clear Fields Association")}
    assert table_counts() == before


def test_readers_cannot_create_or_edit(clients, partnership, form_data):
    before = table_counts()
    assert clients["member"].post(CREATE_URL, form_data).status_code == 403
    assert (
        clients["data_manager"].post(url("partnership_edit", partnership), form_data).status_code
        == 403
    )
    assert (
        clients["outsider"].post(url("partnership_edit", partnership), form_data).status_code == 404
    )
    assert table_counts() == before


# The detail page -------------------------------------------------------------------------------


def test_the_detail_shows_parties_commitments_per_party_documents_and_pledges(clients, partnership):
    ngo, donor = organisation("Clear Fields Association"), organisation("Kingdom of Examplia")
    make_commitment(partnership, ngo, description="Two survey teams")
    make_commitment(
        partnership,
        donor,
        kind="financial",
        amount=Decimal("250000"),
        currency="EUR",
        description="Fund the teams",
    )
    document = make_document(partnership)
    Pledge.objects.create(
        donor=donor,
        title="Eastern clearance grant",
        amount=Decimal("250000"),
        currency="EUR",
        first_year=2025,
        last_year=2026,
        status="committed",
        partnership=partnership,
    )
    response = clients["observer"].get(url("partnership_detail", partnership))
    sides = [
        (side["party"].name, [c.description for c in side["commitments"]])
        for side in response.context["by_party"]
    ]
    assert sides == [
        ("Testland Mine Action Centre", []),
        ("Clear Fields Association", ["Two survey teams"]),
        ("Kingdom of Examplia", ["Fund the teams"]),
    ]
    assert [(p.title, p.donor.name, p.amount, p.status) for p in response.context["pledges"]] == [
        ("Eastern clearance grant", "Kingdom of Examplia", Decimal("250000.00"), "committed")
    ]
    assert url("partnership_document_download", document) in response.text
    assert url("partnership_document_delete", document) not in response.text
    assert url("partnership_edit", partnership) not in response.text
    assert "Eastern clearance grant" in response.text


def test_parties_see_the_link_to_record_a_commitment(clients, partnership):
    link = reverse("partnerships:commitment_create") + f"?partnership={partnership.public_id}"
    assert link in clients["member"].get(url("partnership_detail", partnership)).text
    assert link not in clients["observer"].get(url("partnership_detail", partnership)).text


# Documents -------------------------------------------------------------------------------------


def test_a_manager_attaches_a_document_which_members_download(clients, partnership):
    upload = SimpleUploadedFile("agreement.pdf", b"%PDF-1.7\nsigned", "application/pdf")
    response = clients["secretariat"].post(
        url("partnership_document_add", partnership), {"title": "Agreement", "file": upload}
    )
    assert response.status_code == 302
    document = partnership.documents.get()
    download = clients["observer"].get(url("partnership_document_download", document))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.7\nsigned"
    assert (
        clients["outsider"].get(url("partnership_document_download", document)).status_code == 404
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "run.exe",
            b"MZ",
            "Files of this type cannot be attached. Attach a PDF, DOCX, XLSX, PPTX, ODT, ODS, "
            "PNG or JPEG file.",
        ),
        ("fake.pdf", b"not a pdf", "The file's content is not a PDF file, as its name says."),
    ],
)
def test_a_bad_document_is_refused(clients, partnership, name, content, message):
    before = table_counts()
    response = clients["secretariat"].post(
        url("partnership_document_add", partnership),
        {"title": "Agreement", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"file": [message]}
    assert table_counts() == before


def test_a_document_is_removed_only_once_confirmed(clients, partnership):
    document = make_document(partnership)
    delete_url = url("partnership_document_delete", document)
    asked = clients["secretariat"].post(delete_url)
    assert asked.status_code == 200
    assert PartnershipDocument.objects.filter(pk=document.pk).exists()
    assert clients["member"].post(delete_url, {"confirm": "yes"}).status_code == 403
    assert PartnershipDocument.objects.filter(pk=document.pk).exists()
    done = clients["secretariat"].post(delete_url, {"confirm": "yes"})
    assert done.status_code == 302
    assert not PartnershipDocument.objects.filter(pk=document.pk).exists()


# The list --------------------------------------------------------------------------------------


def test_the_list_filters_by_party_and_period(clients, people):
    ngo = organisation("Clear Fields Association")
    old = make_partnership(
        "Old", starts_on=datetime.date(2010, 1, 1), ends_on=datetime.date(2012, 1, 1)
    )
    future = make_partnership(
        "Future", starts_on=datetime.date(2090, 1, 1), ends_on=datetime.date(2091, 1, 1)
    )
    donor_only = make_partnership("Donor only", partners=[organisation("Kingdom of Examplia")])

    def titles(**params):
        response = clients["observer"].get(LIST_URL, params)
        return sorted(p.title for p in response.context["page"].object_list)

    assert titles() == ["Donor only", "Future", "Old"]
    assert titles(party=str(ngo.public_id)) == ["Future", "Old"]
    assert titles(period="ended") == ["Old"]
    assert titles(period="upcoming") == ["Future"]
    assert titles(q="donor") == ["Donor only"]
    assert old.pk and future.pk and donor_only.pk


def test_the_list_makes_as_many_queries_with_more_partnerships(clients, people):
    make_partnership("First")
    queries = queries_for(clients["observer"], LIST_URL)
    for number in range(5):
        partnership = make_partnership(f"More {number}")
        make_commitment(partnership, organisation("Clear Fields Association"))
    assert queries_for(clients["observer"], LIST_URL) == queries


def test_the_detail_lists_the_progress_reports(clients, partnership):
    ProgressReport.objects.create(
        partnership=partnership,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 6, 30),
        due_on=datetime.date(2024, 7, 30),
    )
    response = clients["observer"].get(url("partnership_detail", partnership))
    assert [report.version for report in response.context["reports"]] == [1]
    assert "Jan. 1, 2024 – June 30, 2024, version 1" in response.text


@pytest.mark.parametrize(
    "model", ["actionplan", "plansection", "planaction", "partnership", "commitment"]
)
def test_administrators_browse_the_records_in_the_admin(clients, partnership, model):
    make_commitment(partnership, organisation("Clear Fields Association"))
    make_plan("admin-plan")
    response = clients["administrator"].get(reverse(f"admin:partnerships_{model}_changelist"))
    assert response.status_code == 200


def test_managers_see_the_edit_and_document_links(clients, partnership):
    response = clients["secretariat"].get(url("partnership_detail", partnership))
    assert url("partnership_edit", partnership) in response.text
    assert url("partnership_document_add", partnership) in response.text


@pytest.mark.parametrize("name", ["partnership_list", "commitment_list", "action_plan_list"])
def test_the_pages_turn_right_to_left_in_arabic(clients, partnership, name):
    response = clients["member"].get(reverse(f"partnerships:{name}"), HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in response.text
