"""Changes and reads about stakeholders that span several records or have side effects.

The pages and the API call the same functions, so a person is invited, a working group is
changed and participation is counted the same way everywhere.
"""

import datetime

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from mineaction.core import audit
from mineaction.core.mail import queue_email
from mineaction.core.models import AuditEntry, User
from mineaction.stakeholders.models import (
    AgeBand,
    Membership,
    OrganisationType,
    Person,
    Sex,
    WorkingGroup,
)

# A constituency is "thin" when it holds fewer than this many members...
THIN_MINIMUM_PEOPLE = 3
# ... or a smaller share of all members than this (women: see WOMEN_THIN_SHARE).
THIN_SHARE = 0.10
# Women are half the population; under 30 % of members is the usual warning level for a
# gender-sensitive forum (the share many national gender policies set as a first target).
WOMEN_THIN_SHARE = 0.30

MISSING = "missing"
THIN = "thin"
REPRESENTED = "represented"

# (key, label, dimension, value, thin share): who the platform must hear from (DESIGN.md).
CONSTITUENCIES = [
    (
        "affected_communities",
        _("Affected communities and survivors"),
        "organisation_type",
        OrganisationType.AFFECTED_COMMUNITY,
        THIN_SHARE,
    ),
    (
        "national_ngos",
        _("National NGOs"),
        "organisation_type",
        OrganisationType.NATIONAL_NGO,
        THIN_SHARE,
    ),
    ("academia", _("Academia"), "organisation_type", OrganisationType.ACADEMIC, THIN_SHARE),
    (
        "private_sector",
        _("Private sector"),
        "organisation_type",
        OrganisationType.COMMERCIAL_OPERATOR,
        THIN_SHARE,
    ),
    ("women", _("Women"), "sex", Sex.FEMALE, WOMEN_THIN_SHARE),
]


# Participation ---------------------------------------------------------------------------------


def _share(count, total):
    return count / total if total else 0.0


def _breakdown(counts, choices, total):
    return [
        {
            "key": value,
            "label": str(label),
            "count": counts.get(value, 0),
            "share": _share(counts.get(value, 0), total),
            "percent": round(100 * _share(counts.get(value, 0), total), 1),
        }
        for value, label in choices
    ]


def constituency_status(count, total, thin_share=THIN_SHARE):
    if count == 0:
        return MISSING
    if count < THIN_MINIMUM_PEOPLE or _share(count, total) < thin_share:
        return THIN
    return REPRESENTED


def participation_summary(*, on=None):
    """Who takes part: members (people with a membership current on `on`, default today) by
    organisation type, sex and age band, and the constituencies that are missing or thin.

    Returns plain data (dicts, lists, numbers, strings in the active language). One query.
    """
    on = on or timezone.localdate()
    current = Membership.objects.current(on).filter(person=OuterRef("pk"))
    rows = (
        Person.objects.filter(Exists(current))
        .values("organisation__type", "sex", "age_band")
        .annotate(count=Count("id"))
        .order_by()
    )
    by_dimension = {"organisation_type": {}, "sex": {}, "age_band": {}}
    total = 0
    for row in rows:
        total += row["count"]
        for dimension, value in [
            ("organisation_type", row["organisation__type"]),
            ("sex", row["sex"]),
            ("age_band", row["age_band"]),
        ]:
            counts = by_dimension[dimension]
            counts[value] = counts.get(value, 0) + row["count"]
    constituencies = []
    for key, label, dimension, value, thin_share in CONSTITUENCIES:
        count = by_dimension[dimension].get(value, 0)
        constituencies.append(
            {
                "key": key,
                "label": str(label),
                "count": count,
                "share": _share(count, total),
                "percent": round(100 * _share(count, total), 1),
                "thin_share": thin_share,
                "status": constituency_status(count, total, thin_share),
            }
        )
    return {
        "on": on.isoformat(),
        "total": total,
        "by_organisation_type": _breakdown(
            by_dimension["organisation_type"], OrganisationType.choices, total
        ),
        "by_sex": _breakdown(by_dimension["sex"], Sex.choices, total),
        "by_age_band": _breakdown(by_dimension["age_band"], AgeBand.choices, total),
        "constituencies": constituencies,
        "thin_minimum_people": THIN_MINIMUM_PEOPLE,
        "thin_share": THIN_SHARE,
    }


