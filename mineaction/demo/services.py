"""Loading, wiping and checking the demo country.

`demo_load` writes the plan of `plan.demo_plan` through upserts keyed on natural keys (names,
e-mail addresses, dates), so loading twice gives the same data and adds nothing to the audit
trail. It refuses to touch a database that holds anything but the demo.
"""

import time

from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt, encrypt
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from mineaction.core.models import AuditEntry, CountryProfile, DeadlineChange, User
from mineaction.demo import data
from mineaction.demo.article5_load import load_article5, wipe_article5
from mineaction.demo.funding_load import funding_counts, load_funding, wipe_funding
from mineaction.demo.meeting_load import load_meetings
from mineaction.demo.plan import demo_plan
from mineaction.demo.priorities_load import load_priorities, priorities_counts, wipe_priorities
from mineaction.landrelease.models import AdminArea, HazardArea
from mineaction.meetings.models import ActionPoint, Meeting, MeetingSeries
from mineaction.stakeholders.models import (
    LeadDonorTerm,
    Membership,
    Organisation,
    Person,
    WorkingGroup,
)

# What a reset deletes, in an order that no protected foreign key blocks. Later modules that add
# demo data put their models in front of the stakeholders. The meetings go leaves first, so
# that no delete has to collect cascaded records (BaseModel's audit snapshot cannot load the
# partial records Django's deletion collector fetches).
WIPE_ORDER = [
    "meetings.AgendaLink",
    "meetings.ActionPointReminder",
    "meetings.ActionPointUpdate",
    "meetings.MinutesVersion",
    "meetings.MinutesEntry",
    "meetings.Amendment",
    "meetings.Decision",
    "meetings.Minutes",
    "meetings.ActionPoint",
    "meetings.AgendaDocument",
    "meetings.AgendaItem",
    "meetings.Invitation",
    "meetings.Attendance",
    "meetings.Meeting",
    "meetings.MeetingSeries",
    "stakeholders.WorkingGroup",
    "stakeholders.LeadDonorTerm",
    "stakeholders.Membership",
    "stakeholders.Person",
    "stakeholders.Organisation",
    "core.DeadlineChange",
    "core.CountryProfile",
]


class DemoRefused(Exception):
    """The database holds real data; the demo must not be mixed into it."""


def demo_refusal():
    """Why the demo may not be loaded into this database, or None when it may."""
    profile = CountryProfile.load()
    if profile is not None and not profile.is_demo:
        return (
            f"This database holds the country profile of {profile.name}, which is not demo "
            "data. The demo is only loaded into an empty database or one that already holds "
            "the demo; nothing was changed."
        )
    if profile is None and (
        Organisation.objects.exists()
        or Person.objects.exists()
        or HazardArea.objects.exists()
        or AdminArea.objects.exists()
    ):
        return (
            "This database holds organisations or people but no country profile, so they are "
            "not demo data. The demo is only loaded into an empty database or one that already "
            "holds the demo; nothing was changed."
        )
    return None


def demo_is_loaded():
    profile = CountryProfile.load()
    return profile is not None and profile.is_demo


@transaction.atomic
def demo_load(*, reset=False, today=None):
    """Load (or bring back) the demo country. Returns the number of records per kind."""
    refusal = demo_refusal()
    if refusal:
        raise DemoRefused(refusal)
    if reset:
        demo_wipe()
    plan = demo_plan(today or timezone.localdate())
    _load_country()
    organisations = _load_organisations(plan["organisations"])
    people = _load_people(plan["people"], organisations)
    _load_memberships(plan["people"], people)
    _load_rotation(plan["rotation"], organisations)
    _load_working_groups(plan["working_groups"], people)
    _load_accounts(people)
    load_meetings(plan["meetings"], people, _upsert)
    load_article5(today or timezone.localdate())
    load_priorities(today or timezone.localdate(), plan, people)
    load_funding(today or timezone.localdate(), plan)
    return demo_counts()


def demo_counts():
    return {
        "organisations": Organisation.objects.count(),
        "people": Person.objects.count(),
        "memberships": Membership.objects.count(),
        "lead donor terms": LeadDonorTerm.objects.count(),
        "working groups": WorkingGroup.objects.count(),
        "deadline extensions": DeadlineChange.objects.count(),
        "log-ins": User.objects.count(),
        "meeting series": MeetingSeries.objects.count(),
        "meetings": Meeting.objects.count(),
        "action points": ActionPoint.objects.count(),
        **priorities_counts(),
        **funding_counts(),
    }


@transaction.atomic
def demo_wipe():
    """Delete the demo: its records, its log-ins and the audit trail of its changes."""
    refusal = demo_refusal()
    if refusal:
        raise DemoRefused(refusal)
    user_ids = set(Person.objects.exclude(user=None).values_list("user_id", flat=True))
    user_ids |= set(
        User.objects.filter(email__iendswith="@" + data.DEMO_ACCOUNT_DOMAIN).values_list(
            "pk", flat=True
        )
    )
    wipe_funding()
    wipe_priorities()
    wipe_article5()
    for label in WIPE_ORDER:
        apps.get_model(label).objects.all().delete()
    User.objects.filter(pk__in=user_ids).delete()
    AuditEntry.objects.all().delete()


