"""The demo country's fixed facts: who the organisations are, the named people, the log-ins.

Everything here is fictional. The Republic of Demoland uses ISO 3166 code XDL, from the range
the standard reserves for user-assigned codes, so it can never clash with a real State; the donor
States use the same range. E-mail domains end in `.example` (RFC 2606), so no message can reach
a real mailbox. The generated part of the data (the rest of the people, their terms, the working
group members) comes from `random.Random(SEED)` in `plan.py`.
"""

import datetime

from mineaction.core.choices import Component, Role
from mineaction.stakeholders.models import AgeBand, OrganisationType, Sex, SurvivorStatus

SEED = 20260301
DEMO_PASSWORD = "demo-platform-2026"
# Published on purpose: testers pass two-factor with it (see README and `mineaction demo_totp`).
DEMO_TOTP_SECRET = "DEMOLANDDEMOLANDDEMOLANDDEMOLAND"
DEMO_ACCOUNT_DOMAIN = "demo.example"

COUNTRY = {
    "name": "Republic of Demoland",
    "iso3": "XDL",
    "official_languages": ["fr", "ar"],
    "currency": "USD",
    "convention_entry_into_force": datetime.date(2003, 3, 1),
    "original_article5_deadline": datetime.date(2013, 3, 1),
}
DEADLINE_EXTENSIONS = [
    {
        "decided_on": datetime.date(2012, 12, 7),
        "new_deadline": datetime.date(2018, 3, 1),
        "decision": (
            "Decision of the Twelfth Meeting of the States Parties on the request submitted by "
            "the Republic of Demoland for an extension of its Article 5 deadline"
        ),
    },
    {
        "decided_on": datetime.date(2018, 11, 30),
        "new_deadline": datetime.date(2028, 3, 1),
        "decision": (
            "Decision of the Seventeenth Meeting of the States Parties on the second request "
            "submitted by the Republic of Demoland for an extension of its Article 5 deadline"
        ),
    },
]

T = OrganisationType
DOMESTIC = "XDL"

