"""The demo's policy and standards tracker as fixed facts: a small IMAS catalogue, the law, a
regulation, the national strategy, the national mine action standards (NMAS chapters), SOPs
and the integration of mine action into the national development plan, with the stages each
went through and the advocacy that moved them on.

The IMAS references and titles are those of real International Mine Action Standards; their
editions and dates here are DEMO VALUES, invented for the fictional Republic of Demoland and
not a statement of the current editions (see https://www.mineactionstandards.org for those).

Dates use the anchors of `challenge_data.py` and `workplan_data.py`, plus ("year", month, day,
-8): that day eight years before the current year. A stage change is (date, stage, note); the
first one is the instrument entering the tracker.
"""

import datetime

from mineaction.core.choices import Component
from mineaction.policies.models import AdvocacyKind, InstrumentKind, InstrumentStage

C = Component
I = InstrumentKind  # noqa: E741 (the kinds read as I.LAW, I.SOP)
T = InstrumentStage
D = datetime.date

# (reference, title, edition, date of the edition): demo values, see above.
IMAS = [
    ("04.10", "Glossary of mine action terms, definitions and abbreviations",
     "Edition 2, Amendment 11", D(2023, 3, 1)),
    ("05.10", "Information management for mine action", "Edition 2", D(2024, 2, 1)),
    ("07.11", "Land release", "Edition 2, Amendment 1", D(2024, 6, 1)),
    ("07.12", "Quality management in mine action", "Edition 2, Amendment 2", D(2022, 9, 1)),
    ("07.30", "Accreditation of mine action organisations", "Edition 2, Amendment 1",
     D(2023, 10, 1)),
    ("08.10", "Non-technical survey", "Edition 2, Amendment 2", D(2023, 5, 1)),
    ("08.20", "Technical survey", "Edition 2, Amendment 1", D(2024, 6, 1)),
    ("09.10", "Clearance requirements", "Edition 2, Amendment 8", D(2024, 3, 1)),
    ("09.30", "Explosive ordnance disposal", "Edition 2, Amendment 4", D(2022, 11, 1)),
    ("12.10", "Explosive ordnance risk education", "Edition 2, Amendment 1", D(2023, 4, 1)),
    ("13.10", "Victim assistance in mine action", "Edition 1, Amendment 1", D(2023, 9, 1)),
]  # fmt: skip


# A chapter adopted long ago: need identified, drafting, consultation, submitted, adopted and
# in force, ending `years` years before this one.
def _adopted_long_ago(years, month):
    return [
        (("year", month, 1, -years - 1), T.NEED_IDENTIFIED, ""),
        (("year", month, 15, -years - 1), T.DRAFTING, ""),
        (("year", (month + 5) % 12 + 1, 1, -years - 1), T.CONSULTATION, ""),
        (("year", month, 1, -years), T.SUBMITTED, ""),
        (("year", month, 20, -years), T.ADOPTED, ""),
        (("year", (month + 1) % 12 + 1, 1, -years), T.IN_FORCE, ""),
    ]


def _instrument(kind, title, *, reference="", component=C.TECHNICAL, body="DMAC", **extra):
    return {
        "kind": kind,
        "title": title,
        "reference": reference,
        "component": component,
        "body": body,
        "description": extra.get("description", ""),
        "target": extra.get("target"),
        "version": extra.get("version", ""),
        "version_date": extra.get("version_date"),
        "imas": extra.get("imas"),
        "imas_followed": extra.get("imas_followed"),
        "link": extra.get("link", ""),
        "stages": extra["stages"],
        "challenges": extra.get("challenges", []),
    }


