"""/api/v1/instruments (list, create, detail, change, stage, advocacy, export, standards) and
/api/v1/imas-standards: the pages' rules and messages, as JSON."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from mineaction.challenges.tests.factories import make_challenge
from mineaction.conftest import PERSONAS
from mineaction.core.models import AuditEntry
from mineaction.core.tests.api_support import PROBLEM, queries_for, send, token_client
from mineaction.policies.models import AdvocacyAction, ImasStandard, Instrument, StageChange
from mineaction.policies.tests.factories import (
    make_advocacy,
    make_chapter,
    make_imas,
    make_instrument,
    make_meeting,
)

LIST = "/api/v1/instruments"
IMAS = "/api/v1/imas-standards"
TODAY = timezone.localdate()
MANAGERS = {"secretariat", "lead_authority", "administrator"}
ADVOCATES = MANAGERS | {"member", "lead_donor", "data_manager"}


def url(instrument, suffix=""):
    return f"{LIST}/{instrument.public_id}{suffix}"


def state():
    return (
        list(Instrument.objects.order_by("pk").values()),
        list(StageChange.objects.order_by("pk").values()),
        list(AdvocacyAction.objects.order_by("pk").values()),
        list(ImasStandard.objects.order_by("pk").values()),
    )


def without_timestamps(tables):
    return [
        [{k: v for k, v in row.items() if k != "updated_at"} for row in rows] for rows in tables
    ]


def audit_entries(record):
    return AuditEntry.objects.filter(object_public_id=record.public_id).count()


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


# Access ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_instrument_list_is_for_members(people, law, persona):
    response = token_client(people, persona).get(LIST)
    assert response.status_code == {"anonymous": 401, "outsider": 403}.get(persona, 200)
    if response.status_code != 200:
        assert response["Content-Type"] == PROBLEM


@pytest.mark.parametrize("persona", PERSONAS)
def test_instrument_detail_is_for_members(people, law, persona):
    response = token_client(people, persona).get(url(law))
    assert response.status_code == {"anonymous": 401, "outsider": 404}.get(persona, 200)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_managers_record_instruments(people, persona):
    payload = {"kind": "law", "title": "Victim assistance law", "component": "political"}
    response = send(token_client(people, persona), "post", LIST, payload)
    expected = 201 if persona in MANAGERS else {"anonymous": 401}.get(persona, 403)
    assert response.status_code == expected
    assert Instrument.objects.count() == (1 if persona in MANAGERS else 0)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_managers_change_the_stage(people, law, persona):
    response = send(
        token_client(people, persona), "post", url(law, "/stage"), {"to_stage": "consultation"}
    )
    expected = 200 if persona in MANAGERS else {"anonymous": 401, "outsider": 404}.get(persona, 403)
    assert response.status_code == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_advocacy_is_logged_by_those_who_speak_for_an_organisation(people, law, persona):
    payload = {"on": "2024-05-02", "kind": "letter", "description": "Wrote to the ministry"}
    response = send(token_client(people, persona), "post", url(law, "/advocacy"), payload)
    expected = (
        201 if persona in ADVOCATES else {"anonymous": 401, "outsider": 404}.get(persona, 403)
    )
    assert response.status_code == expected


# Reading ---------------------------------------------------------------------------------------


def test_detail_has_the_fields_history_advocacy_and_lag(people, imas, ngo_org, donor_org):
    chapter = make_chapter(
        "Land release", imas, followed=datetime.date(2019, 11, 15), reference="NMAS 07.11"
    )
    challenge = make_challenge("Survey backlog", ngo_org)
    hidden = make_challenge("Confidential", donor_org, visibility="restricted")
    chapter.challenges.set([challenge, hidden])
    restricted_meeting = make_meeting(number=2, visibility="restricted")
    make_advocacy(chapter, ngo_org, on=datetime.date(2024, 2, 1), meeting=make_meeting(number=1))
    make_advocacy(chapter, donor_org, on=datetime.date(2024, 3, 1), meeting=restricted_meeting)
    body = token_client(people, "member").get(url(chapter)).json()
    assert body["kind"] == "nmas_chapter"
    assert body["stage"] == "drafting"
    assert body["stage_changed_on"] == "2024-01-15"
    assert body["imas_standard"]["reference"] == "07.11"
    assert body["imas_edition_followed"] == "2019-11-15"
    assert body["lags_imas"] is True
    assert body["lag"] == {"years": 2, "months": 3}
    assert body["overdue"] is False
    assert body["allowed_stages"] == ["need_identified", "consultation", "submitted"]
    assert [c["title"] for c in body["challenges"]] == ["Survey backlog"]
    assert body["stage_changes"] == [
        {
            "public_id": str(chapter.stage_changes.get().public_id),
            "from_stage": "",
            "to_stage": "drafting",
            "on": "2024-01-15",
            "note": "",
        }
    ]
    assert [(a["on"], a["organisation"]["name"]) for a in body["advocacy"]] == [
        ("2024-03-01", "Kingdom of Examplia"),
        ("2024-02-01", "Clear Fields Association"),
    ]
    assert body["advocacy"][0]["meeting"] is None
    assert body["advocacy"][1]["meeting"]["title"] == "Quarterly plenary #1"


def test_list_filters(people, law, imas, ngo_org):
    make_chapter("Land release", imas, followed=datetime.date(2022, 3, 1), stage="in_force")
    make_instrument("Gender SOP", kind="sop", component="participation", responsible_body=ngo_org)
    client = token_client(people, "observer")

    def titles(query=""):
        return [r["title"] for r in client.get(f"{LIST}?{query}").json()["results"]]

    assert titles() == ["Mine action law", "Land release", "Gender SOP"]
    assert titles("kind=sop") == ["Gender SOP"]
    assert titles("stage=in_force") == ["Land release"]
    assert titles("component=participation") == ["Gender SOP"]
    assert titles(f"responsible_body={ngo_org.public_id}") == ["Gender SOP"]
    assert titles("overdue=true") == ["Mine action law"]
    assert titles("q=law") == ["Mine action law"]
    assert client.get(LIST).json()["results"][0]["overdue"] is True


def test_a_bad_filter_is_a_400(people, law):
    response = token_client(people, "member").get(f"{LIST}?stage=signed&kind=treaty")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert sorted(response.json()["errors"]) == ["kind", "stage"]


def test_list_query_count_stays_flat(people, law, imas, ngo_org):
    law.challenges.add(make_challenge("Backlog", ngo_org))
    client = token_client(people, "member")
    baseline = queries_for(client, LIST)
    for number in range(8):
        chapter = make_chapter(f"Chapter {number}", make_imas(f"08.{number:02d}"), followed=TODAY)
        chapter.challenges.add(make_challenge(f"Challenge {number}", ngo_org))
    assert queries_for(client, LIST) == baseline


def test_standards_endpoint_lists_lagging_chapters_first(people, imas):
    make_chapter("Current", imas, followed=datetime.date(2022, 3, 1), reference="NMAS 07.11")
    make_chapter("Old", imas, followed=datetime.date(2016, 3, 1), reference="NMAS 07.12")
    make_instrument("No IMAS", kind="nmas_chapter", reference="NMAS 99.01")
    body = token_client(people, "observer").get(f"{LIST}/standards").json()
    assert [
        (row["chapter"]["title"], row["status"], row["lag_months"]) for row in body["chapters"]
    ] == [
        ("Old", "lagging", 72),
        ("No IMAS", "no_imas", None),
        ("Current", "current", 0),
    ]


def test_export_endpoint_gives_csv_and_xlsx(people, law, imas):
    make_chapter("Land release", imas, followed=datetime.date(2022, 3, 1))
    client = token_client(people, "member")
    response = client.get(f"{LIST}/export?kind=law")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[1] for row in rows] == ["Title", "Mine action law"]
    response = client.get(f"{LIST}/export?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [row[1] for row in sheet.iter_rows(values_only=True)] == [
        "Title",
        "Mine action law",
        "Land release",
    ]
    assert client.get(f"{LIST}/export?format=pdf").status_code == 400


# Writing ---------------------------------------------------------------------------------------


def test_create_an_nmas_chapter(people, imas, ngo_org):
    challenge = make_challenge("Outdated standard", ngo_org)
    response = send(
        token_client(people, "secretariat"),
        "post",
        LIST,
        {
            "kind": "nmas_chapter",
            "reference": "NMAS 07.11",
            "title": "Land release",
            "component": "technical",
            "stage": "in_force",
            "stage_changed_on": "2021-05-01",
            "imas_standard": str(imas.public_id),
            "imas_edition_followed": "2019-06-01",
            "challenges": [str(challenge.public_id)],
        },
    )
    assert response.status_code == 201
    body = response.json()
    chapter = Instrument.objects.get()
    assert body["public_id"] == str(chapter.public_id)
    assert (chapter.stage, chapter.stage_changed_on) == ("in_force", datetime.date(2021, 5, 1))
    assert chapter.imas_standard == imas
    assert list(chapter.challenges.all()) == [challenge]
    assert [(c["from_stage"], c["to_stage"]) for c in body["stage_changes"]] == [("", "in_force")]


def test_create_defaults_to_need_identified_today(people):
    response = send(
        token_client(people, "lead_authority"),
        "post",
        LIST,
        {"kind": "regulation", "title": "Demining regulation", "component": "technical"},
    )
    assert (response.json()["stage"], response.json()["stage_changed_on"]) == (
        "need_identified",
        TODAY.isoformat(),
    )


def test_create_refuses_an_nmas_chapter_without_its_imas(people):
    before = state()
    response = send(
        token_client(people, "secretariat"),
        "post",
        LIST,
        {"kind": "nmas_chapter", "title": "Land release", "component": "technical"},
    )
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"] == {
        "imas_standard": ["An NMAS chapter needs the IMAS it follows."],
        "imas_edition_followed": ["Enter the date of the IMAS edition this chapter follows."],
    }
    assert state() == before


def test_create_refuses_an_imas_on_a_law(people, imas):
    before = state()
    response = send(
        token_client(people, "secretariat"),
        "post",
        LIST,
        {
            "kind": "law",
            "title": "Law",
            "component": "political",
            "imas_standard": str(imas.public_id),
        },
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["imas_standard"]
    assert state() == before


def test_empty_create_names_the_required_fields(people):
    response = send(token_client(people, "secretariat"), "post", LIST, {})
    assert response.status_code == 422
    assert sorted(response.json()["errors"]) == ["component", "kind", "title"]


def test_patch_changes_only_the_fields_sent(people, law, ngo_org):
    challenge = make_challenge("Backlog", ngo_org)
    law.challenges.add(challenge)
    response = send(
        token_client(people, "secretariat"), "patch", url(law), {"title": "Mine action act"}
    )
    assert response.status_code == 200
    law.refresh_from_db()
    assert law.title == "Mine action act"
    assert law.reference == "Law 12/2019"
    assert law.responsible_body.name == "Testland Mine Action Centre"
    assert list(law.challenges.all()) == [challenge]


def test_empty_patch_changes_nothing(people, law, imas):
    chapter = make_chapter("Land release", imas, followed=datetime.date(2020, 1, 1))
    before = state()
    for record in (law, chapter):
        assert (
            send(token_client(people, "secretariat"), "patch", url(record), {}).status_code == 200
        )
    assert audit_entries(law) == 1
    assert audit_entries(chapter) == 1
    assert without_timestamps(state()) == without_timestamps(before)


def test_patch_refuses_the_stage_and_bad_values(people, law):
    before = state()
    client = token_client(people, "secretariat")
    response = send(client, "patch", url(law), {"stage": "in_force"})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["stage"]
    response = send(client, "patch", url(law), {"title": "", "target_date": "soon"})
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "title": ["This field is required."],
        "target_date": ["Enter a valid date."],
    }
    assert state() == before


def test_readers_cannot_patch(people, law):
    before = state()
    response = send(token_client(people, "member"), "patch", url(law), {"title": "Ours"})
    assert response.status_code == 403
    assert state() == before


def test_stage_change_and_refusal(people, law):
    client = token_client(people, "secretariat")
    response = send(
        client,
        "post",
        url(law, "/stage"),
        {"to_stage": "consultation", "on": "2024-02-01", "note": "Opened"},
    )
    assert response.status_code == 200
    assert response.json()["stage"] == "consultation"
    assert [c["to_stage"] for c in response.json()["stage_changes"]] == ["drafting", "consultation"]
    before = state()
    response = send(client, "post", url(law, "/stage"), {"to_stage": "in_force"})
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "to_stage": [
            "An instrument cannot move from “Consultation” to “In force”. From “Consultation” "
            "it can move to: Drafting, Submitted."
        ]
    }
    response = send(
        client, "post", url(law, "/stage"), {"to_stage": "submitted", "on": "2024-01-01"}
    )
    assert response.json()["errors"] == {
        "on": ["The date cannot be before the last stage change (Feb. 1, 2024)."]
    }
    assert state() == before


def test_member_logs_advocacy_for_their_own_organisation_only(people, law, ngo_org, donor_org):
    client = token_client(people, "member")
    payload = {"on": "2024-05-02", "kind": "letter", "description": "Wrote to the ministry"}
    response = send(client, "post", url(law, "/advocacy"), payload)
    assert response.status_code == 201
    assert response.json()["organisation"]["name"] == "Clear Fields Association"
    before = state()
    response = send(
        client, "post", url(law, "/advocacy"), payload | {"organisation": str(donor_org.public_id)}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "organisation": [
            "You can only log advocacy for your own organisation (Clear Fields Association)."
        ]
    }
    response = send(client, "post", url(law, "/advocacy"), payload | {"on": "2999-01-01"})
    assert response.json()["errors"] == {
        "on": ["The date of an advocacy action cannot be in the future."]
    }
    assert state() == before


def test_manager_logs_advocacy_for_another_organisation_at_a_meeting(people, law, donor_org):
    meeting = make_meeting()
    response = send(
        token_client(people, "secretariat"),
        "post",
        url(law, "/advocacy"),
        {
            "on": "2024-03-01",
            "kind": "meeting",
            "description": "Raised at the plenary",
            "organisation": str(donor_org.public_id),
            "meeting": str(meeting.public_id),
            "outcome": "Agreed to fund the drafting",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["organisation"]["name"] == "Kingdom of Examplia"
    assert body["meeting"]["public_id"] == str(meeting.public_id)
    listed = token_client(people, "observer").get(url(law, "/advocacy")).json()
    assert listed["count"] == 1
    assert listed["results"][0]["outcome"] == "Agreed to fund the drafting"


# The IMAS catalogue ----------------------------------------------------------------------------


def test_imas_catalogue_read_create_and_patch(people, imas):
    assert token_client(people, "observer").get(IMAS).json()["results"] == [
        {
            "public_id": str(imas.public_id),
            "reference": "07.11",
            "title": "Land release",
            "edition": "Edition 2",
            "edition_date": "2022-03-01",
        }
    ]
    client = token_client(people, "secretariat")
    response = send(
        client,
        "post",
        IMAS,
        {
            "reference": "09.10",
            "title": "Clearance",
            "edition": "Edition 2",
            "edition_date": "2020-04-01",
        },
    )
    assert response.status_code == 201
    response = send(
        client,
        "patch",
        f"{IMAS}/{imas.public_id}",
        {"edition": "Edition 3", "edition_date": "2024-01-10"},
    )
    assert response.status_code == 200
    imas.refresh_from_db()
    assert (imas.title, imas.edition, imas.edition_date) == (
        "Land release",
        "Edition 3",
        datetime.date(2024, 1, 10),
    )


def test_imas_writes_are_for_managers_and_validated(people, imas):
    before = state()
    payload = {
        "reference": "09.10",
        "title": "Clearance",
        "edition": "E2",
        "edition_date": "2020-04-01",
    }
    assert send(token_client(people, "member"), "post", IMAS, payload).status_code == 403
    assert (
        send(
            token_client(people, "member"), "patch", f"{IMAS}/{imas.public_id}", payload
        ).status_code
        == 403
    )
    response = send(token_client(people, "secretariat"), "post", IMAS, payload | {"reference": "x"})
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "reference": ["Enter an IMAS number as two pairs of digits, such as 07.11."]
    }
    assert state() == before