# (name, acronym, type, country, e-mail domain, number of people)
ORGANISATIONS = [
    ("National Mine Action Authority of Demoland", "NMAA", T.NATIONAL_AUTHORITY, DOMESTIC,
     "nmaa.demoland.example", 6),
    ("Demoland Mine Action Centre", "DMAC", T.NATIONAL_AUTHORITY, DOMESTIC,
     "dmac.demoland.example", 15),
    ("Ministry of Foreign Affairs and International Cooperation", "MFAIC",
     T.GOVERNMENT_MINISTRY, DOMESTIC, "mfaic.demoland.example", 3),
    ("Ministry of Defence", "MoD", T.GOVERNMENT_MINISTRY, DOMESTIC, "defence.demoland.example", 3),
    ("Ministry of the Interior and Civil Protection", "MICP", T.GOVERNMENT_MINISTRY, DOMESTIC,
     "interior.demoland.example", 2),
    ("Ministry of Finance and Economic Planning", "MFEP", T.GOVERNMENT_MINISTRY, DOMESTIC,
     "finance.demoland.example", 2),
    ("Ministry of Health", "MoH", T.GOVERNMENT_MINISTRY, DOMESTIC, "health.demoland.example", 2),
    ("Ministry of Social Affairs and Solidarity", "MSAS", T.GOVERNMENT_MINISTRY, DOMESTIC,
     "social.demoland.example", 2),
    ("Ministry of Education", "MoE", T.GOVERNMENT_MINISTRY, DOMESTIC,
     "education.demoland.example", 1),
    ("Ministry of Agriculture and Rural Development", "MARD", T.GOVERNMENT_MINISTRY, DOMESTIC,
     "agriculture.demoland.example", 2),
    ("Ministry of Public Works and Infrastructure", "MPWI", T.GOVERNMENT_MINISTRY, DOMESTIC,
     "publicworks.demoland.example", 1),
    ("Kingdom of Nordvalia", "", T.DONOR_STATE, "XNV", "nordvalia.example", 3),
    ("Republic of Westmark", "", T.DONOR_STATE, "XWM", "westmark.example", 2),
    ("Kingdom of Esperia", "", T.DONOR_STATE, "XES", "esperia.example", 2),
    ("Federal Republic of Austerland", "", T.DONOR_STATE, "XAU", "austerland.example", 2),
    ("Grand Duchy of Lorvania", "", T.DONOR_STATE, "XLV", "lorvania.example", 1),
    ("Commonwealth of Caledria", "", T.DONOR_STATE, "XCD", "caledria.example", 1),
    ("Republic of Valmora", "", T.DONOR_STATE, "XVM", "valmora.example", 2),
    ("Federation of Ostrovia", "", T.DONOR_STATE, "XOS", "ostrovia.example", 1),
    ("Confederation of Helvara", "", T.DONOR_STATE, "XHV", "helvara.example", 2),
    ("Republic of Sundara", "", T.DONOR_STATE, "XSD", "sundara.example", 1),
    ("State of Maritima", "", T.DONOR_STATE, "XMT", "maritima.example", 1),
    ("Principality of Aurelia", "", T.DONOR_STATE, "XAR", "aurelia.example", 1),
    ("United Nations Development Programme", "UNDP", T.UN_AGENCY, DOMESTIC, "undp.example", 5),
    ("United Nations Mine Action Service", "UNMAS", T.UN_AGENCY, DOMESTIC, "unmas.example", 5),
    ("United Nations Children's Fund", "UNICEF", T.UN_AGENCY, DOMESTIC, "unicef.example", 3),
    ("UN Women", "UN Women", T.UN_AGENCY, DOMESTIC, "unwomen.example", 2),
    ("World Food Programme", "WFP", T.UN_AGENCY, DOMESTIC, "wfp.example", 1),
    ("Continental Union Delegation to Demoland", "CUD", T.INTERNATIONAL_ORGANISATION, DOMESTIC,
     "cud.example", 2),
    ("Southern Basin Development Bank", "SBDB", T.INTERNATIONAL_ORGANISATION, "XMT",
     "sbdb.example", 1),
    ("International Centre for Demining Standards", "ICDS", T.INTERNATIONAL_ORGANISATION, "XHV",
     "icds.example", 2),
    ("International Committee for Humanitarian Relief", "ICHR", T.INTERNATIONAL_ORGANISATION,
     "XHV", "ichr.example", 2),
    ("Fieldsafe International", "FSI", T.INTERNATIONAL_NGO, "XWM", "fieldsafe.example", 5),
    ("ClearGround Humanitarian", "CGH", T.INTERNATIONAL_NGO, "XCD", "clearground.example", 4),
    ("Mines Free Future", "MFF", T.INTERNATIONAL_NGO, "XNV", "minesfree.example", 3),
    ("Humanity and Rehabilitation International", "HRI", T.INTERNATIONAL_NGO, "XES",
     "hri.example", 3),
    ("Safe Steps Alliance", "SSA", T.INTERNATIONAL_NGO, "XAU", "safesteps.example", 3),
    ("Northern Aid Demining Group", "NADG", T.INTERNATIONAL_NGO, "XNV", "nadg.example", 3),
    ("Land Return Trust", "LRT", T.INTERNATIONAL_NGO, "XLV", "landreturn.example", 2),
    ("Global Survivors Support", "GSS", T.INTERNATIONAL_NGO, "XVM", "survivorsupport.example", 2),
    ("Demoland Demining Association", "DDA", T.NATIONAL_NGO, DOMESTIC, "dda.demoland.example", 4),
    ("Association for Mine Risk Education", "AMRE", T.NATIONAL_NGO, DOMESTIC,
     "amre.demoland.example", 3),
    ("Women for Safe Land", "WSL", T.NATIONAL_NGO, DOMESTIC, "wsl.demoland.example", 3),
    ("Rural Development and Clearance Society", "RDCS", T.NATIONAL_NGO, DOMESTIC,
     "rdcs.demoland.example", 3),
    ("Demoland Red Crescent Society", "DRCS", T.NATIONAL_NGO, DOMESTIC,
     "redcrescent.demoland.example", 3),
    ("Youth for a Mine-Free Demoland", "YMFD", T.NATIONAL_NGO, DOMESTIC,
     "ymfd.demoland.example", 2),
    ("Handicap Inclusion Demoland", "HID", T.NATIONAL_NGO, DOMESTIC, "hid.demoland.example", 2),
    ("Eastern Provinces Humanitarian Action", "EPHA", T.NATIONAL_NGO, DOMESTIC,
     "epha.demoland.example", 3),
    ("Green Valleys Land Rights Association", "GVLRA", T.NATIONAL_NGO, DOMESTIC,
     "gvlra.demoland.example", 2),
    ("Demoland Campaign to Ban Landmines", "DCBL", T.NATIONAL_NGO, DOMESTIC,
     "dcbl.demoland.example", 2),
    ("Sentinel Clearance Services Ltd", "SCS", T.COMMERCIAL_OPERATOR, "XWM",
     "sentinel-clearance.example", 2),
    ("Terra Secure Demining SA", "TSD", T.COMMERCIAL_OPERATOR, "XES", "terrasecure.example", 1),
    ("Demoland EOD Solutions", "DEOS", T.COMMERCIAL_OPERATOR, DOMESTIC,
     "eod-solutions.demoland.example", 1),
    ("University of Demoland, Centre for Peace and Development Studies", "UD-CPDS", T.ACADEMIC,
     DOMESTIC, "univ.demoland.example", 2),
    ("Demoland Institute of Geography and Land Survey", "DIGLS", T.ACADEMIC, DOMESTIC,
     "digls.demoland.example", 1),
    ("Demoland Landmine Survivors Network", "DLSN", T.AFFECTED_COMMUNITY, DOMESTIC,
     "survivors.demoland.example", 3),
    ("Northern Provinces Affected Communities Forum", "NPACF", T.AFFECTED_COMMUNITY, DOMESTIC,
     "npacf.demoland.example", 2),
    ("Association of Women Survivors and Families", "AWSF", T.AFFECTED_COMMUNITY, DOMESTIC,
     "awsf.demoland.example", 2),
    ("National Human Rights Commission of Demoland", "NHRC", T.OTHER, DOMESTIC,
     "nhrc.demoland.example", 2),
    ("Demoland Broadcasting Corporation", "DBC", T.OTHER, DOMESTIC, "dbc.demoland.example", 1),
]  # fmt: skip

