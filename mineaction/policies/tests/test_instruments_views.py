"""Instrument pages: list (filters, pipeline, htmx, query count), detail, create and edit."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mineaction.challenges.tests.factories import make_challenge
from mineaction.core.choices import Component
from mineaction.policies.models import Instrument, InstrumentKind, InstrumentStage, StageChange
from mineaction.policies.tests.factories import (
    make_advocacy,
    make_chapter,
    make_imas,
    make_instrument,
)
from mineaction.stakeholders.tests.helpers import (
    CREATE_ACCESS,
    DETAIL_ACCESS,
    EDIT_ACCESS,
    LIST_ACCESS,
    assert_outcome,
    queries_for,
)

LIST_URL = reverse("policies:instrument_list")
CREATE_URL = reverse("policies:instrument_create")
TODAY = timezone.localdate()


def detail_url(instrument):
    return reverse("policies:instrument_detail", args=[instrument.public_id])


def edit_url(instrument):
    return reverse("policies:instrument_edit", args=[instrument.public_id])


@pytest.fixture
def law(db, authority_org):
    return make_instrument(
        "Mine action law",
        reference="Law 12/2019",
        responsible_body=authority_org,
        target_date=datetime.date(2023, 6, 30),
    )


@pytest.fixture
def imas(db):
    return make_imas("07.11", title="Land release", edition_date=datetime.date(2022, 3, 1))


def state():
    return (
        list(Instrument.objects.order_by("pk").values()),
        list(StageChange.objects.order_by("pk").values()),
        list(Instrument.challenges.through.objects.order_by("pk").values()),
    )


def instrument_data(**changes):
    data = {
        "kind": InstrumentKind.LAW,
        "reference": "Law 3/2025",
        "title": "Victim assistance law",
        "description": "Rights of survivors.",
        "component": Component.POLITICAL,
        "stage": InstrumentStage.DRAFTING,
        "stage_changed_on": "2025-01-10",
        "responsible_body": "",
        "target_date": "2026-12-31",
        "version": "",
        "version_date": "",
        "imas_standard": "",
        "imas_edition_followed": "",
        "link": "",
    }
    data.update(changes)
    return data


# Access ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "expected"), LIST_ACCESS.items())
def test_instrument_list_access_by_role(clients, law, persona, expected):
    assert_outcome(clients[persona].get(LIST_URL), expected)


@pytest.mark.parametrize(("persona", "expected"), DETAIL_ACCESS.items())
def test_instrument_detail_access_by_role(clients, law, persona, expected):
    assert_outcome(clients[persona].get(detail_url(law)), expected)


@pytest.mark.parametrize(("persona", "expected"), CREATE_ACCESS.items())
def test_instrument_create_form_is_for_managers(clients, persona, expected):
    assert_outcome(clients[persona].get(CREATE_URL), expected)


@pytest.mark.parametrize(("persona", "expected"), EDIT_ACCESS.items())
def test_instrument_edit_form_is_for_managers(clients, law, persona, expected):
    assert_outcome(clients[persona].get(edit_url(law)), expected)


@pytest.mark.parametrize("persona", ["observer", "member", "lead_donor", "data_manager"])
def test_readers_cannot_create_or_edit_instruments(clients, law, persona):
    before = state()
    assert clients[persona].post(CREATE_URL, instrument_data()).status_code == 403
    assert clients[persona].post(edit_url(law), instrument_data()).status_code == 403
    assert state() == before


# The list --------------------------------------------------------------------------------------


def test_list_filters_by_kind_stage_component_body_overdue_and_words(clients, law, imas, ngo_org):
    make_chapter(
        "Land release standard",
        imas,
        followed=datetime.date(2022, 3, 1),
        stage=InstrumentStage.IN_FORCE,
        target_date=datetime.date(2020, 1, 1),
    )
    make_instrument(
        "Gender and diversity SOP",
        kind=InstrumentKind.SOP,
        component=Component.PARTICIPATION,
        responsible_body=ngo_org,
        target_date=TODAY + datetime.timedelta(days=30),
    )
    client = clients["observer"]

    def shown(**params):
        text = client.get(LIST_URL, params).text
        return [name for name in ("Mine action law", "Land release", "Gender") if name in text]

    assert shown() == ["Mine action law", "Land release", "Gender"]
    assert shown(kind="nmas_chapter") == ["Land release"]
    assert shown(stage="drafting") == ["Mine action law", "Gender"]
    assert shown(component="participation") == ["Gender"]
    assert shown(responsible_body=str(ngo_org.public_id)) == ["Gender"]
    # The standard in force is past its target date, but done: not overdue.
    assert shown(overdue="on") == ["Mine action law"]
    assert shown(q="LAW 12/2019") == ["Mine action law"]
    assert shown(q="release standard") == ["Land release"]
    assert shown(q="nothing-like-this") == []


def test_list_reports_a_bad_filter_and_ignores_it(clients, law):
    response = clients["member"].get(LIST_URL, {"stage": "signed"})
    assert response.status_code == 200
    assert "Some filters are not valid and were ignored" in response.text
    assert "Mine action law" in response.text


def test_list_counts_instruments_at_each_stage_within_the_other_filters(clients, law):
    make_instrument("Consulted regulation", kind=InstrumentKind.REGULATION, stage="consultation")
    make_instrument("Second draft law", stage="drafting")
    response = clients["member"].get(LIST_URL, {"kind": "law", "stage": "drafting"})
    pipeline = {step["stage"]: step["count"] for step in response.context["pipeline"]}
    assert pipeline == {
        "need_identified": 0,
        "drafting": 2,
        "consultation": 0,
        "submitted": 0,
        "adopted": 0,
        "in_force": 0,
        "under_revision": 0,
    }
    assert clients["member"].get(LIST_URL).context["pipeline"][2]["count"] == 1


def test_list_marks_overdue_instruments(clients, law):
    make_instrument("Adopted late", stage="adopted", target_date=datetime.date(2023, 1, 1))
    rows = {row.title: row.overdue for row in clients["member"].get(LIST_URL).context["page"]}
    assert rows == {"Mine action law": True, "Adopted late": False}


def test_list_offers_exports_with_the_filters(clients, law):
    response = clients["member"].get(LIST_URL, {"kind": "law", "page": "1"})
    assert [link["url"] for link in response.context["export_links"]] == [
        "/policies/export/?kind=law&format=csv",
        "/policies/export/?kind=law&format=xlsx",
    ]


def test_htmx_search_renders_only_the_results(clients, law):
    response = clients["member"].get(LIST_URL, {"q": "mine"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="results"')
    assert "Mine action law" in response.text
    assert "<html" not in response.text


def test_list_query_count_stays_flat(clients, imas, authority_org, django_assert_num_queries):
    make_instrument("First", responsible_body=authority_org)
    make_chapter("Chapter", imas, followed=datetime.date(2020, 1, 1))
    client = clients["member"]
    baseline = queries_for(client, LIST_URL)
    for number in range(10):
        make_instrument(f"More {number}", responsible_body=authority_org, target_date=TODAY)
        make_chapter(f"Chapter {number}", make_imas(f"08.{number:02d}"), followed=TODAY)
    with django_assert_num_queries(baseline):
        client.get(LIST_URL)


def test_managers_see_the_record_button_readers_do_not(clients, law):
    assert "Record an instrument" in clients["secretariat"].get(LIST_URL).text
    assert "Record an instrument" not in clients["observer"].get(LIST_URL).text


# The detail page -------------------------------------------------------------------------------


def test_detail_shows_fields_history_advocacy_and_overdue_flag(clients, law, ngo_org):
    make_advocacy(law, ngo_org, description="Briefed the parliamentary committee")
    response = clients["observer"].get(detail_url(law))
    text = response.text
    assert response.context["overdue"] is True
    assert "Law 12/2019" in text
    assert "Testland Mine Action Centre" in text
    assert "Recorded at the stage “Drafting”" in text
    assert "Briefed the parliamentary committee" in text
    assert "Clear Fields Association" in text
    assert response.context["lag"] is None
    # Observers read but change nothing.
    assert "Edit instrument" not in text
    assert "Log advocacy" not in text
    assert reverse("policies:advocacy_edit", args=[law.advocacy_actions.get().public_id]) not in (
        text
    )


def test_detail_of_an_nmas_chapter_shows_its_lag(clients, imas):
    chapter = make_chapter("Land release", imas, followed=datetime.date(2019, 11, 15))
    response = clients["member"].get(detail_url(chapter))
    assert response.context["lag"].lag_months == 27
    assert "2 years and 3 months behind" in response.text


def test_detail_shows_only_the_challenges_the_reader_may_see(clients, law, ngo_org, donor_org):
    open_challenge = make_challenge("Survey backlog", ngo_org)
    restricted = make_challenge("Confidential funding gap", donor_org, visibility="restricted")
    law.challenges.set([open_challenge, restricted])
    assert "Confidential funding gap" not in clients["member"].get(detail_url(law)).text
    assert "Survey backlog" in clients["member"].get(detail_url(law)).text
    assert "Confidential funding gap" in clients["secretariat"].get(detail_url(law)).text


def test_managers_see_edit_stage_and_advocacy_actions(clients, law):
    text = clients["lead_authority"].get(detail_url(law)).text
    assert "Edit instrument" in text
    assert reverse("policies:instrument_stage", args=[law.public_id]) in text
    assert reverse("policies:advocacy_add", args=[law.public_id]) in text


def test_members_see_the_log_advocacy_button_only(clients, law):
    text = clients["member"].get(detail_url(law)).text
    assert reverse("policies:advocacy_add", args=[law.public_id]) in text
    assert "Edit instrument" not in text


# Create and edit -------------------------------------------------------------------------------


def test_manager_records_an_instrument_with_its_first_stage(clients, authority_org, ngo_org):
    challenge = make_challenge("Outdated legislation", ngo_org)
    response = clients["secretariat"].post(
        CREATE_URL,
        instrument_data(
            responsible_body=str(authority_org.public_id), challenges=[str(challenge.public_id)]
        ),
    )
    instrument = Instrument.objects.get()
    assert response.status_code == 302
    assert response.url == detail_url(instrument)
    assert instrument.title == "Victim assistance law"
    assert instrument.stage == "drafting"
    assert instrument.stage_changed_on == datetime.date(2025, 1, 10)
    assert instrument.responsible_body == authority_org
    assert list(instrument.challenges.all()) == [challenge]
    assert list(instrument.stage_changes.values_list("from_stage", "to_stage", "on")) == [
        ("", "drafting", datetime.date(2025, 1, 10))
    ]


def test_manager_records_an_nmas_chapter_with_its_imas(clients, imas):
    response = clients["lead_authority"].post(
        CREATE_URL,
        instrument_data(
            kind="nmas_chapter",
            reference="NMAS 07.11",
            title="Land release",
            imas_standard=str(imas.public_id),
            imas_edition_followed="2019-06-01",
        ),
    )
    assert response.status_code == 302
    chapter = Instrument.objects.get()
    assert chapter.imas_standard == imas
    assert chapter.imas_edition_followed == datetime.date(2019, 6, 1)
    assert chapter.lags_imas is True


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"kind": "nmas_chapter"},
            {
                "imas_standard": ["An NMAS chapter needs the IMAS it follows."],
                "imas_edition_followed": [
                    "Enter the date of the IMAS edition this chapter follows."
                ],
            },
        ),
        (
            {"kind": "nmas_chapter", "imas_edition_followed": "2021-01-01"},
            {"imas_standard": ["An NMAS chapter needs the IMAS it follows."]},
        ),
        (
            {
                "kind": "nmas_chapter",
                "imas_standard": "IMAS",
                "imas_edition_followed": "2023-01-01",
            },
            {
                "imas_edition_followed": [
                    "IMAS 07.11's current edition is dated March 1, 2022: the edition followed "
                    "cannot be newer. Update the IMAS catalogue first."
                ]
            },
        ),
        (
            {"kind": "law", "imas_standard": "IMAS", "imas_edition_followed": "2021-01-01"},
            {
                "imas_standard": [
                    "Only an NMAS chapter follows an IMAS: leave this empty for other kinds."
                ],
                "imas_edition_followed": [
                    "Only an NMAS chapter follows an IMAS edition: leave this empty for other "
                    "kinds."
                ],
            },
        ),
        (
            {"stage_changed_on": "2999-01-01"},
            {"stage_changed_on": ["The date cannot be in the future."]},
        ),
        (
            {"title": "", "stage": "signed"},
            {
                "title": ["This field is required."],
                "stage": ["Select a valid choice. signed is not one of the available choices."],
            },
        ),
    ],
)
def test_bad_instrument_is_refused_with_clear_errors_and_nothing_saved(
    clients, imas, changes, errors
):
    changes = {k: str(imas.public_id) if v == "IMAS" else v for k, v in changes.items()}
    before = state()
    response = clients["secretariat"].post(CREATE_URL, instrument_data(**changes))
    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert "The form has errors" in response.text
    assert state() == before


def test_manager_edits_an_instrument_without_touching_its_stage(clients, law, imas):
    response = clients["secretariat"].post(
        edit_url(law),
        instrument_data(
            kind="nmas_chapter",
            title="Land release chapter",
            stage="in_force",
            imas_standard=str(imas.public_id),
            imas_edition_followed="2022-03-01",
        ),
    )
    assert response.status_code == 302
    law.refresh_from_db()
    assert law.title == "Land release chapter"
    assert law.kind == "nmas_chapter"
    assert law.stage == "drafting"
    assert law.stage_changes.count() == 1


def test_edit_form_shows_the_current_related_records_selected(clients, law, authority_org):
    form = clients["secretariat"].get(edit_url(law)).context["form"]
    assert form["responsible_body"].value() == authority_org.public_id
    assert f'value="{authority_org.public_id}" selected' in str(form["responsible_body"])


def test_editing_keeps_challenges_the_editor_cannot_see(law, ngo_org, donor_org, people):
    from mineaction.policies.forms import InstrumentForm

    restricted = make_challenge("Confidential", donor_org, visibility="restricted")
    shown = make_challenge("Shown", ngo_org)
    law.challenges.set([restricted])
    form = InstrumentForm(
        instrument_data(title="Renamed", challenges=[str(shown.public_id)]),
        instance=law,
        user=people["member"].user,
    )
    assert form.is_valid(), form.errors
    form.save()
    assert set(law.challenges.all()) == {restricted, shown}


def test_bad_edit_changes_nothing(clients, law):
    before = state()
    response = clients["lead_authority"].post(edit_url(law), instrument_data(title="", kind="x"))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"title", "kind"}
    assert state() == before