INSTRUMENTS = [
    _instrument(
        I.LAW, "Law on mine action", reference="Law 7 of {year}", component=C.POLITICAL,
        body="NMAA",
        description=(
            "Gives the National Mine Action Authority its mandate, makes the national "
            "standards binding on every operator, sets up the accreditation of operators and "
            "a national budget line for mine action."
        ),
        target=("P5", 30), version="As published", version_date=("P5", 40),
        stages=[
            (("P0", -400), T.NEED_IDENTIFIED, "The platform asked for a legal basis."),
            (("P0", -300), T.DRAFTING, "Drafted by the authority with the ministry of justice."),
            (("P0", -60), T.CONSULTATION, "Draft shared with the ministries and the members."),
            (("R1", 30), T.SUBMITTED, "The Council of Ministers sent the bill to parliament."),
            (("P5", -10), T.ADOPTED, "Adopted by the National Assembly."),
            (("P5", 40), T.IN_FORCE, "Published in the Official Journal."),
        ],
        challenges=["mine_action_law"],
    ),
    _instrument(
        I.REGULATION, "Regulation on the accreditation and monitoring of mine action operators",
        reference="Draft decree", component=C.POLITICAL, body="NMAA",
        description=(
            "Implements the law: how operators are accredited, monitored and, when needed, "
            "suspended."
        ),
        target=("today", -30), version="Draft 3", version_date=("P6", 20),
        stages=[
            (("P5", 40), T.NEED_IDENTIFIED, "The law calls for an implementing regulation."),
            (("P5", 60), T.DRAFTING, ""),
            (("P6", 20), T.CONSULTATION, "Draft 3 sent to the operators for comments."),
        ],
        challenges=["accreditation_regulation"],
    ),
    _instrument(
        I.NATIONAL_STRATEGY, "National Mine Action Strategy", reference="{first}–{last}",
        component=C.POLITICAL, body="NMAA",
        description="The strategy the national work plans follow, adopted by the government.",
        version="Final", version_date=("year", 12, 10, -3),
        stages=[
            (("year", 2, 1, -4), T.NEED_IDENTIFIED, "The previous strategy was ending."),
            (("year", 4, 1, -4), T.DRAFTING, ""),
            (("year", 6, 15, -3), T.CONSULTATION, "Regional consultations in six provinces."),
            (("year", 10, 1, -3), T.SUBMITTED, ""),
            (("year", 12, 10, -3), T.ADOPTED, "Adopted by the Council of Ministers."),
        ],
    ),
    # National mine action standards
    _instrument(
        I.NMAS_CHAPTER, "Glossary of mine action terms", reference="NMAS 04.10", imas="04.10",
        imas_followed=D(2023, 3, 1), version="Edition 3", version_date=("year", 9, 20, -2),
        stages=_adopted_long_ago(8, 4) + [
            (("year", 3, 1, -2), T.UNDER_REVISION, "To follow the amended IMAS glossary."),
            (("year", 9, 20, -2), T.IN_FORCE, "Revised glossary in force."),
        ],
    ),
    _instrument(
        I.NMAS_CHAPTER, "Information management", reference="NMAS 05.10", imas="05.10",
        imas_followed=D(2018, 5, 1), version="Edition 1", version_date=("year", 6, 20, -6),
        stages=_adopted_long_ago(6, 5),
    ),
    _instrument(
        I.NMAS_CHAPTER, "Land release", reference="NMAS 07.11", imas="07.11",
        imas_followed=D(2019, 2, 1), version="Edition 2", version_date=("year", 3, 20, -5),
        target=("today", 150),
        stages=_adopted_long_ago(5, 2) + [
            (("P4", 0), T.UNDER_REVISION, "Revision to follow the amended IMAS 07.11."),
        ],
        challenges=["nmas_revision"],
    ),
    _instrument(
        I.NMAS_CHAPTER, "Quality management", reference="NMAS 07.12", imas="07.12",
        imas_followed=D(2022, 9, 1), version="Edition 2", version_date=("year", 5, 20, -3),
        stages=_adopted_long_ago(3, 4),
    ),
    _instrument(
        I.NMAS_CHAPTER, "Accreditation of mine action organisations", reference="NMAS 07.30",
        imas="07.30", imas_followed=D(2017, 6, 1), version="Edition 1",
        version_date=("year", 2, 20, -7),
        stages=_adopted_long_ago(7, 1),
    ),
    _instrument(
        I.NMAS_CHAPTER, "Non-technical survey", reference="NMAS 08.10", imas="08.10",
        imas_followed=D(2023, 5, 1), version="Edition 3", version_date=("P1", 0),
        stages=_adopted_long_ago(6, 3) + [
            (("P0", -90), T.UNDER_REVISION, "Revision started with the operators."),
            (("P0", 0), T.CONSULTATION, "Draft circulated to all operators."),
            (("P1", -10), T.SUBMITTED, ""),
            (("P1", 0), T.ADOPTED, "Adopted by the plenary."),
            (("P1", 30), T.IN_FORCE, ""),
        ],
    ),
    _instrument(
        I.NMAS_CHAPTER, "Technical survey", reference="NMAS 08.20", imas="08.20",
        imas_followed=D(2019, 2, 1), version="Edition 2", version_date=("year", 3, 20, -5),
        target=("today", 150),
        stages=_adopted_long_ago(5, 2) + [
            (("P4", 0), T.UNDER_REVISION, "Revised together with the land release chapter."),
        ],
        challenges=["nmas_revision"],
    ),
    _instrument(
        I.NMAS_CHAPTER, "Clearance requirements", reference="NMAS 09.10", imas="09.10",
        imas_followed=D(2020, 1, 1), version="Edition 2, draft amendment",
        version_date=("W3", 0), target=("today", 90),
        stages=_adopted_long_ago(4, 6) + [
            (("W2", 0), T.UNDER_REVISION, ""),
            (("W3", 0), T.CONSULTATION, "Draft amendment sent to the operators."),
        ],
        challenges=["nmas_revision"],
    ),
    _instrument(
        I.NMAS_CHAPTER, "Explosive ordnance disposal", reference="NMAS 09.30", imas="09.30",
        imas_followed=D(2022, 11, 1), version="Edition 1, final draft",
        version_date=("today", -20), target=("today", 60),
        stages=[
            (("P3", 0), T.NEED_IDENTIFIED, "No national chapter on EOD yet."),
            (("P4", 20), T.DRAFTING, ""),
            (("P6", 0), T.CONSULTATION, ""),
            (("today", -20), T.SUBMITTED, "Submitted to the authority for adoption."),
        ],
    ),
    _instrument(
        I.NMAS_CHAPTER, "Explosive ordnance risk education", reference="NMAS 12.10",
        imas="12.10", imas_followed=D(2023, 4, 1), version="Edition 2",
        version_date=("P5", 20), component=C.PARTICIPATION,
        stages=[
            (("P2", 0), T.NEED_IDENTIFIED, "To cover risk education in schools."),
            (("P2", 30), T.DRAFTING, ""),
            (("P4", 0), T.CONSULTATION, "Validation workshop with the Ministry of Education."),
            (("P5", 0), T.SUBMITTED, ""),
            (("P5", 20), T.ADOPTED, ""),
        ],
        challenges=["school_risk_education"],
    ),
    _instrument(
        I.NMAS_CHAPTER, "Victim assistance", reference="NMAS 13.10", imas="13.10",
        imas_followed=D(2023, 9, 1), component=C.PARTICIPATION, body="DLSN",
        target=("today", 240),
        stages=[
            (("R2", 10), T.NEED_IDENTIFIED, "Agreed when referral became a priority."),
            (("today", -25), T.DRAFTING, "Drafting group of survivors' associations and MoH."),
        ],
        challenges=["victim_referral"],
    ),
    # Standing operating procedures
    _instrument(
        I.SOP, "Technical survey in sandy soils", reference="SOP-TS-03", body="CGH",
        target=("today", 60), version="Draft 2", version_date=("W3", 0),
        stages=[
            (("W0", 0), T.NEED_IDENTIFIED, ""),
            (("W0", 20), T.DRAFTING, "Drafted by ClearGround Humanitarian for all operators."),
        ],
        challenges=["sandy_soils"],
    ),
    _instrument(
        I.SOP, "Call-outs for explosive ordnance on released land", reference="SOP-RC-01",
        body="MICP",
        stages=[(("W1", 0), T.NEED_IDENTIFIED, "Nobody is tasked to respond to call-outs.")],
        challenges=["residual_contamination"],
    ),
    _instrument(
        I.SOP, "Handover of released land to communities", reference="SOP-LR-02",
        target=("today", 45), version="Draft 1", version_date=("today", -50),
        stages=[
            (("P6", 0), T.NEED_IDENTIFIED, ""),
            (("P6", 30), T.DRAFTING, ""),
            (("today", -50), T.CONSULTATION, "Shared with the community forums."),
        ],
        challenges=["land_handover"],
    ),
    _instrument(
        I.SOP, "Community liaison", reference="SOP-CL-01", component=C.PARTICIPATION,
        version="Edition 1", version_date=("year", 7, 1, -4),
        stages=[
            (("year", 1, 10, -4), T.DRAFTING, ""),
            (("year", 5, 1, -4), T.SUBMITTED, ""),
            (("year", 6, 1, -4), T.ADOPTED, ""),
            (("year", 7, 1, -4), T.IN_FORCE, ""),
        ],
    ),
    # Development planning
    _instrument(
        I.DEVELOPMENT_PLAN, "Mine action in the National Development Plan",
        component=C.POLITICAL, body="MFEP", target=("today", 300),
        description=(
            "A chapter on released land for agriculture, roads and irrigation, and the "
            "clearance of the road corridors the plan builds."
        ),
        stages=[
            (("P3", 0), T.NEED_IDENTIFIED, "The first draft of the plan left mine action out."),
            (("P5", -15), T.DRAFTING, "The authority joined the drafting committee."),
        ],
        challenges=["development_plan"],
    ),
]  # fmt: skip

