"""The demo's challenge register and prioritisation rounds as fixed facts: what the members
raised, what became of it, where it was discussed, and how the members scored it.

Dates are not fixed here but anchored to the demo's meeting cycle (`meeting_plan.py`), so the
story stays current whatever the day of loading: ("P3", 10) is ten days after the fourth past
plenary (P0 is the oldest of the eight), ("W1", 0) the day of the second technical working
group meeting, ("R1", 0) the day the first prioritisation round closes, ("today", -30) thirty
days ago. A status change on a meeting's day (offset 0) was decided at that meeting.

"discussed" names agenda items by (meeting, topic of `meeting_data.TOPICS` or
`WORKING_GROUP_TOPICS`); only topics the meeting is sure to have are used (the topics of the
action points it agreed, or the working group's fixed agenda). "action_points" are texts of
`meeting_data.PLENARY_ACTIONS` / `WORKING_GROUP_ACTIONS`.

A status change anchored on a round ("R1" or "R2") with "prioritised" is not written by the
loader: closing the round moves the top challenges there, and the plan only says what it
expects. The rounds' scoring profiles are chosen so that the ranking they produce is clear.
"""

from mineaction.challenges.models import ChallengeKind, ChallengeStatus, RoundMethod
from mineaction.core.choices import Component

K = ChallengeKind
S = ChallengeStatus
C = Component