def demo_totp_code(now=None):
    """The current code of the published demo TOTP secret and the seconds it stays valid."""
    now = time.time() if now is None else now
    period = mfa_settings.TOTP_PERIOD
    code = format_hotp_value(hotp_value(data.DEMO_TOTP_SECRET, int(now) // period))
    return code, period - int(now) % period


def demo_accounts():
    """(email, expected role, two-factor) for every demo log-in, in the README's order."""
    emails = {person["key"]: person["email"] for person in data.NAMED_PEOPLE if person["key"]}
    return [(emails[key], role, two_factor) for key, role, two_factor in data.DEMO_ACCOUNTS]


def _upsert(model, lookup, values):
    """Create the record, or update only the fields that differ (no empty audit entries)."""
    record = model.objects.filter(**lookup).first()
    if record is None:
        return model.objects.create(**lookup, **values)
    changed = {name: value for name, value in values.items() if getattr(record, name) != value}
    if changed:
        for name, value in changed.items():
            setattr(record, name, value)
        record.save()
    return record


def _load_country():
    profile = CountryProfile.load()
    values = {**data.COUNTRY, "is_demo": True}
    if profile is None:
        profile = CountryProfile.objects.create(**values)
    else:
        profile = _upsert(CountryProfile, {"pk": profile.pk}, values)
    for extension in data.DEADLINE_EXTENSIONS:
        _upsert(
            DeadlineChange,
            {"profile": profile, "decided_on": extension["decided_on"]},
            {"new_deadline": extension["new_deadline"], "decision": extension["decision"]},
        )
    return profile


def _load_organisations(planned):
    organisations = {}
    for organisation in planned:
        values = {
            field: organisation[field]
            for field in ("acronym", "type", "country", "email", "description")
        }
        organisations[organisation["name"]] = _upsert(
            Organisation, {"name": organisation["name"]}, {**values, "is_active": True}
        )
    return organisations


PERSON_FIELDS = ("given_name", "family_name", "job_title", "sex", "age_band", "language")


def _load_people(planned, organisations):
    people = {}
    for person in planned:
        values = {field: person[field] for field in PERSON_FIELDS}
        values["survivor_status"] = person["survivor_status"]
        values["organisation_id"] = organisations[person["organisation"]].pk
        people[person["email"]] = _upsert(Person, {"email": person["email"]}, values)
    return people


def _load_memberships(planned, people):
    for person in planned:
        for role, starts_on, ends_on in person["roles"]:
            _upsert(
                Membership,
                {"person": people[person["email"]], "role": role, "starts_on": starts_on},
                {"ends_on": ends_on},
            )


def _load_rotation(planned, organisations):
    """Replace the rotation when it differs from the plan (terms may not overlap)."""
    wanted = [
        (organisations[term["organisation"]].pk, term["starts_on"], term["ends_on"], term["notes"])
        for term in planned
    ]
    existing = list(
        LeadDonorTerm.objects.order_by("starts_on").values_list(
            "organisation_id", "starts_on", "ends_on", "notes"
        )
    )
    if existing == wanted:
        return
    for term in LeadDonorTerm.objects.all():
        term.delete()
    for organisation_id, starts_on, ends_on, notes in wanted:
        LeadDonorTerm.objects.create(
            organisation_id=organisation_id, starts_on=starts_on, ends_on=ends_on, notes=notes
        )


def _load_working_groups(planned, people):
    for group in planned:
        working_group = _upsert(
            WorkingGroup,
            {"name": group["name"]},
            {"component": group["component"], "mandate": group["mandate"]},
        )
        working_group.conveners.set([people[email] for email in group["conveners"]])
        working_group.members.set([people[email] for email in group["members"]])


def _load_accounts(people):
    password_hash = make_password(data.DEMO_PASSWORD)  # hashed once: hashing is slow on purpose
    for email, role, two_factor in demo_accounts():
        person = people[email]
        user = _demo_user(email, password_hash, administrator=role == "administrator")
        if person.user_id != user.pk:
            person.user = user
            person.save()
        if two_factor:
            _demo_two_factor(user)


def _demo_user(email, password_hash, *, administrator):
    user = User.objects.filter(email=email).first() or User(email=email)
    if user.pk is None or not user.check_password(data.DEMO_PASSWORD):
        user.password = password_hash
    user.is_active = True
    user.is_superuser = user.is_staff = administrator
    user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _demo_two_factor(user):
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        TOTP.activate(user, data.DEMO_TOTP_SECRET)
    elif decrypt(authenticator.data["secret"]) != data.DEMO_TOTP_SECRET:
        authenticator.data = {"secret": encrypt(data.DEMO_TOTP_SECRET)}
        authenticator.save()
    RecoveryCodes.activate(user)
