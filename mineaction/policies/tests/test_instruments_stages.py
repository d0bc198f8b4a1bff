"""Stage changes: only the moves of STAGE_TRANSITIONS, dated neither in the future nor before
the last change, each recorded in the instrument's history."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mineaction.policies.models import STAGE_TRANSITIONS, Instrument, InstrumentStage, StageChange
from mineaction.policies.services.instruments import instrument_change_stage
from mineaction.policies.tests.factories import make_instrument
from mineaction.stakeholders.tests.helpers import EDIT_ACCESS, assert_outcome

TODAY = timezone.localdate()
LAST_CHANGE = datetime.date(2024, 1, 15)
PAIRS = list(itertools.product(InstrumentStage, InstrumentStage))
ALLOWED = [(a, b) for a, b in PAIRS if b in STAGE_TRANSITIONS[a]]
REFUSED = [(a, b) for a, b in PAIRS if b not in STAGE_TRANSITIONS[a]]


def stage_url(instrument):
    return reverse("policies:instrument_stage", args=[instrument.public_id])


def state(instrument):
    return (
        list(Instrument.objects.filter(pk=instrument.pk).values()),
        list(StageChange.objects.filter(instrument=instrument).values()),
    )


def refusal(from_stage, to_stage):
    allowed = ", ".join(
        str(stage.label) for stage in InstrumentStage if stage in STAGE_TRANSITIONS[from_stage]
    )
    return (
        f"An instrument cannot move from “{from_stage.label}” to “{to_stage.label}”. From "
        f"“{from_stage.label}” it can move to: {allowed}."
    )


def test_every_stage_moves_to_some_other_stage():
    assert set(STAGE_TRANSITIONS) == set(InstrumentStage)
    for stage, targets in STAGE_TRANSITIONS.items():
        assert targets and targets <= set(InstrumentStage) - {stage}
    assert len(ALLOWED) == 17
    assert len(REFUSED) == 32


@pytest.mark.parametrize(("from_stage", "to_stage"), ALLOWED)
def test_service_makes_every_allowed_move(db, from_stage, to_stage):
    instrument = make_instrument("Law", stage=from_stage, stage_changed_on=LAST_CHANGE)
    change = instrument_change_stage(
        instrument=instrument, to_stage=to_stage, on=datetime.date(2024, 2, 1), note=" Voted "
    )
    instrument.refresh_from_db()
    assert (instrument.stage, instrument.stage_changed_on) == (to_stage, datetime.date(2024, 2, 1))
    assert (change.from_stage, change.to_stage, change.on, change.note) == (
        from_stage,
        to_stage,
        datetime.date(2024, 2, 1),
        "Voted",
    )


@pytest.mark.parametrize(("from_stage", "to_stage"), REFUSED)
def test_service_refuses_every_other_move_naming_both_stages(db, from_stage, to_stage):
    instrument = make_instrument("Law", stage=from_stage, stage_changed_on=LAST_CHANGE)
    before = state(instrument)
    with pytest.raises(ValidationError) as error:
        instrument_change_stage(instrument=instrument, to_stage=to_stage, on=TODAY)
    assert error.value.message_dict == {"to_stage": [refusal(from_stage, to_stage)]}
    assert state(instrument) == before


@pytest.mark.parametrize(("from_stage", "to_stage"), ALLOWED)
def test_manager_makes_every_allowed_move_on_the_page(clients, from_stage, to_stage):
    instrument = make_instrument("Law", stage=from_stage, stage_changed_on=LAST_CHANGE)
    form = clients["secretariat"].get(stage_url(instrument)).context["form"]
    offered = [value for value, _label in form.fields["to_stage"].widget.choices if value]
    assert offered == [
        stage.value for stage in InstrumentStage if stage in STAGE_TRANSITIONS[from_stage]
    ]
    response = clients["secretariat"].post(
        stage_url(instrument), {"to_stage": to_stage, "on": "2024-03-01", "note": "Cabinet"}
    )
    assert response.status_code == 302
    assert response.url == reverse("policies:instrument_detail", args=[instrument.public_id])
    instrument.refresh_from_db()
    assert instrument.stage == to_stage
    assert list(instrument.stage_changes.values_list("from_stage", "to_stage", "note")) == [
        ("", from_stage, ""),
        (from_stage, to_stage, "Cabinet"),
    ]


@pytest.mark.parametrize(("from_stage", "to_stage"), REFUSED)
def test_page_refuses_every_other_move_naming_both_stages(clients, from_stage, to_stage):
    instrument = make_instrument("Law", stage=from_stage, stage_changed_on=LAST_CHANGE)
    before = state(instrument)
    response = clients["lead_authority"].post(
        stage_url(instrument), {"to_stage": to_stage, "on": "2024-03-01"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"to_stage": [refusal(from_stage, to_stage)]}
    assert state(instrument) == before


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (TODAY + datetime.timedelta(days=1), "The date of a stage change cannot be in the future."),
        (
            LAST_CHANGE - datetime.timedelta(days=1),
            "The date cannot be before the last stage change (Jan. 15, 2024).",
        ),
    ],
)
def test_stage_change_date_is_not_in_the_future_nor_before_the_last_change(clients, on, message):
    instrument = make_instrument("Law", stage="drafting", stage_changed_on=LAST_CHANGE)
    before = state(instrument)
    response = clients["secretariat"].post(
        stage_url(instrument), {"to_stage": "consultation", "on": on.isoformat()}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"on": [message]}
    with pytest.raises(ValidationError) as error:
        instrument_change_stage(instrument=instrument, to_stage="consultation", on=on)
    assert error.value.message_dict == {"on": [message]}
    assert state(instrument) == before


def test_stage_change_on_the_day_of_the_last_change_and_without_a_date_is_today(clients):
    instrument = make_instrument("Law", stage="drafting", stage_changed_on=LAST_CHANGE)
    instrument_change_stage(instrument=instrument, to_stage="consultation", on=LAST_CHANGE)
    clients["secretariat"].post(stage_url(instrument), {"to_stage": "submitted"})
    instrument.refresh_from_db()
    assert (instrument.stage, instrument.stage_changed_on) == ("submitted", TODAY)
    assert list(instrument.stage_changes.values_list("to_stage", "on")) == [
        ("drafting", LAST_CHANGE),
        ("consultation", LAST_CHANGE),
        ("submitted", TODAY),
    ]


def test_an_empty_stage_form_is_refused(clients):
    instrument = make_instrument("Law")
    before = state(instrument)
    response = clients["secretariat"].post(stage_url(instrument), {})
    assert response.status_code == 200
    assert response.context["form"].errors == {"to_stage": ["This field is required."]}
    assert state(instrument) == before


@pytest.mark.parametrize(("persona", "expected"), EDIT_ACCESS.items())
def test_stage_form_is_for_managers(clients, persona, expected):
    instrument = make_instrument("Law")
    assert_outcome(clients[persona].get(stage_url(instrument)), expected)


@pytest.mark.parametrize("persona", ["observer", "member", "lead_donor", "data_manager"])
def test_readers_cannot_change_the_stage(clients, persona):
    instrument = make_instrument("Law")
    before = state(instrument)
    response = clients[persona].post(stage_url(instrument), {"to_stage": "consultation"})
    assert response.status_code == 403
    assert state(instrument) == before


def test_stage_history_shows_on_the_detail_page(clients):
    instrument = make_instrument("Law", stage="drafting", stage_changed_on=LAST_CHANGE)
    instrument_change_stage(
        instrument=instrument, to_stage="consultation", on=datetime.date(2024, 4, 2), note="Open"
    )
    text = (
        clients["observer"]
        .get(reverse("policies:instrument_detail", args=[instrument.public_id]))
        .text
    )
    assert 'Drafting <span class="change-arrow" aria-hidden="true">→</span> Consultation' in text
    assert "April 2, 2024" in text