DESCRIPTIONS = {
    T.NATIONAL_AUTHORITY: "Leads the national mine action programme and chairs the platform.",
    T.GOVERNMENT_MINISTRY: "Government focal point for mine action in its sector.",
    T.DONOR_STATE: "Embassy focal point for mine action funding and cooperation.",
    T.UN_AGENCY: "United Nations country office supporting the national programme.",
    T.INTERNATIONAL_ORGANISATION: "International partner of the national programme.",
    T.INTERNATIONAL_NGO: "International humanitarian organisation working in Demoland.",
    T.NATIONAL_NGO: "Demoland civil-society organisation.",
    T.COMMERCIAL_OPERATOR: "Commercial clearance and survey contractor.",
    T.ACADEMIC: "Research and teaching on land, development and mine action.",
    T.AFFECTED_COMMUNITY: "Represents people and communities affected by explosive ordnance.",
    T.OTHER: "Independent national institution.",
}

# The lead donor rotation, oldest first. Two-year terms starting on 1 January of even years; the
# term of CURRENT_LEAD_DONOR always covers the date of loading, the last one is in the future.
LEAD_DONOR_ROTATION = [
    "Commonwealth of Caledria",
    "Grand Duchy of Lorvania",
    "Federal Republic of Austerland",
    "Kingdom of Esperia",
    "Republic of Westmark",
    "Kingdom of Nordvalia",
    "Republic of Valmora",
]
CURRENT_LEAD_DONOR = "Kingdom of Nordvalia"


