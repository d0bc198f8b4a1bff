import datetime
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.utils import timezone

from mineaction.core.access import roles_of
from mineaction.core.models import AuditEntry, BaseModel, CountryProfile, DeadlineChange, User
from mineaction.demo import data
from mineaction.demo.plan import demo_plan
from mineaction.demo.services import demo_accounts
from mineaction.stakeholders.models import (
    AgeBand,
    LeadDonorTerm,
    Membership,
    Organisation,
    OrganisationType,
    Person,
    Sex,
    SurvivorStatus,
    WorkingGroup,
)

EXPECTED_ROLES = {
    "admin@demo.example": {"administrator"},
    "authority@demo.example": {"lead_authority"},
    "secretariat@demo.example": {"secretariat"},
    "data@demo.example": {"data_manager"},
    "donor@demo.example": {"member", "lead_donor"},
    "member@demo.example": {"member"},
    "observer@demo.example": {"observer"},
}
MODELS = [
    CountryProfile,
    DeadlineChange,
    Organisation,
    Person,
    Membership,
    LeadDonorTerm,
    WorkingGroup,
    User,
    Authenticator,
]


def load_demo(*args):
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def snapshot():
    """Every demo record as plain values, without the timestamps that change on save."""
    records = {
        model.__name__: sorted(
            repr(sorted((k, v) for k, v in row.items() if k not in {"updated_at", "last_login"}))
            for row in model.objects.values()
        )
        for model in MODELS
    }
    records["working group members"] = sorted(
        (group.name, sorted(group.members.values_list("email", flat=True)))
        for group in WorkingGroup.objects.all()
    )
    return records


def audit_entries_outside_priorities():
    """Audit entries of everything but the challenges, work plans and policies (whose demo
    test, test_priorities_demo.py, checks theirs) and the partnerships and funding records
    (test_funding_demo.py checks theirs)."""
    return AuditEntry.objects.exclude(
        content_type__app_label__in=[
            "challenges",
            "workplans",
            "policies",
            "partnerships",
            "funding",
        ]
    ).count()


def meeting_records():
    """The meeting cycle's audited records: one "create" entry each."""
    return sum(
        model.objects.count()
        for model in apps.get_app_config("meetings").get_models()
        if issubclass(model, BaseModel)
    )


@pytest.fixture
def demo(db):
    load_demo()


def test_loading_the_demo_creates_the_expected_records(db):
    output = load_demo()

    assert Organisation.objects.count() == 60
    assert Person.objects.count() == 150
    assert Membership.objects.count() == 157
    assert LeadDonorTerm.objects.count() == 7
    assert WorkingGroup.objects.count() == 4
    assert DeadlineChange.objects.count() == 2
    assert User.objects.count() == 7
    assert output.startswith(
        "Demo loaded: 60 organisations, 150 people, 157 memberships, 7 lead donor terms, "
        "4 working groups, 2 deadline extensions, 7 log-ins, 2 meeting series, 13 meetings, "
        "40 action points, 26 challenges, 3 prioritisation rounds, 28 ballots, 3 work plans, "
        "41 activities, 19 instruments, 4 partnerships, 25 commitments, "
    )
    # The counts of reports, rates, requirements, pledges and disbursements follow the day of
    # loading; test_funding_demo.py checks them.
    assert (
        ".\nLog-ins (password demo-platform-2026):\n"
        "  admin@demo.example         administrator    two-factor: mineaction demo_totp\n"
    ) in output


def test_demo_country_is_fictional_marked_as_demo_and_has_two_extensions(demo):
    profile = CountryProfile.load()

    assert (profile.name, profile.iso3, profile.is_demo) == ("Republic of Demoland", "XDL", True)
    assert profile.official_languages == ["fr", "ar"]
    assert profile.currency == "USD"
    assert profile.convention_entry_into_force == datetime.date(2003, 3, 1)
    assert profile.original_article5_deadline == datetime.date(2013, 3, 1)
    assert list(profile.deadline_changes.values_list("new_deadline", flat=True)) == [
        datetime.date(2018, 3, 1),
        datetime.date(2028, 3, 1),
    ]
    assert profile.article5_deadline == datetime.date(2028, 3, 1)


def test_every_organisation_type_is_present(demo):
    types = set(Organisation.objects.values_list("type", flat=True))

    assert types == set(OrganisationType.values)
    assert Organisation.objects.filter(type=OrganisationType.DONOR_STATE).count() == 12