# People and their log-ins ----------------------------------------------------------------------


@transaction.atomic
def person_save(*, form):
    """Save a person from a valid `PersonForm` and keep their log-in's email and language in
    step (people log in with the address recorded on their person)."""
    person = form.save()
    user = person.user
    if (
        user is not None
        and person.email
        and (user.email != person.email or user.language != person.language)
    ):
        user.email = person.email
        user.language = person.language
        user.save(update_fields=["email", "language"])
    return person


def invitation_problem(person):
    """Why `person` cannot be invited now, or None. The same text for pages and the API."""
    if not person.email:
        return _("This person has no email address. Add one before inviting them.")
    user = person.user
    if user is None:
        user = User.objects.filter(email__iexact=person.email).first()
        if user is not None and Person.objects.filter(user=user).exists():
            return _("Another person's log-in already uses this email address.")
    if user is None:
        return None
    if not user.is_active:
        return _("This person's log-in has been deactivated. An administrator must reactivate it.")
    if user.has_usable_password():
        return _(
            "This person already has a log-in and has set a password. If they have forgotten "
            "it, they can reset it from the log-in page."
        )
    return None


def invitation_resend(person):
    """True when the person was invited before and has never used the invitation."""
    return person.user is not None and not person.user.has_usable_password()


@transaction.atomic
def person_invite(*, person, invited_by):
    """Give `person` a log-in (without a password) if they have none, and email them, in their
    language, a link to set their password. The link works once and expires after
    PASSWORD_RESET_TIMEOUT. Raises ValidationError when the person cannot be invited.
    """
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    problem = invitation_problem(person)
    if problem:
        raise ValidationError(problem, code="invitation_refused")
    user = person.user
    if user is None:
        user = User.objects.filter(email__iexact=person.email).first()
        if user is None:
            user = User.objects.create_user(person.email, password=None)
        person.user = user
        person.save(update_fields=["user"])
    user.email = person.email
    user.language = person.language
    user.save(update_fields=["email", "language"])
    inviter = Person.objects.filter(user=invited_by).first() if invited_by is not None else None
    send_person_invitation(person=person, inviter=inviter)
    return user


def invitation_link(user):
    uid = user_pk_to_url_str(user)
    key = default_token_generator.make_token(user)
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": uid, "key": key})
    return settings.SITE_URL + path


def send_person_invitation(*, person, inviter=None):
    """Queue the invitation email, in the person's language; the outbox sends it once the
    invitation's transaction has committed (and retries it while the mail server is down)."""
    with translation.override(person.language):
        context = {
            "person": person,
            "inviter": inviter,
            "link": invitation_link(person.user),
            "login_url": settings.SITE_URL + reverse("account_login"),
            "site_url": settings.SITE_URL,
            "expires_at": timezone.now()
            + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT),
        }
        subject = render_to_string("stakeholders/email/invitation_subject.txt", context)
        body = render_to_string("stakeholders/email/invitation_body.txt", context)
        html = render_to_string("stakeholders/email/invitation_body.html", context)
    return queue_email(
        to=[person.email],
        subject=subject,
        text=body,
        html=html,
        language=person.language,
        purpose="person_invitation",
    )


# Working groups --------------------------------------------------------------------------------


def _working_group_people(group):
    if group.pk is None:
        return {"conveners": [], "members": []}
    return {
        "conveners": sorted(str(person) for person in group.conveners.all()),
        "members": sorted(str(person) for person in group.members.all()),
    }


@transaction.atomic
def working_group_save(*, form):
    """Save a working group from a valid form; record changes of conveners and members in the
    audit trail (the model's own audit covers its plain fields only)."""
    before = _working_group_people(form.instance)
    group = form.save()
    after = _working_group_people(group)
    changes = {
        name: [before[name], after[name]]
        for name in ("conveners", "members")
        if before[name] != after[name]
    }
    if changes:
        AuditEntry.objects.create(
            actor=audit.current_actor(),
            action=AuditEntry.Action.UPDATE,
            content_type=ContentType.objects.get_for_model(WorkingGroup),
            object_public_id=group.public_id,
            object_repr=str(group)[:200],
            changes=changes,
        )
    return group