def _person(
    organisation, given, family, sex, age, title, language, *, email=None, roles=(), **extra
):
    return {
        "organisation": organisation,
        "given_name": given,
        "family_name": family,
        "sex": sex,
        "age_band": age,
        "job_title": title,
        "language": language,
        "email": email,
        "roles": list(roles),
        "survivor_status": extra.get("survivor_status", SurvivorStatus.UNKNOWN),
        "key": extra.get("key"),
        "convenes": extra.get("convenes"),
    }


D = datetime.date
F, M = Sex.FEMALE, Sex.MALE
A18, A30 = AgeBand.FROM_18_TO_29, AgeBand.FROM_30_TO_44
A45, A60 = AgeBand.FROM_45_TO_59, AgeBand.FROM_60

# People with a fixed identity: the demo log-ins (in English, the README's language), past office
# holders and the working group conveners. roles: (role, starts_on, ends_on or None); key: the
# log-in it belongs to; convenes: the component of the working group the person convenes.
NAMED_PEOPLE = [
    _person("DMAC", "Samuel", "Okafor", M, A30, "ICT and Systems Administrator", "en",
            email="admin@demo.example", key="admin"),
    _person("NMAA", "Amina", "Haddad", F, A45, "Director General", "en",
            email="authority@demo.example", key="authority",
            convenes=Component.POLITICAL,
            roles=[(Role.MEMBER, D(2019, 3, 1), D(2022, 12, 31)),
                   (Role.LEAD_AUTHORITY, D(2023, 1, 1), None)]),
    _person("NMAA", "Omar", "Benyahia", M, A60, "Senior Adviser to the Director General", "ar",
            roles=[(Role.LEAD_AUTHORITY, D(2017, 2, 1), D(2022, 12, 31)),
                   (Role.MEMBER, D(2023, 1, 1), None)]),
    _person("UNDP", "Lucía", "Ferrer", F, A30, "Mine Action Platform Facilitator", "en",
            email="secretariat@demo.example", key="secretariat",
            roles=[(Role.SECRETARIAT, D(2022, 4, 1), None)]),
    _person("UNDP", "Jean-Baptiste", "Mugisha", M, A30, "Programme Analyst, Mine Action", "fr",
            roles=[(Role.SECRETARIAT, D(2024, 2, 1), None)]),
    _person("UNDP", "Hiroshi", "Tanaka", M, A45, "Senior Programme Adviser", "en",
            roles=[(Role.SECRETARIAT, D(2018, 1, 15), D(2022, 3, 31)),
                   (Role.MEMBER, D(2022, 4, 1), None)]),
    _person("DMAC", "Karim", "Mansour", M, A30, "Information Management Officer", "en",
            email="data@demo.example", key="data",
            roles=[(Role.DATA_MANAGER, D(2021, 6, 1), None)]),
    _person("DMAC", "Nadia", "Rahal", F, A18, "GIS and Database Assistant", "fr",
            roles=[(Role.DATA_MANAGER, D(2024, 9, 1), None)]),
    _person("DMAC", "Paul", "Nzeyimana", M, A45, "Director", "fr",
            roles=[(Role.MEMBER, D(2019, 1, 1), None)]),
    _person("DMAC", "Idriss", "Kaddour", M, A45, "Head of Operations", "ar",
            convenes=Component.TECHNICAL,
            roles=[(Role.MEMBER, D(2019, 1, 1), None)]),
    _person("DMAC", "Moussa", "Sanogo", M, A30, "Community Liaison Officer", "fr",
            survivor_status=SurvivorStatus.SURVIVOR,
            roles=[(Role.MEMBER, D(2021, 1, 1), None)]),
    _person("Kingdom of Nordvalia", "Ingrid", "Solheim", F, A45,
            "First Secretary, Development Cooperation", "en",
            email="donor@demo.example", key="donor",
            convenes=Component.RESOURCE_MOBILISATION,
            roles=[(Role.MEMBER, D(2024, 1, 15), None)]),
    _person("DDA", "Youssef", "Tazi", M, A30, "Operations Coordinator", "en",
            email="member@demo.example", key="member",
            roles=[(Role.MEMBER, D(2020, 9, 1), None)]),
    _person("UD-CPDS", "Elena", "Sokolova", F, A45, "Senior Research Fellow", "en",
            email="observer@demo.example", key="observer",
            roles=[(Role.OBSERVER, D(2024, 5, 1), None)]),
    _person("MFAIC", "Rachid", "El Amrani", M, A45,
            "Director, Disarmament and International Security", "fr",
            convenes=Component.POLITICAL,
            roles=[(Role.MEMBER, D(2019, 3, 1), None)]),
    _person("MFEP", "Salma", "Bouzid", F, A45, "Director of External Financing", "ar",
            convenes=Component.RESOURCE_MOBILISATION, roles=[(Role.MEMBER, D(2020, 2, 1), None)]),
    _person("UNMAS", "Andreas", "Lindqvist", M, A45, "Programme Manager", "en",
            convenes=Component.TECHNICAL,
            roles=[(Role.MEMBER, D(2022, 7, 1), D(2027, 6, 30))]),
    _person("UN Women", "Priya", "Sharma", F, A30, "Gender and Inclusion Specialist", "en",
            convenes=Component.PARTICIPATION, roles=[(Role.MEMBER, D(2023, 5, 1), None)]),
    _person("DLSN", "Hassan", "Ould Cheikh", M, A45, "Chairperson", "ar",
            convenes=Component.PARTICIPATION,
            survivor_status=SurvivorStatus.SURVIVOR,
            roles=[(Role.MEMBER, D(2020, 1, 1), None)]),
    _person("AWSF", "Mariama", "Dembélé", F, A30, "Secretary General", "fr",
            survivor_status=SurvivorStatus.INDIRECT_VICTIM,
            roles=[(Role.MEMBER, D(2022, 10, 1), None)]),
]  # fmt: skip

