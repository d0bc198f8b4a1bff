"""The demo's meeting cycle as fixed facts: the two series, the agenda topics with what was said
about them (in English and French), and the action points each meeting agreed with what became
of them.

Dates are not fixed here: `meeting_plan.py` places the meetings relative to the day the demo is
loaded (eight quarterly plenaries over the last two years, one about three weeks ahead, and the
technical working group in between), so the demo always looks current. Placeholders such as
`{hectares}` are figures drawn per meeting from the demo's seeded random generator.
"""

from mineaction.core.choices import Component
from mineaction.meetings.models import AgendaItem, Meeting, MeetingSeries

# The Republic of Demoland keeps West Africa Time (UTC+1, no daylight saving time).
TIME_ZONE = "Africa/Niamey"
CAPITAL = "Demoville"
K = AgendaItem.Kind
C = Component
Focus = Meeting.Focus

PLENARY = "Quarterly plenary"
TECHNICAL = "Technical working group"

SERIES = [
    {
        "name": PLENARY,
        "kind": MeetingSeries.Kind.PLENARY,
        "component": "",
        "working_group": None,
        "frequency": MeetingSeries.Frequency.QUARTERLY,
        "default_time_zone": TIME_ZONE,
        "default_venue": f"Conference hall, National Mine Action Authority, {CAPITAL}",
        "online_url": "https://meet.demo.example/platform-plenary",
        "start": (9, 0),
        "length_minutes": 210,
        # The platform has met every quarter since 2019: the demo's first plenary is the 22nd.
        "first_number": 22,
    },
    {
        "name": TECHNICAL,
        "kind": MeetingSeries.Kind.WORKING_GROUP,
        "component": Component.TECHNICAL,
        "working_group": "Technical Working Group",
        "frequency": MeetingSeries.Frequency.QUARTERLY,
        "default_time_zone": TIME_ZONE,
        "default_venue": f"Meeting room 2, Demoland Mine Action Centre, {CAPITAL}",
        "online_url": "https://meet.demo.example/technical-working-group",
        "start": (14, 0),
        "length_minutes": 120,
        "first_number": 11,
    },
]

# The focus objective of the eight past plenaries (oldest first) and of the upcoming one.
PLENARY_FOCUS = [
    Focus.ARTICLE_5,
    Focus.VICTIM_ASSISTANCE,
    Focus.RESOURCES,
    Focus.ARTICLE_7,
    Focus.RISK_EDUCATION,
    Focus.ARTICLE_5,
    Focus.GENERAL,
    Focus.ARTICLE_5,
    Focus.ARTICLE_5,
]

# Plenaries whose minutes were also written in French (index among the eight past ones, from 0).
FRENCH_MINUTES = {1, 3, 5, 6}

# People who take part in every plenary while they hold a role (by name).
CORE_PARTICIPANTS = [
    "Amina Haddad",
    "Omar Benyahia",
    "Lucía Ferrer",
    "Jean-Baptiste Mugisha",
    "Hiroshi Tanaka",
    "Karim Mansour",
    "Paul Nzeyimana",
    "Idriss Kaddour",
    "Moussa Sanogo",
    "Ingrid Solheim",
    "Youssef Tazi",
    "Rachid El Amrani",
    "Salma Bouzid",
    "Andreas Lindqvist",
    "Priya Sharma",
    "Hassan Ould Cheikh",
    "Mariama Dembélé",
]
PLENARY_INVITED = 36
PLENARY_INFORMED = 4
# The demo log-ins that are left to answer the upcoming plenary themselves.
UNANSWERED_UPCOMING = ["Youssef Tazi", "Ingrid Solheim"]

