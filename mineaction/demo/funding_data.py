"""The demo's resource mobilisation as plain facts: exchange rates, what the programme needs
each year, and who pledges what.

The story (it follows the Article 5 story of `article5_data.py`): in the last years donors
covered most of what the extension request's plan needed, and the milestones were missed by
little; for this year and the years to the deadline the revised plan asks for half as much
capacity again, and the pledges thin out year after year, so the funding gap grows towards the
deadline. The lead donor of each two-year term of the rotation is the largest pledger of its
term; the next lead donor has announced its pledge but not yet signed it.

Years are relative to the year of loading (`0` is this year, `-1` last year) so that the story
holds whatever the day; `FIRST_OFFSET` is the first year with funding records and the last is
the year after the Article 5 deadline (the residual capacity after completion).
"""

from decimal import Decimal

from mineaction.core.choices import Component
from mineaction.funding.models import PledgeStatus

SEED_OFFSET = 11  # the funding draws use random.Random(data.SEED + SEED_OFFSET)
FIRST_OFFSET = -3

# Exchange rates: US dollars per unit, as the programme's finance unit sets them for this year;
# earlier years drift from it (a few per cent a year, drawn), later years use this year's rate
# (a planning rate). The base currency's rates are derived from these, so the table works
# whatever the country profile's currency.
USD_PER_UNIT = {
    "USD": Decimal("1"),
    "EUR": Decimal("1.0850"),
    "GBP": Decimal("1.2700"),
    "CHF": Decimal("1.1300"),
    "JPY": Decimal("0.006800"),
    "NOK": Decimal("0.094000"),
    "SEK": Decimal("0.095000"),
    "AUD": Decimal("0.6600"),
    "CAD": Decimal("0.7400"),
}
RATE_DRIFT = 0.03  # standard deviation of the yearly change of a past rate
RATE_PLACES = Decimal("0.000001")
# Deliberately missing: no planning rate for the yen in the last year (the year after the
# deadline). The pledge of the Republic of Sundara reaches into that year, so the funding
# summary shows its "not converted" warning and leaves that part out of the totals.
MISSING_RATE_CURRENCY = "JPY"

# What the programme needs --------------------------------------------------------------------

# Releasing one m² of the remaining contamination costs this much on average over the three
# methods (cancellation by non-technical survey is cheap, clearance dear), in US dollars.
COST_PER_M2_USD = Decimal("1.45")
# A national response capacity for the residual contamination found after completion, per year
# after the deadline.
RESIDUAL_CAPACITY_USD = Decimal("1800000")
# In the year of the deadline: the final survey of every district, the completion declaration
# and the handover of the national database.
COMPLETION_USD = Decimal("2500000")
# What the national plan needs every year besides land release, in US dollars (this year's
# figure; earlier years three per cent less a year, later years three per cent more):
# (component, province code or None, description, amount, challenge keys of challenge_data).
OTHER_NEEDS = [
    (Component.PARTICIPATION, None,
     "Explosive ordnance risk education in the affected districts", Decimal("650000"),
     ["school_risk_education"]),
    (Component.PARTICIPATION, "DL-06",
     "Risk education in the towns of Haute-Calvène affected by improvised mines",
     Decimal("220000"), []),
    (Component.PARTICIPATION, None,
     "Victim assistance: referral, rehabilitation and economic inclusion of survivors",
     Decimal("900000"), ["victim_referral"]),
    (Component.POLITICAL, None,
     "National authority and mine action centre: coordination, information management and "
     "quality management", Decimal("750000"), []),
    (Component.RESOURCE_MOBILISATION, None,
     "Platform secretariat, donor coordination and the annual round table", Decimal("120000"),
     ["annual_funding"]),
]  # fmt: skip
OTHER_NEEDS_GROWTH = Decimal("0.03")
# Challenges the land-release requirement of a province addresses.
PROVINCE_CHALLENGES = {"DL-05": ["border_funding_gap"], "DL-02": ["survey_backlog"]}
RESIDUAL_CHALLENGES = ["residual_contamination"]

# Donors --------------------------------------------------------------------------------------