def test_participation_is_thin_for_academia_and_private_sector(demo):
    def people_of(type):
        return Person.objects.filter(organisation__type=type).count()

    assert people_of(OrganisationType.ACADEMIC) == 3
    assert people_of(OrganisationType.COMMERCIAL_OPERATOR) == 4
    assert people_of(OrganisationType.AFFECTED_COMMUNITY) == 7
    assert people_of(OrganisationType.NATIONAL_AUTHORITY) == 21


def test_people_have_a_realistic_mix_of_sex_age_language_and_a_few_survivors(demo):
    def count(**filters):
        return Person.objects.filter(**filters).count()

    assert count(sex=Sex.FEMALE) == 53
    assert count(sex=Sex.MALE) == 94
    assert count(sex=Sex.UNDISCLOSED) == 3
    assert count(age_band=AgeBand.FROM_18_TO_29) == 16
    assert count(age_band=AgeBand.FROM_30_TO_44) == 61
    assert count(age_band=AgeBand.FROM_45_TO_59) == 57
    assert count(age_band=AgeBand.FROM_60) == 10
    assert count(age_band=AgeBand.UNDISCLOSED) == 6
    assert count(survivor_status=SurvivorStatus.SURVIVOR) == 4
    assert count(survivor_status=SurvivorStatus.INDIRECT_VICTIM) == 2
    assert set(Person.objects.values_list("language", flat=True)) == {
        "en",
        "fr",
        "es",
        "ar",
        "ru",
        "zh-hans",
    }
    assert count(job_title="") == 0
    assert count(email__endswith=".example") == 150


def test_memberships_have_dated_terms_and_some_have_ended(demo):
    today = timezone.localdate()

    assert Membership.objects.filter(ends_on__lt=today).count() == 25
    assert Membership.objects.current(today).count() == 132
    assert list(Person.objects.filter(memberships=None).values_list("email", flat=True)) == [
        "admin@demo.example"  # administrator by account, not by membership
    ]


def test_lead_donor_rotation_has_past_current_and_future_two_year_terms(demo):
    today = timezone.localdate()
    terms = list(LeadDonorTerm.objects.order_by("starts_on"))

    assert [term.organisation.name for term in terms] == data.LEAD_DONOR_ROTATION
    assert LeadDonorTerm.objects.current(today).get().organisation.name == "Kingdom of Nordvalia"
    assert sum(term.starts_on > today for term in terms) == 1
    assert sum(term.ends_on < today for term in terms) == 5
    for term, following in zip(terms, terms[1:], strict=False):
        assert term.ends_on + datetime.timedelta(days=1) == following.starts_on
        assert (term.starts_on.month, term.starts_on.day) == (1, 1)
        assert term.ends_on.year == term.starts_on.year + 1


def test_one_working_group_per_component_with_conveners_among_its_members(demo):
    groups = WorkingGroup.objects.order_by("component")

    assert [(group.component, group.members.count()) for group in groups] == [
        ("participation", 9),
        ("political", 10),
        ("resource_mobilisation", 10),
        ("technical", 14),
    ]
    for group in groups:
        conveners = set(group.conveners.values_list("pk", flat=True))
        assert len(conveners) == 2
        assert conveners <= set(group.members.values_list("pk", flat=True))


def test_every_demo_record_passes_model_validation(demo):
    for model in [CountryProfile, DeadlineChange, Organisation, Person, Membership]:
        for record in model.objects.all():
            record.full_clean()
    for record in LeadDonorTerm.objects.all():
        record.full_clean()
    for record in WorkingGroup.objects.all():
        record.full_clean()


def test_loading_twice_gives_the_same_data_and_no_new_audit_entries(demo):
    before = snapshot()
    audit_entries = AuditEntry.objects.count()

    load_demo()

    assert snapshot() == before
    assert AuditEntry.objects.count() == audit_entries
    assert audit_entries_outside_priorities() == 388 + meeting_records()


def test_loading_again_repairs_changed_demo_records(demo):
    Organisation.objects.filter(acronym="DMAC").update(name="Renamed centre")
    User.objects.get(email="member@demo.example").set_password("another-password-1")

    load_demo()

    assert Organisation.objects.filter(name="Demoland Mine Action Centre").count() == 1
    assert authenticate(email="member@demo.example", password=data.DEMO_PASSWORD) is not None