# The fixed items that open and close every agenda.
OPENING = {
    "title": "Opening and adoption of the agenda",
    "kind": K.INFORMATION,
    "duration": 10,
    "presenter": "Amina Haddad",
    "en": (
        "The Director General of the National Mine Action Authority opened the meeting and "
        "welcomed the participants, {attending} of them in the room and {remote} online. The "
        "representative of the lead donor ({co_chair}), co-chair of the platform, also spoke."
    ),
    "fr": (
        "La Directrice générale de l'Autorité nationale de lutte antimines a ouvert la réunion "
        "et souhaité la bienvenue aux participants, {attending} dans la salle et {remote} en "
        "ligne. Le représentant du donateur chef de file ({co_chair}), coprésident de la "
        "plateforme, a également pris la parole."
    ),
    "decision": "The agenda was adopted as proposed.",
}
REVIEW = {
    "title": "Review of open action points",
    "kind": K.ACTION_POINT_REVIEW,
    "duration": 30,
    "presenter": "Lucía Ferrer",
    "en": (
        "The secretariat presented the {reviewed} action points still open from earlier "
        "meetings, {overdue} of them past their due date. Owners reported progress on each; "
        "the action points not yet completed are carried over to the next meeting."
    ),
    "fr": (
        "Le secrétariat a présenté les {reviewed} points d'action encore ouverts des réunions "
        "précédentes, dont {overdue} en retard sur leur échéance. Les responsables ont fait le "
        "point sur chacun ; les points d'action non encore achevés sont reportés à la réunion "
        "suivante."
    ),
}
REVIEW_NONE = {
    "en": "No action point from earlier meetings was still open.",
    "fr": "Aucun point d'action des réunions précédentes n'était encore ouvert.",
}
ANY_OTHER_BUSINESS = {
    "title": "Any other business",
    "kind": K.DISCUSSION,
    "duration": 10,
    "presenter": None,
    "en": (
        "The secretariat reminded the members of the date of the next meeting. No other "
        "business was raised and the chair closed the meeting."
    ),
    "fr": (
        "Le secrétariat a rappelé aux membres la date de la prochaine réunion. Aucune autre "
        "question n'a été soulevée et la présidente a clos la réunion."
    ),
}

WORKING_GROUP_OPENING = {
    "title": "Opening and adoption of the agenda",
    "kind": K.INFORMATION,
    "duration": 5,
    "presenter": "Idriss Kaddour",
    "en": (
        "The head of operations of the Mine Action Centre, convener of the working group, "
        "opened the meeting; {attending} participants were in the room and {remote} online."
    ),
    "decision": "The agenda was adopted as proposed.",
}
WORKING_GROUP_CLOSING = {
    "title": "Any other business",
    "kind": K.DISCUSSION,
    "duration": 5,
    "presenter": None,
    "en": "No other business was raised and the convener closed the meeting.",
}

