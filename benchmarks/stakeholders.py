"""Benchmark of the stakeholder pages and API on a large, realistic data set.

    uv run --frozen python benchmarks/stakeholders.py [--people N] [--repeat R] [--seed S]
    scripts/with-postgres uv run --frozen python benchmarks/stakeholders.py   # on PostgreSQL

Builds a throwaway database (SQLite in a temporary directory, or the empty database named by
DATABASE_URL), fills it with N people in N/10 organisations, ~1.25 N memberships (current and
ended), 12 lead donor terms and 4 working groups of 200 members, then requests each page and
API endpoint R times as a logged-in secretariat user (with TOTP, as the middleware requires).

Times are only meaningful next to lower bounds measured in the same run on the same machine:
the framework's ceiling (`/healthz` through the same middleware with the same client) and, for
the participation aggregate, the same count done in one raw SQL statement. The script prints
medians, 90th percentiles, SQL query counts and the ratios to those bounds. See README.md.
"""

import argparse
import datetime
import math
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from measuring import Measure, configure_django, page

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
BATCH = 2000
PEOPLE_PER_ORGANISATION = 10
WORKING_GROUP_SIZE = 200
LEAD_DONOR_TERMS = 12
LEAD_DONOR_TERM_DAYS = 182
PAST_LEAD_DONOR_TERMS = 8  # the 9th term is today's, 3 are to come

# fmt: off
GIVEN_NAMES = [
    "Amina", "Fatima", "Leila", "Mariam", "Nour", "Sara", "Yasmin", "Zainab", "Hana", "Rania",
    "Ana", "Lucia", "Sofia", "Elena", "Irina", "Olga", "Mei", "Lin", "Aisha", "Grace", "Ahmed",
    "Ali", "Omar", "Hassan", "Karim", "Youssef", "Ivan", "Pedro", "Juan", "Luis", "Chen", "Wei",
    "Jean", "Pierre", "Samuel", "David", "Kofi", "Tomas", "Nikolai", "Arman",
]
FAMILY_NAMES = [
    "Abdullah", "Haddad", "Khalil", "Mansour", "Nasser", "Rahman", "Saleh", "Sharif", "Yousef",
    "Zidane", "Garcia", "Lopez", "Martinez", "Rodriguez", "Silva", "Costa", "Petrov", "Ivanova",
    "Smirnov", "Kuznetsov", "Wang", "Li", "Zhang", "Liu", "Chen", "Dubois", "Martin", "Bernard",
    "Moreau", "Laurent", "Mensah", "Owusu", "Okafor", "Mwangi", "Diallo", "Traore", "Khan",
    "Ahmadi", "Karimi", "Popescu", "Novak", "Horvat", "Kowalski", "Nielsen", "Jensen", "Hansen",
    "Smith", "Jones", "Taylor", "Brown", "Wilson",
]
NAME_WORDS = [
    "Green", "Safe", "Clear", "Open", "Common", "Future", "Hope", "Unity", "Bright", "Steady",
    "Peace", "Mountain", "River", "Valley", "Northern", "Southern", "Eastern", "Western",
    "Central", "Coastal",
]
# fmt: on
ORGANISATION_KINDS = {
    "national_authority": (1, "Mine Action Centre"),
    "government_ministry": (10, "Ministry Department"),
    "donor_state": (5, "State"),
    "un_agency": (3, "UN Office"),
    "international_organisation": (3, "International Office"),
    "international_ngo": (15, "International"),
    "national_ngo": (28, "Association"),
    "commercial_operator": (10, "Demining Ltd"),
    "academic": (8, "University"),
    "affected_community": (12, "Survivors Network"),
    "other": (5, "Group"),
}
CURRENT_ROLES = {
    "member": 75,
    "observer": 20,
    "data_manager": 3,
    "secretariat": 1.5,
    "lead_authority": 0.5,
}
SEXES = {"female": 38, "male": 55, "undisclosed": 7}
AGE_BANDS = {"under_18": 1, "18_29": 18, "30_44": 38, "45_59": 30, "60_plus": 8, "undisclosed": 5}
COUNTRIES = ["TST", "FRA", "GBR", "USA", "DEU", "NOR", "JPN", "CHE", "SWE", "NLD", "", ""]


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=20_000, help="people (default 20000)")
    parser.add_argument("--repeat", type=int, default=20, help="requests per page (default 20)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the data (default 1)")
    arguments = parser.parse_args(argv)
    if arguments.people < WORKING_GROUP_SIZE:
        parser.error(f"--people must be at least {WORKING_GROUP_SIZE}, not {arguments.people}")
    if arguments.repeat < 2:
        parser.error(f"--repeat must be at least 2, not {arguments.repeat}")
    return arguments