CHALLENGES = [
    # Technical ----------------------------------------------------------------------------------
    {
        "key": "survey_backlog",
        "title": "Backlog of non-technical survey in Kessane province",
        "kind": K.GAP,
        "component": C.TECHNICAL,
        "region": "DL-02",
        "organisation": "DDA",
        "person": "Youssef Tazi",
        "raised": ("P0", 10),
        "description": (
            "Villages in Kessane keep reporting suspected areas that no team has visited. "
            "Until non-technical survey reaches them, the areas stay on the national database "
            "as suspected, tasking cannot rank them and farmers avoid land that may well be "
            "safe."
        ),
        "evidence": (
            "Over 140 community reports in Kessane wait for a first visit, some for more than a "
            "year. Only two non-technical survey teams cover the province's five districts."
        ),
        "history": [
            ("P1", 0, S.UNDER_DISCUSSION, "Discussed with the tasking criteria for the north."),
            ("R1", 0, S.PRIORITISED, ""),
            (
                "P5",
                0,
                S.BEING_ADDRESSED,
                "The Mine Action Centre tasked two more survey teams to Kessane.",
            ),
        ],
        "discussed": [("P1", "prioritisation"), ("P5", "prioritisation")],
        "action_points": [
            "Organise two community meetings in the northern provinces to explain the "
            "prioritisation criteria."
        ],
    },
    {
        "key": "cancelled_land_data",
        "title": "Quality of cancelled-land records in the national database",
        "kind": K.CONCERN,
        "component": C.TECHNICAL,
        "region": None,
        "organisation": "DMAC",
        "person": "Karim Mansour",
        "raised": ("P0", -30),
        "description": (
            "Many areas cancelled by non-technical survey were recorded without the polygon "
            "or the evidence that justified the cancellation. The figures of land released "
            "cannot be defended in the Article 7 report or in the extension request."
        ),
        "evidence": (
            "Quality assurance visits found incomplete cancellation reports in about one "
            "record in five entered since the resurvey."
        ),
        "history": [
            ("P1", 0, S.UNDER_DISCUSSION, ""),
            ("R1", 0, S.PRIORITISED, ""),
            (
                "P3",
                0,
                S.BEING_ADDRESSED,
                "Operators to re-check their cancellation reports with the information "
                "management team.",
            ),
            (
                "W2",
                0,
                S.RESOLVED,
                "Every cancellation report since the resurvey was checked and the records "
                "corrected.",
            ),
        ],
        "resolution": (
            "Every cancellation report entered since the resurvey was checked against the "
            "operators' files; incomplete records were corrected or the land put back as "
            "suspected. New cancellations are checked on entry."
        ),
        "discussed": [
            ("P1", "information_management"),
            ("P3", "quality_management"),
            ("W2", "data_exchange"),
        ],
        "action_points": [
            "Reconcile the hazardous area records of the international operators with the "
            "national database."
        ],
    },
    {
        "key": "nmas_revision",
        "title": "National standards lag behind the current IMAS on land release and survey",
        "kind": K.GAP,
        "component": C.TECHNICAL,
        "region": None,
        "organisation": "UNMAS",
        "person": "Andreas Lindqvist",
        "raised": ("P0", -15),
        "description": (
            "The national chapters on land release, technical survey and clearance still "
            "follow editions of the IMAS that have since been amended. Operators work to "
            "their own procedures where the national text is silent."
        ),
        "evidence": "Three NMAS chapters follow IMAS editions that are no longer current.",
        "history": [
            ("P0", 0, S.UNDER_DISCUSSION, ""),
            (
                "P4",
                0,
                S.BEING_ADDRESSED,
                "The revision of the chapters on land release and technical survey started.",
            ),
        ],
        "discussed": [("P0", "standards"), ("P4", "standards")],
        "action_points": [
            "Circulate the draft chapter of the national standards on non-technical survey to "
            "all operators for comments.",
            "Translate the revised chapters of the national standards into Arabic and French.",
        ],
    },
    {
        "key": "residual_contamination",
        "title": "No agreed response to explosive ordnance found on released land",
        "kind": K.CONCERN,
        "component": C.TECHNICAL,
        "region": None,
        "organisation": "FSI",
        "person": None,
        "raised": ("W0", 20),
        "description": (
            "Farmers keep finding items on land that was released years ago. Nobody is "
            "tasked to respond, operators answer when they can, and the finds are not "
            "recorded, so the residual contamination cannot be managed after completion."
        ),
        "evidence": "Operators answered call-outs on released land in four provinces last year.",
        "history": [
            ("W1", 0, S.UNDER_DISCUSSION, ""),
            ("R2", 0, S.PRIORITISED, ""),
        ],
        "discussed": [("W1", "residual_contamination"), ("W3", "residual_contamination")],
        "action_points": [
            "Agree a procedure for call-outs on released land with the civil protection.",
            "Map the call-outs for explosive ordnance found on released land over the last two "
            "years.",
        ],
    },
    {
        "key": "idle_assets",
        "title": "Mechanical assets idle for lack of spare parts",
        "kind": K.TREND,
        "component": C.TECHNICAL,
        "region": None,
        "organisation": "SCS",
        "person": None,
        "raised": ("P1", 10),
        "description": (
            "Several demining machines stand idle for months because spare parts take a long "
            "time to clear customs. Technical survey slows down where machines prepare the "
            "ground."
        ),
        "evidence": "",
        "history": [
            ("W0", 0, S.UNDER_DISCUSSION, ""),
            (
                "W2",
                0,
                S.PARKED,
                "Operators now import spare parts through their headquarters.",
            ),
        ],
        "resolution": (
            "Parked: the operators now import spare parts through their headquarters and no "
            "machine has stood idle for more than a month since. To be reopened if that "
            "changes."
        ),
        "discussed": [("W0", "mechanical_assets"), ("W2", "mechanical_assets")],
        "action_points": ["List the mechanical assets idle for more than three months."],
    },
    {
        "key": "sandy_soils",
        "title": "Technical survey in sandy soils gives different results between operators",
        "kind": K.CHALLENGE,
        "component": C.TECHNICAL,
        "region": "DL-04",
        "organisation": "CGH",
        "person": None,
        "raised": ("W0", -10),
        "description": (
            "In the dunes of Tamerdane, mines drift with the sand. Operators use different "
            "sampling patterns and depths in technical survey, so the same kind of area is "
            "reduced by one operator and sent to full clearance by another."
        ),
        "evidence": "",
        "history": [
            ("W0", 0, S.UNDER_DISCUSSION, ""),
            (
                "W2",
                0,
                S.BEING_ADDRESSED,
                "A common procedure was drafted; two operators pilot the new survey form.",
            ),
        ],
        "discussed": [
            ("W0", "technical_survey"),
            ("W2", "technical_survey"),
            ("W3", "technical_survey"),
        ],
        "action_points": [
            "Draft the standard operating procedure for technical survey in sandy soils.",
            "Pilot the new technical survey form with two operators.",
        ],
    },
    {
        "key": "data_exchange",
        "title": "Completion reports reach the national database months late",
        "kind": K.TREND,
        "component": C.TECHNICAL,
        "region": None,
        "organisation": "NADG",
        "person": None,
        "raised": ("W0", 15),
        "description": (
            "Operators send their completion reports in batches, sometimes once a quarter. "
            "The national database, and so the platform's figures, lag behind the work done "
            "in the field."
        ),
        "evidence": "",
        "history": [
            ("W1", 0, S.UNDER_DISCUSSION, ""),
            ("W2", 30, S.RESOLVED, "The monthly data exchange is in place."),
        ],
        "resolution": (
            "Every operator now sends its completion reports in the monthly data exchange; "
            "the database is at most one month behind the field."
        ),
        "discussed": [("W1", "data_exchange"), ("W2", "data_exchange")],
        "action_points": [
            "Set up the monthly data exchange between the operators and the national database."
        ],
    },
    {
        "key": "land_handover",
        "title": "Handover certificates for released land reach communities late",
        "kind": K.CONCERN,
        "component": C.TECHNICAL,
        "region": "DL-05",
        "organisation": "GVLRA",
        "person": None,
        "raised": ("P5", 20),
        "description": (
            "Land is released but the handover certificate reaches the village chief months "
            "later. Until then families do not dare to farm it, and disputes over who owns "
            "the land start before anyone uses it."
        ),
        "evidence": "In Sidi Moraz, certificates took five months on average last year.",
        "history": [("P6", 0, S.UNDER_DISCUSSION, "")],
        "discussed": [("P6", "community_voices")],
        "action_points": [],
    },
    {
        "key": "improvised_mines",
        "title": "Specialised search capacity for improvised mines in the south-east",
        "kind": K.GAP,
        "component": C.TECHNICAL,
        "region": "DL-06",
        "organisation": "MFF",
        "person": None,
        "raised": ("today", -50),
        "description": (
            "Improvised mines around the towns of Haute-Calvène need searchers trained and "
            "equipped for them. Only one team in the country is accredited for this work."
        ),
        "evidence": "",
        "history": [],
        "discussed": [],
        "action_points": [],
    },
    # Political ----------------------------------------------------------------------------------
    {
        "key": "mine_action_law",
        "title": "No law gives the national authority its mandate",
        "kind": K.CHALLENGE,
        "component": C.POLITICAL,
        "region": None,
        "organisation": "NMAA",
        "person": "Omar Benyahia",
        "raised": ("P0", -40),
        "description": (
            "The authority works under a decree. Without a law the national standards are not "
            "binding, operators' accreditation has no legal basis and the national budget "
            "line can be cut at any time."
        ),
        "evidence": "",
        "history": [
            ("P0", 0, S.UNDER_DISCUSSION, ""),
            ("R1", 0, S.PRIORITISED, ""),
            (
                "R1",
                30,
                S.BEING_ADDRESSED,
                "The Council of Ministers approved the bill and sent it to the National "
                "Assembly.",
            ),
            ("P6", 0, S.RESOLVED, "The plenary noted that the law is in force."),
        ],
        "resolution": (
            "The law on mine action was adopted by the National Assembly and published; it "
            "gives the authority its mandate and makes the national standards binding."
        ),
        "discussed": [("P0", "mine_action_law")],
        "action_points": [
            "Prepare a briefing note on the draft mine action law for the Council of Ministers."
        ],
    },
    {
        "key": "development_plan",
        "title": "Mine action missing from the draft national development plan",
        "kind": K.GAP,
        "component": C.POLITICAL,
        "region": None,
        "organisation": "UNDP",
        "person": "Hiroshi Tanaka",
        "raised": ("P2", 10),
        "description": (
            "The first draft of the next national development plan does not mention "
            "explosive ordnance, although roads, irrigation and farmland in three provinces "
            "depend on clearance."
        ),
        "evidence": "",
        "history": [
            ("P3", 0, S.UNDER_DISCUSSION, ""),
            (
                "P5",
                -15,
                S.BEING_ADDRESSED,
                "The Ministry of Planning invited the authority to the drafting committee.",
            ),
        ],
        "discussed": [("P3", "development_plan")],
        "action_points": [
            "Propose wording on mine action for the rural development chapter of the national "
            "development plan."
        ],
    },
    {
        "key": "extension_figures",
        "title": "Extension request needs agreed figures on remaining contamination",
        "kind": K.CHALLENGE,
        "component": C.POLITICAL,
        "region": None,
        "organisation": "MFAIC",
        "person": "Rachid El Amrani",
        "raised": ("P2", -20),
        "description": (
            "The request for a further extension of the Article 5 deadline must rest on one "
            "set of figures: remaining area by province and by type of contamination, and a "
            "work plan that the members and the donors accept."
        ),
        "evidence": "",
        "history": [
            ("P2", 0, S.UNDER_DISCUSSION, ""),
            ("R2", 0, S.PRIORITISED, ""),
            (
                "P7",
                0,
                S.BEING_ADDRESSED,
                "A drafting group of the ministry, the authority and the centre was set up.",
            ),
        ],
        "discussed": [
            ("P2", "extension_request"),
            ("P6", "extension_request"),
            ("P7", "extension_request"),
        ],
        "action_points": [
            "Draft the timeline of the Article 5 extension request and circulate it to the "
            "members.",
            "Consolidate the members' comments on the first draft of the extension request.",
            "Submit the final draft of the extension request to the Council of Ministers.",
        ],
    },
    {
        "key": "strategy_indicators",
        "title": "Ministries do not report on the indicators of the national strategy",
        "kind": K.GAP,
        "component": C.POLITICAL,
        "region": None,
        "organisation": "NMAA",
        "person": "Amina Haddad",
        "raised": ("P0", 20),
        "description": (
            "Half of the strategy's indicators depend on figures held by ministries "
            "(health, education, agriculture), which do not send them."
        ),
        "evidence": "",
        "history": [
            ("P1", 0, S.UNDER_DISCUSSION, ""),
            ("P4", 0, S.PARKED, "Left to the mid-term review of the strategy."),
        ],
        "resolution": (
            "Parked: the terms of reference of the strategy's mid-term review cover the "
            "indicators and who reports them."
        ),
        "discussed": [("P1", "strategy_review"), ("P4", "strategy_review")],
        "action_points": [
            "Collect the ministries' comments on the indicators of the national strategy.",
            "Draft the terms of reference of the mid-term review of the national strategy.",
        ],
    },
    {
        "key": "accreditation_regulation",
        "title": "Regulation on the accreditation of operators stalled in consultation",
        "kind": K.CONCERN,
        "component": C.POLITICAL,
        "region": None,
        "organisation": "FSI",
        "person": None,
        "raised": ("P5", 10),
        "description": (
            "The regulation that sets how operators are accredited and monitored has been in "
            "consultation for over a year. New national NGOs cannot be accredited meanwhile."
        ),
        "evidence": "",
        "history": [("R2", -30, S.UNDER_DISCUSSION, "")],
        "discussed": [],
        "action_points": [],
    },
    {
        "key": "disaster_risk",
        "title": "Review of the disaster risk reduction strategy could cover explosive ordnance",
        "kind": K.OPPORTUNITY,
        "component": C.POLITICAL,
        "region": None,
        "organisation": "MICP",
        "person": None,
        "raised": ("today", -30),
        "description": (
            "Civil protection is revising the national disaster risk reduction strategy. "
            "Including explosive ordnance would give residual contamination a lasting home "
            "after the Article 5 work is done."
        ),
        "evidence": "",
        "history": [],
        "discussed": [],
        "action_points": [],
    },
    # Participation ------------------------------------------------------------------------------
    {
        "key": "gender_survey_teams",
        "title": "Too few women in non-technical survey teams",
        "kind": K.GAP,
        "component": C.PARTICIPATION,
        "region": None,
        "organisation": "WSL",
        "person": None,
        "raised": ("P1", 20),
        "description": (
            "Women make up about a fifth of the survey teams. In many villages women cannot "
            "speak freely to a male team, yet they know where they collect wood and water; "
            "their information is lost."
        ),
        "evidence": "The operators' own figures, presented by UN Women at the plenary.",
        "history": [
            ("P2", 0, S.UNDER_DISCUSSION, ""),
            ("R1", 0, S.PRIORITISED, ""),
            (
                "R1",
                45,
                S.BEING_ADDRESSED,
                "Operators agreed recruitment targets; training for women surveyors is funded.",
            ),
        ],
        "discussed": [("P2", "gender_diversity"), ("P7", "gender_diversity")],
        "action_points": [
            "Report the share of women in each operator's survey and clearance teams.",
            "Nominate a gender focal point in each operator.",
        ],
    },
    {
        "key": "victim_referral",
        "title": "Referral of survivors does not reach beyond the capital",
        "kind": K.GAP,
        "component": C.PARTICIPATION,
        "region": None,
        "organisation": "DLSN",
        "person": "Hassan Ould Cheikh",
        "raised": ("P0", -10),
        "description": (
            "Survivors in the provinces are not referred to rehabilitation, psychological "
            "support or income projects because health workers do not know the services. "
            "There is no directory and no referral form shared between providers."
        ),
        "evidence": "",
        "history": [
            ("P0", 0, S.UNDER_DISCUSSION, ""),
            ("R2", 0, S.PRIORITISED, ""),
        ],
        "discussed": [("P0", "victim_assistance")],
        "action_points": [
            "Map the services available to survivors in the northern provinces and publish a "
            "referral directory."
        ],
    },
    {
        "key": "school_risk_education",
        "title": "Risk education is not part of the school curriculum",
        "kind": K.CHALLENGE,
        "component": C.PARTICIPATION,
        "region": None,
        "organisation": "AMRE",
        "person": None,
        "raised": ("P0", 30),
        "description": (
            "Children are the largest group of casualties in the border districts, but "
            "explosive ordnance risk education reaches schools only when a team visits."
        ),
        "evidence": "",
        "history": [
            ("P1", 0, S.UNDER_DISCUSSION, ""),
            ("P5", 70, S.RESOLVED, "The module is taught and the teachers are trained."),
        ],
        "resolution": (
            "The Ministry of Education added a risk education module to the primary "
            "curriculum in the affected districts and forty teachers were trained as focal "
            "points."
        ),
        "discussed": [("P1", "risk_education"), ("P5", "risk_education")],
        "action_points": [
            "Agree with the Ministry of Education on a risk education module for primary "
            "schools in the affected districts.",
            "Train forty teachers as risk education focal points.",
        ],
    },
    {
        "key": "community_consultation",
        "title": "Affected communities are not consulted on the list of priority tasks",
        "kind": K.CONCERN,
        "component": C.PARTICIPATION,
        "region": None,
        "organisation": "NPACF",
        "person": None,
        "raised": ("P1", -10),
        "description": (
            "Tasking is decided in the capital. Communities learn which areas will be cleared "
            "when the teams arrive, and their own priorities (a well, a school path, grazing "
            "land) are not asked for."
        ),
        "evidence": "",
        "history": [("P1", 0, S.UNDER_DISCUSSION, "")],
        "discussed": [
            ("P1", "prioritisation"),
            ("P3", "community_voices"),
            ("P7", "prioritisation"),
        ],
        "action_points": [
            "Invite two representatives of affected communities to each working group meeting.",
            "Share the tasking plan of the next quarter with the community liaison teams.",
        ],
    },
    {
        "key": "accessible_documents",
        "title": "Platform documents are not available in Arabic or in easy-to-read versions",
        "kind": K.GAP,
        "component": C.PARTICIPATION,
        "region": None,
        "organisation": "HID",
        "person": None,
        "raised": ("today", -45),
        "description": (
            "Most papers of the platform are in English or French only. Survivors' and "
            "community representatives cannot prepare the meetings."
        ),
        "evidence": "",
        "history": [],
        "discussed": [],
        "action_points": [],
    },
    {
        "key": "survivor_data",
        "title": "Survivors' personal data shared between providers without consent",
        "kind": K.CONCERN,
        "component": C.PARTICIPATION,
        "region": None,
        "organisation": "GSS",
        "person": None,
        "raised": ("today", -25),
        "description": (
            "Lists of survivors with names, injuries and phone numbers circulate between "
            "service providers by e-mail. Survivors were not asked and some were contacted by "
            "people they did not know."
        ),
        "evidence": "",
        "history": [],
        "discussed": [],
        "action_points": [],
        "restricted_to": ["DLSN", "MoH", "MSAS", "NMAA"],
    },
    # Resource mobilisation ----------------------------------------------------------------------
    {
        "key": "border_funding_gap",
        "title": "Funding gap for clearance of the southern border minefields",
        "kind": K.GAP,
        "component": C.RESOURCE_MOBILISATION,
        "region": "DL-05",
        "organisation": "MFEP",
        "person": "Salma Bouzid",
        "raised": ("P1", -20),
        "description": (
            "The border minefields are the largest confirmed hazards left and the most "
            "expensive to clear. No donor funds them after this year and the national "
            "contribution covers one team."
        ),
        "evidence": "The costed work plan shows the largest unfunded share in the border area.",
        "history": [
            ("P2", 0, S.UNDER_DISCUSSION, ""),
            ("R1", 0, S.PRIORITISED, ""),
            (
                "P4",
                0,
                S.BEING_ADDRESSED,
                "The multi-year proposal to the development bank covers the border minefields.",
            ),
        ],
        "discussed": [
            ("P2", "funding_gap"),
            ("P4", "development_bank"),
            ("P7", "funding_gap"),
        ],
        "action_points": [
            "Update the costing of the Article 5 work plan with the operators' unit costs.",
            "Share the updated funding gap with the donors before the round table.",
        ],
    },
    {
        "key": "annual_funding",
        "title": "Donor funding is annual while the work plan runs to the deadline",
        "kind": K.TREND,
        "component": C.RESOURCE_MOBILISATION,
        "region": None,
        "organisation": "Kingdom of Nordvalia",
        "person": "Ingrid Solheim",
        "raised": ("P3", 10),
        "description": (
            "Most contributions are agreed one year at a time. Operators cannot keep trained "
            "teams between grants, and teams are laid off and recruited again each year."
        ),
        "evidence": "",
        "history": [
            ("P6", 0, S.UNDER_DISCUSSION, ""),
            ("R2", 0, S.PRIORITISED, ""),
        ],
        "discussed": [("P6", "pledges")],
        "action_points": [
            "Follow up the disbursement of the pledges announced at the round table."
        ],
    },
    {
        "key": "national_budget_line",
        "title": "National budget line for mine action cut in the draft budget law",
        "kind": K.CONCERN,
        "component": C.RESOURCE_MOBILISATION,
        "region": None,
        "organisation": "NMAA",
        "person": "Amina Haddad",
        "raised": ("P5", -20),
        "description": (
            "The draft budget law halves the national contribution to mine action. The "
            "national clearance capacity would lose half of its teams."
        ),
        "evidence": "",
        "history": [
            ("P5", 0, S.UNDER_DISCUSSION, ""),
            ("P5", 60, S.RESOLVED, "The budget law as adopted keeps the contribution."),
        ],
        "resolution": (
            "The budget law as adopted keeps the national contribution at last year's level."
        ),
        "discussed": [("P5", "national_budget")],
        "action_points": [
            "Present the national contribution to mine action in the budget debate of the "
            "National Assembly."
        ],
        "restricted_to": ["MFEP", "UNDP", "Kingdom of Nordvalia"],
    },
    {
        "key": "development_bank",
        "title": "Development bank financing of rural roads could include clearance",
        "kind": K.OPPORTUNITY,
        "component": C.RESOURCE_MOBILISATION,
        "region": None,
        "organisation": "SBDB",
        "person": None,
        "raised": ("P3", 15),
        "description": (
            "The bank's rural roads programme passes through contaminated districts. Clearing "
            "the road corridors as part of the programme would open new, multi-year funding."
        ),
        "evidence": "",
        "history": [
            ("P4", 0, S.UNDER_DISCUSSION, ""),
            ("P4", 40, S.BEING_ADDRESSED, "UNDP prepares the concept note with the authority."),
        ],
        "discussed": [("P4", "development_bank")],
        "action_points": [
            "Submit the concept note of the multi-year proposal to the Southern Basin "
            "Development Bank."
        ],
    },
    {
        "key": "slow_disbursement",
        "title": "Pledges are disbursed months after the operators' contracts start",
        "kind": K.TREND,
        "component": C.RESOURCE_MOBILISATION,
        "region": None,
        "organisation": "HRI",
        "person": None,
        "raised": ("today", -20),
        "description": (
            "Operators start work on the strength of a pledge and pre-finance salaries for "
            "months. National NGOs cannot afford to, and stop work until the money arrives."
        ),
        "evidence": "",
        "history": [],
        "discussed": [],
        "action_points": [],
    },
]  # fmt: skip