# Agenda topics per component. Every past plenary discusses two to four topics per component;
# "decision" is recorded (and numbered) when the topic is on a meeting's agenda.
TOPICS = {
    # Political
    "extension_request": {
        "component": C.POLITICAL,
        "title": "Article 5 extension request: preparation and timeline",
        "kind": K.DECISION,
        "duration": 25,
        "presenter": "Rachid El Amrani",
        "en": (
            "The Ministry of Foreign Affairs presented the state of the request for a third "
            "extension of the Article 5 deadline of 1 March 2028. Members asked that the "
            "request rest on the land release figures of the national database and that "
            "operators review the annex on remaining contamination."
        ),
        "fr": (
            "Le ministère des Affaires étrangères a présenté l'état de la demande de troisième "
            "prolongation du délai de l'article 5, fixé au 1er mars 2028. Les membres ont "
            "demandé que la demande s'appuie sur les chiffres de remise à disposition des "
            "terres de la base de données nationale et que les opérateurs relisent l'annexe "
            "sur la contamination restante."
        ),
        "decision": (
            "The plenary endorsed the timeline for the Article 5 extension request: a first "
            "draft to the members before the next plenary."
        ),
    },
    "strategy_review": {
        "component": C.POLITICAL,
        "title": "National mine action strategy: mid-term review",
        "kind": K.DISCUSSION,
        "duration": 20,
        "presenter": "Amina Haddad",
        "en": (
            "The National Mine Action Authority reported on the mid-term review of the national "
            "strategy. Ministries were invited to send their comments on the indicators of "
            "their sector."
        ),
        "fr": (
            "L'Autorité nationale a rendu compte de la revue à mi-parcours de la stratégie "
            "nationale. Les ministères ont été invités à envoyer leurs commentaires sur les "
            "indicateurs de leur secteur."
        ),
    },
    "development_plan": {
        "component": C.POLITICAL,
        "title": "Mine action in the national development plan",
        "kind": K.DISCUSSION,
        "duration": 15,
        "presenter": "Omar Benyahia",
        "en": (
            "Members discussed how land released after clearance could be included in the "
            "rural development and infrastructure chapters of the next national development "
            "plan."
        ),
        "fr": (
            "Les membres ont discuté de la manière d'inclure les terres remises à disposition "
            "après dépollution dans les chapitres sur le développement rural et les "
            "infrastructures du prochain plan national de développement."
        ),
    },
    "states_parties": {
        "component": C.POLITICAL,
        "title": "Preparation of the Meeting of the States Parties",
        "kind": K.DECISION,
        "duration": 15,
        "presenter": "Rachid El Amrani",
        "en": (
            "The delegation of Demoland to the Meeting of the States Parties presented its "
            "key messages on Article 5 progress and on international cooperation."
        ),
        "fr": (
            "La délégation du Demoland à l'Assemblée des États parties a présenté ses messages "
            "clés sur les progrès au titre de l'article 5 et sur la coopération internationale."
        ),
        "decision": "The plenary agreed the key messages of the national delegation.",
    },
    "mine_action_law": {
        "component": C.POLITICAL,
        "title": "Draft law on mine action",
        "kind": K.INFORMATION,
        "duration": 15,
        "presenter": "Omar Benyahia",
        "en": (
            "The senior adviser presented the draft law that gives the National Mine Action "
            "Authority its mandate and makes the national standards binding."
        ),
        "fr": (
            "Le conseiller principal a présenté le projet de loi qui confère son mandat à "
            "l'Autorité nationale de lutte antimines et rend les normes nationales "
            "obligatoires."
        ),
    },
    # Technical
    "land_release": {
        "component": C.TECHNICAL,
        "title": "Article 5 work plan: land release progress",
        "kind": K.INFORMATION,
        "duration": 25,
        "presenter": "Idriss Kaddour",
        "en": (
            "The Demoland Mine Action Centre reported {hectares} hectares released in "
            "{quarter_en} in {areas} hazardous areas, and {devices} explosive devices "
            "destroyed. Progress remains behind the work plan in the northern provinces."
        ),
        "fr": (
            "Le Centre d'action antimines du Demoland a fait état de {hectares} hectares remis "
            "à disposition au {quarter_fr} dans {areas} zones dangereuses, et de {devices} "
            "engins explosifs détruits. Les provinces du nord restent en retard sur le plan de "
            "travail."
        ),
    },
    "standards": {
        "component": C.TECHNICAL,
        "title": "Revision of the national mine action standards",
        "kind": K.DECISION,
        "duration": 20,
        "presenter": "Andreas Lindqvist",
        "en": (
            "UNMAS presented the revised chapters of the national standards on non-technical "
            "survey and on the land release process, prepared with the operators."
        ),
        "fr": (
            "L'UNMAS a présenté les chapitres révisés des normes nationales sur l'enquête non "
            "technique et sur le processus de remise à disposition des terres, préparés avec "
            "les opérateurs."
        ),
        "decision": (
            "The plenary adopted the revised chapter of the national standards on "
            "non-technical survey."
        ),
    },
    "information_management": {
        "component": C.TECHNICAL,
        "title": "Information management: reconciling the national database",
        "kind": K.DISCUSSION,
        "duration": 15,
        "presenter": "Karim Mansour",
        "en": (
            "The information management officer reported {duplicates} duplicate hazardous area "
            "records found in the national database and the plan to reconcile them with the "
            "operators."
        ),
        "fr": (
            "Le responsable de la gestion de l'information a signalé {duplicates} doublons de "
            "zones dangereuses dans la base de données nationale et le plan pour les "
            "réconcilier avec les opérateurs."
        ),
    },
    "prioritisation": {
        "component": C.TECHNICAL,
        "title": "Tasking and prioritisation in the northern provinces",
        "kind": K.DISCUSSION,
        "duration": 20,
        "presenter": "Idriss Kaddour",
        "en": (
            "The head of operations presented the prioritisation criteria used for tasking "
            "(access to water, farmland, schools and roads). Community representatives asked "
            "to be consulted before the list of priority tasks is fixed."
        ),
        "fr": (
            "Le chef des opérations a présenté les critères de priorisation utilisés pour "
            "l'attribution des tâches (accès à l'eau, aux terres agricoles, aux écoles et aux "
            "routes). Les représentants des communautés ont demandé à être consultés avant que "
            "la liste des tâches prioritaires ne soit arrêtée."
        ),
    },
    "quality_management": {
        "component": C.TECHNICAL,
        "title": "Quality management findings",
        "kind": K.INFORMATION,
        "duration": 15,
        "presenter": "Paul Nzeyimana",
        "en": (
            "The director of the Mine Action Centre presented the findings of {visits} quality "
            "assurance visits; most non-conformities concerned marking and the recording of "
            "cancelled areas."
        ),
        "fr": (
            "Le directeur du Centre d'action antimines a présenté les conclusions de {visits} "
            "visites d'assurance qualité ; la plupart des non-conformités concernaient le "
            "marquage et l'enregistrement des zones annulées."
        ),
    },
    # Participation
    "victim_assistance": {
        "component": C.PARTICIPATION,
        "title": "Victim assistance: referral pathway and survivors' needs",
        "kind": K.DISCUSSION,
        "duration": 20,
        "presenter": "Hassan Ould Cheikh",
        "en": (
            "The Landmine Survivors Network reported {survivors} new survivors registered and "
            "the gaps in rehabilitation services outside the capital."
        ),
        "fr": (
            "Le Réseau des survivants des mines a signalé {survivors} nouveaux survivants "
            "enregistrés et les lacunes des services de réadaptation en dehors de la capitale."
        ),
    },
    "risk_education": {
        "component": C.PARTICIPATION,
        "title": "Explosive ordnance risk education in schools and villages",
        "kind": K.INFORMATION,
        "duration": 15,
        "presenter": "Moussa Sanogo",
        "en": (
            "The community liaison officer reported {sessions} risk education sessions "
            "reaching {reached} people, among them many children in the districts along the "
            "northern border."
        ),
        "fr": (
            "Le chargé des relations avec les communautés a fait état de {sessions} séances "
            "d'éducation aux risques ayant touché {reached} personnes, dont de nombreux "
            "enfants dans les districts de la frontière nord."
        ),
    },
    "gender_diversity": {
        "component": C.PARTICIPATION,
        "title": "Gender and diversity in survey and clearance teams",
        "kind": K.DECISION,
        "duration": 15,
        "presenter": "Priya Sharma",
        "en": (
            "UN Women presented the share of women in survey and clearance teams, "
            "{women_share} per cent across operators, and the measures that raised it."
        ),
        "fr": (
            "ONU Femmes a présenté la part des femmes dans les équipes d'enquête et de "
            "dépollution, {women_share} pour cent tous opérateurs confondus, et les mesures qui "
            "l'ont fait progresser."
        ),
        "decision": (
            "The plenary set the target of one third of women in survey teams by the end of "
            "the next year."
        ),
    },
    "community_voices": {
        "component": C.PARTICIPATION,
        "title": "Voices of affected communities",
        "kind": K.DISCUSSION,
        "duration": 15,
        "presenter": "Mariama Dembélé",
        "en": (
            "The Association of Women Survivors and Families shared the feedback gathered in "
            "the villages near hazardous areas, in particular on the return of farmland."
        ),
        "fr": (
            "L'Association des femmes survivantes et des familles a présenté les retours "
            "recueillis dans les villages proches des zones dangereuses, notamment sur la "
            "restitution des terres agricoles."
        ),
    },
    "inclusion_figures": {
        "component": C.PARTICIPATION,
        "title": "Inclusion in the platform's meetings",
        "kind": K.INFORMATION,
        "duration": 10,
        "presenter": "Lucía Ferrer",
        "en": (
            "The secretariat presented the share of women and of affected community "
            "representatives among the participants of the platform's meetings of the year."
        ),
        "fr": (
            "Le secrétariat a présenté la part des femmes et des représentants des communautés "
            "affectées parmi les participants aux réunions de la plateforme de l'année."
        ),
    },
    # Resource mobilisation
    "funding_gap": {
        "component": C.RESOURCE_MOBILISATION,
        "title": "Funding gap of the Article 5 work plan",
        "kind": K.DISCUSSION,
        "duration": 20,
        "presenter": "Salma Bouzid",
        "en": (
            "The Ministry of Finance presented the funding gap of the work plan, USD "
            "{gap_en} million for the next two years, after national and international "
            "contributions."
        ),
        "fr": (
            "Le ministère des Finances a présenté le besoin de financement non couvert du plan "
            "de travail, {gap_fr} millions USD pour les deux prochaines années, après les "
            "contributions nationales et internationales."
        ),
    },
    "pledges": {
        "component": C.RESOURCE_MOBILISATION,
        "title": "Pledges and disbursements",
        "kind": K.INFORMATION,
        "duration": 15,
        "presenter": "Ingrid Solheim",
        "en": (
            "The lead donor reported USD {pledged_en} million pledged by the donor States "
            "this year, of which about two thirds had been disbursed."
        ),
        "fr": (
            "Le donateur chef de file a fait état de {pledged_fr} millions USD de promesses "
            "des États donateurs cette année, dont environ deux tiers déjà décaissés."
        ),
    },
    "national_budget": {
        "component": C.RESOURCE_MOBILISATION,
        "title": "National budget contribution to mine action",
        "kind": K.DECISION,
        "duration": 15,
        "presenter": "Salma Bouzid",
        "en": (
            "The Ministry of Finance presented the national contribution planned in the "
            "budget law and its use for the national clearance capacity."
        ),
        "fr": (
            "Le ministère des Finances a présenté la contribution nationale prévue dans la loi "
            "de finances et son utilisation pour la capacité nationale de dépollution."
        ),
        "decision": (
            "The plenary asked the Ministry of Finance to keep the national contribution at "
            "least at this year's level."
        ),
    },
    "country_coalition": {
        "component": C.RESOURCE_MOBILISATION,
        "title": "Country coalition with the lead donor",
        "kind": K.DISCUSSION,
        "duration": 15,
        "presenter": "Ingrid Solheim",
        "en": (
            "The lead donor presented the country coalition approach: donors align their "
            "support on the national work plan and report jointly to the platform."
        ),
        "fr": (
            "Le donateur chef de file a présenté l'approche de coalition pays : les donateurs "
            "alignent leur soutien sur le plan de travail national et rendent compte "
            "conjointement à la plateforme."
        ),
    },
    "development_bank": {
        "component": C.RESOURCE_MOBILISATION,
        "title": "Multi-year funding proposal to the development bank",
        "kind": K.DISCUSSION,
        "duration": 15,
        "presenter": "Hiroshi Tanaka",
        "en": (
            "UNDP presented the outline of a multi-year proposal to the Southern Basin "
            "Development Bank linking clearance to the rehabilitation of rural roads."
        ),
        "fr": (
            "Le PNUD a présenté les grandes lignes d'une proposition pluriannuelle à la Banque "
            "de développement du bassin austral liant la dépollution à la réhabilitation des "
            "routes rurales."
        ),
    },
}