# The data set ----------------------------------------------------------------------------------


def weighted(rng, weights, count):
    return rng.choices(list(weights), weights=list(weights.values()), k=count)


def random_date(rng, first, last):
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def create_in_batches(model, records):
    model.objects.bulk_create(records, batch_size=BATCH)


def build_organisations(rng, count):
    from mineaction.stakeholders.models import Organisation

    kinds = {kind: weight for kind, (weight, _suffix) in ORGANISATION_KINDS.items()}
    organisations = []
    for number, kind in enumerate(weighted(rng, kinds, count), start=1):
        words = " ".join(rng.sample(NAME_WORDS, 2))
        name = f"{words} {ORGANISATION_KINDS[kind][1]} {number:05d}"
        acronym = "".join(word[0] for word in name.split()[:-1]) + str(number)
        organisations.append(
            Organisation(
                name=name,
                acronym=acronym if rng.random() < 0.7 else "",
                type=kind,
                country=rng.choice(COUNTRIES),
                email=f"contact{number}@example.org",
                is_active=rng.random() < 0.95,
            )
        )
    create_in_batches(Organisation, organisations)
    return list(Organisation.objects.order_by("pk"))


def build_people(rng, count, organisations):
    from mineaction.stakeholders.models import Person

    sexes, ages = weighted(rng, SEXES, count), weighted(rng, AGE_BANDS, count)
    # A few large organisations (ministries, UN agencies) and a long tail of small ones.
    weights = [1 / (rank + 1) ** 0.5 for rank in range(len(organisations))]
    employers = rng.choices(organisations, weights=weights, k=count)
    people = []
    for number in range(count):
        given, family = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
        people.append(
            Person(
                given_name=given,
                family_name=family,
                job_title=rng.choice(["Programme officer", "Director", "Field coordinator", ""]),
                email=f"{given}.{family}.{number}@example.org".lower()
                if rng.random() < 0.9
                else None,
                organisation=employers[number],
                sex=sexes[number],
                age_band=ages[number],
                language=rng.choice(["en", "en", "fr", "es", "ar", "ru", "zh-hans"]),
            )
        )
    create_in_batches(Person, people)
    return list(Person.objects.order_by("pk"))


