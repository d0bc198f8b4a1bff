"""The demo's partnerships (Maputo Action Plan action 21) as plain facts: their parties, focal
points, commitments, indicators and what their progress reports say, and the State's own
assessment of the Convention's action plan.

Dates are anchors resolved on the day of loading (`partnership_load.day`): ("year", offset,
month, day) is a day of this year (offset 0) or of an earlier or later year; ("today", days)
and ("deadline", days) count days from today or from the Article 5 deadline in force. Events
that must lie in the past whatever the day use past years or ("today", -days).

Reporting: a partnership's periods run from its start at its frequency. The periods before the
last two get the outcomes of `reports` in order (then "on_time"): "on_time" and "late" (first
submitted before or after the due date), "corrected" (submitted on time, then corrected by a
second version) and "missing" (never reported: overdue). The previous period is submitted on
time once the submission date has come, else still a draft; the current period is a draft
when `current_draft`, else not started. Across the partnerships the secretariat's view shows
every case, whatever the day.
"""

from decimal import Decimal

from mineaction.partnerships.models import CommitmentKind, CommitmentStatus, ReportingFrequency

K = CommitmentKind
S = CommitmentStatus

# Days after a period's end when its report is submitted: on time, late (after the due date),
# and the correction after the first version.
SUBMITTED_AFTER_DAYS = 20
LATE_AFTER_DUE_DAYS = 25
CORRECTED_AFTER_DAYS = 40
SUBMITTED_AT = (10, 30)  # the hour of a submission, in the demo country's time zone

# How the people an indicator counts usually divide by sex and age band.
SEX_AGE_SHARES = {
    ("female", "under_18"): Decimal("0.22"),
    ("male", "under_18"): Decimal("0.25"),
    ("female", "18_59"): Decimal("0.21"),
    ("male", "18_59"): Decimal("0.20"),
    ("female", "60_plus"): Decimal("0.06"),
    ("male", "60_plus"): Decimal("0.06"),
}
# Which periods of a "people" indicator are broken down how (by the period's number, from 0):
# every fifth period by sex only, every fifth (from the fourth) without the over-sixties (their
# ages were not recorded: a partial breakdown); the others in full.
SEX_ONLY_EVERY = (5, 1)
PARTIAL_EVERY = (5, 3)


def commitment(party, kind, description, due, status, delivered=None, **extra):
    return {
        "party": party,
        "kind": kind,
        "description": description,
        "due": due,
        "status": status,
        "delivered": delivered,
        "pledge": extra.get("pledge"),
        "amount": extra.get("amount"),
        "currency": extra.get("currency", ""),
        "challenges": extra.get("challenges", []),
        "plan_actions": extra.get("plan_actions", []),
        "key": extra.get("key"),
    }


def indicator(name, unit, baseline, target, values, **extra):
    return {
        "name": name,
        "unit": unit,
        "baseline": Decimal(baseline),
        "target": Decimal(target),
        "values": values,  # how its values are made: see partnership_load.VALUE_MAKERS
        "range": extra.get("range"),
        "by_sex_and_age": extra.get("by_sex_and_age", False),
        "dimensions": extra.get("dimensions", []),
        "commitment": extra.get("commitment"),
        "target_date": extra.get("target_date"),
        "provinces": extra.get("provinces", []),
        # How its people are broken down: "mixed" (see SEX_ONLY_EVERY and PARTIAL_EVERY),
        # "by_sex" (always by sex only: the ages of teachers are not asked) or "adults" (in
        # full, with no one under 18).
        "people": extra.get("people", "mixed"),
    }