CURRENCY_OF = {
    "Kingdom of Nordvalia": "NOK",
    "Republic of Westmark": "USD",
    "Kingdom of Esperia": "EUR",
    "Federal Republic of Austerland": "AUD",
    "Grand Duchy of Lorvania": "EUR",
    "Commonwealth of Caledria": "GBP",
    "Republic of Valmora": "EUR",
    "Federation of Ostrovia": "CAD",
    "Confederation of Helvara": "CHF",
    "Republic of Sundara": "JPY",
    "State of Maritima": "SEK",
    "Principality of Aurelia": "EUR",
    "Continental Union Delegation to Demoland": "EUR",
    "Southern Basin Development Bank": "USD",
    "United Nations Development Programme": "USD",
    "United Nations Children's Fund": "USD",
    "Ministry of Finance and Economic Planning": "USD",
    "International Committee for Humanitarian Relief": "USD",
}

# The lead donor's pledge for its term: this share of what the programme needs in each year of
# the term (within the funding years), which makes it the largest pledger of every year of its
# term. Past terms are disbursed, the current one committed, the next one announced (pledged).
LEAD_DONOR_SHARE = Decimal("0.18")
LEAD_DONOR_TITLE = "Lead donor support to the national mine action programme, {first}–{last}"
LEAD_DONOR_RECIPIENT = "DMAC"

# Pledges. A pledge's amount is its `share` of what the programme needs over its years, in the
# donor's currency at its first year's rate, rounded to a round figure; its yearly parts follow
# the requirement of each year (or are equal parts when `equal`), so that the share of the
# requirement pledged in a year is the sum of the shares of the pledges of that year.
# years: (first, last) offsets, clipped to the funding years; status: None → from the years
# (ended: disbursed; running: committed; future: pledged). `weights` bend the split ({offset:
# weight}); `partnership`: the key of a partnership of `partnership_data.PARTNERSHIPS`.
P = PledgeStatus
C = Component


def pledge_spec(
    key,
    donor,
    title,
    years,
    share,
    *,
    recipient=None,
    component="",
    region=None,
    status=None,
    equal=False,
    weights=None,
    partnership=None,
):
    return {
        "key": key,
        "donor": donor,
        "title": title,
        "years": years,
        "share": Decimal(share),
        "recipient": recipient,
        "component": component,
        "region": region,
        "status": status,
        "equal": equal,
        "weights": weights or {},
        "partnership": partnership,
    }