def build_log_ins(rng, people):
    """One person in ten has a log-in; half of those have logged in at least once."""
    from django.contrib.auth.hashers import make_password

    from mineaction.core.models import User
    from mineaction.stakeholders.models import Person

    with_email = [person for person in people if person.email]
    chosen = rng.sample(with_email, len(people) // 10)
    unusable = make_password(None)
    users = [
        User(
            email=person.email,
            password=unusable,
            language=person.language,
            last_login=datetime.datetime.now(datetime.UTC) if rng.random() < 0.5 else None,
        )
        for person in chosen
    ]
    create_in_batches(User, users)
    by_email = dict(User.objects.values_list("email", "pk"))
    for person in chosen:
        person.user_id = by_email[person.email]
    Person.objects.bulk_update(chosen, ["user"], batch_size=BATCH)


def build_memberships(rng, people, today):
    """85 % of people hold a current role (one in five with a term ending later); 40 % held an
    earlier role that has ended."""
    from mineaction.stakeholders.models import Membership

    memberships = []
    for person in people:
        if rng.random() < 0.85:
            ends = random_date(rng, today, today + datetime.timedelta(days=900))
            memberships.append(
                Membership(
                    person=person,
                    role=weighted(rng, CURRENT_ROLES, 1)[0],
                    starts_on=random_date(rng, datetime.date(2018, 1, 1), today),
                    ends_on=ends if rng.random() < 0.2 else None,
                )
            )
        if rng.random() < 0.40:
            starts = random_date(rng, datetime.date(2012, 1, 1), datetime.date(2020, 12, 31))
            memberships.append(
                Membership(
                    person=person,
                    role=rng.choice(["member", "observer"]),
                    starts_on=starts,
                    ends_on=random_date(rng, starts, today - datetime.timedelta(days=1)),
                    notes="Term ended.",
                )
            )
    create_in_batches(Membership, memberships)
    return len(memberships)


def build_lead_donor_terms(rng, organisations, today):
    from mineaction.stakeholders.models import LeadDonorTerm

    donors = [
        organisation
        for organisation in organisations
        if organisation.type in {"donor_state", "un_agency", "international_organisation"}
    ]
    first = today - datetime.timedelta(days=PAST_LEAD_DONOR_TERMS * LEAD_DONOR_TERM_DAYS + 30)
    terms = []
    for number in range(LEAD_DONOR_TERMS):
        starts = first + datetime.timedelta(days=number * LEAD_DONOR_TERM_DAYS)
        ends = starts + datetime.timedelta(days=LEAD_DONOR_TERM_DAYS - 1)
        terms.append(LeadDonorTerm(organisation=rng.choice(donors), starts_on=starts, ends_on=ends))
    create_in_batches(LeadDonorTerm, terms)


def build_working_groups(rng, people):
    from mineaction.core.choices import Component
    from mineaction.stakeholders.models import WorkingGroup

    groups = [
        WorkingGroup(name=f"{component.label} working group", component=component.value)
        for component in Component
    ]
    create_in_batches(WorkingGroup, groups)
    members, conveners = [], []
    for group in WorkingGroup.objects.all():
        chosen = rng.sample(people, WORKING_GROUP_SIZE)
        members += [WorkingGroup.members.through(workinggroup=group, person=p) for p in chosen]
        conveners += [
            WorkingGroup.conveners.through(workinggroup=group, person=p) for p in chosen[:3]
        ]
    create_in_batches(WorkingGroup.members.through, members)
    create_in_batches(WorkingGroup.conveners.through, conveners)
    return len(groups)


def build_audit_trail(organisations, people):
    """One "created" entry per organisation and person, as if they had been added one by one."""
    from django.contrib.contenttypes.models import ContentType

    from mineaction.core.models import AuditEntry

    started = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    entries = []
    for number, record in enumerate([*organisations, *people]):
        entries.append(
            AuditEntry(
                timestamp=started + datetime.timedelta(minutes=17 * number),
                action=AuditEntry.Action.CREATE,
                content_type=ContentType.objects.get_for_model(record),
                object_public_id=record.public_id,
                object_repr=str(record)[:200],
                changes={},
            )
        )
    create_in_batches(AuditEntry, entries)
    return len(entries)


def build_viewer(organisation):
    """The secretariat officer the pages are requested as, with TOTP set up."""
    from allauth.mfa.totp.internal.auth import TOTP

    from mineaction.core.models import User
    from mineaction.stakeholders.models import Membership, Person

    user = User.objects.create_user("benchmark.secretariat@example.org", password=None)
    person = Person.objects.create(
        user=user,
        email=user.email,
        given_name="Benchmark",
        family_name="Secretariat",
        organisation=organisation,
    )
    Membership.objects.create(
        person=person, role="secretariat", starts_on=datetime.date(2020, 1, 1)
    )
    TOTP.activate(user, TOTP_SECRET)
    return user


def build_data_set(arguments):
    """Fill the empty database; returns the viewer and a description of what was made."""
    from django.db import connection, transaction
    from django.utils import timezone

    from mineaction.core.models import CountryProfile

    rng = random.Random(arguments.seed)
    today = timezone.localdate()
    with transaction.atomic():
        CountryProfile.objects.create(name="Testland", iso3="TST", official_languages=["en"])
        organisations = build_organisations(rng, arguments.people // PEOPLE_PER_ORGANISATION)
        people = build_people(rng, arguments.people, organisations)
        build_log_ins(rng, people)
        memberships = build_memberships(rng, people, today)
        build_lead_donor_terms(rng, organisations, today)
        groups = build_working_groups(rng, people)
        audit_entries = build_audit_trail(organisations, people)
        authority = next(o for o in organisations if o.type == "national_authority")
        viewer = build_viewer(authority)
    if connection.vendor == "postgresql":
        # A production database has statistics (autovacuum); a freshly bulk-loaded one not yet.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    sizes = {
        "organisations": len(organisations),
        "people": len(people) + 1,
        "memberships": memberships + 1,
        "lead donor terms": LEAD_DONOR_TERMS,
        f"working groups of {WORKING_GROUP_SIZE} members": groups,
        "audit entries": audit_entries,
    }
    return viewer, sizes


# Measuring -------------------------------------------------------------------------------------


def raw_participation_counts(on):
    """The participation aggregate in one hand-written statement: the lower bound."""
    from django.db import connection

    from mineaction.stakeholders.models import Membership, Organisation, Person

    person, organisation = Person._meta.db_table, Organisation._meta.db_table
    membership = Membership._meta.db_table
    sql = f"""
        SELECT o.type, p.sex, p.age_band, COUNT(*)
        FROM {person} p JOIN {organisation} o ON o.id = p.organisation_id
        WHERE EXISTS (
            SELECT 1 FROM {membership} m
            WHERE m.person_id = p.id AND m.starts_on <= %s
              AND (m.ends_on IS NULL OR m.ends_on >= %s)
        )
        GROUP BY o.type, p.sex, p.age_band
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [on, on])
        return cursor.fetchall()


def measures(client, people_count):
    from django.urls import reverse
    from django.utils import timezone

    from mineaction.stakeholders.services import participation_summary

    today = timezone.localdate()
    people = reverse("stakeholders:person_list")
    last_page = math.ceil(people_count / 25)
    return [
        Measure("GET /healthz (ceiling)", page(client, reverse("core:healthz"))),
        Measure("dashboard", page(client, reverse("dashboard:home"))),
        Measure("people, first page", page(client, people)),
        Measure("people, search", page(client, people + "?q=haddad")),
        Measure(f"people, page {last_page}", page(client, f"{people}?page={last_page}")),
        Measure("organisations", page(client, reverse("stakeholders:organisation_list"))),
        Measure("participation", page(client, reverse("stakeholders:participation"))),
        Measure("API GET /api/v1/people", page(client, "/api/v1/people")),
        Measure("API GET /api/v1/participation", page(client, "/api/v1/participation")),
        Measure("participation_summary()", lambda: participation_summary(on=today)),
        Measure("raw SQL aggregate (bound)", lambda: raw_participation_counts(today)),
    ]


def check_same_answer():
    """The raw SQL bound must count exactly what the service counts, or it bounds nothing."""
    from django.utils import timezone

    from mineaction.stakeholders.services import participation_summary

    today = timezone.localdate()
    raw_total = sum(row[3] for row in raw_participation_counts(today))
    service_total = participation_summary(on=today)["total"]
    if raw_total != service_total:
        raise SystemExit(f"raw SQL counts {raw_total} members, the service {service_total}")
    return service_total


def run_measures(all_measures, repeat):
    """Each measure in turn: one warm-up call, then `repeat` timed calls in a row. In a row, not
    interleaved: interleaved, the garbage a heavy page leaves is collected (and timed) in the
    next request, which doubled the ceiling's time at 20,000 people."""
    for measure in all_measures:
        measure.run()
        for _sample in range(repeat):
            measure.once()


# Reporting -------------------------------------------------------------------------------------


def database_description():
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    return f"{connection.vendor} {version}, Django {django.get_version()}"


def print_header(sizes, build_seconds, members, repeat):
    print(f"Stakeholders benchmark, {datetime.datetime.now():%Y-%m-%d %H:%M}")
    print(
        f"Machine: {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}"
    )
    print(f"Database: {database_description()}")
    print("Data: " + ", ".join(f"{value} {name}" for name, value in sizes.items()))
    print(f"      {members} people with a current membership; built in {build_seconds:.1f} s")
    print(f"Each row: {repeat} requests (after one warm-up), logged in as the secretariat.\n")


def print_table(all_measures):
    ceiling = all_measures[0].median
    bound = all_measures[-1].median
    columns = f"{'':34} {'median ms':>10} {'p90 ms':>8} {'queries':>8} {'x ceiling':>10}"
    print(columns + f" {'x raw SQL':>10}")
    print("-" * (len(columns) + 11))
    for measure in all_measures:
        line = (
            f"{measure.name:34} {measure.median:10.2f} {measure.p90:8.2f} "
            f"{measure.query_count:>8} {measure.median / ceiling:10.1f}"
        )
        if "participation" in measure.name or measure is all_measures[-1]:
            line += f" {measure.median / bound:10.1f}"
        print(line)
    print("\nx ceiling: median / median of GET /healthz through the same middleware and client.")
    print("x raw SQL: median / median of one cursor.execute of the participation aggregate.")


def main(argv=None):
    arguments = parse_arguments(argv)
    workdir = Path(tempfile.mkdtemp(prefix="mineaction-benchmark-"))
    try:
        configure_django(workdir)
        return benchmark(arguments)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def benchmark(arguments):
    from django.core.management import call_command
    from django.test import Client

    from mineaction.stakeholders.models import Person

    call_command("migrate", verbosity=0, interactive=False)
    if Person.objects.exists():
        raise SystemExit(
            "The database already holds people. The benchmark fills an empty database only: "
            "unset DATABASE_URL (a temporary SQLite file) or use scripts/with-postgres."
        )
    started = time.perf_counter()
    viewer, sizes = build_data_set(arguments)
    build_seconds = time.perf_counter() - started
    members = check_same_answer()
    client = Client()
    client.force_login(viewer)
    all_measures = measures(client, arguments.people + 1)
    run_measures(all_measures, arguments.repeat)
    print_header(sizes, build_seconds, members, arguments.repeat)
    print_table(all_measures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