# (instrument title, date, kind, organisation, meeting anchor or None, what was done, outcome)
ADVOCACY = [
    ("Law on mine action", ("P0", -20), AdvocacyKind.BRIEFING, "NMAA", None,
     "Briefing of the parliamentary committee on defence and security on the draft law.",
     "The committee asked for the cost of the authority's mandate."),
    ("Law on mine action", ("P0", 0), AdvocacyKind.MEETING, "NMAA", "P0",
     "The plenary discussed the draft law and its effect on the national standards.",
     "Members supported the draft; operators asked for a transition period."),
    ("Law on mine action", ("R1", 10), AdvocacyKind.LETTER, "DCBL", None,
     "Open letter to the members of the National Assembly asking for a vote this session.",
     ""),
    ("Law on mine action", ("P5", -25), AdvocacyKind.MEDIA, "DCBL", None,
     "Press conference with survivors' associations before the vote.",
     "Covered by the national broadcaster."),
    ("Regulation on the accreditation and monitoring of mine action operators",
     ("P6", 35), AdvocacyKind.WORKSHOP, "NMAA", None,
     "Consultation workshop with the operators on draft 3.",
     "Operators asked for a transition period of one year."),
    ("Regulation on the accreditation and monitoring of mine action operators",
     ("today", -40), AdvocacyKind.LETTER, "FSI", None,
     "Joint letter of the international operators asking for adoption before the next "
     "accreditation cycle.", ""),
    ("Mine action in the National Development Plan", ("P3", 0), AdvocacyKind.MEETING, "UNDP",
     "P3", "The plenary discussed wording for the rural development chapter.",
     "The Ministry of Agriculture was asked to propose text."),
    ("Mine action in the National Development Plan", ("P5", -20), AdvocacyKind.BRIEFING,
     "UNDP", None, "Briefing of the drafting committee of the Ministry of Planning.",
     "The authority was invited to join the committee."),
    ("Land release", ("W2", 0), AdvocacyKind.WORKSHOP, "DMAC", "W2",
     "The working group reviewed the draft chapter with the operators.", ""),
    ("Explosive ordnance risk education", ("P4", 0), AdvocacyKind.WORKSHOP, "AMRE", None,
     "Validation workshop of the chapter with the Ministry of Education.",
     "The ministry agreed to use the chapter for the school module."),
    ("Call-outs for explosive ordnance on released land", ("W3", 0), AdvocacyKind.MEETING,
     "UNMAS", "W3", "The working group asked civil protection to name a focal point.", ""),
]  # fmt: skip