# The technical working group's own topics (its minutes are kept in English only).
WORKING_GROUP_TOPICS = {
    "technical_survey": {
        "component": C.TECHNICAL,
        "title": "Technical survey methods in the eastern provinces",
        "kind": K.DISCUSSION,
        "duration": 30,
        "presenter": "Idriss Kaddour",
        "en": (
            "Operators compared their technical survey methods in sandy soils and agreed to "
            "align them in one standard operating procedure."
        ),
    },
    "mechanical_assets": {
        "component": C.TECHNICAL,
        "title": "Mechanical demining assets: use and availability",
        "kind": K.DISCUSSION,
        "duration": 20,
        "presenter": "Andreas Lindqvist",
        "en": (
            "UNMAS presented the use of the {machines} mechanical assets in the country; "
            "several stood idle for lack of spare parts."
        ),
    },
    "quality_assurance": {
        "component": C.TECHNICAL,
        "title": "Quality assurance visits: findings and follow-up",
        "kind": K.INFORMATION,
        "duration": 20,
        "presenter": "Paul Nzeyimana",
        "en": (
            "The Mine Action Centre presented the findings of {visits} quality assurance "
            "visits and the corrective actions agreed with the operators."
        ),
    },
    "residual_contamination": {
        "component": C.TECHNICAL,
        "title": "Residual contamination and call-outs after clearance",
        "kind": K.DISCUSSION,
        "duration": 20,
        "presenter": "Andreas Lindqvist",
        "en": (
            "Members discussed {callouts} call-outs for explosive ordnance found on land "
            "already released and who responds to them."
        ),
    },
    "data_exchange": {
        "component": C.TECHNICAL,
        "title": "Data exchange between operators and the national database",
        "kind": K.DISCUSSION,
        "duration": 15,
        "presenter": "Karim Mansour",
        "en": (
            "The information management officer proposed a monthly data exchange so that "
            "the national database reflects the operators' completion reports."
        ),
    },
}