# The log-ins: key in NAMED_PEOPLE, the role a tester should see, and two-factor set up or not.
DEMO_ACCOUNTS = [
    ("admin", "administrator", True),
    ("authority", "lead_authority", True),
    ("secretariat", "secretariat", True),
    ("data", "data_manager", False),
    ("donor", "lead_donor", False),
    ("member", "member", False),
    ("observer", "observer", False),
]

WORKING_GROUPS = [
    {
        "name": "Political and Policy Working Group",
        "component": Component.POLITICAL,
        "mandate": (
            "Keeps mine action on the national agenda: legislation, the national strategy, "
            "integration into development plans and the Article 5 extension process."
        ),
        "member_types": [T.NATIONAL_AUTHORITY, T.GOVERNMENT_MINISTRY, T.DONOR_STATE, T.UN_AGENCY],
        "size": 10,
    },
    {
        "name": "Technical Working Group",
        "component": Component.TECHNICAL,
        "mandate": (
            "National mine action standards, survey and clearance methods, tasking and "
            "prioritisation, information management and quality management."
        ),
        "member_types": [
            T.NATIONAL_AUTHORITY,
            T.INTERNATIONAL_NGO,
            T.NATIONAL_NGO,
            T.COMMERCIAL_OPERATOR,
            T.UN_AGENCY,
            T.ACADEMIC,
        ],
        "size": 14,
    },
    {
        "name": "Participation and Inclusion Working Group",
        "component": Component.PARTICIPATION,
        "mandate": (
            "Makes sure women, girls, boys and men of all ages, survivors, persons with "
            "disabilities and affected communities take part in the platform's work."
        ),
        "member_types": [
            T.AFFECTED_COMMUNITY,
            T.NATIONAL_NGO,
            T.UN_AGENCY,
            T.GOVERNMENT_MINISTRY,
            T.ACADEMIC,
        ],
        "size": 9,
    },
    {
        "name": "Resource Mobilisation Working Group",
        "component": Component.RESOURCE_MOBILISATION,
        "mandate": (
            "Matches the funding requirement of the Article 5 work plan with national and "
            "international resources, and follows pledges through to disbursement."
        ),
        "member_types": [
            T.DONOR_STATE,
            T.INTERNATIONAL_ORGANISATION,
            T.UN_AGENCY,
            T.NATIONAL_AUTHORITY,
            T.GOVERNMENT_MINISTRY,
        ],
        "size": 10,
    },
]