PARTNERSHIPS = [
    {
        "key": "clearance",
        "title": "Completing Article 5 in Kessane and Sidi Moraz",
        "purpose": (
            "The national authority, two donors and a national operator join forces to release "
            "the remaining hazardous areas of Kessane and the southern border minefields of Sidi "
            "Moraz before the Article 5 deadline. The donors fund survey and clearance for "
            "several years, the operator fields the teams, and the authority tasks the work, "
            "checks its quality and hands the land over to the communities."
        ),
        "state_party": "NMAA",
        "partners": ["Kingdom of Nordvalia", "Republic of Westmark", "DDA"],
        "starts": ("year", -2, 1, 1),
        "ends": ("deadline", -1),
        "frequency": ReportingFrequency.HALF_YEARLY,
        "due_days": 45,
        "focal_points": [
            "authority@demo.example",
            "donor@demo.example",
            "johan.bianchi@westmark.example",
            "member@demo.example",
        ],
        "submitted_by": ["authority@demo.example", "member@demo.example"],
        "reports": ["on_time", "late", "corrected"],
        "current_draft": True,
        "plan_actions": ["partnership", "cooperation", "clearance", "survey"],
        "narrative": (
            "Between {start} and {end} the teams released {released} m² in Kessane and Sidi "
            "Moraz. {event} The partners met twice and agreed the task list for the next "
            "months."
        ),
        "events": [
            "Two more non-technical survey teams started work in Kessane.",
            "Heavy rains stopped work in the border minefields for six weeks.",
            "The national authority checked every task that started in the period.",
            "Handover certificates reached the first twelve villages.",
            "The second border minefield was cleared and handed over.",
            "Two machines waited for spare parts, which slowed technical survey.",
        ],
        "correction": (
            "Correction: the people living next to released land were counted twice for two "
            "villages of Kessane; the figure is corrected."
        ),
        "draft_narrative": (
            "Draft for the period that is still running: the figures of land released are "
            "those of the national database so far."
        ),
        "commitments": [
            commitment(
                "NMAA",
                K.POLICY,
                "Make the southern border minefields of Sidi Moraz and the community reports of "
                "Kessane the first priorities of the national task list, and publish the list "
                "every quarter.",
                ("year", -2, 3, 31),
                S.DELIVERED,
                ("year", -2, 3, 20),
                plan_actions=["priorit", "task"],
            ),
            commitment(
                "NMAA",
                K.TECHNICAL,
                "Visit every clearance task of the partnership for quality assurance within a "
                "month of its start, and share the findings with the operator.",
                ("deadline", -1),
                S.IN_PROGRESS,
                plan_actions=["quality"],
            ),
            commitment(
                "NMAA",
                K.POLICY,
                "Issue the handover certificates of released land to the communities within "
                "60 days of the completion report.",
                ("year", -1, 6, 30),
                S.DELIVERED,
                ("year", -1, 9, 12),
                challenges=["land_handover"],
                key="handover",
            ),
            commitment(
                "Kingdom of Nordvalia",
                K.FINANCIAL,
                "Fund the clearance of the southern border minefields of Sidi Moraz for three "
                "years (agreement signed).",
                ("year", -1, 3, 31),
                S.DELIVERED,
                ("year", -1, 3, 18),
                pledge="nordvalia_border",
                challenges=["border_funding_gap"],
            ),
            commitment(
                "Republic of Westmark",
                K.FINANCIAL,
                "Fund non-technical survey and clearance in Kessane for two years (agreement "
                "signed).",
                ("today", -120),
                S.DELIVERED,
                ("today", -75),
                pledge="westmark_kessane",
            ),
            commitment(
                "Republic of Westmark",
                K.TECHNICAL,
                "Second an explosive ordnance disposal adviser to the mine action centre for "
                "two years.",
                ("today", -60),
                S.PLANNED,
            ),
            commitment(
                "DDA",
                K.IN_KIND,
                "Field two more non-technical survey teams in Kessane, each with at least two "
                "women.",
                ("year", -2, 6, 30),
                S.DELIVERED,
                ("year", -2, 6, 2),
                challenges=["survey_backlog", "gender_survey_teams"],
                key="survey_teams",
                plan_actions=["gender", "women"],
            ),
            commitment(
                "DDA",
                K.TECHNICAL,
                "Send the completion report of every task to the national database within ten "
                "days of the end of the month.",
                ("deadline", -1),
                S.IN_PROGRESS,
                challenges=["data_exchange"],
                plan_actions=["information", "data"],
            ),
            commitment(
                "DDA",
                K.IN_KIND,
                "Bring a ground preparation machine to the sandy minefields of Sidi Moraz.",
                ("year", -1, 10, 31),
                S.NOT_DELIVERED,
            ),
            commitment(
                "Kingdom of Nordvalia",
                K.POLICY,
                "Propose multi-year funding to the deadline to the donors of the country "
                "coalition at the next round table.",
                ("today", 120),
                S.PLANNED,
                challenges=["annual_funding"],
                plan_actions=["resource", "funding"],
            ),
        ],
        "indicators": [
            indicator(
                "Land released in Kessane and Sidi Moraz",
                "m²",
                "0",
                "0",
                "released",
                provinces=["DL-02", "DL-05"],
                dimensions=[{"code": "province", "name": "Province"}],
            ),
            indicator(
                "People living next to land released and handed over",
                "people",
                "0",
                "60000",
                "people",
                range=(4000, 9000),
                by_sex_and_age=True,
                commitment="handover",
            ),
            indicator(
                "Women among the staff of survey and clearance teams",
                "%",
                "12",
                "30",
                "trend",
                commitment="survey_teams",
            ),
        ],
    },
    {
        "key": "risk_education",
        "title": "Safe behaviour: risk education in schools and villages",
        "purpose": (
            "The Ministry of Education, UNICEF, a national risk education association and the "
            "State of Maritima bring explosive ordnance risk education to every school and "
            "village near a hazardous area, with messages adapted to girls, boys, women and "
            "men of every age."
        ),
        "state_party": "MoE",
        "partners": ["UNICEF", "AMRE", "State of Maritima"],
        "starts": ("year", -2, 4, 1),
        "ends": ("year", 1, 3, 31),
        "frequency": ReportingFrequency.QUARTERLY,
        "due_days": 30,
        "focal_points": [
            "mohamed.fofana@education.demoland.example",
            "maria.kowalski@unicef.example",
            "joseph.ba@amre.demoland.example",
            "carlos.lopez@maritima.example",
        ],
        "submitted_by": ["joseph.ba@amre.demoland.example", "maria.kowalski@unicef.example"],
        "reports": ["on_time", "missing", "on_time", "late"],
        "current_draft": False,
        "plan_actions": ["risk education", "awareness"],
        "narrative": (
            "From {start} to {end} the facilitators held sessions in schools and villages of "
            "the affected districts. {event}"
        ),
        "events": [
            "Sessions for women were held at the weekly markets, where they are easier to meet.",
            "The booklets in easy-to-read French and Arabic were used for the first time.",
            "Schools were closed for the holidays; the sessions moved to the villages.",
            "Two new facilitators, both survivors, joined the teams.",
            "A child's report of a device near a school led to its removal within two days.",
        ],
        "draft_narrative": "Draft: the facilitators' attendance sheets are being counted.",
        "commitments": [
            commitment(
                "MoE",
                K.POLICY,
                "Include the risk education module in the primary school curriculum of the "
                "affected districts.",
                ("year", -1, 9, 1),
                S.DELIVERED,
                ("year", -1, 11, 20),
                challenges=["school_risk_education"],
                plan_actions=["risk education"],
            ),
            commitment(
                "UNICEF",
                K.IN_KIND,
                "Print and deliver 40,000 illustrated booklets in French and Arabic, and 2,000 "
                "in easy-to-read versions.",
                ("year", -2, 9, 30),
                S.DELIVERED,
                ("year", -2, 9, 12),
                challenges=["accessible_documents"],
            ),
            commitment(
                "UNICEF",
                K.FINANCIAL,
                "Fund risk education for children in the affected districts for three years.",
                ("year", -1, 2, 28),
                S.DELIVERED,
                ("year", -1, 2, 10),
                pledge="unicef_children",
            ),
            commitment(
                "State of Maritima",
                K.FINANCIAL,
                "Fund the sessions in villages for three years.",
                ("year", -1, 3, 31),
                S.DELIVERED,
                ("year", -1, 3, 25),
                pledge="maritima_schools",
            ),
            commitment(
                "AMRE",
                K.TECHNICAL,
                "Train 120 teachers of the affected districts to teach the module, half of them "
                "women.",
                ("today", 90),
                S.IN_PROGRESS,
                key="teachers",
            ),
            commitment(
                "AMRE",
                K.TECHNICAL,
                "Hold a session in every village within two kilometres of a hazardous area at "
                "least once a year.",
                ("year", -1, 12, 31),
                S.IN_PROGRESS,
            ),
        ],
        "indicators": [
            indicator(
                "People reached by risk education sessions",
                "people",
                "0",
                "120000",
                "people",
                range=(5000, 11000),
                by_sex_and_age=True,
            ),
            indicator(
                "Teachers trained to teach the module",
                "people",
                "0",
                "120",
                "people",
                range=(6, 18),
                by_sex_and_age=True,
                commitment="teachers",
                people="by_sex",
            ),
            indicator(
                "Schools teaching the module", "schools", "0", "180", "cumulative", range=(8, 20)
            ),
        ],
    },
    {
        "key": "survivors",
        "title": "Survivors' referral and rehabilitation",
        "purpose": (
            "The Ministry of Social Affairs and Solidarity, survivors' organisations and their "
            "partners make sure that every survivor of an explosive ordnance accident, and their "
            "family, is referred to medical care, rehabilitation, psychological support and "
            "help to earn a living, wherever they live."
        ),
        "state_party": "MSAS",
        "partners": ["GSS", "DLSN", "HRI", "Republic of Valmora"],
        "starts": ("year", -2, 7, 1),
        "ends": ("year", 2, 6, 30),
        "frequency": ReportingFrequency.HALF_YEARLY,
        "due_days": 60,
        "focal_points": [
            "nabil.mercier@social.demoland.example",
            "zainab.chraibi@survivorsupport.example",
            "hassan.ouldcheikh@survivors.demoland.example",
            "ewa.lindgren@hri.example",
            "ivan.kovalenko@valmora.example",
        ],
        "submitted_by": ["nabil.mercier@social.demoland.example"],
        "reports": ["late", "on_time"],
        "current_draft": True,
        "plan_actions": ["victim", "survivor"],
        "narrative": (
            "In the half-year from {start} to {end} the partners followed up the survivors "
            "referred to them. {event}"
        ),
        "events": [
            "The rehabilitation centre of Ouarzel fitted its first prostheses made in the country.",
            "Peer supporters visited survivors in the remote villages of Sidi Moraz.",
            "Twelve survivors started a business with a small grant and training.",
            "Survivors' organisations took part in drafting the national referral pathway.",
        ],
        "draft_narrative": "Draft: the partners are collecting the figures of the period.",
        "commitments": [
            commitment(
                "MSAS",
                K.POLICY,
                "Adopt a national referral pathway for survivors and their families, with one "
                "focal point in every province.",
                ("today", -30),
                S.IN_PROGRESS,
                challenges=["victim_referral"],
                plan_actions=["victim", "referral"],
            ),
            commitment(
                "Republic of Valmora",
                K.FINANCIAL,
                "Fund the referral and rehabilitation services for three years.",
                ("year", -1, 4, 30),
                S.DELIVERED,
                ("year", -1, 4, 2),
                pledge="valmora_survivors",
            ),
            commitment(
                "HRI",
                K.IN_KIND,
                "Provide prostheses, orthoses and physiotherapy free of charge at the "
                "rehabilitation centre of Ouarzel.",
                ("year", -2, 12, 31),
                S.DELIVERED,
                ("year", -2, 11, 28),
            ),
            commitment(
                "DLSN",
                K.TECHNICAL,
                "Visit every newly recorded survivor within a month to offer peer support.",
                ("year", 2, 6, 30),
                S.IN_PROGRESS,
            ),
            commitment(
                "GSS",
                K.TECHNICAL,
                "Set up a case management system shared by the service providers.",
                ("year", -1, 12, 31),
                S.CANCELLED,
                challenges=["survivor_data"],
            ),
            commitment(
                "MSAS",
                K.POLICY,
                "Register survivors for the disability allowance without a new medical "
                "examination.",
                ("year", -1, 6, 30),
                S.DELIVERED,
                ("today", -20),
            ),
        ],
        "indicators": [
            indicator(
                "Survivors and family members who received services",
                "people",
                "0",
                "2400",
                "people",
                range=(150, 320),
                by_sex_and_age=True,
            ),
            indicator(
                "Survivors who started paid work or a business",
                "people",
                "0",
                "150",
                "people",
                range=(10, 30),
                by_sex_and_age=True,
                people="adults",
            ),
        ],
    },
    {
        "key": "standards",
        "title": "National standards and information management to completion",
        "purpose": (
            "The mine action centre, the Confederation of Helvara and the International Centre "
            "for Demining Standards bring the national standards up to date with the "
            "international ones and keep the national database complete until the Article 5 "
            "completion declaration."
        ),
        "state_party": "DMAC",
        "partners": ["Confederation of Helvara", "ICDS"],
        "starts": ("year", 1, 1, 1),
        "ends": ("year", 3, 12, 31),
        "frequency": ReportingFrequency.YEARLY,
        "due_days": 60,
        "focal_points": [
            "paul.nzeyimana@dmac.demoland.example",
            "greta.fernandez@helvara.example",
            "yacine.kamara@icds.example",
        ],
        "submitted_by": [],
        "reports": [],
        "current_draft": False,
        "plan_actions": ["standard", "information"],
        "commitments": [
            commitment(
                "DMAC",
                K.POLICY,
                "Adopt the revised chapters of the national standards on land release, "
                "technical survey and clearance.",
                ("year", 1, 6, 30),
                S.PLANNED,
                challenges=["nmas_revision"],
            ),
            commitment(
                "ICDS",
                K.TECHNICAL,
                "Review the draft chapters against the current international standards and "
                "train the quality assurance officers.",
                ("year", 1, 9, 30),
                S.PLANNED,
            ),
            commitment(
                "Confederation of Helvara",
                K.FINANCIAL,
                "Fund the reviews and the training of the partnership.",
                ("year", 1, 3, 31),
                S.PLANNED,
                amount=Decimal("400000"),
                currency="CHF",
            ),
        ],
        "indicators": [
            indicator("National standard chapters revised and adopted", "chapters", "0", "6", None),
        ],
    },
]