# What became of an action point, as (days after the meeting, status afterwards, what was said),
# and its due date in days after the meeting. The offsets keep every update in the past and the
# overdue ones overdue whatever the day of loading.
IN_PROGRESS, DONE, DROPPED = "in_progress", "done", "dropped"
STARTED = "Work has started; a first draft was shared with the secretariat."
DELAYED = (
    "Delayed: the owner waits for inputs from partners and asked to carry the action over to "
    "the next meeting."
)
COMPLETED = "Completed; the result was shared with the members on the platform."
COMPLETED_LATE = "Completed later than planned; the result was presented to the members."
WITHDRAWN = "Dropped by agreement of the members: overtaken by later decisions."
FATES = {
    "done": {"due": 60, "updates": [(25, IN_PROGRESS, STARTED), (50, DONE, COMPLETED)]},
    "done_late": {
        "due": 45,
        "updates": [(35, IN_PROGRESS, STARTED), (70, IN_PROGRESS, DELAYED),
                    (120, DONE, COMPLETED_LATE)],
    },
    "done_quick": {"due": 45, "updates": [(25, DONE, COMPLETED)]},
    "dropped": {"due": 90, "updates": [(40, IN_PROGRESS, STARTED), (100, DROPPED, WITHDRAWN)]},
    # Still in progress long after its due date: carried over from meeting to meeting.
    "carried": {"due": 60, "updates": [(40, IN_PROGRESS, STARTED), (140, IN_PROGRESS, DELAYED)]},
    "open_overdue": {"due": 30, "updates": []},
    "in_progress": {"due": 200, "updates": [(60, IN_PROGRESS, STARTED)]},
    "in_progress_on_track": {"due": 110, "updates": [(20, IN_PROGRESS, STARTED)]},
    "open_not_due": {"due": 100, "updates": []},
}  # fmt: skip