# Pools for the generated people. Demoland names mix its two official languages' traditions.
DOMESTIC_GIVEN = {
    F: ["Fatima", "Khadija", "Leila", "Mariam", "Yasmine", "Aïcha", "Zainab", "Awa", "Aminata",
        "Claire", "Hélène", "Rania", "Samira", "Houda", "Nour", "Imane", "Sara", "Esther",
        "Grace", "Safiatou", "Djeneba", "Malika", "Sophie", "Kadiatou"],
    M: ["Ahmed", "Mohamed", "Ibrahim", "Amadou", "Ousmane", "Mamadou", "Jean", "Pierre",
        "Samir", "Tarek", "Khalid", "Salif", "Bakary", "Nabil", "Hamza", "Mehdi", "Emmanuel",
        "Joseph", "Abdoulaye", "Yacine", "Lamine", "Sékou", "Bilal", "Adama", "Issa", "Cheikh"],
}  # fmt: skip
DOMESTIC_FAMILY = [
    "Benali", "Diallo", "Traoré", "Keita", "Cissé", "Touré", "Chraibi", "Ouedraogo", "Sow", "Ba",
    "Ndiaye", "Koné", "Camara", "Hamdi", "Saidi", "Belkacem", "Alaoui", "Idrissi", "Ziani",
    "Mbaye", "Fofana", "Nasser", "Moreau", "Laurent", "Dubois", "Mercier", "Bensaïd", "Coulibaly",
    "Kamara", "Sylla", "Haidara", "Mahmoud", "Farouk", "Gueye", "Faye", "Berrada",
]  # fmt: skip
INTERNATIONAL_GIVEN = {
    F: ["Astrid", "Sofia", "Anna", "Maria", "Laura", "Julia", "Chloé", "Emma", "Olga", "Natalia",
        "Mei", "Yuki", "Carmen", "Isabel", "Hannah", "Katarina", "Greta", "Ewa", "Sarah",
        "Rebecca", "Aiko", "Ingeborg", "Lucia", "Freya"],
    M: ["Lars", "Erik", "Johan", "Thomas", "Peter", "Marco", "Luca", "Carlos", "Diego", "Pablo",
        "Ivan", "Dmitri", "Sergei", "Wei", "Jun", "Rahul", "David", "Michael", "James", "Daniel",
        "Jonas", "Felix", "Tomasz", "Matteo", "Oskar", "Henrik"],
}  # fmt: skip
INTERNATIONAL_FAMILY = [
    "Lindgren", "Andersen", "Berg", "Nilsson", "Hansen", "Müller", "Schmidt", "Weber", "Rossi",
    "Bianchi", "García", "Fernández", "López", "Martínez", "Petrenko", "Kovalenko", "Novak",
    "Horvat", "Wang", "Chen", "Zhang", "Sato", "Patel", "Smith", "Brown", "Wilson", "O'Neill",
    "Dupont", "Lefèvre", "Costa", "Silva", "Jensen", "Kowalski", "Virtanen", "Lambert", "Okoye",
]  # fmt: skip

