"""Personas: one logged-in client per role, shared by every app's tests."""

import datetime
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client

from mineaction.core.choices import Role
from mineaction.core.models import CountryProfile, User
from mineaction.stakeholders.models import (
    LeadDonorTerm,
    Membership,
    Organisation,
    OrganisationType,
    Person,
)

TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "correct-horse-battery-staple"


def make_organisation(name, type=OrganisationType.NATIONAL_NGO, **fields):
    return Organisation.objects.create(name=name, type=type, **fields)


def make_person(email, organisation, *, role=None, superuser=False, two_factor=None, **fields):
    """A person with a log-in and, when `role` is given, a current membership in that role."""
    user = User.objects.create_user(email, PASSWORD, is_superuser=superuser, is_staff=superuser)
    given, _, family = email.split("@")[0].partition(".")
    person = Person.objects.create(
        user=user,
        email=email,
        organisation=organisation,
        given_name=fields.pop("given_name", given.title()),
        family_name=fields.pop("family_name", (family or "Tester").title()),
        **fields,
    )
    if role:
        Membership.objects.create(person=person, role=role, starts_on=datetime.date(2020, 1, 1))
    if two_factor is None:
        two_factor = superuser or role in {Role.LEAD_AUTHORITY, Role.SECRETARIAT}
    if two_factor:
        TOTP.activate(user, TEST_TOTP_SECRET)
    return person


@pytest.fixture
def country(db):
    return CountryProfile.objects.create(
        name="Testland", iso3="TST", currency="USD", official_languages=["en", "fr"]
    )


@pytest.fixture
def authority_org(db):
    return make_organisation(
        "Testland Mine Action Centre", OrganisationType.NATIONAL_AUTHORITY, acronym="TMAC"
    )


@pytest.fixture
def donor_org(db):
    return make_organisation("Kingdom of Examplia", OrganisationType.DONOR_STATE)


@pytest.fixture
def ngo_org(db):
    return make_organisation("Clear Fields Association", OrganisationType.NATIONAL_NGO)


@pytest.fixture
def people(db, country, authority_org, donor_org, ngo_org):
    """One person per role, keyed by persona name."""
    undp = make_organisation(
        "United Nations Development Programme", OrganisationType.UN_AGENCY, acronym="UNDP"
    )
    LeadDonorTerm.objects.create(
        organisation=donor_org,
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2099, 12, 31),
    )
    return {
        "administrator": make_person("admin.user@example.org", authority_org, superuser=True),
        "lead_authority": make_person(
            "lead.authority@example.org", authority_org, role=Role.LEAD_AUTHORITY
        ),
        "secretariat": make_person("secretariat.officer@example.org", undp, role=Role.SECRETARIAT),
        "data_manager": make_person(
            "data.manager@example.org", authority_org, role=Role.DATA_MANAGER
        ),
        "lead_donor": make_person("donor.focal@example.org", donor_org, role=Role.MEMBER),
        "member": make_person("ngo.member@example.org", ngo_org, role=Role.MEMBER),
        "observer": make_person("observer.person@example.org", ngo_org, role=Role.OBSERVER),
        "outsider": make_person("no.membership@example.org", ngo_org),
    }


PERSONAS = [
    "anonymous",
    "outsider",
    "observer",
    "member",
    "lead_donor",
    "data_manager",
    "secretariat",
    "lead_authority",
    "administrator",
]


def client_for(people, persona):
    client = Client()
    if persona != "anonymous":
        client.force_login(people[persona].user)
    return client


@pytest.fixture
def clients(people):
    """A logged-in test client per persona (and an anonymous one)."""
    return {persona: client_for(people, persona) for persona in PERSONAS}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """Pages render without a collected static manifest (tests never run collectstatic)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


class _Inbox:
    """Collects the messages a real SMTP server on loopback receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on loopback; the platform's mail goes to it.

    Yields the list of received `email.message.EmailMessage` objects.
    """
    inbox = _Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 10},
        }
    }
    try:
        yield inbox.messages
    finally:
        controller.stop()