# The action points of the eight past plenaries (oldest first): (topic, action, owner
# organisation, owner person or None for the organisation's first member, fate).
PLENARY_ACTIONS = [
    [
        ("standards", "Circulate the draft chapter of the national standards on non-technical "
         "survey to all operators for comments.", "DMAC", "Idriss Kaddour", "done"),
        ("pledges", "Compile the pledges announced at the donor round table in one table and "
         "share it with the members.", "UNDP", "Lucía Ferrer", "done"),
        ("mine_action_law", "Prepare a briefing note on the draft mine action law for the "
         "Council of Ministers.", "NMAA", "Omar Benyahia", "dropped"),
        ("victim_assistance", "Map the services available to survivors in the northern "
         "provinces and publish a referral directory.", "DLSN", "Hassan Ould Cheikh",
         "carried"),
    ],
    [
        ("information_management", "Reconcile the hazardous area records of the international "
         "operators with the national database.", "DMAC", "Karim Mansour", "done_late"),
        ("risk_education", "Agree with the Ministry of Education on a risk education module "
         "for primary schools in the affected districts.", "MoE", None, "done"),
        ("prioritisation", "Organise two community meetings in the northern provinces to "
         "explain the prioritisation criteria.", "DDA", "Youssef Tazi", "open_overdue"),
        ("strategy_review", "Collect the ministries' comments on the indicators of the "
         "national strategy.", "NMAA", "Omar Benyahia", "dropped"),
    ],
    [
        ("extension_request", "Draft the timeline of the Article 5 extension request and "
         "circulate it to the members.", "MFAIC", "Rachid El Amrani", "done"),
        ("land_release", "Publish the quarterly land release figures per province on the "
         "platform.", "DMAC", "Karim Mansour", "done_late"),
        ("funding_gap", "Update the costing of the Article 5 work plan with the operators' "
         "unit costs.", "UNDP", "Hiroshi Tanaka", "carried"),
        ("gender_diversity", "Report the share of women in each operator's survey and "
         "clearance teams.", "FSI", None, "done"),
    ],
    [
        ("quality_management", "Follow up the quality management non-conformities with the "
         "operators concerned.", "DMAC", "Paul Nzeyimana", "done"),
        ("country_coalition", "Convene the country coalition partners to agree a joint "
         "reporting format.", "Kingdom of Nordvalia", "Ingrid Solheim", "done"),
        ("development_plan", "Propose wording on mine action for the rural development "
         "chapter of the national development plan.", "MARD", None, "dropped"),
        ("community_voices", "Set up a feedback line for communities living near hazardous "
         "areas.", "AWSF", "Mariama Dembélé", "carried"),
    ],
    [
        ("strategy_review", "Draft the terms of reference of the mid-term review of the "
         "national strategy.", "NMAA", "Amina Haddad", "done"),
        ("standards", "Translate the revised chapters of the national standards into Arabic "
         "and French.", "DMAC", "Nadia Rahal", "done_late"),
        ("development_bank", "Submit the concept note of the multi-year proposal to the "
         "Southern Basin Development Bank.", "UNDP", "Hiroshi Tanaka", "open_overdue"),
        ("inclusion_figures", "Publish the inclusion figures of the platform's meetings with "
         "the minutes.", "UNDP", "Lucía Ferrer", "done"),
    ],
    [
        ("states_parties", "Prepare the statement of Demoland for the Meeting of the States "
         "Parties.", "MFAIC", "Rachid El Amrani", "done"),
        ("prioritisation", "Survey the newly reported hazardous areas near the northern "
         "border villages.", "FSI", None, "carried"),
        ("risk_education", "Train forty teachers as risk education focal points.", "AMRE",
         None, "done"),
        ("national_budget", "Present the national contribution to mine action in the budget "
         "debate of the National Assembly.", "MFEP", "Salma Bouzid", "dropped"),
    ],
    [
        ("land_release", "Present a revised land release forecast up to the 2028 deadline.",
         "DMAC", "Idriss Kaddour", "done"),
        ("pledges", "Follow up the disbursement of the pledges announced at the round table.",
         "Kingdom of Nordvalia", "Ingrid Solheim", "in_progress"),
        ("community_voices", "Invite two representatives of affected communities to each "
         "working group meeting.", "NPACF", None, "open_overdue"),
        ("extension_request", "Consolidate the members' comments on the first draft of the "
         "extension request.", "NMAA", "Amina Haddad", "done"),
    ],
    [
        ("prioritisation", "Share the tasking plan of the next quarter with the community "
         "liaison teams.", "DDA", "Youssef Tazi", "open_not_due"),
        ("extension_request", "Submit the final draft of the extension request to the Council "
         "of Ministers.", "MFAIC", "Rachid El Amrani", "in_progress_on_track"),
        ("gender_diversity", "Nominate a gender focal point in each operator.", "SSA", None,
         "open_overdue"),
        ("funding_gap", "Share the updated funding gap with the donors before the round "
         "table.", "UNDP", "Lucía Ferrer", "done_quick"),
    ],
]  # fmt: skip