PLEDGES = [
    # Years before this one: most of it disbursed.
    pledge_spec("caledria_cluster_1", "Commonwealth of Caledria",
            "Clearance of cluster munition strikes around the former air base, phase 1",
            (-3, -2), "0.10", recipient="NADG", component=C.TECHNICAL, equal=True),
    pledge_spec("austerland_assets", "Federal Republic of Austerland",
            "Mechanical demining machines and their maintenance", (-3, -2), "0.08",
            recipient="DMAC", component=C.TECHNICAL, equal=True),
    pledge_spec("esperia_front", "Kingdom of Esperia",
            "Clearance along the former front line in Arvelle", (-3, -3), "0.17",
            recipient="FSI", component=C.TECHNICAL, region="DL-01", equal=True),
    pledge_spec("nordvalia_core", "Kingdom of Nordvalia",
            "Core support to the Demoland Mine Action Centre", (-3, -2), "0.09",
            recipient="DMAC", equal=True),
    pledge_spec("sundara_assets_1", "Republic of Sundara",
            "Grant for mechanical clearance assets, phase 1", (-2, -1), "0.08",
            recipient="DMAC", component=C.TECHNICAL, equal=True),
    pledge_spec("westmark_ouarzel", "Republic of Westmark", "Battle area clearance in Ouarzel",
            (-2, -1), "0.06", recipient="SCS", component=C.TECHNICAL, region="DL-03",
            equal=True),
    # Running through this year.
    pledge_spec("cud_completion", "Continental Union Delegation to Demoland",
            "Continental Union support to the completion of Article 5", (-3, 0), "0.15",
            recipient="NMAA"),
    pledge_spec("national_budget", "Ministry of Finance and Economic Planning",
            "National budget contribution to mine action", (-3, 0), "0.10", recipient="NMAA",
            weights={0: Decimal("0.7")}),
    pledge_spec("undp_secretariat", "United Nations Development Programme",
            "Platform secretariat and resource mobilisation support", (-3, 1), "0.012",
            recipient="UNDP", component=C.RESOURCE_MOBILISATION),
    pledge_spec("austerland_tamerdane", "Federal Republic of Austerland",
            "Technical survey of confirmed areas in Tamerdane", (-2, 0), "0.05",
            recipient="CGH", component=C.TECHNICAL, region="DL-04"),
    pledge_spec("helvara_information", "Confederation of Helvara",
            "Information management and quality management at the mine action centre",
            (-3, 1), "0.03", recipient="DMAC", component=C.TECHNICAL),
    pledge_spec("caledria_cluster_2", "Commonwealth of Caledria",
            "Clearance of cluster munition strikes around the former air base, phase 2",
            (-1, 1), "0.05", recipient="NADG", component=C.TECHNICAL),
    pledge_spec("esperia_standards", "Kingdom of Esperia",
            "Revision of the national mine action standards on land release", (-1, 0),
            "0.012", recipient="DMAC", component=C.TECHNICAL),
    pledge_spec("nordvalia_border", "Kingdom of Nordvalia",
            "Clearance of the southern border minefields in Sidi Moraz", (-1, 1), "0.08",
            recipient="DDA", component=C.TECHNICAL, region="DL-05", partnership="clearance"),
    pledge_spec("lorvania_victims", "Grand Duchy of Lorvania",
            "Victim assistance in the northern provinces", (-1, 1), "0.02", recipient="HRI",
            component=C.PARTICIPATION),
    pledge_spec("valmora_survivors", "Republic of Valmora",
            "Survivors' referral and rehabilitation partnership", (-1, 1), "0.015",
            recipient="GSS", component=C.PARTICIPATION, partnership="survivors"),
    pledge_spec("ostrovia_women", "Federation of Ostrovia",
            "Women in non-technical survey teams", (-1, 1), "0.01", recipient="UN Women",
            component=C.PARTICIPATION),
    pledge_spec("maritima_schools", "State of Maritima", "Risk education in schools and villages",
            (-1, 1), "0.01", recipient="AMRE", component=C.PARTICIPATION,
            partnership="risk_education"),
    pledge_spec("unicef_children", "United Nations Children's Fund",
            "Risk education for children in the affected districts", (-1, 1), "0.015",
            recipient="AMRE", component=C.PARTICIPATION, partnership="risk_education"),
    pledge_spec("westmark_kessane", "Republic of Westmark",
            "Non-technical survey and clearance in Kessane", (0, 1), "0.06", recipient="DDA",
            component=C.TECHNICAL, region="DL-02", partnership="clearance"),
    pledge_spec("aurelia_fund", "Principality of Aurelia",
            "Contribution to the national mine action programme", (0, 0), "0.01",
            recipient="NMAA", status=P.PLEDGED),
    # The years ahead: announced at the round table, few agreements signed.
    pledge_spec("sbdb_roads", "Southern Basin Development Bank",
            "Clearance of the rural road corridors in Kessane", (1, 2), "0.07", recipient="NMAA",
            component=C.TECHNICAL, region="DL-02"),
    pledge_spec("sundara_assets_2", "Republic of Sundara",
            "Grant for mechanical clearance assets, phase 2", (1, 3), "0.05", recipient="DMAC",
            component=C.TECHNICAL),
    pledge_spec("cud_second_phase", "Continental Union Delegation to Demoland",
            "Continental Union support to the completion of Article 5, second phase", (1, 2),
            "0.08", recipient="NMAA"),
    pledge_spec("esperia_residual", "Kingdom of Esperia",
            "Residual contamination response after completion", (2, 3), "0.03",
            recipient="DMAC", component=C.TECHNICAL),
]  # fmt: skip

# Committed pledges disburse each year's part in tranches: (month, share of the part), on the
# 15th give or take ten days; so by late in the year most of this year's part is paid, not all.
# The yearly parts of running pledges are disbursed short by up to `SHORTFALL` (the donors' last
# instalments arrive after the year's accounts close).
TRANCHES = ((3, Decimal("0.4")), (7, Decimal("0.4")), (12, Decimal("0.2")))
SHORTFALL = (Decimal("0"), Decimal("0.08"))

# A disbursement without a pledge: an emergency grant after the floods of last spring.
UNPLEDGED_DISBURSEMENTS = [
    {
        "donor": "International Committee for Humanitarian Relief",
        "recipient": "DRCS",
        "offset": -1,
        "month": 5,
        "day": 12,
        "amount": Decimal("150000.00"),
        "component": C.PARTICIPATION,
        "region": "DL-03",
    },
]