def test_reset_wipes_the_demo_and_loads_it_afresh(demo):
    before = snapshot()
    Person.objects.filter(email="member@demo.example").update(job_title="Changed")
    extra = Organisation.objects.create(name="Added by a tester", type=OrganisationType.OTHER)

    load_demo("--reset")

    assert not Organisation.objects.filter(pk=extra.pk).exists()
    assert Person.objects.get(email="member@demo.example").job_title == "Operations Coordinator"
    assert snapshot().keys() == before.keys()
    assert Organisation.objects.count() == 60
    assert User.objects.count() == 7
    assert audit_entries_outside_priorities() == 388 + meeting_records()
    assert set(AuditEntry.objects.values_list("action", flat=True)) == {"create", "update"}


def test_reset_keeps_log_ins_that_are_not_part_of_the_demo(demo):
    own = User.objects.create_superuser("operator@example.org", "operator-password-1")

    load_demo("--reset")

    assert User.objects.filter(pk=own.pk).exists()


def test_every_demo_log_in_authenticates_and_holds_its_role(demo):
    found = {}
    for email, _role, _two_factor in demo_accounts():
        user = authenticate(email=email, password="demo-platform-2026")
        found[email] = roles_of(user)
        assert user.person.email == email

    assert found == EXPECTED_ROLES
    assert [role for _email, role, _two_factor in demo_accounts()] == [
        "administrator",
        "lead_authority",
        "secretariat",
        "data_manager",
        "lead_donor",
        "member",
        "observer",
    ]


def test_privileged_demo_log_ins_have_the_demo_totp_and_recovery_codes(demo):
    with_two_factor = Authenticator.objects.order_by("user__email", "type").values_list(
        "user__email", "type"
    )

    assert list(with_two_factor) == [
        ("admin@demo.example", "recovery_codes"),
        ("admin@demo.example", "totp"),
        ("authority@demo.example", "recovery_codes"),
        ("authority@demo.example", "totp"),
        ("secretariat@demo.example", "recovery_codes"),
        ("secretariat@demo.example", "totp"),
    ]
    for authenticator in Authenticator.objects.filter(type=Authenticator.Type.TOTP):
        assert decrypt(authenticator.data["secret"]) == data.DEMO_TOTP_SECRET


def test_only_the_administrator_is_a_superuser(demo):
    assert list(User.objects.filter(is_superuser=True).values_list("email", flat=True)) == [
        "admin@demo.example"
    ]


def test_loading_is_refused_on_a_database_with_a_real_country_profile(db):
    CountryProfile.objects.create(name="Realland", iso3="RLD", currency="EUR")

    with pytest.raises(CommandError) as refusal:
        load_demo()

    assert str(refusal.value) == (
        "This database holds the country profile of Realland, which is not demo data. The demo "
        "is only loaded into an empty database or one that already holds the demo; nothing was "
        "changed."
    )
    assert Organisation.objects.count() == 0
    assert User.objects.count() == 0


def test_reset_is_refused_on_a_database_with_a_real_country_profile(db):
    CountryProfile.objects.create(name="Realland", iso3="RLD", currency="EUR")
    organisation = Organisation.objects.create(
        name="Realland Mine Action Centre", type=OrganisationType.NATIONAL_AUTHORITY
    )

    with pytest.raises(CommandError):
        load_demo("--reset")

    assert list(Organisation.objects.all()) == [organisation]
    assert CountryProfile.objects.get().name == "Realland"


def test_loading_is_refused_when_organisations_exist_without_a_country_profile(db):
    Organisation.objects.create(name="Early entry", type=OrganisationType.NATIONAL_NGO)

    with pytest.raises(CommandError, match="holds organisations or people but no country"):
        load_demo()

    assert Organisation.objects.count() == 1
    assert CountryProfile.objects.count() == 0


def test_plan_is_the_same_for_the_same_day_and_has_unique_emails():
    today = datetime.date(2026, 11, 28)
    plan = demo_plan(today)

    assert demo_plan(today) == plan
    emails = [person["email"] for person in plan["people"]]
    assert len(set(emails)) == len(emails) == 150


def test_current_lead_donor_follows_the_date_of_loading():
    rotation = demo_plan(datetime.date(2031, 6, 1))["rotation"]

    assert rotation[5]["organisation"] == "Kingdom of Nordvalia"
    assert (rotation[5]["starts_on"], rotation[5]["ends_on"]) == (
        datetime.date(2030, 1, 1),
        datetime.date(2031, 12, 31),
    )
    assert rotation[-1]["starts_on"] == datetime.date(2032, 1, 1)