# The working group meets about five weeks after each of the last four plenaries.
WORKING_GROUP_AGENDAS = [
    ["technical_survey", "mechanical_assets", "quality_assurance"],
    ["quality_assurance", "residual_contamination", "data_exchange"],
    ["data_exchange", "technical_survey", "mechanical_assets"],
    ["residual_contamination", "mechanical_assets", "technical_survey"],
]
WORKING_GROUP_ACTIONS = [
    [
        ("technical_survey", "Draft the standard operating procedure for technical survey in "
         "sandy soils.", "CGH", None, "done"),
        ("mechanical_assets", "List the mechanical assets idle for more than three months.",
         "SCS", None, "dropped"),
    ],
    [
        ("quality_assurance", "Share the quality assurance checklist with the national NGOs.",
         "DMAC", "Paul Nzeyimana", "done"),
        ("residual_contamination", "Agree a procedure for call-outs on released land with the "
         "civil protection.", "MICP", None, "carried"),
    ],
    [
        ("data_exchange", "Set up the monthly data exchange between the operators and the "
         "national database.", "DMAC", "Karim Mansour", "done_quick"),
        ("technical_survey", "Pilot the new technical survey form with two operators.", "NADG",
         None, "open_overdue"),
    ],
    [
        ("residual_contamination", "Map the call-outs for explosive ordnance found on released "
         "land over the last two years.", "UNMAS", "Andreas Lindqvist", "open_not_due"),
        ("mechanical_assets", "Draft an arrangement for sharing mechanical assets between "
         "operators.", "FSI", None, "in_progress_on_track"),
    ],
]  # fmt: skip

