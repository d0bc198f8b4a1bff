"""The advocacy log: members log for their own organisation, managers for any; entries are
changed and deleted (after confirmation) by managers or the organisation that logged them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mineaction.policies.models import AdvocacyAction
from mineaction.policies.tests.factories import make_advocacy, make_instrument, make_meeting
from mineaction.stakeholders.tests.helpers import LOGIN, assert_outcome

TODAY = timezone.localdate()
ADVOCATES = ["member", "lead_donor", "data_manager", "secretariat", "lead_authority"]
ADD_ACCESS = (
    {"anonymous": LOGIN, "outsider": 404, "observer": 403}
    | dict.fromkeys(ADVOCATES, 200)
    | {"administrator": 200}
)
# The entry was logged by the member's organisation.
CHANGE_ACCESS = {
    "anonymous": LOGIN,
    "outsider": 404,
    "observer": 403,
    "member": 200,
    "lead_donor": 403,
    "data_manager": 403,
    "secretariat": 200,
    "lead_authority": 200,
    "administrator": 200,
}


@pytest.fixture
def law(db):
    return make_instrument("Mine action law")


@pytest.fixture
def entry(law, ngo_org):
    return make_advocacy(law, ngo_org, description="Met the minister")


def add_url(instrument):
    return reverse("policies:advocacy_add", args=[instrument.public_id])


def edit_url(action):
    return reverse("policies:advocacy_edit", args=[action.public_id])


def delete_url(action):
    return reverse("policies:advocacy_delete", args=[action.public_id])


def log_url(instrument):
    return reverse("policies:instrument_detail", args=[instrument.public_id]) + "#advocacy"


def state():
    return list(AdvocacyAction.objects.order_by("pk").values())


def entry_data(**changes):
    data = {
        "on": "2024-05-02",
        "kind": "briefing",
        "description": "Briefed the committee on the draft",
        "organisation": "",
        "meeting": "",
        "outcome": "Committee asked for a second reading",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(("persona", "expected"), ADD_ACCESS.items())
def test_logging_advocacy_is_for_those_who_speak_for_an_organisation(
    clients, law, persona, expected
):
    assert_outcome(clients[persona].get(add_url(law)), expected)


@pytest.mark.parametrize(("persona", "expected"), CHANGE_ACCESS.items())
def test_editing_an_entry_is_for_managers_and_its_organisation(clients, entry, persona, expected):
    assert_outcome(clients[persona].get(edit_url(entry)), expected)


@pytest.mark.parametrize(("persona", "expected"), CHANGE_ACCESS.items())
def test_deleting_an_entry_is_for_managers_and_its_organisation(clients, entry, persona, expected):
    assert_outcome(clients[persona].get(delete_url(entry)), expected)


def test_member_logs_for_their_own_organisation(clients, law, ngo_org):
    response = clients["member"].post(add_url(law), entry_data())
    assert response.status_code == 302
    assert response.url == log_url(law)
    action = AdvocacyAction.objects.get()
    assert action.instrument == law
    assert action.organisation == ngo_org
    assert (action.on, action.kind) == (datetime.date(2024, 5, 2), "briefing")
    assert action.outcome == "Committee asked for a second reading"


def test_member_form_fixes_the_organisation_to_their_own(clients, law, ngo_org):
    field = clients["member"].get(add_url(law)).context["form"]["organisation"]
    assert field.field.disabled is True
    assert list(field.field.queryset) == [ngo_org]
    assert field.value() == ngo_org.public_id


def test_member_cannot_log_for_another_organisation(clients, law, donor_org):
    before = state()
    response = clients["member"].post(
        add_url(law), entry_data(organisation=str(donor_org.public_id))
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "organisation": [
            "You can only log advocacy for your own organisation (Clear Fields Association)."
        ]
    }
    assert state() == before


def test_manager_logs_for_any_organisation_at_a_meeting(clients, law, donor_org):
    meeting = make_meeting()
    response = clients["secretariat"].post(
        add_url(law),
        entry_data(organisation=str(donor_org.public_id), meeting=str(meeting.public_id)),
    )
    assert response.status_code == 302
    action = AdvocacyAction.objects.get()
    assert (action.organisation, action.meeting) == (donor_org, meeting)
    text = clients["member"].get(log_url(law)).text
    assert "Kingdom of Examplia" in text
    assert reverse("meetings:meetings_detail", args=[meeting.public_id]) in text


def test_meetings_offered_are_those_the_member_may_see(clients, law, donor_org, ngo_org):
    shown = make_meeting(number=1)
    hidden = make_meeting(number=2, visibility="restricted")
    hidden.restricted_to.add(donor_org)
    meetings = clients["member"].get(add_url(law)).context["form"].fields["meeting"].queryset
    assert list(meetings) == [shown]
    before = state()
    response = clients["member"].post(add_url(law), entry_data(meeting=str(hidden.public_id)))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["meeting"]
    assert state() == before


def test_a_restricted_meeting_is_not_shown_on_the_log_to_others(clients, law, donor_org):
    hidden = make_meeting(title="Donor coordination", visibility="restricted")
    hidden.restricted_to.add(donor_org)
    make_advocacy(law, donor_org, meeting=hidden)
    assert "Donor coordination" not in clients["member"].get(log_url(law)).text
    assert "Donor coordination" in clients["lead_donor"].get(log_url(law)).text


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"on": (TODAY + datetime.timedelta(days=1)).isoformat()},
            {"on": ["The date of an advocacy action cannot be in the future."]},
        ),
        (
            {"description": "", "kind": "petition"},
            {
                "description": ["This field is required."],
                "kind": ["Select a valid choice. petition is not one of the available choices."],
            },
        ),
        ({"on": "yesterday"}, {"on": ["Enter a valid date."]}),
    ],
)
def test_bad_entry_is_refused_and_nothing_saved(clients, law, changes, errors):
    before = state()
    response = clients["lead_authority"].post(add_url(law), entry_data(**changes))
    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert state() == before


def test_observer_cannot_log_advocacy(clients, law):
    assert clients["observer"].post(add_url(law), entry_data()).status_code == 403
    assert state() == []


def test_member_edits_their_organisations_entry(clients, entry, ngo_org):
    response = clients["member"].post(edit_url(entry), entry_data(description="Met twice"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.description, entry.organisation) == ("Met twice", ngo_org)


def test_other_members_cannot_change_or_delete_the_entry(clients, entry):
    before = state()
    client = clients["lead_donor"]
    assert client.post(edit_url(entry), entry_data(description="Mine now")).status_code == 403
    assert client.post(delete_url(entry), {"confirm": "yes"}).status_code == 403
    assert state() == before


def test_manager_moves_an_entry_to_another_organisation(clients, entry, donor_org):
    clients["secretariat"].post(edit_url(entry), entry_data(organisation=str(donor_org.public_id)))
    entry.refresh_from_db()
    assert entry.organisation == donor_org


def test_delete_asks_for_confirmation_first(clients, entry, law):
    before = state()
    response = clients["member"].post(delete_url(entry), {})
    assert response.status_code == 200
    assert "Met the minister" in response.text
    assert 'name="confirm" value="yes"' in response.text
    assert state() == before
    response = clients["member"].post(delete_url(entry), {"confirm": "yes"})
    assert response.status_code == 302
    assert response.url == log_url(law)
    assert state() == []


def test_edit_links_show_only_on_entries_the_reader_may_change(clients, law, entry, donor_org):
    theirs = make_advocacy(law, donor_org, description="Donor letter")
    text = clients["member"].get(log_url(law)).text
    assert edit_url(entry) in text
    assert edit_url(theirs) not in text
    text = clients["secretariat"].get(log_url(law)).text
    assert edit_url(entry) in text and edit_url(theirs) in text
