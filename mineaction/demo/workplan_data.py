"""The demo's three work plans as fixed facts: the national mine action strategy, the Article 5
work plan up to the deadline and the platform's annual plan for the current year, with their
activities, progress updates and milestones.

Dates use the anchors of `challenge_data.py` (("P4", 0): the day of the fifth past plenary;
("today", -40): forty days ago) plus two of their own: ("deadline", -30) is thirty days before
the Article 5 deadline in force, and ("year", 3, 31) is 31 March of the current year (the
annual plan follows the calendar). An update or an achievement dated after the day of loading
has not happened yet and is left out, so early in the year the annual plan is mostly planned.

An activity's status and progress are those of its latest update ("planned" and 0 without
one). Budgets are in US dollars, except the activities a euro-area donor funds.
"""

from decimal import Decimal

from mineaction.core.choices import Component
from mineaction.workplans.models import ActivityStatus, WorkPlanKind, WorkPlanStatus

C = Component
A = ActivityStatus
USD, EUR = "USD", "EUR"

WORK_PLANS = [
    {
        "kind": WorkPlanKind.NATIONAL_STRATEGY,
        # Six calendar years, from the year before last to three years ahead.
        "years": (-2, 3),
        "title": "National Mine Action Strategy {first}–{last}",
        "status": WorkPlanStatus.ADOPTED,
        "owner": "NMAA",
        "description": (
            "The national strategy sets four objectives, one per component of the platform: "
            "a legal and policy framework that lasts beyond completion, land released on "
            "evidence and to standard, affected people taking part in every decision, and "
            "the resources to finish the job."
        ),
    },
    {
        "kind": WorkPlanKind.ARTICLE5,
        "title": "Article 5 work plan {first}–{last}",
        "starts": ("extension", 32),
        "ends": ("deadline", 0),
        "status": WorkPlanStatus.ADOPTED,
        "owner": "DMAC",
        "description": (
            "The work plan of the second extension request, revised each year: survey, "
            "technical survey and clearance per province until the deadline, with the "
            "capacity and funding each needs."
        ),
    },
    {
        "kind": WorkPlanKind.PLATFORM_ANNUAL,
        "title": "Platform annual plan {year}",
        "status": WorkPlanStatus.ADOPTED,
        "owner": "UNDP",
        "description": (
            "What the platform itself does this year: its meetings, the prioritisation of "
            "challenges, inclusion, reporting and the donor round table."
        ),
    },
]

STARTED = "Work has started."


def _activity(
    plan, code, title, organisation, component, starts, ends, budget, currency, updates, **extra
):
    return {
        "plan": plan,
        "code": code,
        "title": title,
        "organisation": organisation,
        "component": component,
        "starts": starts,
        "ends": ends,
        "budget": Decimal(budget) if budget is not None else None,
        "currency": currency if budget is not None else "",
        "updates": updates,
        "description": extra.get("description", ""),
        "challenges": extra.get("challenges", []),
    }


NS, A5, AP = WorkPlanKind.NATIONAL_STRATEGY, WorkPlanKind.ARTICLE5, WorkPlanKind.PLATFORM_ANNUAL