# Comments on circulated minutes: (plenary index, component of the agenda item, proposer,
# comment, proposed wording, outcome, the secretariat's resolution).
AMENDMENTS = [
    (3, C.TECHNICAL, "Andreas Lindqvist",
     "The land release figure should include the areas cancelled by non-technical survey.",
     "", "rejected",
     "Not accepted: the figure was checked against the national database; cancelled areas are "
     "reported separately in the annex."),
    (5, C.PARTICIPATION, "Hassan Ould Cheikh",
     "The minutes do not mention the request of the survivors' representatives.",
     "The representatives of survivors asked that every document presented under this item "
     "also be made available in Arabic and in an easy-to-read version.",
     "accepted", "Accepted; the sentence was added to the minutes."),
    (7, C.RESOURCE_MOBILISATION, "Ingrid Solheim",
     "Please record the confirmation given by the lead donor.",
     "The Kingdom of Nordvalia confirmed that its contribution continues for the next two "
     "years.",
     "accepted", "Accepted; the sentence was added to the minutes."),
    (7, C.PARTICIPATION, "Mariama Dembélé",
     "Please record the offer made by our association during the discussion.",
     "The Association of Women Survivors and Families offered to host the next community "
     "feedback session in the northern provinces.",
     "open", ""),
]  # fmt: skip

QUARTERS_EN = ["the first quarter", "the second quarter", "the third quarter", "the last quarter"]
QUARTERS_FR = [
    "premier trimestre",
    "deuxième trimestre",
    "troisième trimestre",
    "quatrième trimestre",
]