# The rounds. "profiles": a challenge's typical (impact, urgency, feasibility) scores; each
# organisation's ballot varies them by a point at most. "voters": (organisation, person or None
# for the organisation's first member), in the order the ballots came in; "abstaining": the
# organisations that cast an abstention. The open round's voters rank the challenges by the
# same profiles. The demo log-ins' organisations (DDA, DMAC, NMAA, Nordvalia, UNDP) have not yet
# voted in the open round, so testers can.
ROUNDS = [
    {
        "key": "R1",
        "title": "First annual prioritisation round",
        "description": (
            "The members rank the challenges raised since the platform's register was "
            "opened. The five highest become the platform's priorities for the coming year."
        ),
        "method": RoundMethod.SCORE,
        "opens": ("P2", 14),
        "closes": ("R1", 0),
        "priorities_count": 5,
        "profiles": {
            "border_funding_gap": (5, 5, 3),
            "survey_backlog": (5, 4, 4),
            "mine_action_law": (5, 4, 3),
            "cancelled_land_data": (4, 4, 4),
            "gender_survey_teams": (4, 3, 4),
            "nmas_revision": (3, 3, 3),
            "strategy_indicators": (2, 2, 3),
            "idle_assets": (2, 2, 2),
        },
        "voters": [
            ("NMAA", "Amina Haddad"),
            ("DMAC", "Paul Nzeyimana"),
            ("MFAIC", "Rachid El Amrani"),
            ("MFEP", "Salma Bouzid"),
            ("Kingdom of Nordvalia", "Ingrid Solheim"),
            ("UNMAS", "Andreas Lindqvist"),
            ("UN Women", "Priya Sharma"),
            ("FSI", None),
            ("DDA", "Youssef Tazi"),
            ("DLSN", "Hassan Ould Cheikh"),
            ("Republic of Westmark", None),
        ],
        "abstaining": ["Republic of Westmark"],
        "abstention_comment": (
            "As a donor we leave the ranking of national challenges to the national members."
        ),
    },
    {
        "key": "R2",
        "title": "Second annual prioritisation round",
        "description": (
            "A year on: the members score the open challenges again, including last year's "
            "priorities still being addressed, to agree the four priorities for the coming "
            "year."
        ),
        "method": RoundMethod.SCORE,
        "opens": ("P6", 14),
        "closes": ("R2", 0),
        "priorities_count": 4,
        "profiles": {
            "extension_figures": (5, 5, 4),
            "victim_referral": (5, 4, 4),
            "residual_contamination": (4, 4, 4),
            "annual_funding": (4, 4, 3),
            "border_funding_gap": (4, 3, 3),
            "survey_backlog": (3, 3, 4),
            "community_consultation": (3, 3, 3),
            "land_handover": (3, 2, 3),
            "accreditation_regulation": (2, 3, 2),
            "development_plan": (2, 2, 3),
            "development_bank": (2, 2, 2),
        },
        "voters": [
            ("DMAC", "Paul Nzeyimana"),
            ("NMAA", "Amina Haddad"),
            ("FSI", None),
            ("MFAIC", "Rachid El Amrani"),
            ("UNMAS", "Andreas Lindqvist"),
            ("Kingdom of Nordvalia", "Ingrid Solheim"),
            ("CGH", None),
            ("DDA", "Youssef Tazi"),
            ("DLSN", "Hassan Ould Cheikh"),
            ("AWSF", "Mariama Dembélé"),
            ("MFEP", "Salma Bouzid"),
            ("Kingdom of Esperia", None),
        ],
        "abstaining": ["Kingdom of Esperia"],
        "abstention_comment": "Our embassy's focal point changed during the round.",
    },
    {
        "key": "R3",
        "title": "Round on the challenges raised this year",
        "description": (
            "The members rank the challenges raised or still under discussion since the last "
            "annual round, before the next plenary reviews them."
        ),
        "method": RoundMethod.RANK,
        "opens": ("today", -6),
        "closes": ("today", 14),
        "priorities_count": 2,
        "profiles": {
            "improvised_mines": (4, 4, 3),
            "community_consultation": (4, 3, 4),
            "slow_disbursement": (4, 4, 2),
            "land_handover": (3, 3, 4),
            "accessible_documents": (3, 2, 5),
            "disaster_risk": (2, 2, 3),
        },
        "voters": [
            ("FSI", None),
            ("DLSN", "Hassan Ould Cheikh"),
            ("UNMAS", "Andreas Lindqvist"),
            ("MFEP", "Salma Bouzid"),
            ("CGH", None),
        ],
        "abstaining": [],
        "abstention_comment": "",
    },
]

# Comments some voters leave with their ballot: (round, organisation, comment).
BALLOT_COMMENTS = [
    ("R1", "DDA", "Survey comes first: without it the rest of the work plan is guesswork."),
    ("R1", "DLSN", "Victim assistance should be on the next round's list."),
    ("R2", "FSI", "Residual contamination will matter more every year as land is released."),
    ("R3", "DLSN", "Documents we can read are a condition for taking part at all."),
]