# The State's assessment of the actions of the Convention's action plans that apply to it, for
# the last years of each plan up to this one. An action is matched to a topic by the words of its
# short title (the first topic that matches); its status moves forward year by year, never back.
# (words, statuses by year from the oldest, evidence by status)
ASSESSED_YEARS = 3
ASSESSMENT_TOPICS = [
    (("clearance", "survey", "release", "contaminat", "article 5", "deadline"),
     ["in_progress", "in_progress", "in_progress"],
     {"in_progress": "The national database records {released} m² released in {year}; the "
                     "revised milestones ask for more, and the extension request explains why."}),
    (("risk education", "awareness"),
     ["in_progress", "in_progress", "achieved"],
     {"in_progress": "Risk education reached the affected districts in {year}; the school "
                     "module was not yet in the curriculum.",
      "achieved": "The school module is in the curriculum and every affected district had "
                  "sessions in {year}."}),
    (("victim", "survivor", "disab"),
     ["not_started", "in_progress", "in_progress"],
     {"not_started": "No national referral pathway existed in {year}.",
      "in_progress": "A national referral pathway is being drafted with survivors' "
                     "organisations; services are mapped in three provinces ({year})."}),
    (("gender", "women", "divers", "inclusi"),
     ["in_progress", "in_progress", "achieved"],
     {"in_progress": "Women were a growing share of survey teams in {year}; the inclusion "
                     "figures of every meeting are published.",
      "achieved": "Gender and diversity are part of the national strategy's indicators, "
                  "reported every year since {year}."}),
    (("partnership", "cooperation", "assistance", "resource", "fund", "platform", "dialogue"),
     ["in_progress", "achieved", "achieved"],
     {"in_progress": "The national platform met every quarter in {year}; partnerships were "
                     "being negotiated.",
      "achieved": "The platform met every quarter in {year}, with partnerships, pledges and "
                  "progress reports recorded on it."}),
    (("standard", "information", "data", "quality", "report"),
     ["in_progress", "in_progress", "in_progress"],
     {"in_progress": "Operators report monthly to the national database; the standards' "
                     "revision was under way in {year}."}),
]  # fmt: skip
DEFAULT_ASSESSMENT = (
    ["not_started", "in_progress", "in_progress"],
    {
        "not_started": "Not yet discussed by the national platform in {year}.",
        "in_progress": "Discussed at the national platform's plenaries of {year}; the work is "
        "recorded in the minutes and the work plans.",
    },
)
# The plan action whose yearly indicator is the area released (its first match).
RELEASE_INDICATOR_WORDS = ("clearance", "release", "survey", "article 5")
