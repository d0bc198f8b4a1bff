"""The demo platform as plain data, computed before anything touches the database.

`demo_plan(today)` is a pure function: the same date gives the same plan, because every random
choice comes from `random.Random(SEED)` in a fixed order. Only the lead donor rotation (the term
covering `today`), the working-group members (chosen among today's members) and the meetings
(placed around `today`, see `meeting_plan.py`) depend on the date.
"""

import datetime
import random
import unicodedata

from mineaction.core.choices import Role
from mineaction.demo import data
from mineaction.demo.data import MEMBER_ROLES
from mineaction.demo.meeting_plan import meeting_plan
from mineaction.stakeholders.models import OrganisationType, Sex, SurvivorStatus


def demo_plan(today):
    rng = random.Random(data.SEED)
    organisations = [_organisation(*row) for row in data.ORGANISATIONS]
    people = _people(rng, organisations)
    rotation = _rotation(today)
    working_groups = _working_groups(rng, people, today)
    return {
        "organisations": organisations,
        "people": people,
        "rotation": rotation,
        "working_groups": working_groups,
        "meetings": meeting_plan(people, rotation, working_groups, today),
    }


def _organisation(name, acronym, type, country, domain, staff):
    return {
        "name": name,
        "acronym": acronym,
        "type": type,
        "country": country,
        "email": f"contact@{domain}",
        "description": data.DESCRIPTIONS[type],
        "domain": domain,
        "staff": staff,
    }


def _people(rng, organisations):
    used_names = {(p["given_name"], p["family_name"]) for p in data.NAMED_PEOPLE}
    people = []
    for organisation in organisations:
        named = [
            person
            for person in data.NAMED_PEOPLE
            if person["organisation"] in {organisation["acronym"], organisation["name"]}
        ]
        for person in named:
            email = person["email"] or _email(person, organisation["domain"])
            people.append({**person, "organisation": organisation["name"], "email": email})
        for _number in range(organisation["staff"] - len(named)):
            people.append(_generated_person(rng, organisation, used_names))
    return people


def _generated_person(rng, organisation, used_names):
    type = organisation["type"]
    domestic = rng.random() < data.DOMESTIC_SHARE[type]
    sex = Sex.FEMALE if rng.random() < data.FEMALE_SHARE[type] else Sex.MALE
    if rng.random() < 0.02:
        sex = Sex.UNDISCLOSED
    given_name, family_name = _unused_name(rng, domestic, sex, used_names)
    person = {
        "organisation": organisation["name"],
        "given_name": given_name,
        "family_name": family_name,
        "sex": sex,
        "age_band": _weighted(rng, data.AGE_BANDS),
        "job_title": rng.choice(data.JOB_TITLES[type]),
        "language": _weighted(
            rng, data.DOMESTIC_LANGUAGES if domestic else data.INTERNATIONAL_LANGUAGES
        ),
        "survivor_status": _survivor_status(rng, type),
        "roles": _generated_terms(rng, type),
        "key": None,
        "convenes": None,
    }
    person["email"] = _email(person, organisation["domain"])
    return person


def _unused_name(rng, domestic, sex, used_names):
    given_pool = data.DOMESTIC_GIVEN if domestic else data.INTERNATIONAL_GIVEN
    family_pool = data.DOMESTIC_FAMILY if domestic else data.INTERNATIONAL_FAMILY
    pool_sex = sex if sex in given_pool else rng.choice([Sex.FEMALE, Sex.MALE])
    while True:
        name = (rng.choice(given_pool[pool_sex]), rng.choice(family_pool))
        if name not in used_names:
            used_names.add(name)
            return name


def _survivor_status(rng, type):
    if type != OrganisationType.AFFECTED_COMMUNITY:
        return SurvivorStatus.UNKNOWN
    return _weighted(
        rng,
        [
            (SurvivorStatus.SURVIVOR, 2),
            (SurvivorStatus.INDIRECT_VICTIM, 1),
            (SurvivorStatus.UNKNOWN, 1),
        ],
    )


def _generated_terms(rng, type):
    """Membership terms: most people are current members; some left, some were observers first."""
    roll = rng.random()
    if type in data.OBSERVER_TYPES:
        return [(Role.OBSERVER, _month(rng, 2019, 2025), None)]
    if roll < 0.08:  # left the platform
        starts_on = _month(rng, 2019, 2021)
        return [(Role.MEMBER, starts_on, _month(rng, 2022, 2025) - datetime.timedelta(days=1))]
    if roll < 0.13:  # observer first, then a member
        joined = _month(rng, 2019, 2021)
        promoted = _month(rng, 2022, 2024)
        return [
            (Role.OBSERVER, joined, promoted - datetime.timedelta(days=1)),
            (Role.MEMBER, promoted, None),
        ]
    if roll < 0.16:  # a contact who receives papers but holds no role
        return []
    ends_on = datetime.date(2027, 12, 31) if roll > 0.94 else None  # fixed-term secondments
    return [(Role.MEMBER, _month(rng, 2019, 2025), ends_on)]


def _rotation(today):
    """Two-year terms starting on 1 January of even years; the current lead donor holds today's."""
    current_start = today.year - today.year % 2
    current_index = data.LEAD_DONOR_ROTATION.index(data.CURRENT_LEAD_DONOR)
    terms = []
    for index, organisation in enumerate(data.LEAD_DONOR_ROTATION):
        year = current_start + 2 * (index - current_index)
        terms.append(
            {
                "organisation": organisation,
                "starts_on": datetime.date(year, 1, 1),
                "ends_on": datetime.date(year + 1, 12, 31),
                "notes": "Two-year term agreed by the platform plenary.",
            }
        )
    return terms


def _working_groups(rng, people, today):
    types = {organisation[0]: organisation[2] for organisation in data.ORGANISATIONS}
    current = [person for person in people if _is_current_member(person, today)]
    current.sort(key=lambda person: person["email"])
    groups = []
    for spec in data.WORKING_GROUPS:
        conveners = [p["email"] for p in people if p["convenes"] == spec["component"]]
        eligible = [
            person["email"]
            for person in current
            if types[person["organisation"]] in spec["member_types"]
            and person["email"] not in conveners
        ]
        members = conveners + rng.sample(eligible, spec["size"] - len(conveners))
        groups.append(
            {
                "name": spec["name"],
                "component": spec["component"],
                "mandate": spec["mandate"],
                "conveners": conveners,
                "members": sorted(members),
            }
        )
    return groups


def _is_current_member(person, today):
    return any(
        role in MEMBER_ROLES and starts_on <= today and (ends_on is None or ends_on >= today)
        for role, starts_on, ends_on in person["roles"]
    )


def _month(rng, first_year, last_year):
    return datetime.date(rng.randint(first_year, last_year), rng.randint(1, 12), 1)


def _weighted(rng, choices):
    values = [value for value, _weight in choices]
    weights = [weight for _value, weight in choices]
    return rng.choices(values, weights=weights)[0]


def _email(person, domain):
    local = ".".join(_ascii_slug(person[field]) for field in ("given_name", "family_name"))
    return f"{local}@{domain}"


def _ascii_slug(text):
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in ascii_text.lower() if ch.isalnum() or ch == "-")