# updates: (date anchor..., status, progress, note)
ACTIVITIES = [
    # National strategy: objective 1, political framework
    _activity(NS, "1.1", "Adopt a law on mine action", "NMAA", C.POLITICAL,
              ("P0", -30), ("P5", 40), "60000", USD,
              [(("P1", 0), A.IN_PROGRESS, 30, "The draft law was shared with the ministries."),
               (("R1", 30), A.IN_PROGRESS, 70, "The bill is before the National Assembly."),
               (("P5", 40), A.COMPLETED, 100, "The law was published and is in force.")],
              challenges=["mine_action_law"]),
    _activity(NS, "1.2", "Include mine action in the national development plan", "MFEP",
              C.POLITICAL, ("P5", -15), ("today", 200), "25000", USD,
              [(("P5", -15), A.IN_PROGRESS, 10, "The authority joined the drafting committee."),
               (("today", -40), A.IN_PROGRESS, 40,
                "A chapter on released land for agriculture and roads is in the draft.")],
              challenges=["development_plan"]),
    _activity(NS, "1.3", "Prepare the request for a further extension of the Article 5 deadline",
              "MFAIC", C.POLITICAL, ("P2", 0), ("today", 120), "80000", USD,
              [(("P2", 30), A.IN_PROGRESS, 15, "Timeline circulated to the members."),
               (("P6", 10), A.IN_PROGRESS, 40, "First draft commented by the members."),
               (("P7", 5), A.IN_PROGRESS, 55, "Drafting group set up; figures being agreed.")],
              challenges=["extension_figures"]),
    _activity(NS, "1.4", "Mid-term review of the national strategy", "NMAA", C.POLITICAL,
              ("P4", 0), ("today", -40), "45000", USD,
              [(("P4", 30), A.IN_PROGRESS, 20, "Terms of reference agreed."),
               (("today", -60), A.DELAYED, 80,
                "The consultants' report is late; the review ends after its planned date.")],
              challenges=["strategy_indicators"]),
    # Objective 2: land released on evidence and to standard
    _activity(NS, "2.1", "Revise the NMAS chapters on land release, technical survey and "
              "clearance", "DMAC", C.TECHNICAL, ("P4", 0), ("today", 150), "120000", EUR,
              [(("P4", 20), A.IN_PROGRESS, 15, "Drafting group of the centre and operators."),
               (("W2", 0), A.IN_PROGRESS, 45, "Chapter on land release in consultation.")],
              challenges=["nmas_revision"],
              description="Funded by the Kingdom of Esperia."),
    _activity(NS, "2.2", "Monthly data exchange between operators and the national database",
              "DMAC", C.TECHNICAL, ("W1", 0), ("W2", 30), "30000", USD,
              [(("W1", 20), A.IN_PROGRESS, 40, "Exchange format agreed with the operators."),
               (("W2", 30), A.COMPLETED, 100, "Every operator reports monthly.")],
              challenges=["data_exchange"]),
    _activity(NS, "2.3", "Agree a national response to explosive ordnance found on released "
              "land", "UNMAS", C.TECHNICAL, ("W1", 0), ("today", -20), "55000", USD,
              [(("W1", 30), A.IN_PROGRESS, 10, STARTED),
               (("W3", 0), A.DELAYED, 30,
                "Civil protection has not yet named who responds to call-outs.")],
              challenges=["residual_contamination"]),
    _activity(NS, "2.4", "Re-check every cancellation report entered since the resurvey",
              "DMAC", C.TECHNICAL, ("P3", 0), ("W2", 0), "40000", USD,
              [(("P3", 20), A.IN_PROGRESS, 25, STARTED),
               (("P5", 0), A.IN_PROGRESS, 70, "Reports of four operators checked."),
               (("W2", 0), A.COMPLETED, 100, "All reports checked; records corrected.")],
              challenges=["cancelled_land_data"]),
    _activity(NS, "2.5", "Pilot drones for non-technical survey along the border", "NADG",
              C.TECHNICAL, ("P3", 0), ("today", 60), "70000", EUR,
              [(("P4", 0), A.IN_PROGRESS, 10, STARTED),
               (("today", -100), A.CANCELLED, 10,
                "Cancelled: no licence to fly drones over the border area.")]),
    # Objective 3: affected people take part
    _activity(NS, "3.1", "Recruit and train women for non-technical survey teams", "UN Women",
              C.PARTICIPATION, ("R1", 45), ("today", 240), "150000", USD,
              [(("R1", 90), A.IN_PROGRESS, 20, "First training course for 24 women."),
               (("today", -30), A.IN_PROGRESS, 50, "Women are now 27 per cent of survey teams.")],
              challenges=["gender_survey_teams"]),
    _activity(NS, "3.2", "Referral directory and common referral form for survivors", "DLSN",
              C.PARTICIPATION, ("R2", 10), ("today", 180), "40000", EUR,
              [(("today", -20), A.IN_PROGRESS, 20, "Services of three provinces mapped.")],
              challenges=["victim_referral"]),
    _activity(NS, "3.3", "Risk education module in primary schools of the affected districts",
              "MoE", C.PARTICIPATION, ("P1", 0), ("P5", 70), "90000", USD,
              [(("P2", 0), A.IN_PROGRESS, 30, "Module drafted with the risk education NGOs."),
               (("P5", 70), A.COMPLETED, 100, "Module taught; forty teachers trained.")],
              challenges=["school_risk_education"]),
    _activity(NS, "3.4", "Consult affected communities before the list of priority tasks is "
              "fixed", "DMAC", C.PARTICIPATION, ("today", 30), ("today", 400), "35000", USD,
              [], challenges=["community_consultation"]),
    # Objective 4: resources
    _activity(NS, "4.1", "Multi-year funding proposal to the Southern Basin Development Bank",
              "UNDP", C.RESOURCE_MOBILISATION, ("P4", 0), ("today", -60), "30000", USD,
              [(("P4", 40), A.IN_PROGRESS, 30, "Concept note in preparation."),
               (("P6", 0), A.DELAYED, 70, "The bank asked for a costed plan per road corridor.")],
              challenges=["border_funding_gap", "development_bank"]),
    _activity(NS, "4.2", "Donor round table on the Article 5 work plan", "UNDP",
              C.RESOURCE_MOBILISATION, ("P2", 0), ("P2", 60), "20000", USD,
              [(("P2", 60), A.COMPLETED, 100, "Round table held; pledges recorded.")]),
    _activity(NS, "4.3", "Multi-year agreements with the donors of the country coalition",
              "Kingdom of Nordvalia", C.RESOURCE_MOBILISATION, ("R2", 0), ("today", 300), None,
              "", [(("today", -15), A.IN_PROGRESS, 10, "Two donors agreed to discuss it.")],
              challenges=["annual_funding"]),
    # Article 5 work plan
    _activity(A5, "A5-01", "Non-technical survey of the community reports in Kessane", "DDA",
              C.TECHNICAL, ("P5", 0), ("today", 90), "420000", USD,
              [(("P5", 20), A.IN_PROGRESS, 15, "Two more survey teams deployed."),
               (("today", -30), A.IN_PROGRESS, 60, "86 reports visited; 51 areas cancelled.")],
              challenges=["survey_backlog"]),
    _activity(A5, "A5-02", "Resurvey of suspected areas in Arvelle", "FSI", C.TECHNICAL,
              ("P1", 0), ("P5", 0), "380000", USD,
              [(("P3", 0), A.IN_PROGRESS, 55, STARTED),
               (("P5", 0), A.COMPLETED, 100, "Resurvey finished.")]),
    _activity(A5, "A5-03", "Technical survey of confirmed areas in Tamerdane", "CGH",
              C.TECHNICAL, ("W0", 0), ("today", 200), "650000", EUR,
              [(("W1", 0), A.IN_PROGRESS, 20, STARTED),
               (("W3", 0), A.IN_PROGRESS, 35, "Slowed by the new sampling pattern in sand.")],
              challenges=["sandy_soils"]),
    _activity(A5, "A5-04", "Clearance of the border minefields in Sidi Moraz, phase 1", "MFF",
              C.TECHNICAL, ("P0", 0), ("today", -30), "2400000", USD,
              [(("P2", 0), A.IN_PROGRESS, 30, STARTED),
               (("P5", 0), A.IN_PROGRESS, 65, "Four of six minefields cleared."),
               (("today", -45), A.DELAYED, 85, "Rains stopped work for two months.")]),
    _activity(A5, "A5-05", "Clearance of the border minefields in Sidi Moraz, phase 2", "MoD",
              C.TECHNICAL, ("today", 60), ("deadline", -30), "3100000", USD, [],
              challenges=["border_funding_gap"],
              description="Not yet funded: the largest part of the funding gap."),
    _activity(A5, "A5-06", "Clearance of cluster munition strikes around the former air base",
              "NADG", C.TECHNICAL, ("P2", 0), ("today", 100), "900000", EUR,
              [(("P3", 0), A.IN_PROGRESS, 25, STARTED),
               (("today", -50), A.IN_PROGRESS, 60, "Nine of the fifteen strike areas done.")]),
    _activity(A5, "A5-07", "Search and clearance of improvised mines around the towns of "
              "Haute-Calvène", "MFF", C.TECHNICAL, ("P6", 0), ("today", 300), "1200000", USD,
              [(("today", -40), A.IN_PROGRESS, 15, "One accredited team at work.")]),
    _activity(A5, "A5-08", "Battle area clearance in Ouarzel", "SCS", C.TECHNICAL,
              ("P3", 0), ("P6", 0), "510000", USD,
              [(("P4", 0), A.IN_PROGRESS, 40, STARTED),
               (("P6", 0), A.COMPLETED, 100, "Task completed and handed over.")]),
    _activity(A5, "A5-09", "Technical survey with mechanical assets in Ouarzel", "CGH",
              C.TECHNICAL, ("W0", 0), ("today", -10), "300000", USD,
              [(("W0", 30), A.IN_PROGRESS, 25, STARTED),
               (("W2", 0), A.DELAYED, 70, "Two machines waited for spare parts.")],
              challenges=["idle_assets"]),
    _activity(A5, "A5-10", "Article 7 report from the national database", "DMAC", C.POLITICAL,
              ("year", 1, 15), ("year", 4, 30), "10000", USD,
              [(("year", 2, 15), A.IN_PROGRESS, 40, "Figures extracted and checked."),
               (("year", 4, 28), A.COMPLETED, 100, "Report sent before 30 April.")]),
    _activity(A5, "A5-11", "Hand released land over to the communities of Sidi Moraz", "DMAC",
              C.PARTICIPATION, ("P6", 0), ("today", 120), "60000", USD,
              [(("today", -35), A.IN_PROGRESS, 25, "Certificates for twelve villages issued.")],
              challenges=["land_handover"]),
    _activity(A5, "A5-12", "Risk education in villages near hazardous areas", "AMRE",
              C.PARTICIPATION, ("P0", 0), ("today", 365), "250000", USD,
              [(("P2", 0), A.IN_PROGRESS, 25, STARTED),
               (("P6", 0), A.IN_PROGRESS, 65, "Sessions in every affected district.")]),
    _activity(A5, "A5-13", "Quality assurance and quality control of land release", "DMAC",
              C.TECHNICAL, ("P0", 0), ("deadline", 0), "480000", USD,
              [(("P4", 0), A.IN_PROGRESS, 50, "Visits on plan.")]),
    _activity(A5, "A5-14", "Survey the newly reported areas near the northern border villages",
              "FSI", C.TECHNICAL, ("P5", 0), ("today", -45), "150000", USD,
              [(("P6", 0), A.IN_PROGRESS, 20, STARTED),
               (("P7", 0), A.DELAYED, 40, "Access refused in two villages until consulted.")]),
    # The platform's annual plan
    _activity(AP, "AP-01", "Four quarterly plenaries", "UNDP", C.POLITICAL,
              ("year", 1, 1), ("year", 12, 31), "48000", USD,
              [(("year", 3, 31), A.IN_PROGRESS, 25, "First plenary held."),
               (("year", 6, 30), A.IN_PROGRESS, 50, "Second plenary held."),
               (("year", 9, 30), A.IN_PROGRESS, 75, "Third plenary held.")]),
    _activity(AP, "AP-02", "Quarterly meetings of the technical working group", "DMAC",
              C.TECHNICAL, ("year", 1, 1), ("year", 12, 31), "12000", USD,
              [(("year", 4, 30), A.IN_PROGRESS, 25, STARTED),
               (("year", 10, 31), A.IN_PROGRESS, 75, "Three meetings held.")]),
    _activity(AP, "AP-03", "Annual prioritisation round", "UNDP", C.PARTICIPATION,
              ("year", 8, 1), ("year", 10, 31), None, "",
              [(("year", 8, 20), A.IN_PROGRESS, 40, "Round open to the members."),
               (("year", 10, 15), A.COMPLETED, 100, "Results presented to the plenary.")]),
    _activity(AP, "AP-04", "Publish the inclusion figures of every meeting with its minutes",
              "UN Women", C.PARTICIPATION, ("year", 1, 1), ("year", 12, 31), None, "",
              [(("year", 7, 1), A.IN_PROGRESS, 50, "Figures of two plenaries published.")]),
    _activity(AP, "AP-05", "Donor round table", "Kingdom of Nordvalia",
              C.RESOURCE_MOBILISATION, ("year", 5, 1), ("year", 6, 30), "20000", EUR,
              [(("year", 6, 25), A.COMPLETED, 100, "Round table held in the capital.")]),
    _activity(AP, "AP-06", "Platform report to the Meeting of the States Parties", "MFAIC",
              C.POLITICAL, ("year", 9, 1), ("year", 11, 20), "5000", USD,
              [(("year", 9, 20), A.IN_PROGRESS, 30, STARTED),
               (("year", 11, 15), A.COMPLETED, 100, "Statement delivered.")]),
    _activity(AP, "AP-07", "Translate the platform's key documents into Arabic and "
              "easy-to-read French", "HID", C.PARTICIPATION, ("year", 3, 1), ("year", 9, 30),
              "15000", USD,
              [(("year", 4, 15), A.IN_PROGRESS, 20, STARTED),
               (("year", 8, 1), A.DELAYED, 35, "The translator left; a new one is sought.")]),
    _activity(AP, "AP-08", "Field visit of the members to Kessane", "DDA", C.TECHNICAL,
              ("year", 4, 1), ("year", 4, 30), "8000", USD,
              [(("year", 4, 24), A.COMPLETED, 100, "Twenty members visited two survey tasks.")]),
    _activity(AP, "AP-09", "Joint reporting format of the country coalition",
              "Kingdom of Nordvalia", C.RESOURCE_MOBILISATION, ("year", 1, 15), ("year", 6, 30),
              None, "",
              [(("year", 3, 1), A.IN_PROGRESS, 50, "Draft format shared with donors."),
               (("year", 6, 20), A.COMPLETED, 100, "Format agreed by six donors.")]),
    _activity(AP, "AP-10", "Train community representatives in the platform's procedures",
              "NPACF", C.PARTICIPATION, ("year", 10, 1), ("year", 12, 15), "6000", USD,
              [(("year", 10, 20), A.IN_PROGRESS, 30, "First session held.")]),
    _activity(AP, "AP-11", "Mid-year review of the annual plan", "UNDP", C.POLITICAL,
              ("year", 7, 1), ("year", 7, 31), None, "",
              [(("year", 7, 1), A.CANCELLED, 0, "Merged into the third plenary's agenda.")]),
]  # fmt: skip

# (plan, title, due, achieved on or None, activity code or None)
MILESTONES = [
    (NS, "Law on mine action in force", ("P5", 30), ("P5", 40), "1.1"),
    (NS, "Mid-term review of the strategy adopted", ("today", -30), None, "1.4"),
    (NS, "Development plan adopted with a mine action chapter", ("today", 300), None, "1.2"),
    (NS, "Revised NMAS chapters adopted", ("today", 150), None, "2.1"),
    (NS, "Extension request submitted to the Convention", ("deadline", -336), None, "1.3"),
    (A5, "Community reports in Kessane all visited", ("today", 90), None, "A5-01"),
    (A5, "Border minefields in Sidi Moraz, phase 1, released", ("today", -30), None, "A5-04"),
    (A5, "Resurvey of Arvelle completed", ("P5", 0), ("P5", 0), "A5-02"),
    (AP, "Priorities of the year agreed", ("year", 10, 31), ("year", 10, 15), "AP-03"),
    (A5, "Article 7 report submitted", ("year", 4, 30), ("year", 4, 28), "A5-10"),
]
