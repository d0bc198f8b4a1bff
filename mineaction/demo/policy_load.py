"""Writing the demo's policy and standards tracker (`policy_data.py`): the IMAS catalogue, the
instruments with their stage histories and the advocacy log.

An instrument passes `instrument_problems` (an NMAS chapter names its IMAS and an edition no
newer than the catalogue's) and is recorded at its first stage; every later stage goes through
`instrument_change_stage`, which checks the move and its date. Advocacy entries pass
`advocacy_problems`.
"""

from django.core.exceptions import ValidationError

from mineaction.demo import policy_data as pd
from mineaction.demo import workplan_data as wd
from mineaction.policies.models import AdvocacyAction, ImasStandard, Instrument, StageChange
from mineaction.policies.services.advocacy import advocacy_problems
from mineaction.policies.services.instruments import (
    first_stage_date_problem,
    instrument_change_stage,
    instrument_problems,
)
from mineaction.workplans.models import WorkPlanKind


def load_policies(anchors, voices, challenges):
    standards = {}
    for reference, title, edition, edition_date in pd.IMAS:
        standards[reference] = ImasStandard.objects.filter(reference=reference).first()
        if standards[reference] is None:
            standards[reference] = ImasStandard.objects.create(
                reference=reference, title=title, edition=edition, edition_date=edition_date
            )
    instruments = {}
    created = set()
    for planned in pd.INSTRUMENTS:
        instrument = Instrument.objects.filter(kind=planned["kind"], title=planned["title"]).first()
        if instrument is None:
            instrument = _instrument(anchors, voices, challenges, standards, planned)
            created.add(planned["title"])
        instruments[planned["title"]] = instrument
    for title, on, kind, organisation, meeting, description, outcome in pd.ADVOCACY:
        if title in created:
            _advocacy(anchors, voices, instruments[title], on, kind, organisation, meeting,
                      description, outcome)  # fmt: skip
    return instruments


def _checked(errors):
    if errors:
        raise ValidationError(errors)


def _reference(anchors, planned):
    """References may name years: the law's year of adoption, the strategy's period."""
    values = {}
    if "{year}" in planned["reference"]:
        adopted = next(anchor for anchor, stage, _note in planned["stages"] if stage == "adopted")
        values["year"] = anchors.date(adopted).year
    if "{first}" in planned["reference"]:
        strategy = next(
            plan for plan in wd.WORK_PLANS if plan["kind"] == WorkPlanKind.NATIONAL_STRATEGY
        )
        values["first"], values["last"] = (
            anchors.today.year + years for years in strategy["years"]
        )
    return planned["reference"].format(**values)


def _instrument(anchors, voices, challenges, standards, planned):
    imas_standard = standards[planned["imas"]] if planned["imas"] else None
    _checked(
        instrument_problems(
            kind=planned["kind"],
            imas_standard=imas_standard,
            imas_edition_followed=planned["imas_followed"],
            today=anchors.today,
        )
    )
    (first_anchor, first_stage, first_note), *later = planned["stages"]
    first_on = anchors.date(first_anchor)
    problem = first_stage_date_problem(first_on, today=anchors.today)
    if problem:
        raise ValidationError({"stage_changed_on": [problem]})
    instrument = Instrument.objects.create(
        kind=planned["kind"],
        reference=_reference(anchors, planned),
        title=planned["title"],
        description=planned["description"],
        component=planned["component"],
        stage=first_stage,
        stage_changed_on=first_on,
        responsible_body=voices.organisation(planned["body"]),
        target_date=anchors.date(planned["target"]),
        version=planned["version"],
        version_date=anchors.date(planned["version_date"]),
        imas_standard=imas_standard,
        imas_edition_followed=planned["imas_followed"],
        link=planned["link"],
    )
    StageChange.objects.create(
        instrument=instrument, to_stage=first_stage, on=first_on, note=first_note
    )
    for anchor, stage, note in later:
        instrument_change_stage(
            instrument=instrument,
            to_stage=stage,
            on=anchors.date(anchor),
            note=note,
            today=anchors.today,
        )
    instrument.refresh_from_db()
    instrument.challenges.set([challenges[key] for key in planned["challenges"]])
    return instrument


def _advocacy(anchors, voices, instrument, on, kind, organisation, meeting, description, outcome):
    day = anchors.date(on)
    organisation = voices.organisation(organisation)
    _checked(
        advocacy_problems(
            on=day, organisation=organisation, fixed_organisation=None, today=anchors.today
        )
    )
    AdvocacyAction.objects.create(
        instrument=instrument,
        on=day,
        kind=kind,
        description=description,
        organisation=organisation,
        meeting=anchors.meeting((meeting, 0)) if meeting else None,
        outcome=outcome,
    )
