"""Records for the policies tests."""

import datetime

from mineaction.core.choices import Component
from mineaction.meetings.models import Meeting, MeetingSeries
from mineaction.policies.models import (
    AdvocacyAction,
    AdvocacyKind,
    ImasStandard,
    Instrument,
    InstrumentKind,
    InstrumentStage,
    StageChange,
)


def make_imas(reference="07.11", *, edition_date=datetime.date(2020, 6, 1), **fields):
    fields.setdefault("title", f"Standard {reference}")
    fields.setdefault("edition", "Edition 2")
    return ImasStandard.objects.create(reference=reference, edition_date=edition_date, **fields)


def make_instrument(
    title,
    *,
    kind=InstrumentKind.LAW,
    stage=InstrumentStage.DRAFTING,
    stage_changed_on=datetime.date(2024, 1, 15),
    **fields,
):
    """An instrument with the first entry of its stage history, as `instrument_save` writes."""
    fields.setdefault("component", Component.POLITICAL)
    instrument = Instrument.objects.create(
        title=title, kind=kind, stage=stage, stage_changed_on=stage_changed_on, **fields
    )
    StageChange.objects.create(instrument=instrument, to_stage=stage, on=stage_changed_on)
    return instrument


def make_chapter(title, imas, *, followed, **fields):
    return make_instrument(
        title,
        kind=InstrumentKind.NMAS_CHAPTER,
        imas_standard=imas,
        imas_edition_followed=followed,
        component=fields.pop("component", Component.TECHNICAL),
        **fields,
    )


def make_advocacy(instrument, organisation, *, on=datetime.date(2024, 3, 1), **fields):
    fields.setdefault("kind", AdvocacyKind.LETTER)
    fields.setdefault("description", "Wrote to the ministry")
    return AdvocacyAction.objects.create(
        instrument=instrument, organisation=organisation, on=on, **fields
    )


def make_meeting(number=1, **fields):
    """A platform meeting (held in 2024) for advocacy to point to."""
    series = MeetingSeries.objects.get_or_create(name="Quarterly plenary")[0]
    starts_at = datetime.datetime(2024, 3, number, 9, tzinfo=datetime.UTC)
    return Meeting.objects.create(
        series=series,
        number=number,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
        **fields,
    )