JOB_TITLES = {
    T.NATIONAL_AUTHORITY: [
        "Quality Management Officer", "Planning Officer", "Victim Assistance Coordinator",
        "Explosive Ordnance Risk Education Coordinator", "Gender and Diversity Focal Point",
        "Regional Office Coordinator", "Legal Adviser", "Finance Officer",
        "Non-technical Survey Coordinator", "GIS Officer", "Operations Officer",
    ],
    T.GOVERNMENT_MINISTRY: [
        "Director of Planning", "Senior Policy Adviser", "Deputy Director",
        "Focal Point for Mine Action", "Head of Section", "Programme Officer",
    ],
    T.DONOR_STATE: [
        "Counsellor, Humanitarian Affairs", "Programme Officer", "Deputy Head of Mission",
        "Attaché, Political Affairs", "First Secretary, Development Cooperation",
    ],
    T.UN_AGENCY: [
        "Programme Officer", "Child Protection Specialist", "Monitoring and Evaluation Officer",
        "Partnerships Officer", "Operations Officer", "Programme Specialist",
    ],
    T.INTERNATIONAL_ORGANISATION: [
        "Head of Cooperation", "Programme Officer", "Standards Adviser", "Country Representative",
    ],
    T.INTERNATIONAL_NGO: [
        "Country Director", "Programme Manager", "Operations Manager", "Technical Field Manager",
        "Community Liaison Manager", "Risk Education Officer", "Victim Assistance Officer",
        "Monitoring and Evaluation Manager",
    ],
    T.NATIONAL_NGO: [
        "Executive Director", "Programme Coordinator", "Field Coordinator", "Project Officer",
        "Community Mobiliser", "Finance and Administration Officer",
    ],
    T.COMMERCIAL_OPERATOR: ["Managing Director", "Operations Manager", "Contracts Manager"],
    T.ACADEMIC: ["Lecturer in Geography", "Research Fellow", "Professor of Development Studies"],
    T.AFFECTED_COMMUNITY: ["Chairperson", "Peer Support Coordinator", "Outreach Officer"],
    T.OTHER: ["Commissioner", "Programme Officer", "Journalist"],
}  # fmt: skip

# Who tends to be a woman, per organisation type (the mix a platform usually sees).
FEMALE_SHARE = {
    T.NATIONAL_AUTHORITY: 0.25,
    T.GOVERNMENT_MINISTRY: 0.3,
    T.DONOR_STATE: 0.45,
    T.UN_AGENCY: 0.45,
    T.INTERNATIONAL_ORGANISATION: 0.4,
    T.INTERNATIONAL_NGO: 0.25,
    T.NATIONAL_NGO: 0.3,
    T.COMMERCIAL_OPERATOR: 0.0,
    T.ACADEMIC: 0.3,
    T.AFFECTED_COMMUNITY: 0.4,
    T.OTHER: 0.4,
}
# How many of an organisation's people are Demoland nationals (the rest are international staff).
DOMESTIC_SHARE = {
    T.NATIONAL_AUTHORITY: 1.0,
    T.GOVERNMENT_MINISTRY: 1.0,
    T.DONOR_STATE: 0.2,
    T.UN_AGENCY: 0.45,
    T.INTERNATIONAL_ORGANISATION: 0.4,
    T.INTERNATIONAL_NGO: 0.6,
    T.NATIONAL_NGO: 1.0,
    T.COMMERCIAL_OPERATOR: 0.5,
    T.ACADEMIC: 1.0,
    T.AFFECTED_COMMUNITY: 1.0,
    T.OTHER: 1.0,
}
AGE_BANDS = [
    (AgeBand.FROM_18_TO_29, 15),
    (AgeBand.FROM_30_TO_44, 45),
    (AgeBand.FROM_45_TO_59, 28),
    (AgeBand.FROM_60, 8),
    (AgeBand.UNDISCLOSED, 4),
]
DOMESTIC_LANGUAGES = [("fr", 45), ("ar", 35), ("en", 15), ("es", 2), ("ru", 2), ("zh-hans", 1)]
INTERNATIONAL_LANGUAGES = [("en", 55), ("fr", 20), ("es", 10), ("ru", 7), ("zh-hans", 5), ("ar", 3)]
# Roles that make a person a member of the platform (observers are readers, not members).
MEMBER_ROLES = {Role.LEAD_AUTHORITY, Role.SECRETARIAT, Role.DATA_MANAGER, Role.MEMBER}
# Organisation types whose people attend as observers rather than members.
OBSERVER_TYPES = {T.ACADEMIC, T.OTHER}
