"""Walk every URL pattern of the platform as every persona and check the outcome.

A new URL pattern without a row in EXPECTED fails `test_every_url_pattern_has_an_expectation`,
so nothing can be added without saying who may reach it. Write requests carry an empty body:
a persona that passes the access gate gets the validation error (page re-rendered with 200, API
422) and nothing changes.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mineaction.conftest import PERSONAS, client_for
from mineaction.core.choices import Component, Role
from mineaction.core.models import ApiToken, AuditEntry
from mineaction.stakeholders.models import Membership, WorkingGroup

LOGIN = "login"  # a redirect to the log-in page
READERS = [
    "observer",
    "member",
    "lead_donor",
    "data_manager",
    "secretariat",
    "lead_authority",
    "administrator",
]
MANAGERS = ["secretariat", "lead_authority", "administrator"]
AUTHORITY = ["lead_authority", "administrator"]


def outcome(anonymous, outsider, allowed, *, for_roles=READERS, refused=403):
    """Expected status per persona: `allowed` for `for_roles`, `refused` for other readers."""
    expected = {"anonymous": anonymous, "outsider": outsider}
    for persona in READERS:
        expected[persona] = allowed if persona in for_roles else refused
    return expected


def everyone(status):
    return dict.fromkeys(PERSONAS, status)


def logged_in(status, anonymous=LOGIN):
    return {**dict.fromkeys(PERSONAS, status), "anonymous": anonymous}


MEMBER_PAGE = outcome(LOGIN, 403, 200)
MEMBER_RECORD = outcome(LOGIN, 404, 200)
MANAGER_FORM = outcome(LOGIN, 403, 200, for_roles=MANAGERS)
MANAGER_RECORD_FORM = outcome(LOGIN, 404, 200, for_roles=MANAGERS)
API_LIST = outcome(401, 403, 200)
API_RECORD = outcome(401, 404, 200)
API_CREATE = outcome(401, 403, 422, for_roles=MANAGERS)
API_RECORD_WRITE = outcome(401, 404, 422, for_roles=MANAGERS)
API_RECORD_PATCH = outcome(401, 404, 200, for_roles=MANAGERS)  # an empty patch changes nothing

# (url name, method) -> expected status per persona.
EXPECTED = {
    ("dashboard:home", "GET"): everyone(200),
    ("core:healthz", "GET"): everyone(200),
    ("core:country_profile", "GET"): MEMBER_PAGE,
    ("core:country_profile_edit", "GET"): outcome(LOGIN, 403, 200, for_roles=AUTHORITY),
    ("core:deadline_extension_add", "POST"): outcome(LOGIN, 403, 200, for_roles=AUTHORITY),
    ("core:audit_trail", "GET"): outcome(LOGIN, 403, 200, for_roles=AUTHORITY),
    ("core:patterns", "GET"): MEMBER_PAGE,
    ("core:token_list", "GET"): MEMBER_PAGE,
    # The token walked belongs to the member persona: anyone else's revoke finds nothing.
    ("core:token_revoke", "POST"): outcome(LOGIN, 403, 302, for_roles=["member"], refused=404),
    ("stakeholders:organisation_list", "GET"): MEMBER_PAGE,
    ("stakeholders:organisation_create", "GET"): MANAGER_FORM,
    ("stakeholders:organisation_create", "POST"): MANAGER_FORM,
    ("stakeholders:organisation_detail", "GET"): MEMBER_RECORD,
    ("stakeholders:organisation_edit", "GET"): MANAGER_RECORD_FORM,
    ("stakeholders:organisation_edit", "POST"): MANAGER_RECORD_FORM,
    ("stakeholders:person_list", "GET"): MEMBER_PAGE,
    ("stakeholders:person_create", "GET"): MANAGER_FORM,
    ("stakeholders:person_create", "POST"): MANAGER_FORM,
    ("stakeholders:person_detail", "GET"): MEMBER_RECORD,
    # The person walked is the member persona, who may edit their own record.
    ("stakeholders:person_edit", "GET"): MANAGER_RECORD_FORM | {"member": 200},
    ("stakeholders:person_edit", "POST"): MANAGER_RECORD_FORM | {"member": 200},
    ("stakeholders:person_invite", "GET"): MANAGER_RECORD_FORM,
    ("stakeholders:membership_create", "GET"): MANAGER_FORM,
    ("stakeholders:membership_create", "POST"): MANAGER_FORM,
    ("stakeholders:membership_edit", "GET"): MANAGER_RECORD_FORM,
    ("stakeholders:membership_edit", "POST"): MANAGER_RECORD_FORM,
    ("stakeholders:lead_donor_rotation", "GET"): MEMBER_PAGE,
    ("stakeholders:lead_donor_term_create", "GET"): MANAGER_FORM,
    ("stakeholders:lead_donor_term_create", "POST"): MANAGER_FORM,
    ("stakeholders:lead_donor_term_edit", "GET"): MANAGER_RECORD_FORM,
    ("stakeholders:lead_donor_term_edit", "POST"): MANAGER_RECORD_FORM,
    ("stakeholders:working_group_list", "GET"): MEMBER_PAGE,
    ("stakeholders:working_group_create", "GET"): MANAGER_FORM,
    ("stakeholders:working_group_create", "POST"): MANAGER_FORM,
    ("stakeholders:working_group_detail", "GET"): MEMBER_RECORD,
    ("stakeholders:working_group_edit", "GET"): MANAGER_RECORD_FORM,
    ("stakeholders:working_group_edit", "POST"): MANAGER_RECORD_FORM,
    ("stakeholders:participation", "GET"): MEMBER_PAGE,
    ("api:openapi-json", "GET"): everyone(200),
    ("api:openapi-view", "GET"): everyone(200),
    ("api:api-root", "GET"): everyone(404),
    ("api:not-found", "GET"): everyone(404),
    ("api:me", "GET"): outcome(401, 200, 200),
    ("api:country_profile", "GET"): API_LIST,
    ("api:country_profile_update", "PUT"): outcome(401, 403, 422, for_roles=AUTHORITY),
    ("api:organisation_list", "GET"): API_LIST,
    ("api:organisation_create", "POST"): API_CREATE,
    ("api:organisation_detail", "GET"): API_RECORD,
    ("api:organisation_patch", "PATCH"): API_RECORD_PATCH,
    ("api:organisation_put", "PUT"): API_RECORD_WRITE,
    ("api:person_list", "GET"): API_LIST,
    ("api:person_create", "POST"): API_CREATE,
    ("api:person_detail", "GET"): API_RECORD,
    ("api:person_patch", "PATCH"): API_RECORD_PATCH | {"member": 200},
    ("api:person_put", "PUT"): API_RECORD_WRITE | {"member": 422},
    ("api:membership_list", "GET"): API_LIST,
    ("api:membership_create", "POST"): API_CREATE,
    ("api:membership_detail", "GET"): API_RECORD,
    ("api:membership_patch", "PATCH"): API_RECORD_PATCH,
    ("api:membership_put", "PUT"): API_RECORD_WRITE,
    ("api:membership_end", "POST"): API_RECORD_WRITE,
    ("api:lead_donor_term_list", "GET"): API_LIST,
    ("api:working_group_list", "GET"): API_LIST,
    ("api:working_group_detail", "GET"): API_RECORD,
    ("api:participation", "GET"): API_LIST,
    # django-allauth's pages: logged-in people are sent on from the log-in and sign-up pages;
    # two-factor pages depend on whether the persona has an authenticator (MANAGERS do).
    ("account_login", "GET"): logged_in(302, anonymous=200),
    ("account_logout", "GET"): logged_in(200, anonymous=302),
    ("account_inactive", "GET"): everyone(200),
    ("account_signup", "GET"): logged_in(302, anonymous=200),
    ("account_reauthenticate", "GET"): logged_in(200),
    ("account_request_reauthentication_code", "GET"): logged_in(302),
    ("account_confirm_reauthentication_code", "GET"): logged_in(302),
    ("account_email", "GET"): logged_in(200),
    ("account_email_verification_sent", "GET"): everyone(200),
    ("account_change_password", "GET"): logged_in(200),
    ("account_set_password", "GET"): logged_in(302),
    ("account_reset_password", "GET"): everyone(200),
    ("account_confirm_login_code", "GET"): logged_in(302),
    ("account_confirm_email", "GET"): everyone(200),
    ("account_reset_password_from_key_done", "GET"): everyone(200),
    ("account_reset_password_from_key", "GET"): everyone(200),
    ("account_reset_password_done", "GET"): everyone(200),
    ("mfa_index", "GET"): logged_in(200),
    ("mfa_authenticate", "GET"): logged_in(302),
    ("mfa_reauthenticate", "GET"): outcome(LOGIN, 302, 200, for_roles=MANAGERS, refused=302),
    ("mfa_activate_totp", "GET"): logged_in(302),
    ("mfa_deactivate_totp", "GET"): outcome(LOGIN, 404, 302, for_roles=MANAGERS, refused=404),
    ("mfa_view_recovery_codes", "GET"): logged_in(404),
    ("mfa_generate_recovery_codes", "GET"): logged_in(302),
    ("mfa_download_recovery_codes", "GET"): logged_in(404),
    ("set_language", "GET"): everyone(302),
}
# Patterns that are not views of the platform's own: Django's admin (tested separately by
# Django) and media files served only with DEBUG.
SKIPPED_PREFIXES = ("admin/", "^media/")


def url_patterns(patterns=None, prefix="", namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            yield from url_patterns(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern) and not route.startswith(SKIPPED_PREFIXES):
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), route


def test_every_url_pattern_has_an_expectation():
    walked = {name for name, _method in EXPECTED}
    missing = sorted(name for name, _route in url_patterns() if name not in walked)
    assert missing == []


@pytest.fixture
def records(people, ngo_org):
    member = people["member"]
    working_group = WorkingGroup.objects.create(
        name="Technical working group", component=Component.TECHNICAL
    )
    token, _secret = ApiToken.issue(member.user, "walk")
    from mineaction.stakeholders.models import LeadDonorTerm

    return {
        "organisation": ngo_org,
        "person": member,
        "membership": Membership.objects.get(person=member, role=Role.MEMBER),
        "lead_donor_term": LeadDonorTerm.objects.get(),
        "working_group": working_group,
        "token": token,
    }


def url_for(name, records):
    if name == "account_confirm_email":
        return reverse(name, kwargs={"key": "not-a-key"})
    if name == "account_reset_password_from_key":
        return reverse(name, kwargs={"uidb36": "zz", "key": "not-a-key"})
    if name == "api:not-found":
        return "/api/v1/no-such-endpoint"
    record_kind = name.split(":")[-1].rsplit("_", 1)[0]
    for kind, record in records.items():
        if record_kind.startswith(kind) and any(
            suffix in name
            for suffix in ("detail", "edit", "invite", "revoke", "patch", "put", "end")
        ):
            return reverse(name, kwargs={"public_id": record.public_id})
    return reverse(name)


# Writes whose empty body is valid get a bad one instead, so the walk never changes data.
BAD_BODIES = {("api:membership_end", "POST"): {"ends_on": "not-a-date"}}


def request(client, name, method, url):
    body = BAD_BODIES.get((name, method), {})
    if url.startswith("/api/"):
        return getattr(client, method.lower())(url, data=body, content_type="application/json")
    return getattr(client, method.lower())(url, data=body)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_gives_each_persona_the_expected_outcome(people, records, persona, settings):
    settings.ACCOUNT_RATE_LIMITS = False
    client = client_for(people, persona)
    audit_entries = AuditEntry.objects.count()
    outcomes = {}
    for (name, method), expected in EXPECTED.items():
        response = request(client, name, method, url_for(name, records))
        status = response.status_code
        if status == 302 and "/accounts/login/" in response.get("Location", ""):
            status = LOGIN
        outcomes[(name, method)] = (status, expected[persona])
    wrong = {key: got for key, got in outcomes.items() if got[0] != got[1]}
    assert wrong == {}, "(got, expected) per URL"
    assert AuditEntry.objects.count() == audit_entries, "a walk with empty bodies changed data"
